"""The ingest pipeline: store -> resolve -> merge -> attribute -> enrich, a chunk of records at a time.

Records go through in chunks (``ZHIKU_IMPORT_COMMIT_EVERY`` of them): the database questions of a whole
chunk are answered by a few prefetch queries (:mod:`.lookups`) and its rows are written in one flush,
inside one SAVEPOINT. When anything in a chunk fails, the savepoint is rolled back and the chunk is run
again one record at a time, each in its own savepoint, so only the bad record is reported (as
``file:line: reason``) and the others are stored. The batch commits after each chunk and only then fires
the post-commit events (work saved / deleted), so a search index never sees an uncommitted Work.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import Enum

import sqlalchemy as sa

from ..dedup.index import index_works
from ..extensions import db
from ..importers import ParsedRecord, RecordError
from ..models import ImportBatch, SourceRecord, Work, record_audits
from ..schemas.import_record import validate_import_record
from .lookups import Lookups
from .merge import merge_work
from .resolve import Resolution, file_possible_duplicates, resolve
from .store import Change, delete_source_record, store_source_record

log = logging.getLogger(__name__)


class Outcome(str, Enum):
    """What one record did to the repository; the batch summary counts these."""

    NEW = "new"
    UPDATED = "updated"
    MERGED = "merged"
    UNCHANGED = "unchanged"
    DELETED = "deleted"
    FAILED = "failed"


def _jsonable(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _audit_values(changes: dict) -> tuple[dict, dict]:
    """The before and after of merge_work's ``{field: (before, after)}``, ready for the audit trail."""
    return ({name: _jsonable(before) for name, (before, _after) in changes.items()},
            {name: _jsonable(after) for name, (_before, after) in changes.items()})


def _validate(parsed: ParsedRecord) -> tuple[dict | None, RecordError | None]:
    """The canonical record, or the error that names why it cannot be imported."""
    if parsed.deleted:
        record = {key: parsed.data.get(key) for key in ("source", "source_id")}
        if all(isinstance(value, str) and value for value in record.values()):
            return record, None
        return None, RecordError(parsed.file, parsed.line, "deleted record without source and source_id")
    record, errors = validate_import_record(parsed.data)
    if errors:
        return None, RecordError(parsed.file, parsed.line, "; ".join(errors), parsed.data.get("source_id"))
    return record, None


