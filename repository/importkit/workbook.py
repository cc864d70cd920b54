"""Excel workbooks as record tables: .xlsx read with openpyxl, .xls with xlrd, one row per record.

Databases export "题录" lists as a workbook whose first sheet has a header row of field labels and then one
record per row; some save the same table as HTML under a .xls name (``htmltable``). ``workbook_kind``
recognises the file by its bytes (never by its name), ``read_table`` streams the first sheet (or the HTML
table rows) as ``(row number, [cell text])`` and ``LabelledTable`` is the format: it finds the header row,
turns each later row into a ``TaggedRecord`` whose tags are the labels the importer knows, and keeps every
non-empty cell in the record's raw text as ``label: value`` lines.

Cells become text the way the user sees them: a whole number without ".0" (a year or a volume is typed
as a number in Excel), a date as ISO ``YYYY-MM-DD``. A workbook that cannot be opened or read raises
``ImporterError`` ("damaged or unreadable workbook").
"""
from __future__ import annotations

import datetime as dt
import io
import warnings
from contextlib import closing
from dataclasses import dataclass
from itertools import islice
from typing import Callable, Iterable, Iterator

from repository.importers import ImporterError

from .fields import FieldValues
from .htmltable import SNIFF_BYTES, head_rows, html_encoding, is_html, iter_html_rows
from .tagged import TRUNCATED, TaggedRecord, neutral_values
from .textfile import read_head

