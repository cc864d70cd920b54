"""The built-in ``canonical`` importer: JSON lines of canonical ImportRecords.

It reads back what ``zhiku import SOURCE FILE --dry-run`` writes, so records can be checked or edited
between parsing and loading, and it loads migrations from other systems and the bundled demo data.
Each record keeps the ``source`` it names. A line ``{"source": S, "source_id": ID, "deleted": true}``
withdraws a record its source deleted. Registered as an entry point like every other plugin.
"""
from __future__ import annotations

import json
from typing import Iterator

from .hookspecs import hookimpl
from .importers import ImporterError, ParsedRecord, RecordError


class CanonicalImporter:
    name = "canonical"
    label = "Zhiku canonical JSON lines"

    def sniff(self, location: str, head: bytes) -> bool:
        return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{")

    def parse(self, location: str) -> Iterator[ParsedRecord | RecordError]:
        try:
            handle = open(location, "rb")
        except OSError as exc:
            raise ImporterError(location, f"cannot read: {exc.strerror or exc}") from exc
        with handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    yield RecordError(location, number, f"not UTF-8: {exc.reason} at column {exc.start + 1}")
                    continue
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield RecordError(location, number, f"invalid JSON: {exc.msg} at column {exc.colno}")
                    continue
                if not isinstance(data, dict):
                    yield RecordError(location, number, "a line must hold one JSON object")
                    continue
                deleted = data.pop("deleted", False) is True
                yield ParsedRecord(data=data, file=location, line=number, deleted=deleted)


@hookimpl
def zhiku_importers():
    return [CanonicalImporter()]
