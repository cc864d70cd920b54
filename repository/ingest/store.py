"""Stage 1: store the source record idempotently, as a new revision when its content changed."""
from __future__ import annotations

import hashlib
import json
from enum import Enum

from ..extensions import db
from ..importers import ParsedRecord
from ..models import ImportBatch, SourceRecord
from .lookups import Lookups


class Change(str, Enum):
    NEW = "new"
    REVISED = "revised"
    UNCHANGED = "unchanged"


def content_hash(record: dict) -> str:
    """SHA-256 of the canonical record without its raw text: cosmetic re-exports are not revisions."""
    payload = {k: v for k, v in record.items() if k != "raw"}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def store_source_record(record: dict, parsed: ParsedRecord, batch: ImportBatch | None,
                        lookups: Lookups) -> tuple[SourceRecord, Change, SourceRecord | None]:
    """Store *record*; return the current SourceRecord, what changed, and the previous revision if any.

    A record delivered again after its source deleted it is a new revision even when its content is the
    same: it is live again.
    """
    digest = content_hash(record)
    previous = lookups.current_source_row(record["source"], record["source_id"])
    if previous is not None and previous.content_hash == digest and not previous.deleted:
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
    db.session.add(row)
    lookups.remember_source_row(row)
    return row, Change.REVISED if previous else Change.NEW, previous


def delete_source_record(source: str, source_id: str, lookups: Lookups) -> SourceRecord | None:
    """Mark the current revision of a record its source withdrew as deleted; None when nothing changed."""
    row = lookups.current_source_row(source, source_id)
    if row is None or row.deleted:
        return None
    row.deleted = True
    return row
