"""Every real WoS export in ../shared/corpora/wos parses completely, and every record validates."""
from __future__ import annotations

import pytest

from repository.schemas.import_record import validate_import_record

# record counts as given in shared/corpora/SOURCES.md (the files' own ER count or data rows)
EXPECTED = {
    "wosfile_wos_plaintext.txt": 50,
    "wosfile_wos_tab_delimited_win_utf16.txt": 50,
    "wosfile_wos_tab_delimited_win_utf8.txt": 50,
    "metaknowledge_savedrecs.txt": 32,
    "metaknowledge_OnePaper2.isi": 1,
    "metaknowledge_TwoPaper.isi": 2,
    "wostools_data_38d4074e.txt": 216,
    "wostools_single-article.txt": 1,
    "mrhelper_demo_wos_202101.txt": 10,
    "cl4es_WoS_other_reference_software_r4001-4012.txt": 12,
    "litsearchr_zoorec.txt": 134,
    "litsearchr_WoS_corecollection_tab.txt": 163,
    "litsearchr_biosis_tab.txt": 212,
}


@pytest.fixture(scope="module")
def wos_dir(shared_corpora):
    return shared_corpora / "wos"


def test_every_corpus_file_is_listed(wos_dir):
    assert sorted(p.name for p in wos_dir.iterdir() if p.is_file()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_parses_completely_and_validates(wos_dir, run, importer, name):
    path = wos_dir / name
    assert importer.sniff(str(path), path.read_bytes()[:4096])
    records, errors = run(path)
    assert errors == []
    assert len(records) == EXPECTED[name]
    ids = [r.data["source_id"] for r in records]
    assert len(set(ids)) == len(ids)
    for record in records:
        valid, problems = validate_import_record(record.data)
        assert problems == [], (record.data["source_id"], problems)
        assert record.data["source"] == "wos"
        assert record.data["identifiers"]["wos_ut"] == record.data["source_id"]
        assert record.data["raw"]
        assert record.line >= 1


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_record_lines_point_at_the_record_start(wos_dir, run, name):
    path = wos_dir / name
    raw = path.read_bytes()
    text = raw.decode("utf-16") if raw[:2] == b"\xff\xfe" else raw.decode("utf-8-sig")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    records, _ = run(path)
    for record in records:
        first = lines[record.line - 1]
        assert first.startswith("PT ") or first.startswith(record.data["raw"].split("\n")[0])


def test_plain_text_and_tab_delimited_exports_of_the_same_records_agree(wos_dir, run):
    def by_ut(name):
        return {r.data["source_id"]: {k: v for k, v in r.data.items() if k != "raw"} for r in run(wos_dir / name)[0]}

    plain = by_ut("wosfile_wos_plaintext.txt")
    assert plain == by_ut("wosfile_wos_tab_delimited_win_utf16.txt")
    assert plain == by_ut("wosfile_wos_tab_delimited_win_utf8.txt")


def test_new_form_rp_with_several_corresponding_authors(wos_dir, run):
    records, _ = run(wos_dir / "cl4es_WoS_other_reference_software_r4001-4012.txt")
    several = [r for r in records if sum(a["is_corresponding"] for a in r.data["authors"]) > 1]
    assert several, "the corpus has records with two corresponding authors"
    for record in records:
        assert any(a["is_corresponding"] for a in record.data["authors"])


def test_zoological_record_and_biosis_keep_their_own_ut(wos_dir, run):
    zoo, _ = run(wos_dir / "litsearchr_zoorec.txt")
    biosis, _ = run(wos_dir / "litsearchr_biosis_tab.txt")
    assert all(r.data["source_id"].startswith("ZOOREC:") for r in zoo)
    assert all(r.data["source_id"].startswith("BCI:") for r in biosis)
    first = biosis[0].data
    assert first["authors"][0]["email"] == "morgan.tingley@uconn.edu"
    assert first["authors"][0]["name"] == "Tingley, Morgan W."
    assert first["authors"][0]["affiliations"] == [0]
    assert first["authors"][0]["orcid"] == "0000-0002-1477-2218"


def test_bare_cr_tab_delimited_file(wos_dir, run):
    records, _ = run(wos_dir / "litsearchr_WoS_corecollection_tab.txt")
    first = records[0].data
    assert first["source_id"] == "WOS:000461270600041"
    assert first["authors"][1]["name"] == "Thompson, Frank R., III"
    assert first["authors"][1]["name_short"] == "Thompson, FR"
    assert first["authors"][1]["affiliations"]
    assert first["authors"][0]["is_corresponding"] is True
    assert first["venue"]["issn"] == "0378-1127"
    assert first["published"] == "2019-04-01"
