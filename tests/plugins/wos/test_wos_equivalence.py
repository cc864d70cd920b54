"""Every real export gives the same outcome however it is stored, read and parsed.

The canonical snapshot pins the records of each corpus file as it is on disk; here the same files are
rewritten with other line ends (Windows, old Mac, a mix), in UTF-16, and read in small pieces, and parsed
again after the first outcome was modified in place: the records, their order and key order, their
lines, and the errors with their source ids must not change. The importer keeps small caches of values
that recur across a batch; no cached object may be shared with a record.
"""
from __future__ import annotations

import codecs
import copy
import json

import pytest

from plugins.wos_import import reading
from repository.importers import RecordError

CORPUS_FILES = [
    "cl4es_WoS_other_reference_software_r4001-4012.txt",
    "litsearchr_WoS_corecollection_tab.txt",
    "litsearchr_biosis_tab.txt",
    "litsearchr_zoorec.txt",
    "metaknowledge_OnePaper2.isi",
    "metaknowledge_TwoPaper.isi",
    "metaknowledge_savedrecs.txt",
    "mrhelper_demo_wos_202101.txt",
    "wosfile_wos_plaintext.txt",
    "wosfile_wos_tab_delimited_win_utf16.txt",
    "wosfile_wos_tab_delimited_win_utf8.txt",
    "wostools_data_38d4074e.txt",
    "wostools_single-article.txt",
]


def _outcome(importer, path) -> list:
    """Every item of a parse, records as JSON text (so that key order counts too)."""
    out = []
    for item in importer.parse(str(path)):
        if isinstance(item, RecordError):
            out.append(("error", item.line, item.reason, item.source_id))
        else:
            out.append(("record", item.line, json.dumps(item.data, ensure_ascii=False), item.extra))
    return out


def _text(path) -> str:
    data = path.read_bytes()
    text = data.decode("utf-16") if data.startswith(codecs.BOM_UTF16_LE) else data.decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _mixed_line_ends(text: str) -> str:
    """Windows line ends, with every seventh line ended by a bare CR (a file edited on an old Mac)."""
    lines = text.split("\n")
    return "".join(line + ("\r" if number % 7 == 6 else "\r\n") for number, line in enumerate(lines[:-1])) + lines[-1]


VARIANTS = {
    "lf": lambda text: text.encode("utf-8"),
    "crlf": lambda text: codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"),
    "cr": lambda text: text.replace("\n", "\r").encode("utf-8"),
    "mixed": lambda text: _mixed_line_ends(text).encode("utf-8"),
    "utf-16": lambda text: codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le"),
}


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_line_ends_encodings_and_read_sizes_do_not_change_the_outcome(shared_corpora, tmp_path, monkeypatch,
                                                                     importer, name):
    text = _text(shared_corpora / "wos" / name)
    reference = tmp_path / "reference.txt"
    reference.write_bytes(VARIANTS["lf"](text))
    expected = _outcome(importer, reference)
    assert expected and all(kind == "record" for kind, *_ in expected)
    monkeypatch.setattr(reading, "_CHUNK", 4096)  # every file is read in many pieces
    for variant, encode in VARIANTS.items():
        path = tmp_path / f"{variant}.txt"
        path.write_bytes(encode(text))
        assert _outcome(importer, path) == expected, variant


def test_records_share_nothing_with_each_other_or_the_caches(shared_corpora, importer):
    """Records of a batch repeat journals, addresses and categories: changing one record's values in place
    (as a later stage may) changes no other record, now or in the next batch."""
    path = shared_corpora / "wos" / "wosfile_wos_plaintext.txt"
    first = [item.data for item in importer.parse(str(path))]
    expected = copy.deepcopy(first)

    def scramble(value):
        if isinstance(value, dict):
            for key in value:
                value[key] = scramble(value[key])
            value["scrambled"] = True
        elif isinstance(value, list):
            value[:] = [scramble(item) for item in value] + ["scrambled"]
        return value

    for index, record in enumerate(first):
        scramble(record)
        assert first[index + 1:] == expected[index + 1:]
    assert [item.data for item in importer.parse(str(path))] == expected
