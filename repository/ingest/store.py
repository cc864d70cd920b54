"""Stage 1: store the source record idempotently, as a new revision when its content changed."""
from __future__ import annotations

import hashlib
import json
from enum import Enum

import sqlalchemy as sa

from ..extensions import db
from ..importers import ParsedRecord
from ..models import ImportBatch, SourceRecord


class Change(str, Enum):
    NEW = "new"
    REVISED = "revised"
    UNCHANGED = "unchanged"


def content_hash(record: dict) -> str:
    """SHA-256 of the canonical record without its raw text: cosmetic re-exports are not revisions."""
    payload = {k: v for k, v in record.items() if k != "raw"}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def current_source_record(source: str, source_id: str) -> SourceRecord | None:
    return db.session.execute(
        sa.select(SourceRecord).filter_by(source=source, source_id=source_id, is_current=True)
    ).scalar_one_or_none()


def store_source_record(record: dict, parsed: ParsedRecord,
                        batch: ImportBatch | None) -> tuple[SourceRecord, Change, SourceRecord | None]:
    """Store *record*; return the current SourceRecord, what changed, and the previous revision if any."""
    digest = content_hash(record)
    previous = current_source_record(record["source"], record["source_id"])
    if previous is not None and previous.content_hash == digest:
        return previous, Change.UNCHANGED, previous
    row = SourceRecord(
        source=record["source"], source_id=record["source_id"],
        revision=previous.revision + 1 if previous else 1, is_current=True,
        work_id=previous.work_id if previous else None, batch=batch,
        file=parsed.file, line=parsed.line, raw=record.get("raw"),
        data={k: v for k, v in record.items() if k != "raw"}, content_hash=digest,
    )
    if previous is not None:
        previous.is_current = False
        db.session.flush()
    db.session.add(row)
    db.session.flush()
    return row, Change.REVISED if previous else Change.NEW, previous
