import pytest

from repository.identifiers import normalize_doi, normalize_isbn, normalize_issn, normalize_orcid


@pytest.mark.parametrize("raw, expected", [
    ("10.1000/ABC.def", "10.1000/abc.def"),
    ("https://doi.org/10.1000/ABC", "10.1000/abc"),
    ("http://dx.doi.org/10.1000/x", "10.1000/x"),
    ("doi: 10.1000/x.", "10.1000/x"),
    ("not a doi", None),
    ("", None),
    (None, None),
])
def test_normalize_doi(raw, expected):
    assert normalize_doi(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("0021-9517", "0021-9517"), ("00219517", "0021-9517"), ("1050-124x", "1050-124X"),
    ("0021-9518", None), ("12345", None),
])
def test_normalize_issn_checks_the_check_digit(raw, expected):
    assert normalize_issn(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("978-0-306-40615-7", "9780306406157"), ("0-306-40615-2", "0306406152"),
    ("978-0-306-40615-8", None), ("abc", None),
])
def test_normalize_isbn(raw, expected):
    assert normalize_isbn(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("0000-0002-1825-0097", "0000-0002-1825-0097"),
    ("https://orcid.org/0000-0002-1694-233X", "0000-0002-1694-233X"),
    ("0000000218250097", "0000-0002-1825-0097"),
    ("0000-0002-1825-0098", None),
])
def test_normalize_orcid(raw, expected):
    assert normalize_orcid(raw) == expected
