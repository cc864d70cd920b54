"""Keeping the index in step with the database: per-work updates, retries, and full reindexing.

Updates run as jobs (``repository.jobs.enqueue``: rq, or inline without Redis) after the commit that
changed a Work. When the backend is unavailable the work ids go to ``SearchPending`` and are pushed
again by the next successful update or by ``zhiku reindex --pending``: nothing is lost.
"""
from __future__ import annotations

import logging
import time
from typing import Callable, Iterable, Iterator, Sequence

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from repository.extensions import db
from repository.jobs import enqueue
from repository.models import Authorship, SearchPending, SourceRecord, Work, utcnow

from .backend import SearchUnavailable
from .document import build_document, indexable
from .service import get_backend

log = logging.getLogger(__name__)
CHUNK = 500
RETRY_AFTER = 30.0  # seconds without trying a backend that just failed (events keep being remembered)
DOWN_KEY = "zhiku.search.down"


def _load(work_ids: Sequence[int]) -> tuple[dict[int, Work], dict[int, list[str]]]:
    """The Works with what their documents need, and each one's source names.

    Only the names of the sources are read, not the source records (their data and raw text are large).
    """
    work_ids = list(work_ids)
    rows = db.session.execute(
        sa.select(Work).where(Work.id.in_(work_ids)).options(
            selectinload(Work.authorships).selectinload(Authorship.org_unit),
            selectinload(Work.identifiers), selectinload(Work.venue))
    ).scalars()
    sources: dict[int, list[str]] = {}
    for work_id, source in db.session.execute(
            sa.select(SourceRecord.work_id, SourceRecord.source).distinct()
            .where(SourceRecord.work_id.in_(work_ids)).order_by(SourceRecord.work_id, SourceRecord.source)):
        sources.setdefault(work_id, []).append(source)
    return {work.id: work for work in rows}, sources


def _push(work_ids: Sequence[int]) -> None:
    """Index the indexable works of *work_ids* and remove the rest; raises SearchUnavailable."""
    works, sources = _load(work_ids)
    documents = [build_document(works[i], sources.get(i, [])) for i in work_ids if indexable(works.get(i))]
    gone = [i for i in work_ids if not indexable(works.get(i))]
    backend = get_backend()
    backend.index(documents)
    backend.delete(gone)


def remember_pending(work_ids: Iterable[int], error: str) -> None:
    """Record *work_ids* for a later retry (committed at once: the caller's transaction is done)."""
    for work_id in set(work_ids):
        row = db.session.get(SearchPending, work_id)
        if row is None:
            db.session.add(SearchPending(work_id=work_id, error=error[:2000]))
        else:
            row.attempts += 1
            row.error = error[:2000]
    db.session.commit()


def update_works(work_ids: Sequence[int]) -> bool:
    """Job: bring the index up to date for *work_ids*; True when done, False when remembered for later.

    After a failure the backend is not tried again for RETRY_AFTER seconds: an import that fires an
    event per work must not wait for a timeout per work while the search server is down.
    """
    work_ids = list(dict.fromkeys(work_ids))
    state = current_app.extensions.setdefault(DOWN_KEY, {"until": 0.0})
    try:
        if time.monotonic() < state["until"]:
            raise SearchUnavailable("the search backend failed moments ago; the update waits for a retry")
        _push(work_ids)
    except SearchUnavailable as exc:
        log.warning("search index update of works %s deferred: %s", work_ids, exc)
        state["until"] = max(state["until"], time.monotonic() + RETRY_AFTER)
        db.session.rollback()
        remember_pending(work_ids, str(exc))
        return False
    if db.session.execute(sa.select(SearchPending.work_id).limit(1)).first() is not None:
        retry_pending()
    return True


def retry_pending(progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Push every remembered work again; return (done, still pending). Stops at the first failure."""
    done = 0
    while True:
        rows = db.session.execute(sa.select(SearchPending).order_by(SearchPending.work_id).limit(CHUNK)).scalars().all()
        if not rows:
            return done, 0
        ids = [row.work_id for row in rows]
        try:
            _push(ids)
        except SearchUnavailable as exc:
            db.session.rollback()
            remember_pending(ids, str(exc))
            left = db.session.execute(sa.select(sa.func.count()).select_from(SearchPending)).scalar_one()
            return done, left
        db.session.execute(sa.delete(SearchPending).where(SearchPending.work_id.in_(ids)))
        db.session.commit()
        done += len(ids)
        if progress:
            progress(len(ids))


def schedule_update(work_ids: Sequence[int]) -> None:
    """Enqueue an index update after a commit; if even the queue is down, remember the ids."""
    try:
        enqueue(update_works, list(work_ids))
    except Exception as exc:  # Redis down: the import must go on, the update must not be lost
        log.warning("cannot enqueue search update of works %s: %s", work_ids, exc)
        db.session.rollback()
        remember_pending(work_ids, f"{type(exc).__name__}: {exc}")


def indexable_count() -> int:
    """How many works a full reindex writes."""
    return db.session.execute(sa.select(sa.func.count()).select_from(Work).where(
        Work.deleted.is_(False), Work.merged_into_id.is_(None))).scalar_one()


def all_documents() -> Iterator[dict]:
    """Every indexable work's document, read in id order in chunks (memory stays flat)."""
    last = 0
    while True:
        ids = db.session.execute(
            sa.select(Work.id).where(Work.id > last, Work.deleted.is_(False), Work.merged_into_id.is_(None))
            .order_by(Work.id).limit(CHUNK)).scalars().all()
        if not ids:
            return
        works, sources = _load(ids)
        for work_id in ids:
            yield build_document(works[work_id], sources.get(work_id, []))
        last = ids[-1]
        db.session.expunge_all()


def reindex_all(progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index and swap it in; then catch up with works changed meanwhile.

    Changes committed while the new index was being built went to the old one; they are pushed again
    after the swap, and remembered failures from before the rebuild are settled by it.
    """
    started = utcnow()
    count = get_backend().reindex(all_documents(), progress=progress)
    db.session.execute(sa.delete(SearchPending).where(SearchPending.queued_at < started))
    db.session.commit()
    changed = db.session.execute(sa.select(Work.id).where(Work.updated_at >= started)).scalars().all()
    for start in range(0, len(changed), CHUNK):
        update_works(changed[start:start + CHUNK])
    get_backend().refresh()
    return count
