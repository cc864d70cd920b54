"""Bad input: clear ``file:line: reason`` errors, and the good records still come through."""
from __future__ import annotations

from pathlib import Path

import codecs

import pytest

from repository.importers import ImporterError

FIXTURES = Path(__file__).parent / "fixtures"

GOOD = "PT J\nAU Doe, J\nTI A good record\nSO J\nPY 2020\nUT WOS:000000000000001\nER\n\n"


def test_truncated_record_at_end_of_file(tmp_path, run):
    path = tmp_path / "truncated.txt"
    path.write_text("FN Clarivate Web of Science\nVR 1.0\n" + GOOD + "PT J\nAU Roe, R\nTI Cut off\n", "utf-8")
    records, errors = run(path)
    assert len(records) == 1
    assert [str(e) for e in errors] == [f"{path}:11: truncated record (no ER before end of file)"]


def test_record_without_er_before_the_next_one(tmp_path, run):
    path = tmp_path / "noer.txt"
    path.write_text("FN x\nPT J\nTI No end\nUT WOS:9\n" + GOOD + "EF\n", "utf-8")
    records, errors = run(path)
    assert len(records) == 1
    assert [(e.line, e.reason, e.source_id) for e in errors] == [(2, "truncated record (no ER before line 5)", "WOS:9")]


def test_record_without_ut_and_without_title(tmp_path, run):
    path = tmp_path / "nout.txt"
    path.write_text("FN x\nVR 1.0\nPT J\nTI No UT here\nER\n" + GOOD + "PT J\nUT WOS:2\nER\nEF\n", "utf-8")
    records, errors = run(path)
    assert [r.data["title"] for r in records] == ["A good record"]
    assert [str(e) for e in errors] == [f"{path}:3: record without UT", f"{path}:14: record without title (TI)"]


def test_file_mixing_utf8_and_gbk(tmp_path, run):
    path = tmp_path / "mixed.txt"
    bad = "PT J\nTI 中文标题\nUT WOS:000000000000002\nER\n".encode("gbk")
    path.write_bytes(codecs.BOM_UTF8 + b"FN x\n" + GOOD.encode() + bad + GOOD.replace("0001", "0003").encode())
    records, errors = run(path)
    assert [r.data["source_id"] for r in records] == ["WOS:000000000000001", "WOS:000000000000003"]
    assert len(errors) == 1
    assert errors[0].line == 10 and "line 11: bytes are not valid UTF-8" in errors[0].reason


def test_tab_file_with_an_undecodable_row(tmp_path, run):
    text = (FIXTURES / "tabdelimited_small.txt").read_bytes()
    header, first, second, _ = text.split(b"\n")
    path = tmp_path / "mixedtab.txt"
    path.write_bytes(b"\n".join([header, first.replace(b"An abstract.", "中文".encode("gbk")), second, b""]))
    records, errors = run(path)
    assert len(records) == 1 and [e.line for e in errors] == [2]
    assert "not valid UTF-8" in errors[0].reason


def test_utf16_file_that_stops_decoding(tmp_path, run):
    path = tmp_path / "utf16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + ("FN x\n" + GOOD).encode("utf-16-le") + b"\x00\xd8\x41\x00")
    with pytest.raises(ImporterError) as info:
        run(path)
    assert "UTF-16-LE" in info.value.reason


def test_tab_row_with_wrong_field_count(tmp_path, run):
    header, first, second = (FIXTURES / "tabdelimited_small.txt").read_text("utf-8").rstrip("\n").split("\n")
    path = tmp_path / "short.txt"
    too_long = first + "\textra\tcells"
    path.write_text("\n".join([header, "J\tshort row", too_long, first, second[:40]]) + "\n", "utf-8")
    records, errors = run(path)
    assert len(records) == 1
    assert [(e.line, e.reason) for e in errors] == [
        (2, "record without UT"),  # a short row is padded: its fields are missing
        (3, "row has 42 fields, the header has 39"),
        (5, "truncated row (4 of 39 fields)"),
    ]


def test_text_outside_records_is_reported(tmp_path, run):
    path = tmp_path / "stray.txt"
    path.write_text("FN x\nsome junk\nmore junk\n" + GOOD + "EF\n", "utf-8")
    records, errors = run(path)
    assert len(records) == 1
    assert [(e.line, e.reason) for e in errors] == [(2, "text outside any record (expected a PT line) was skipped")]


@pytest.mark.parametrize("content,reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
    (b"\x1f\x8b\x08\x08\xfe\xff\xff\xff", "not UTF-8 text"),
    (b"", "empty file"),
    ("{Reference Type}: Journal Article\n{Title}: 知识图谱\n".encode(), "not a Web of Science export"),
    (b"TY  - JOUR\nAU  - Doe, J\nER  - \n", "not a Web of Science export"),
])
def test_files_that_are_not_wos(tmp_path, run, importer, content, reason):
    path = tmp_path / "other.bin"
    path.write_bytes(content)
    assert importer.sniff(str(path), content) is False
    with pytest.raises(ImporterError) as info:
        run(path)
    assert reason in info.value.reason
    assert str(info.value).startswith(f"{path}:")


def test_missing_file(tmp_path, run):
    with pytest.raises(ImporterError, match="cannot read"):
        run(tmp_path / "absent.txt")
