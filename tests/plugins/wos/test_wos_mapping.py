"""Field mapping on small hand-made fixtures, one per oddity of the WoS formats."""
from __future__ import annotations

from pathlib import Path

import pytest

from repository.schemas.import_record import validate_import_record

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def modern(run):
    records, errors = run(FIXTURES / "modern_clarivate.txt")
    assert errors == []
    return [r.data for r in records]


def test_all_fixture_records_validate(run):
    for name in ("modern_clarivate.txt", "old_thomson.isi", "fragment.txt", "zoorec.txt", "tabdelimited_small.txt"):
        records, errors = run(FIXTURES / name)
        assert errors == [] and records
        for record in records:
            assert validate_import_record(record.data)[1] == []


def test_identity_and_type(modern):
    review, paper = modern
    assert review["source"] == "wos" and review["source_id"] == "WOS:000600000000001"
    assert review["identifiers"] == {"wos_ut": "WOS:000600000000001", "pmid": "33000001"}
    assert review["type"] == "review"  # "Review; Early Access"
    assert paper["type"] == "conference_paper"
    assert review["title"] == "Graphene oxide membranes for water desalination: a review"


def test_authors_full_and_short_names_in_order(modern):
    authors = modern[0]["authors"]
    assert [a["name"] for a in authors] == ["Wang, Xiao-Ming", "Li, Yan", "Smith, John R., Jr.", "Li, Ying"]
    assert [a["name_short"] for a in authors] == ["Wang, XM", "Li, Y", "Smith, JR", "Li, Y"]
    assert [a["position"] for a in authors] == [1, 2, 3, 4]


def test_c1_brackets_link_authors_even_with_same_short_name(modern):
    record = modern[0]
    assert [a["raw"] for a in record["affiliations"]] == [
        "Tsinghua Univ, Sch Environm, Beijing 100084, Peoples R China",  # wrapped over two lines
        "Univ Michigan, Dept Chem, Ann Arbor, MI 48109 USA",
        "Zhejiang Univ, Coll Chem, Hangzhou 310027, Peoples R China",
    ]
    assert [a["country"] for a in record["affiliations"]] == ["China", "USA", "China"]
    assert [a["affiliations"] for a in record["authors"]] == [[0], [0], [1], [2]]


def test_several_corresponding_authors_new_form(modern):
    assert [a["is_corresponding"] for a in modern[0]["authors"]] == [True, False, True, False]


def test_orcid_researcher_id_and_email_go_to_the_right_author(modern):
    wang, li_yan, smith, li_ying = modern[0]["authors"]
    assert (wang["orcid"], wang["researcher_id"], wang["email"]) == (
        "0000-0002-1825-0097", "AAB-1234-2020", "wangxm@tsinghua.edu.cn")
    # "Smith, John\n   R./0000-..." wraps inside the name
    assert (smith["orcid"], smith["researcher_id"], smith["email"]) == (
        "0000-0001-5109-3700", "C-5678-2012", "jrsmith@umich.edu")
    assert li_ying["orcid"] is None  # 0000-0000-0000-0000 fails the checksum: dropped
    assert li_yan["email"] is None and li_ying["email"] is None  # "not-an-email" dropped


def test_keywords_subjects_funding(modern):
    record = modern[0]
    assert {(k["term"], k["scheme"]) for k in record["keywords"]} == {
        ("graphene oxide", "author"), ("desalination", "author"), ("[GO] membranes", "author"),
        ("NANOFILTRATION", "keywords_plus"), ("TRANSPORT", "keywords_plus")}
    assert {(s["term"], s["scheme"]) for s in record["subjects"]} == {
        ("Engineering, Chemical", "wos_category"), ("Polymer Science", "wos_category"),
        ("Engineering", "wos_research_area"), ("Polymer Science", "wos_research_area")}
    assert record["funding"] == [
        {"funder": "National Natural Science Foundation of China", "grants": ["21978151", "22078173"]},
        {"funder": "Ministry of Science and Technology", "grants": ["2019YFA0705400"]},
        {"funder": "Tsinghua University", "grants": []},
    ]
    assert record["funding_text"] == "This work was supported by NSFC."


