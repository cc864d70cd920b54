"""The canonical import record: what every importer produces and the pipeline consumes.

Validation errors name the field with a dotted path (``authors.2.email``) so that an importer's user sees
which value of which record is wrong.
"""
from __future__ import annotations

import datetime as dt
import re

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates, validates_schema

from ..identifiers import normalize_doi, normalize_isbn, normalize_issn, normalize_orcid
from ..vocabulary import DEGREES, WORK_TYPES

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SCHEME = re.compile(r"^[a-z][a-z0-9_]*$")


def _text(**kwargs):
    return fields.String(load_default=None, allow_none=True, **kwargs)


def _check_partial_date(value: str | None) -> None:
    if value is None:
        return
    match = _PARTIAL_DATE.match(value)
    if not match:
        raise ValidationError("Not a date of the form YYYY, YYYY-MM or YYYY-MM-DD.")
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError as exc:
        raise ValidationError(f"Not a valid date: {exc}.") from exc


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class AuthorSchema(_Strict):
    """One author line, in the order the source gives."""

    name = fields.String(required=True, validate=validate.Length(min=1))
    name_short = _text()
    name_original = _text()
    position = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    orcid = _text()
    researcher_id = _text()
    email = fields.Email(load_default=None, allow_none=True)
    is_corresponding = fields.Boolean(load_default=False)
    affiliations = fields.List(fields.Integer(validate=validate.Range(min=0)), load_default=list)

    @validates("orcid")
    def _orcid(self, value, **_):
        if value is not None and normalize_orcid(value) is None:
            raise ValidationError(f"Not a valid ORCID iD: {value!r}.")


class AffiliationSchema(_Strict):
    raw = fields.String(required=True, validate=validate.Length(min=1))
    country = _text()


class VenueSchema(_Strict):
    title = _text()
    abbrev = _text()
    issn = _text()
    eissn = _text()
    isbn = _text()
    publisher = _text()
    cn = _text(metadata={"description": "Chinese serial number (CN 11-1234/X)"})

    @validates("issn")
    def _issn(self, value, **_):
        if value is not None and normalize_issn(value) is None:
            raise ValidationError(f"Not a valid ISSN: {value!r}.")

    @validates("eissn")
    def _eissn(self, value, **_):
        self._issn(value)


class TermSchema(_Strict):
    """A keyword or subject with the vocabulary it comes from (author, keywords_plus, wos_category...)."""

    term = fields.String(required=True, validate=validate.Length(min=1))
    scheme = fields.String(load_default="author")
    lang = _text()


class FundingSchema(_Strict):
    funder = fields.String(required=True, validate=validate.Length(min=1))
    grants = fields.List(fields.String(), load_default=list)


class ThesisSchema(_Strict):
    degree = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(DEGREES))
    discipline = _text()
    supervisor = _text()
    institution = _text()


class ConferenceSchema(_Strict):
    name = _text()
    location = _text()
    date = _text()
    sponsor = _text()


class PatentSchema(_Strict):
    number = _text()
    application_number = _text()
    applicants = fields.List(fields.String(), load_default=list)
    ipc = fields.List(fields.String(), load_default=list)


class ImportRecordSchema(_Strict):
    """Canonical record. ``source`` + ``source_id`` identify it within its source."""

    source = fields.String(required=True, validate=validate.Regexp(_SCHEME))
    source_id = fields.String(required=True, validate=validate.Length(min=1, max=255))
    type = fields.String(required=True, validate=validate.OneOf(sorted(WORK_TYPES)))
    title = fields.String(required=True, validate=validate.Length(min=1))
    title_alt = _text()
    language = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(r"^[a-z]{2,3}$"))
    authors = fields.List(fields.Nested(AuthorSchema), load_default=list)
    affiliations = fields.List(fields.Nested(AffiliationSchema), load_default=list)
    venue = fields.Nested(VenueSchema, load_default=None, allow_none=True)
    year = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1000, max=2999))
    published = _text()
    early_access = _text()
    volume = _text()
    issue = _text()
    pages = _text()
    article_number = _text()
    doi = _text()
    identifiers = fields.Dict(keys=fields.String(validate=validate.Regexp(_SCHEME)), values=fields.String(),
                              load_default=dict)
    keywords = fields.List(fields.Nested(TermSchema), load_default=list)
    subjects = fields.List(fields.Nested(TermSchema), load_default=list)
    abstract = _text()
    abstract_alt = _text()
    funding = fields.List(fields.Nested(FundingSchema), load_default=list)
    funding_text = _text()
    cited_by = fields.Dict(keys=fields.String(), values=fields.Integer(validate=validate.Range(min=0)),
                           load_default=dict)
    indexed_in = fields.List(fields.String(), load_default=list)
    thesis = fields.Nested(ThesisSchema, load_default=None, allow_none=True)
    conference = fields.Nested(ConferenceSchema, load_default=None, allow_none=True)
    patent = fields.Nested(PatentSchema, load_default=None, allow_none=True)
    raw = _text()

    @validates("published")
    def _published(self, value, **_):
        _check_partial_date(value)

    @validates("early_access")
    def _early_access(self, value, **_):
        _check_partial_date(value)

    @validates("doi")
    def _doi(self, value, **_):
        if value is not None and normalize_doi(value) is None:
            raise ValidationError(f"Not a DOI: {value!r}.")

    @validates_schema
    def _author_affiliation_links(self, data, **_):
        count = len(data.get("affiliations") or [])
        errors = {}
        for index, author in enumerate(data.get("authors") or []):
            bad = [i for i in author.get("affiliations", []) if i >= count]
            if bad:
                errors[index] = {"affiliations": [f"Affiliation index {bad[0]} is out of range (record has {count})."]}
        if errors:
            raise ValidationError({"authors": errors})

    @post_load
    def _normalize(self, data, **_):
        data["doi"] = normalize_doi(data.get("doi"))
        venue = data.get("venue")
        if venue:
            venue["issn"] = normalize_issn(venue.get("issn"))
            venue["eissn"] = normalize_issn(venue.get("eissn"))
            venue["isbn"] = normalize_isbn(venue.get("isbn")) or venue.get("isbn")
        for position, author in enumerate(data["authors"], start=1):
            author["position"] = author.get("position") or position
            author["orcid"] = normalize_orcid(author.get("orcid"))
        if data["year"] is None and data.get("published"):
            data["year"] = int(data["published"][:4])
        return data


def flatten_errors(messages, prefix: str = "") -> list[str]:
    """Turn marshmallow's nested error dict into ``["authors.2.email: Not a valid email address."]``."""
    if isinstance(messages, dict):
        out = []
        for key, value in messages.items():
            path = prefix if key == "_schema" else (f"{prefix}.{key}" if prefix else str(key))
            out.extend(flatten_errors(value, path))
        return out
    if isinstance(messages, list):
        return [line for message in messages for line in flatten_errors(message, prefix)]
    return [f"{prefix}: {messages}" if prefix else str(messages)]


_SCHEMA = ImportRecordSchema()  # schemas keep no per-load state; building one costs more than a load


def validate_import_record(data: dict) -> tuple[dict | None, list[str]]:
    """Validate and normalize one canonical record; return ``(record, [])`` or ``(None, errors)``."""
    try:
        return _SCHEMA.load(data), []
    except ValidationError as exc:
        return None, flatten_errors(exc.messages)
