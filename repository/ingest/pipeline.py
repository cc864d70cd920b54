"""The ingest pipeline: store -> resolve -> merge -> attribute -> enrich, one record per savepoint.

Each record is processed inside a SAVEPOINT: a record that fails is rolled back alone and reported as
``file:line: reason``; the batch commits every ``ZHIKU_IMPORT_COMMIT_EVERY`` records and only then fires
the post-commit events (work saved / deleted), so a search index never sees an uncommitted Work.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import Enum

from ..extensions import db
from ..importers import ParsedRecord, RecordError
from ..models import ImportBatch, Work, record_audit
from ..schemas.import_record import validate_import_record
from .merge import merge_work
from .resolve import file_possible_duplicates, resolve
from .store import Change, store_source_record

log = logging.getLogger(__name__)


class Outcome(str, Enum):
    """What one record did to the repository; the batch summary counts these."""

    NEW = "new"
    UPDATED = "updated"
    MERGED = "merged"
    UNCHANGED = "unchanged"
    FAILED = "failed"


def _jsonable(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@dataclass
class Pipeline:
    """Runs records through the stages; holds the events to fire after the next commit."""

    hook: object
    priority: list[str]
    actor: str = "system"
    batch: ImportBatch | None = None
    pending_events: list[tuple[str, dict]] = field(default_factory=list)

    def process(self, parsed: ParsedRecord) -> tuple[Outcome, RecordError | None]:
        """Validate and ingest one parsed record; never raises for bad data."""
        record, errors = validate_import_record(parsed.data)
        if errors:
            return Outcome.FAILED, RecordError(parsed.file, parsed.line, "; ".join(errors),
                                               parsed.data.get("source_id"))
        savepoint = db.session.begin_nested()
        try:
            with db.session.no_autoflush:  # the stages flush when they need ids; autoflush costs a flush per query
                outcome, event = self._ingest(record, parsed)
            savepoint.commit()
        except Exception as exc:  # report the record, keep the batch going; the savepoint undoes it
            savepoint.rollback()
            log.exception("record %s:%s failed", parsed.file, parsed.line)
            return Outcome.FAILED, RecordError(parsed.file, parsed.line,
                                               f"could not store record: {type(exc).__name__}: {exc}",
                                               record["source_id"])
        if event:
            self.pending_events.append(event)
        return outcome, None

    def _ingest(self, record: dict, parsed: ParsedRecord) -> tuple[Outcome, tuple[str, dict] | None]:
        source_row, change, _previous = store_source_record(record, parsed, self.batch)
        if change is Change.UNCHANGED:
            return Outcome.UNCHANGED, None

        work = db.session.get(Work, source_row.work_id) if source_row.work_id else None
        resolution = resolve(record, self.hook) if work is None else None
        if resolution is not None:
            work = resolution.work
        created = work is None
        if created:
            # empty collections up front: a new Work has nothing to lazy-load
            work = Work(title=record["title"], identifiers=[], authorships=[], overrides=[])
            work.set_type(record["type"])
            db.session.add(work)
            db.session.flush()
        outcome = Outcome.NEW if created else (Outcome.UPDATED if change is Change.REVISED else Outcome.MERGED)
        source_row.work_id = work.id
        db.session.flush()

        changes = merge_work(work, self.priority, [source_row] if created else None)
        if resolution is not None:
            file_possible_duplicates(work, resolution)
        self.hook.zhiku_attribute_work(work=work, record=record, session=db.session)
        self.hook.zhiku_enrich_work(work=work, record=record, session=db.session)
        db.session.flush()
        record_audit(self.actor, "work.create" if created else f"work.{outcome.value}", work,
                     before=None if created else {k: _jsonable(b) for k, (b, _a) in changes.items()},
                     after={k: _jsonable(a) for k, (_b, a) in changes.items()} | {
                         "source_record": f"{record['source']}:{record['source_id']}#{source_row.revision}"})
        event = ("zhiku_work_saved", {"work_id": work.id, "created": created}) if created or changes else None
        return outcome, event

    def fire_events(self) -> None:
        """Call the post-commit event hooks collected since the last commit."""
        events, self.pending_events = self.pending_events, []
        for name, kwargs in events:
            try:
                getattr(self.hook, name)(**kwargs)
            except Exception:  # an event listener (e.g. a search server that is down) must not undo the import
                log.exception("event hook %s(%s) failed", name, kwargs)
