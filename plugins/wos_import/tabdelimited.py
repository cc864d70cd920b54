"""The WoS "tab-delimited" format: a header row of field tags, then one record per row.

WoS writes values unquoted, multi-valued fields joined with ``"; "``, and (Windows/Mac variants) a trailing
tab on every row. A row broken by a newline inside a value is re-joined; a row quoted CSV-style (a file
saved again by a spreadsheet) is read with the csv module; a row that stops after its last non-empty
field is padded, except the file's last row, which is then reported as truncated. Rows are read one at a
time.
"""
from __future__ import annotations

import csv
import re
from operator import itemgetter
from typing import Iterable, Iterator

from repository.importers import RecordError

from .reading import Block, UndecodableLine
from .tags import LIST_TAGS, MAPPED_TAGS, Fields, SourceRecord, split_top_level

_TAG = re.compile(r"[A-Z][A-Z0-9]\Z")
_MAX_JOINED_LINES = 200


def header_tags(first_line: str) -> list[str] | None:
    """Return the tags of a tab-delimited header row, or None when *first_line* is not one."""
    if "\t" not in first_line:
        return None
    tags = [cell.strip() for cell in first_line.lstrip("\ufeff").split("\t")]
    while tags and not tags[-1]:
        tags.pop()
    if len(tags) < 3 or not all(_TAG.match(tag) for tag in tags):
        return None
    if "TI" not in tags or not ({"UT", "PT"} & set(tags)):
        return None
    return tags


def read_records(file: str, blocks: Iterable[Block]) -> Iterator[SourceRecord | RecordError]:
    """Yield each data row of a tab-delimited export as a SourceRecord, or a RecordError."""
    stream = (line for block in blocks for line in block.lines())
    header = None
    for number, text in stream:
        if text.strip():
            header = header_tags(text)
            break
    if header is None:
        return
    width = len(header)
    tags = [tag for tag in header if tag in MAPPED_TAGS]
    # the cells of the mapped columns, in the order of *tags*: a header has at least two (TI, UT or PT)
    mapped_cells = itemgetter(*(index for index, tag in enumerate(header) if tag in MAPPED_TAGS))
    pending: tuple[int, str] | None = None
    while True:
        if pending is not None:
            (start, text), pending = pending, None
        else:
            try:
                start, text = next(stream)
            except StopIteration:
                return
        if not text.strip():
            continue
        row, bad = [text], isinstance(text, UndecodableLine)
        while True:
            cells = _cells("\n".join(row), width)
            if cells is not None or len(row) >= _MAX_JOINED_LINES:
                break
            try:
                number, following = next(stream)
            except StopIteration:
                break
            if _overflows("\n".join(row), following, width):
                pending = (number, following)
                break
            row.append(following)
            bad = bad or isinstance(following, UndecodableLine)
        joined = "\n".join(row)
        if cells is None and pending is not None and joined.count("\t") + 1 < width:
            # the next line starts a row: this one stops after its last non-empty field
            cells = joined.split("\t")
            cells += [""] * (width - len(cells))
        if bad:
            yield RecordError(file, start, "bytes are not valid UTF-8 (the file mixes encodings)")
        elif cells is None:
            count = len(joined.split("\t"))
            reason = (f"truncated row ({count} of {width} fields)" if count < width
                      else f"row has {count} fields, the header has {width}")
            yield RecordError(file, start, reason)
        else:
            yield SourceRecord(start, _fields(tags, mapped_cells(cells)), joined)


def _cells(text: str, width: int) -> list[str] | None:
    cells = text.split("\t")
    if _fits(cells, width):
        return cells
    if '"' in text:
        try:
            quoted = next(csv.reader([text], delimiter="\t", quotechar='"', strict=True))
        except (csv.Error, StopIteration):
            return None
        if _fits(quoted, width):
            return quoted
    return None


def _fits(cells: list[str], width: int) -> bool:
    return len(cells) >= width and not any(cell.strip() for cell in cells[width:])


def _overflows(text: str, following: str, width: int) -> bool:
    """True when joining *following* to the short row *text* would give more fields than the header:
    *following* then starts a new row and the short row is broken."""
    joined = text.count("\t") + following.count("\t") + 1
    return joined > width and any(cell.strip() for cell in f"{text}\n{following}".split("\t")[width:])


def _fields(tags: list[str], cells: tuple[str, ...]) -> Fields:
    """The fields of one row, from the *cells* of the columns of *tags* (the ones the mapping reads)."""
    fields: Fields = {tag: value for tag, value in zip(tags, map(str.strip, cells)) if value}
    for tag in LIST_TAGS.intersection(fields):
        value = fields[tag]
        if tag == "C1":
            fields[tag] = split_top_level(value)
        else:
            fields[tag] = [item.strip() for item in value.split(";") if item.strip()]
    return fields
