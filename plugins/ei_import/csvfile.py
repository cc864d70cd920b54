"""Engineering Village CSV export: a header row of the same labels as the text output ("Accession number",
"Title", "Author", "Author affiliation", ...) and one row per record; quoted values may span lines.

A row shorter than the header at the end of the file is a truncated record; elsewhere it is reported
with the counts. A broken quote stops the file with an error on the line where its record starts.
"""
from __future__ import annotations

import csv
from typing import Iterable, Iterator

from repository.importkit.tagged import TRUNCATED, TaggedRecord

from .mapping import LABELS

_HEADER_LABELS = {"accession number", "title", "author", "authors", "source", "source title", "document type"}


def _cells(line: str) -> list[str]:
    delimiter = "\t" if line.count("\t") > line.count(",") else ","
    try:
        return next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return []


class CsvFormat:
    """The CSV export as a format for ``repository.importkit.driver``."""

    name = "csv"
    check = None

    def looks_like(self, lines: list[str]) -> bool:
        first = next((line for line in lines if line.strip()), "")
        labels = {cell.strip().casefold() for cell in _cells(first)}
        return len(labels & _HEADER_LABELS) >= 2 and "accession number" in labels | {"title"} and "title" in labels

    def records(self, lines: Iterable[str], ending) -> Iterator[TaggedRecord]:
        consumed: list[str] = []

        def feed():
            for line in lines:
                consumed.append(line)
                yield line + "\n"

        source = feed()
        first = next(source, "")
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        header = [cell.strip().casefold() for cell in _cells(first.rstrip("\n"))]
        reader = csv.reader(source, delimiter=delimiter)
        previous_end = 1
        pending: TaggedRecord | None = None
        while True:
            consumed.clear()
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                record = TaggedRecord(previous_end + 1, raw_lines=list(consumed), error=f"malformed CSV: {exc}")
                if pending is not None:
                    yield pending
                yield record
                return
            start, previous_end = previous_end + 1, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            record = TaggedRecord(start, raw_lines=list(consumed))
            record.fields = [(label, value.strip()) for label, value in zip(header, row) if label in LABELS]
            if len(row) < len(header):
                record.error = f"row has {len(row)} fields, the header has {len(header)}"
            if pending is not None:
                yield pending
            pending = record
        if pending is not None:
            if pending.error or ending.truncated:
                pending.error = TRUNCATED
            yield pending


FORMAT = CsvFormat()
