"""Reading dictionary files: CSV (UTF-8 or GB18030, as HR offices export them) and XLSX, with a column mapping.

A row is a dict keyed by the template's column names; the mapping renames a file's own headers
(``{"name_zh": "姓名", "staff_id": "工号"}``) so other layouts load without editing the file.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

#: The standard templates (issue #7's interface); other columns are optional.
ORG_COLUMNS = ("id", "parent_id", "type", "name_zh", "name_en", "aliases", "former_names", "valid_from", "valid_to",
               "merged_into")
PEOPLE_COLUMNS = ("staff_id", "name_zh", "name_en", "name_variants", "unit_id", "email", "orcid")
#: Columns a file may add to the templates.
ORG_OPTIONAL = ("acronyms", "city", "country")
PEOPLE_OPTIONAL = ("researcher_id", "kind", "role", "valid_from", "valid_to")


class TableError(ValueError):
    """A dictionary file that cannot be read at all (message names the file and the reason)."""


@dataclass(frozen=True)
class Row:
    """One data row: where it came from and its values by template column."""

    file: str
    line: int
    values: dict[str, str]

    def where(self) -> str:
        return f"{self.file}:{self.line}"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError(f"{path}: neither UTF-8 nor GB18030 text")
    reader = csv.reader(io.StringIO(text, newline=""))
    for cells in reader:
        yield reader.line_num, [cell.strip() for cell in cells]


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise TableError(f"{path}: not a readable XLSX workbook ({exc})") from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise TableError(f"{path}: no sheet named {sheet!r} (sheets: {', '.join(book.sheetnames)})")
        worksheet = book[sheet] if sheet else book.worksheets[0]
        for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(cell) for cell in cells]
    finally:
        book.close()


def read_rows(path: str | Path, columns: tuple[str, ...], optional: tuple[str, ...] = (),
              mapping: dict[str, str] | None = None, sheet: str | None = None) -> list[Row]:
    """Every non-empty data row of a CSV or XLSX file, keyed by template column.

    :param columns: the template's columns; each must be present (under its own name or the mapped one).
    :param mapping: template column -> the file's header for that column.
    :raises TableError: unreadable file, unknown format, or missing columns.
    """
    path = Path(path)
    if not path.is_file():
        raise TableError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        rows = _xlsx_rows(path, sheet)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(path)
    else:
        raise TableError(f"{path}: unknown dictionary format {suffix or '(none)'}; use .csv or .xlsx")
    mapping = mapping or {}
    unknown = set(mapping) - set(columns) - set(optional)
    if unknown:
        raise TableError(f"{path}: the column mapping names unknown template columns: {', '.join(sorted(unknown))}")
    header_line, header = next(((n, cells) for n, cells in rows if any(cells)), (0, []))
    position = {name.strip().lstrip("\ufeff"): i for i, name in enumerate(header) if name}
    where = {}
    for column in columns + optional:
        name = mapping.get(column, column)
        if name in position:
            where[column] = position[name]
        elif column in columns:
            raise TableError(f"{path}:{header_line or 1}: missing column {name!r}"
                             + (f" (for {column})" if name != column else ""))
    result = []
    for number, cells in rows:
        if not any(cells):
            continue
        values = {column: (cells[i] if i < len(cells) else "") for column, i in where.items()}
        result.append(Row(str(path), number, values))
    return result


def write_rows(path: str | Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    """Write *rows* (dicts by column) to a CSV (UTF-8 with BOM, so spreadsheet programs read it) or XLSX file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(list(columns))
        for row in rows:
            sheet.append([row.get(column, "") for column in columns])
        book.save(path)
    elif suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    else:
        raise TableError(f"{path}: unknown dictionary format {suffix or '(none)'}; use .csv or .xlsx")
