from repository.schemas.import_record import validate_import_record

from tests.factories import record


def test_valid_record_is_normalized():
    data, errors = validate_import_record(record(doi="https://doi.org/10.5555/TEST.0001", year=None,
                                                 published="2023-02-28"))
    assert errors == []
    assert data["doi"] == "10.5555/test.0001"
    assert data["year"] == 2023
    assert [a["position"] for a in data["authors"]] == [1, 2]
    assert data["venue"]["issn"] == "0021-9517"


def test_errors_name_the_field_with_a_dotted_path():
    bad = record()
    bad["authors"][1]["email"] = "not-an-email"
    _, errors = validate_import_record(bad)
    assert errors == ["authors.1.email: Not a valid email address."]


def test_missing_title_and_unknown_type():
    bad = record(type="poem")
    del bad["title"]
    _, errors = validate_import_record(bad)
    assert "title: Missing data for required field." in errors
    assert any(e.startswith("type: Must be one of") for e in errors)


def test_unknown_fields_are_refused_so_importer_typos_surface():
    _, errors = validate_import_record(record(titel="x"))
    assert errors == ["titel: Unknown field."]


def test_impossible_date_and_bad_identifiers():
    _, errors = validate_import_record(record(published="2023-02-30", doi="nope",
                                              venue={"title": "J", "issn": "0021-9518"}))
    assert any(e.startswith("published: Not a valid date") for e in errors)
    assert "doi: Not a DOI: 'nope'." in errors
    assert "venue.issn: Not a valid ISSN: '0021-9518'." in errors


def test_affiliation_index_out_of_range():
    bad = record()
    bad["authors"][0]["affiliations"] = [3]
    _, errors = validate_import_record(bad)
    assert errors == ["authors.0.affiliations: Affiliation index 3 is out of range (record has 1)."]