@dataclass
class Pipeline:
    """Runs records through the stages; holds the events to fire after the next commit."""

    hook: object
    priority: list[str]
    actor: str = "system"
    batch: ImportBatch | None = None
    #: Work ids saved (id -> created) and deleted since the last commit; the events fire after it.
    saved: dict[int, bool] = field(default_factory=dict)
    deleted: list[int] = field(default_factory=list)
    lookups: Lookups = field(default_factory=Lookups)
    #: (action, object, before, after) of the chunk in progress, written once the objects have ids.
    _audits: list[tuple] = field(default_factory=list)
    #: Works the chunk in progress saved (Work -> created) and deleted; their ids are known after the flush.
    _chunk_saved: dict[Work, bool] = field(default_factory=dict)
    _chunk_deleted: list[Work] = field(default_factory=list)
    #: Works whose source records changed in the chunk (their dedup profiles follow after the flush), and
    #: the grey-zone matches to file as curation tasks once every Work has an id.
    _touched: set[Work] = field(default_factory=set)
    _possible_duplicates: list[tuple[Work, Resolution]] = field(default_factory=list)

    def process_many(self, items: list[ParsedRecord]) -> list[tuple[Outcome, RecordError | None]]:
        """Validate and ingest *items* as one chunk; return one (outcome, error) per item, in order."""
        results: list[tuple[Outcome, RecordError | None] | None] = [None] * len(items)
        chunk = []
        for index, parsed in enumerate(items):
            record, error = _validate(parsed)
            if error:
                results[index] = (Outcome.FAILED, error)
            else:
                chunk.append((index, record, parsed))
        try:
            outcomes = self._ingest_chunk([(record, parsed) for _index, record, parsed in chunk])
        except Exception:  # find the bad record(s): again one by one, each in its own savepoint
            outcomes = [self._ingest_alone(record, parsed) for _index, record, parsed in chunk]
        for (index, _record, _parsed), outcome in zip(chunk, outcomes):
            results[index] = (Outcome.FAILED, outcome) if isinstance(outcome, RecordError) else (outcome, None)
        return results

    def _ingest_alone(self, record: dict, parsed: ParsedRecord) -> Outcome | RecordError:
        try:
            return self._ingest_chunk([(record, parsed)])[0]
        except Exception as exc:  # report the record, keep the batch going; its savepoint undid it
            log.exception("record %s:%s failed", parsed.file, parsed.line)
            return RecordError(parsed.file, parsed.line, f"could not store record: {type(exc).__name__}: {exc}",
                               record["source_id"])

    def _ingest_chunk(self, chunk: list[tuple[dict, ParsedRecord]]) -> list[Outcome]:
        if not chunk:
            return []
        savepoint = db.session.begin_nested()
        try:
            with db.session.no_autoflush:  # one flush per chunk; the stages flush only when they must read back
                self.lookups.prefetch(record for record, _parsed in chunk)
                outcomes = [self._ingest(record, parsed) for record, parsed in chunk]
            db.session.flush()
            index_works(work.id for work in self._touched)
            for work, resolution in self._possible_duplicates:
                file_possible_duplicates(work, resolution, self.lookups)
            record_audits(self.actor, self._audits)
            savepoint.commit()
        except Exception:
            savepoint.rollback()
            raise
        else:
            for work, created in self._chunk_saved.items():
                self.saved[work.id] = self.saved.get(work.id, False) or created
            self.deleted.extend(work.id for work in self._chunk_deleted)
        finally:
            self.lookups.clear()
            self._audits.clear()
            self._chunk_saved.clear()
            self._chunk_deleted.clear()
            self._touched.clear()
            self._possible_duplicates.clear()
        return outcomes

    def _ingest(self, record: dict, parsed: ParsedRecord) -> Outcome:
        if parsed.deleted:
            return self._withdraw(record)
        source_row, change, _previous = store_source_record(record, parsed, self.batch, self.lookups)
        if change is Change.UNCHANGED:
            return Outcome.UNCHANGED

        work = db.session.get(Work, source_row.work_id) if source_row.work_id else None
        resolution = resolve(record, self.hook, self.lookups) if work is None else None
        if resolution is not None:
            work = resolution.work
        created = work is None
        if created:
            # empty collections up front: a new Work has nothing to lazy-load
            work = Work(title=record["title"], identifiers=[], authorships=[], overrides=[])
            work.set_type(record["type"])
            db.session.add(work)
        outcome = Outcome.NEW if created else (Outcome.UPDATED if change is Change.REVISED else Outcome.MERGED)
        source_row.work = work

        changes = merge_work(work, self.priority, [source_row] if created else None, self.lookups)
        self._touched.add(work)
        if resolution is not None:
            if created and resolution.profile is not None:
                self.lookups.remember_new_work(work, resolution.profile)
            if resolution.possible_duplicates:
                self._possible_duplicates.append((work, resolution))
        self.hook.zhiku_attribute_work(work=work, record=record, session=db.session)
        self.hook.zhiku_enrich_work(work=work, record=record, session=db.session)
        before, after = _audit_values(changes)
        self._audits.append(("work.create" if created else f"work.{outcome.value}", work, None if created else before,
                             after | {"source_record": f"{record['source']}:{record['source_id']}#{source_row.revision}"}))
        if created or changes:
            self._chunk_saved[work] = self._chunk_saved.get(work, False) or created
        return outcome

    def _withdraw(self, record: dict) -> Outcome:
        """A record its source deleted: its Work is recomputed from the sources left, or becomes a tombstone.

        A Work a curator verified stays published even when its last source is gone.
        """
        row = delete_source_record(record["source"], record["source_id"], self.lookups)
        if row is None:
            return Outcome.UNCHANGED
        self._audits.append(("source_record.delete", row, {"deleted": False}, {"deleted": True}))
        work = row.work
        if work is None:
            return Outcome.DELETED
        changes = merge_work(work, self.priority, lookups=self.lookups)
        self._touched.add(work)
        live_sources = db.session.scalar(sa.select(sa.func.count()).select_from(SourceRecord).where(
            SourceRecord.work_id == work.id, SourceRecord.is_current.is_(True), SourceRecord.deleted.is_(False)))
        if not live_sources and work.status != "verified" and not work.deleted:
            work.deleted = True
            self._audits.append(("work.delete", work, {"deleted": False},
                                 {"deleted": True, "reason": f"last source {row.source}:{row.source_id} deleted"}))
            self._chunk_deleted.append(work)
        elif changes:
            self._audits.append(("work.updated", work, *_audit_values(changes)))
            self._chunk_saved.setdefault(work, False)
        return Outcome.DELETED

    def fire_events(self) -> None:
        """Call the post-commit event hooks, once each, for what was committed since the last call."""
        saved, self.saved = self.saved, {}
        deleted, self.deleted = self.deleted, []
        if saved:
            self._fire("zhiku_works_saved", work_ids=list(saved),
                       created_ids=[work_id for work_id, created in saved.items() if created])
        if deleted:
            self._fire("zhiku_works_deleted", work_ids=deleted)

    def _fire(self, name: str, **kwargs) -> None:
        try:
            getattr(self.hook, name)(**kwargs)
        except Exception:  # an event listener (e.g. a search server that is down) must not undo the import
            log.exception("event hook %s(%s) failed", name, kwargs)
