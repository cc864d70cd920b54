"""Encodings, line endings and row layouts: the same records come out of every variant."""
from __future__ import annotations

from pathlib import Path

import codecs

import pytest

from plugins.wos_import import reading

FIXTURES = Path(__file__).parent / "fixtures"

PLAIN = (FIXTURES / "modern_clarivate.txt").read_text(encoding="utf-8")
TAB = (FIXTURES / "tabdelimited_small.txt").read_text(encoding="utf-8")


def _data(records):
    return [{k: v for k, v in r.data.items() if k != "raw"} for r in records]


def _write(tmp_path, text, encoding, bom=b"", newline="\n"):
    path = tmp_path / "export.txt"
    path.write_bytes(bom + text.replace("\n", newline).encode(encoding))
    return path


VARIANTS = [
    ("utf-8", b"", "\n"),
    ("utf-8", codecs.BOM_UTF8, "\n"),
    ("utf-8", codecs.BOM_UTF8, "\r\n"),
    ("utf-8", codecs.BOM_UTF8, "\r"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "\r\n"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "\n"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "\r"),
    ("utf-16-le", b"", "\r\n"),  # no BOM: told by the NUL pattern
]


@pytest.mark.parametrize("source", [PLAIN, TAB], ids=["plain", "tab"])
@pytest.mark.parametrize("encoding,bom,newline", VARIANTS)
def test_every_encoding_and_line_ending_gives_the_same_records(tmp_path, run, importer, source, encoding, bom,
                                                               newline):
    reference, _ = run(_write(tmp_path, source, "utf-8"))
    path = _write(tmp_path, source, encoding, bom, newline)
    assert importer.sniff(str(path), path.read_bytes()[:512])
    records, errors = run(path)
    assert errors == []
    assert _data(records) == _data(reference)
    assert [r.line for r in records] == [r.line for r in reference]


@pytest.mark.parametrize("chunk", [1, 7])  # 1: a read that is only the LF of a split CRLF is not the end
def test_crlf_split_across_read_chunks(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(reading, "_CHUNK", chunk)
    text = "PT J\r\nUT WOS:1\r\nER\r\n\r\nEF"
    for encoding, bom in (("utf-8", b""), ("utf-16-le", codecs.BOM_UTF16_LE)):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(bom + text.encode(encoding))
        blocks = reading.iter_blocks(str(path), reading.detect_encoding(path.read_bytes()))
        lines = [line for block in blocks for line in block.lines()]
        assert lines == [(1, "PT J"), (2, "UT WOS:1"), (3, "ER"), (4, ""), (5, "EF")]


def test_tab_row_broken_by_a_newline_inside_a_value_is_rejoined(tmp_path, run):
    header, first, second = TAB.rstrip("\n").split("\n")
    broken = first.replace("An abstract.", "An abstract\nwith a line break.")
    path = tmp_path / "broken.txt"
    path.write_text("\n".join([header, broken, second]) + "\n", encoding="utf-8")
    records, errors = run(path)
    assert errors == []
    assert records[0].data["abstract"] == "An abstract with a line break."
    assert [r.line for r in records] == [2, 4]


def test_csv_quoted_tab_rows_from_a_spreadsheet(tmp_path, run):
    header, first, second = TAB.rstrip("\n").split("\n")
    quoted = first.replace("\tAn abstract.\t", '\t"An abstract\twith a tab and ""quotes""."\t')
    path = tmp_path / "quoted.txt"
    path.write_text("\n".join([header, quoted, second]) + "\n", encoding="utf-8")
    records, errors = run(path)
    assert errors == []
    assert records[0].data["abstract"] == 'An abstract with a tab and "quotes".'
    assert len(records) == 2


def test_tab_rows_without_trailing_empty_fields_and_blank_rows(tmp_path, run):
    header, first, second = TAB.rstrip("\n").split("\n")
    path = tmp_path / "notrailing.txt"
    # a row that stops after its last non-empty field (as some tools save it) is padded
    path.write_text(f"{header}\n\n{second.rstrip(chr(9))}\n\n{first}\n\n", encoding="utf-8")
    records, errors = run(path)
    assert errors == []
    assert [r.data["source_id"] for r in records] == ["WOS:000460000000002", "WOS:000460000000001"]
