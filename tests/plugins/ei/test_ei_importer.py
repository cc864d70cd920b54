"""EI Compendex importer: the real citation corpus, labelled text, CSV and bad input."""
from __future__ import annotations

from pathlib import Path

import pytest

from plugins.ei_import import EiImporter, zhiku_importers
from repository.importers import Importer, ImporterError
from tests.importer_checks import parse_with, valid

FIXTURES = Path(__file__).parent / "fixtures"


def parse(path: Path):
    return parse_with(EiImporter(), path)


def test_hook_returns_the_importer():
    [importer] = zhiku_importers()
    assert isinstance(importer, Importer)
    assert (importer.name, importer.label) == ("ei", "EI Compendex")


def test_citation_corpus(shared_corpora):
    path = shared_corpora / "ei" / "lucenedemo_ei_citation_data.txt"
    assert EiImporter().sniff(str(path), path.read_bytes()[:4096])
    records, errors = parse(path)
    assert errors == [] and len(records) == 125  # SOURCES.md: 125 "Database:" lines
    for record in records:
        valid(record)
    first, second = records[0].data, records[1].data
    assert first["title"] == "Modeling the adsorption of CD(II) onto Muloorina illite and related clay minerals"
    assert [a["name"] for a in first["authors"]] == ["Lackovic, Kurt", "Angove, Michael J.", "Wells, John D.",
                                                     "Johnson, Bruce B."]
    assert first["authors"][0]["affiliations"] == [0]
    assert first["affiliations"][0]["raw"].startswith("La Trobe University")
    assert first["venue"]["title"] == "Journal of Colloid and Interface Science"
    assert (first["volume"], first["issue"], first["pages"], first["year"]) == ("257", "1", "31-40", 2003)
    assert second["published"] == "2004-04-15" and records[1].line == 7
    assert records[-1].data["title"] == "Ontology clarification by using semantic disambiguation"
    assert records[-1].data["type"] == "conference_paper"
    assert len({r.data["source_id"] for r in records}) == 125


def test_labelled_text_mapping():
    records, errors = parse(FIXTURES / "ei_labelled.txt")
    assert errors == []
    article, paper = (valid(r) for r in records)
    assert article["source_id"] == article["identifiers"]["ei_accession"] == "20193607389123"
    assert article["identifiers"]["coden"] == "AUCOEZ"
    assert [a["affiliations"] for a in article["authors"]] == [[0], [0, 1], [1]]
    assert article["authors"][0]["is_corresponding"] and article["authors"][0]["email"] == "wangli@dlut.edu.cn"
    assert article["venue"]["issn"] == "0926-5805" and article["venue"]["abbrev"] == "Autom Constr"
    assert {(k["term"], k["scheme"]) for k in article["keywords"]} >= {("Deep learning", "ei_controlled"),
                                                                        ("Crack detection", "ei_uncontrolled")}
    assert [s["term"] for s in article["subjects"]] == ["401.1", "412", "723.4"]
    assert article["abstract"].endswith("Results: accuracy is 95%.")  # "Results:" is not a label
    assert article["funding"] == [{"funder": "National Natural Science Foundation of China", "grants": ["51578001"]}]
    assert article["indexed_in"] == ["EI"] and article["published"] == "2019-09"
    assert paper["type"] == "conference_paper" and paper["conference"]["location"] == "Beijing, China"
    assert paper["venue"]["issn"] is None  # invalid check digit cleaned away
    assert paper["doi"] == "10.1109/pec.2020.1234"


def test_csv_and_labelled_text_give_the_same_records():
    text, _ = parse(FIXTURES / "ei_labelled.txt")
    table, errors = parse(FIXTURES / "ei_export.csv")
    assert errors == [] and [r.line for r in table] == [2, 3]
    strip = lambda records: [{k: v for k, v in r.data.items() if k != "raw"} for r in records]  # noqa: E731
    assert strip(text) == strip(table)


def test_truncated_file():
    records, errors = parse(FIXTURES / "ei_truncated.txt")
    assert len(records) == 1
    assert [(e.line, e.reason) for e in errors] == [(27, "truncated record (the file ends inside it)")]


def test_missing_title_and_truncated_citation(tmp_path):
    path = tmp_path / "cit.txt"
    path.write_text("1. A title\nDoe, J. (Univ) Source: J Test, v 1, p 1-2, 2001\nDatabase: Compendex\n\n"
                    "2. \nDatabase: Compendex\n\n3. Cut short\nRoe, R. Source: J Test, v 2", encoding="utf-8")
    records, errors = parse(path)
    assert [r.data["title"] for r in records] == ["A title"]
    assert [(e.line, e.reason) for e in errors] == [(5, "record has no title"),
                                                    (8, "truncated record (the file ends inside it)")]


def test_citation_fixture_and_sniff_rejects_other_files(tmp_path):
    records, _ = parse(FIXTURES / "ei_citation.txt")
    assert [r.data["authors"][0]["name"] for r in records] == ["Li, Ming", "Stone, D.A."]
    other = tmp_path / "x.txt"
    other.write_text("%0 Journal Article\n%T x\n", encoding="utf-8")
    assert not EiImporter().sniff(str(other), other.read_bytes())
    with pytest.raises(ImporterError, match="not an EI Compendex export"):
        parse(other)
