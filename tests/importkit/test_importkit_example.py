"""The import kit as a plugin author uses it: the RIS importer of docs/plugins.md, built from the kit only."""
from __future__ import annotations

import re

import pytest

from repository.importers import ImporterError, ParsedRecord, RecordError
from repository.importkit.driver import parse_file, sniff_format
from repository.importkit.fields import compact, fingerprint, year_of
from repository.importkit.tagged import TagFormat
from repository.schemas.import_record import validate_import_record

_TAG = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")
RIS = TagFormat("ris", lambda line: (m.group(1), m.group(2).strip()) if (m := _TAG.match(line)) else None,
                start_tags=("TY",), keys={"TI": "title", "AU": "author", "PY": "year"}, closing_tags=("ER",))


def build(fmt, record):
    fields = fmt.neutral(record)
    title, authors = fields.first("title"), fields.get("author", [])
    year = year_of(fields.first("year"))
    kind = "journal_article" if record.first("TY") == "JOUR" else "other"
    return compact({"source": "ris", "type": kind, "title": title, "year": year, "raw": record.raw,
                    "source_id": fingerprint(title, authors[0] if authors else None, year, None),
                    "authors": [{"name": name} for name in authors]})


def parse(path):
    return list(parse_file(str(path), (RIS,), build, "a RIS"))


RIS_TEXT = ("TY  - JOUR\r\nTI  - 基于深度学习的\r\n  催化剂研究\r\nAU  - 王伟\r\nAU  - Li, Ming\r\nPY  - 2021\r\n"
            "ER  - \r\n\r\n"
            "TY  - JOUR\r\nAU  - 张三\r\nPY  - 2020\r\nER  - \r\n\r\n"
            "TY  - CHAP\r\nTI  - Cut short\r\nAU  - 赵六")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_ris_example_reads_every_encoding_with_lines_and_errors(tmp_path, encoding):
    path = tmp_path / "export.ris"
    path.write_bytes(RIS_TEXT.encode(encoding))
    assert sniff_format((RIS,), path.read_bytes()[:8192]) is RIS
    items = parse(path)
    assert [type(item) for item in items] == [ParsedRecord, RecordError, RecordError]
    first = items[0]
    assert (first.line, first.data["title"], first.data["year"]) == (1, "基于深度学习的催化剂研究", 2021)
    assert [a["name"] for a in first.data["authors"]] == ["王伟", "Li, Ming"]
    assert first.data["raw"].splitlines()[2] == "  催化剂研究"
    assert validate_import_record(first.data)[1] == []
    assert [str(error) for error in items[1:]] == [f"{path}:9: record has no title",
                                                   f"{path}:14: truncated record (the file ends inside it)"]


def test_ris_example_refuses_a_file_of_another_format(tmp_path):
    path = tmp_path / "other.txt"
    path.write_text("%0 Journal Article\n%T x\n", encoding="utf-8")
    assert sniff_format((RIS,), path.read_bytes()) is None
    with pytest.raises(ImporterError, match=r"other.txt:1: not a RIS export: no record start in the first 40"):
        parse(path)
