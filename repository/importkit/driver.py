"""The parse loop of a file importer: from a path to ``ParsedRecord``/``RecordError`` items.

text file: encoding detected and verified -> recognise the format from the first lines -> split records ->
flag a truncated last record; table file (an Excel workbook by its magic bytes, or an HTML table, see
``workbook.workbook_kind``): recognise the header row among the first rows -> one record per row. Then, for
both: map -> yield ``ParsedRecord`` or ``RecordError(file, line, reason)`` (for a table the line is the row
number). Only a file unusable as a whole raises ``ImporterError``.
"""
from __future__ import annotations

from itertools import chain, islice
from typing import Callable, Iterator, Protocol, Sequence

from repository.importers import ImporterError, ParsedRecord, RecordError

from .textfile import detect, head_text, iter_lines, read_head
from .workbook import HEADER_ROWS, TABLE_NAMES, LabelledTable, first_rows, read_table, workbook_kind

#: A format must show its record start within this many lines (headers and banners come before it).
HEAD_LINES = 40
#: Enough bytes to tell a workbook's magic bytes and a text file's first lines.
SNIFF_BYTES = 8192


class Format(Protocol):
    """What the loop needs from a text format (``tagged.TagFormat`` is one; EI's citation text another).

    Workbook formats are ``workbook.LabelledTable`` instances; a format list may mix both kinds.
    """

    name: str
    check: Callable | None

    def looks_like(self, lines: list[str]) -> bool: ...

    def records(self, lines, ending) -> Iterator: ...


def _tables(formats: Sequence) -> list[LabelledTable]:
    return [fmt for fmt in formats if isinstance(fmt, LabelledTable)]


def sniff_format(formats: Sequence, head: bytes, location: str | None = None):
    """The first of *formats* that recognises the file, or None.

    A text file is judged by the first lines of *head* (decoded leniently); a workbook or an HTML table by
    its first rows, which needs its *location*.
    """
    kind = workbook_kind(head)
    if kind is None:
        lines = head_text(head).splitlines()[:HEAD_LINES]
        return next((fmt for fmt in formats if not isinstance(fmt, LabelledTable) and fmt.looks_like(lines)), None)
    tables = _tables(formats)
    if not tables or location is None:
        return None
    try:
        rows = first_rows(location, kind)
    except ImporterError:
        return None
    return next((fmt for fmt in tables if fmt.looks_like(rows)), None)


def _text_records(location: str, formats: Sequence, label: str):
    encoding = detect(location)
    lines = iter_lines(location, encoding)
    head = list(islice(lines, HEAD_LINES))
    fmt = next((f for f in formats if not isinstance(f, LabelledTable) and f.looks_like(head)), None)
    if fmt is None:
        raise ImporterError(location, f"not {label} export: no record start in the first {HEAD_LINES} lines")
    return fmt, fmt.records(chain(head, lines), encoding), {"format": fmt.name, "encoding": encoding.name}


def _table_records(location: str, kind: str, formats: Sequence, label: str):
    rows, how = read_table(location, kind)
    head = list(islice(rows, HEADER_ROWS))
    fmt = next((f for f in _tables(formats) if f.looks_like(head)), None)
    if fmt is None:
        raise ImporterError(location, f"not {label} export: no header row of its columns in the first "
                                      f"{HEADER_ROWS} rows of the {TABLE_NAMES[kind]}")
    return fmt, fmt.records(chain(head, rows)), {"format": fmt.name, **how}


def parse_file(location: str, formats: Sequence, build: Callable[[object, object], dict],
               label: str) -> Iterator[ParsedRecord | RecordError]:
    """Parse *location* with whichever of *formats* recognises it; *build(format, record)* maps one record
    to a canonical dict. *label* names the source in errors ("a CNKI" -> "not a CNKI export: ...")."""
    kind = workbook_kind(read_head(location, SNIFF_BYTES))
    if kind is None:
        fmt, records, extra = _text_records(location, formats, label)
    else:
        fmt, records, extra = _table_records(location, kind, formats, label)
    first = True
    for record in records:
        if first and fmt.check is not None:
            reason = fmt.check(record)
            if reason:
                raise ImporterError(location, reason, record.line)
        first = False
        if record.error:
            yield RecordError(location, record.line, record.error)
            continue
        data = build(fmt, record)
        if not data.get("title"):
            yield RecordError(location, record.line, "record has no title", data.get("source_id"))
            continue
        yield ParsedRecord(data, location, record.line, extra=dict(extra))