XLSX, XLS, HTML = "xlsx", "xls", "html"
#: How errors name each kind of table file.
TABLE_NAMES = {XLSX: ".xlsx workbook", XLS: ".xls workbook", HTML: "HTML file"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file signature of .xls (BIFF8)
_ZIP = b"PK\x03\x04"
#: The header row must be among the first rows (a title row or a blank row may come before it).
HEADER_ROWS = 10

#: A row number and its cells; ``None`` for cells when the file ends inside the row (HTML only).
Row = tuple[int, "list[str] | None"]


def workbook_kind(head: bytes) -> str | None:
    """``"xlsx"`` or ``"xls"`` when *head* (a file's first bytes) opens an Excel workbook, ``"html"`` when it
    starts an HTML document (an "Excel" download that is really a web page table), else None."""
    if head.startswith(_OLE2):
        return XLS
    if head.startswith(_ZIP) and (b"xl/" in head or b"[Content_Types].xml" in head):
        return XLSX
    if is_html(head):
        return HTML
    return None


def cell_text(value) -> str:
    """A cell's value as the text Excel shows: "" for empty, 2021.0 -> "2021", a date -> ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _unreadable(location: str, kind: str, exc: Exception) -> ImporterError:
    detail = str(exc).strip() or type(exc).__name__
    return ImporterError(location, f"damaged or unreadable .{kind} workbook ({detail})")


def _xlsx_rows(location: str) -> Iterator[Row]:
    import openpyxl  # imported on first use: most imports are text files

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "no default style": harmless for reading values
            book = openpyxl.load_workbook(location, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged zip or XML fails in many ways inside openpyxl
        raise _unreadable(location, XLSX, exc) from exc
    try:
        if not book.worksheets:
            return
        rows = book.worksheets[0].iter_rows(min_row=1, values_only=True)
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # noqa: BLE001 - as above, for a sheet damaged after its start
                raise _unreadable(location, XLSX, exc) from exc
            number += 1
            yield number, [cell_text(value) for value in values]
    finally:
        book.close()


def _xls_rows(location: str) -> Iterator[Row]:
    import xlrd  # imported on first use, as openpyxl

    def text(cell, datemode: int) -> str:
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return cell_text(xlrd.xldate_as_datetime(cell.value, datemode))
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return cell_text(cell.value)
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return cell_text(bool(cell.value))
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
            return ""
        return cell_text(cell.value)

    try:
        # xlrd prints its warnings about damaged files to stdout, where `zhiku import --dry-run` writes records.
        book = xlrd.open_workbook(location, on_demand=True, logfile=io.StringIO())
        sheet = book.sheet_by_index(0) if book.nsheets else None
    except Exception as exc:  # noqa: BLE001 - xlrd reports damaged compound files with many exception types
        raise _unreadable(location, XLS, exc) from exc
    try:
        for index in range(sheet.nrows if sheet is not None else 0):
            yield index + 1, [text(cell, book.datemode) for cell in sheet.row(index)]
    finally:
        book.release_resources()


def iter_rows(location: str, kind: str) -> Iterator[Row]:
    """The rows of the first sheet of the *kind* workbook at *location*, numbered from 1 as Excel does."""
    return _xlsx_rows(location) if kind == XLSX else _xls_rows(location)


def first_rows(location: str, kind: str) -> list[Row]:
    """The first ``HEADER_ROWS`` rows of the *kind* table file at *location*, to recognise its format: read
    from the workbook, or from the first bytes of an HTML file decoded leniently (its size, encoding and
    depth are checked by ``read_table``, whose errors say precisely what is wrong)."""
    if kind == HTML:
        return head_rows(location, read_head(location, SNIFF_BYTES), HEADER_ROWS)
    with closing(iter_rows(location, kind)) as rows:
        return list(islice(rows, HEADER_ROWS))


def read_table(location: str, kind: str) -> tuple[Iterator[Row], dict]:
    """The rows of the *kind* table file at *location* (``workbook_kind``) and how it was read, for the
    records' provenance: ``{"workbook": kind}``, with the verified ``encoding`` of an HTML table."""
    if kind == HTML:
        encoding = html_encoding(location)
        return iter_html_rows(location, encoding), {"workbook": HTML, "encoding": encoding.name}
    return iter_rows(location, kind), {"workbook": kind}


@dataclass(frozen=True)
class LabelledTable:
    """A table format: a header row of labels, then one record per row.

    ``label_tag(label)`` gives the tag a header label stands for, or None for a column the importer does
    not read; a row is the header when at least ``min_labels`` of its cells have a tag. ``keys`` maps
    tags to the mapping's neutral keys, as in ``tagged.TagFormat``. A later row equal to the header (two
    exports pasted into one sheet) is skipped; so are empty rows.
    """

    name: str
    label_tag: Callable[[str], "str | None"]
    keys: dict
    min_labels: int = 3
    check: Callable[[TaggedRecord], "str | None"] | None = None

    def is_header(self, cells: list[str] | None) -> bool:
        """True when *cells* are a header row of this format."""
        return cells is not None and \
            sum(1 for cell in cells if cell.strip() and self.label_tag(cell.strip())) >= self.min_labels

    def looks_like(self, rows: list[Row]) -> bool:
        """True when one of the first rows is a header row of this format."""
        return any(self.is_header(cells) for _, cells in rows[:HEADER_ROWS])

    def records(self, rows: Iterable[Row]) -> Iterator[TaggedRecord]:
        """One record per non-empty row after the header row; a row the file ends inside is a record with
        the ``truncated`` error."""
        header: list[str] | None = None
        tags: list[str | None] = []
        for number, cells in rows:
            if header is None:
                if number <= HEADER_ROWS and self.is_header(cells):
                    header = [cell.strip() for cell in cells]
                    tags = [self.label_tag(label) if label else None for label in header]
                continue
            if cells is None:
                yield TaggedRecord(number, error=TRUNCATED)
                continue
            if not any(cell.strip() for cell in cells) or [cell.strip() for cell in cells] == header:
                continue
            record = TaggedRecord(number)
            for label, tag, value in zip(header, tags, cells):
                if not value.strip():
                    continue
                record.raw_lines.append(f"{label}: {value}")
                if tag is not None:
                    record.fields.append((tag, value.strip()))
            yield record

    def neutral(self, record: TaggedRecord) -> FieldValues:
        """The record's values grouped by neutral key (see ``tagged.TagFormat.neutral``)."""
        return neutral_values(record, self.keys)
