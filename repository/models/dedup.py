"""What deduplication stores about each live Work: its blocking keys and its match profile.

Both are derived data, rewritten whenever the Work is merged from its source records, and rebuilt by
``zhiku dedup --all`` for Works that lack them. A merged-away Work (a tombstone) has neither.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._base import JSONType


class WorkKey(db.Model):
    """One blocking key of a Work; the candidates of a record are the Works sharing one of its keys."""

    key: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    work_id: Mapped[int] = mapped_column(sa.ForeignKey("work.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)


class WorkProfile(db.Model):
    """The normalized fields the dedup scorer compares (``repository.dedup.profile.Profile`` as JSON).

    ``checked`` is False until ``zhiku dedup --all`` has compared the Work with its candidates since the
    profile last changed: that flag is what makes the re-resolution incremental and resumable.
    """

    work_id: Mapped[int] = mapped_column(sa.ForeignKey("work.id", ondelete="CASCADE"), primary_key=True)
    profile: Mapped[dict] = mapped_column(JSONType)
    checked: Mapped[bool] = mapped_column(default=False, index=True)