def test_venue_dates_numbers_and_doi(modern):
    record = modern[0]
    assert record["venue"] == {"title": "JOURNAL OF MEMBRANE SCIENCE", "abbrev": "J MEMBRANE SCI",
                               "issn": "0376-7388", "eissn": "1873-3123", "isbn": None, "publisher": "ELSEVIER"}
    assert (record["year"], record["published"], record["early_access"]) == (2021, "2021-01-15", "2020-09")
    assert (record["volume"], record["article_number"]) == ("618", "118707")
    assert record["doi"] == "10.1016/j.memsci.2020.118707"
    assert record["language"] == "zh"
    assert record["cited_by"] == {"wos": 12, "wos_all": 15}
    assert record["indexed_in"] == ["SCIE"]
    assert record["abstract"] == "First line of the abstract and its continuation."
    assert record["raw"].startswith("PT J\nAU Wang, XM\n") and record["raw"].endswith("\nER")


def test_invalid_identifiers_are_dropped_not_fatal(modern):
    paper = modern[1]
    assert "doi" not in paper
    assert paper["venue"]["issn"] is None and paper["venue"]["isbn"] is None
    assert paper["published"] == "2019"  # "FAL": a season keeps the year only
    assert paper["pages"] == "101-105"
    assert paper["indexed_in"] == ["CPCI-S"]
    assert paper["conference"] == {"name": "5th International Conference on Something (ICS)",
                                   "location": "Shanghai, PEOPLES R CHINA", "date": "OCT 12-14, 2019",
                                   "sponsor": "IEEE"}


def test_old_thomson_export_without_brackets(run):
    records, errors = run(FIXTURES / "old_thomson.isi")
    assert errors == []
    first, second = (r.data for r in records)
    assert [a["affiliations"] for a in first["authors"]] == [[], []]
    assert len(first["affiliations"]) == 2
    assert first["authors"][0]["is_corresponding"] and not first["authors"][1]["is_corresponding"]
    # the only address in EM goes to the only corresponding author
    assert first["authors"][0]["email"] == "jdos@umich.edu"
    # "Powell, Walter/B-..." matches the AU-style "POWELL, WW"
    assert first["authors"][1]["researcher_id"] == "B-5991-2008"
    assert first["published"] == "1974" and first["issue"] == "1 Suppl. 2" and first["pages"] == "5"
    # RP without "(reprint author)"; PD "FEB 30" is not a day: month only; "Note" is an article
    assert second["authors"][0]["is_corresponding"] is True
    assert second["published"] == "1990-02"
    assert second["type"] == "journal_article" and second["language"] == "fr"


def test_fragment_without_header(run):
    records, errors = run(FIXTURES / "fragment.txt")
    assert errors == [] and len(records) == 1
    record = records[0].data
    assert record["type"] == "letter" and record["published"] == "2010-01"
    assert records[0].line == 1


def test_zoological_record_name_address_form(run):
    records, errors = run(FIXTURES / "zoorec.txt")
    assert errors == []
    record = records[0].data
    assert record["source_id"] == "ZOOREC:ZOOR15512090342"
    stillman, siegel = record["authors"]
    assert stillman["name"] == "Stillman, Andrew N." and stillman["email"] == "andrew.stillman@uconn.edu"
    assert record["affiliations"][0]["raw"] == "Univ Connecticut, Ecol & Evolutionary Biol, Storrs, CT, 06269, USA, USA"
    assert (stillman["affiliations"], siegel["affiliations"]) == ([0], [1])
    assert siegel["orcid"] == "0000-0002-1825-0097"
    assert record["published"] == "2019-08-01" and record["pages"] == "duz039"
    assert record["keywords"][0] == {"term": "Picoides arcticus [Habitat / nest sites]", "scheme": "zoorec_descriptor"}


def test_tab_delimited_fixture(run):
    records, errors = run(FIXTURES / "tabdelimited_small.txt")
    assert errors == []
    article, book = (r.data for r in records)
    assert [r.line for r in records] == [2, 3]
    assert article["indexed_in"] == ["SCIE", "SSCI"]
    assert article["authors"][0]["orcid"] == "0000-0001-8584-1041"
    assert [a["affiliations"] for a in article["authors"]] == [[0], [1]]
    assert book["type"] == "book" and book["title"] == 'A "quoted" book title'
    assert book["venue"]["isbn"] == "9783161484100" and book["identifiers"]["isbn"] == "9783161484100"
