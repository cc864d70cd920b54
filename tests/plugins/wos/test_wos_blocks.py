"""The block reader: records, errors and line numbers do not depend on where the file's reads end."""
from __future__ import annotations

import ast
import codecs
import re
from pathlib import Path

import pytest

from plugins.wos_import import mapping, reading
from plugins.wos_import.tags import MAPPED_TAGS

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = "PT J\nAU Doe, J\nTI A good record\nSO J\nPY 2020\nUT WOS:000000000000001\nER\n\n"


def _outcome(run, path):
    records, errors = run(path)
    return [(r.line, r.data) for r in records], [(e.line, e.reason, e.source_id) for e in errors]


@pytest.mark.parametrize("name", ["modern_clarivate.txt", "old_thomson.isi", "zoorec.txt", "tabdelimited_small.txt"])
@pytest.mark.parametrize("chunk", [1, 2, 3, 17, 200])
def test_reads_of_any_size_give_the_same_records(run, monkeypatch, name, chunk):
    expected = _outcome(run, FIXTURES / name)
    monkeypatch.setattr(reading, "_CHUNK", chunk)
    assert _outcome(run, FIXTURES / name) == expected


@pytest.mark.parametrize("chunk", [1, 5, 64, 1 << 20])
def test_errors_keep_their_lines_across_reads(tmp_path, run, monkeypatch, chunk):
    monkeypatch.setattr(reading, "_CHUNK", chunk)
    bad = "PT J\nTI 中文标题\nUT WOS:000000000000002\nER\n".encode("gbk")
    path = tmp_path / "mixed.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"FN x\njunk\n" + GOOD.encode() + bad + b"PT J\nUT WOS:3\nPT J\n"
                     + GOOD.replace("0001", "0004").encode() + b"EF\nPT J\nUT WOS:5\n")
    records, errors = run(path)
    assert [(r.line, r.data["source_id"]) for r in records] == [(3, "WOS:000000000000001"), (18, "WOS:000000000000004")]
    assert [(e.line, e.reason, e.source_id) for e in errors] == [
        (2, "text outside any record (expected a PT line) was skipped", None),
        (11, "line 12: bytes are not valid UTF-8 (the file mixes encodings)", "WOS:000000000000002"),
        (15, "truncated record (no ER before line 17)", "WOS:3"),
        (17, "truncated record (no ER before line 18)", None),
        (27, "truncated record (no ER before end of file)", "WOS:5"),
    ]


def test_a_record_split_over_many_reads_keeps_its_raw_text(tmp_path, run, monkeypatch):
    monkeypatch.setattr(reading, "_CHUNK", 3)
    path = tmp_path / "crlf.txt"
    path.write_bytes(("FN x\r\n" + GOOD + "EF").replace("\n", "\r\n").encode())
    records, errors = run(path)
    assert errors == []
    assert records[0].data["raw"] == GOOD.rstrip("\n")


def test_the_readers_keep_every_tag_the_mapping_reads():
    tree = ast.parse(Path(mapping.__file__).read_text(encoding="utf-8"))
    tags = {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch("[A-Z][A-Z0-9]", node.value)}
    assert "AF" in tags and "Z9" in tags
    assert tags <= MAPPED_TAGS, sorted(tags - MAPPED_TAGS)
