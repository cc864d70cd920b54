"""importkit.workbook: recognising workbooks by their bytes and reading cells as Excel shows them."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from repository.importkit.workbook import XLS, XLSX, cell_text, iter_rows, workbook_kind


@pytest.mark.parametrize("value,text", [
    (None, ""), ("题名", "题名"), (2019, "2019"), (2019.0, "2019"), (1.5, "1.5"), (True, "TRUE"),
    (dt.datetime(2021, 1, 15), "2021-01-15"), (dt.datetime(2021, 1, 15, 16, 54), "2021-01-15 16:54:00"),
    (dt.date(2021, 1, 15), "2021-01-15"),
])
def test_cell_text_is_what_excel_shows(value, text):
    assert cell_text(value) == text


def test_workbook_kind_by_magic_bytes(tmp_path):
    path = tmp_path / "renamed.txt"  # the name does not matter
    book = openpyxl.Workbook()
    book.active.append(["a"])
    book.save(path)
    assert workbook_kind(path.read_bytes()[:8192]) == XLSX
    assert workbook_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == XLS
    assert workbook_kind(b"PK\x03\x04" + b"word/document.xml") is None  # a .docx is a zip too
    assert workbook_kind("%0 Journal Article\n".encode()) is None


def test_rows_keep_excel_row_numbers_across_empty_rows(tmp_path):
    path = tmp_path / "rows.xlsx"
    book = openpyxl.Workbook()
    book.active["A2"] = "second"
    book.active["B5"] = 5
    book.save(path)
    rows = list(iter_rows(str(path), XLSX))
    assert [(number, cells) for number, cells in rows if any(cells)] == [(2, ["second", ""]), (5, ["", "5"])]
