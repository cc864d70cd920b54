"""Attribute stored works again, e.g. after a new staff list was imported: in chunks, one commit per chunk."""
from __future__ import annotations

from typing import Callable

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Authorship, Work
from .apply import attribute_work
from .cache import current_attributor

CHUNK = 1000


def reattribute(only_uncertain: bool = False, progress: Callable[[int, int], None] | None = None) -> int:
    """Run the attribution stage on every live work (or only those with an automatic line that is not linked
    to a person); human decisions are left alone as always. Returns the number of works processed.

    :param progress: called with (works done, works to do) after each committed chunk.
    """
    query = sa.select(Work.id).where(Work.deleted.is_(False))
    if only_uncertain:
        query = query.where(Work.id.in_(sa.select(Authorship.work_id).where(
            Authorship.status == "auto", Authorship.person_id.is_(None))))
    ids = db.session.execute(query.order_by(Work.id)).scalars().all()
    config = current_app.config
    accept, floor = float(config["ZHIKU_ATTRIBUTION_ACCEPT"]), float(config["ZHIKU_ATTRIBUTION_QUEUE"])
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        attributor = current_attributor()
        works = db.session.execute(sa.select(Work).where(Work.id.in_(chunk))
                                   .options(selectinload(Work.authorships))).scalars().all()
        for work in works:
            attribute_work(work, None, attributor, accept, floor)
        db.session.commit()
        db.session.expunge_all()
        if progress:
            progress(min(start + CHUNK, len(ids)), len(ids))
    return len(ids)
