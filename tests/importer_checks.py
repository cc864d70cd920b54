"""Helpers shared by the importer plugins' tests."""
from __future__ import annotations

from pathlib import Path

from repository.importers import ParsedRecord, RecordError
from repository.schemas.import_record import validate_import_record


def parse_with(importer, path: Path) -> tuple[list[ParsedRecord], list[RecordError]]:
    """Parse *path*; check every item is a record or a record error; return both lists."""
    items = list(importer.parse(str(path)))
    assert all(isinstance(item, (ParsedRecord, RecordError)) for item in items)
    return [i for i in items if isinstance(i, ParsedRecord)], [i for i in items if isinstance(i, RecordError)]


def valid(record: ParsedRecord) -> dict:
    """The validated canonical record; fails the test with the record's line and errors otherwise."""
    data, errors = validate_import_record(record.data)
    assert errors == [], (record.line, errors)
    return data
