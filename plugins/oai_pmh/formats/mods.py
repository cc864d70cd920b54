"""mods: MODS 3.7, the rich format (parallel zh/en titles, names and abstracts; host journal; typed ids)."""
from __future__ import annotations

import re

from lxml import etree

from ..sets import type_labels
from .base import XSI, alt_lang, date_of, identifiers, lang_of, main_lang, sub
from .oai_etdms import degree_of

NAMESPACE = "http://www.loc.gov/mods/v3"
SCHEMA = "http://www.loc.gov/standards/mods/v3/mods-3-7.xsd"
_PAGES = re.compile(r"^\s*(\w+)\s*[-–—]\s*(\w+)\s*$")


def _role(parent, text: str, code: str) -> None:
    role = sub(parent, f"{{{NAMESPACE}}}role")
    sub(role, f"{{{NAMESPACE}}}roleTerm", text, type="text", authority="marcrelator")
    sub(role, f"{{{NAMESPACE}}}roleTerm", code, type="code", authority="marcrelator")


def write(work, context) -> etree._Element:
    """The Work as one ``mods`` element."""
    ns = NAMESPACE
    root = etree.Element(f"{{{ns}}}mods", nsmap={None: ns, "xsi": XSI}, version="3.7")
    root.set(f"{{{XSI}}}schemaLocation", f"{ns} {SCHEMA}")
    lang = main_lang(work)

    def m(parent, name, *args, **kwargs):
        return sub(parent, f"{{{ns}}}{name}", *args, **kwargs)

    title = m(root, "titleInfo", lang=lang)
    m(title, "title", work.title)
    if work.title_alt:
        alt = m(root, "titleInfo", lang=alt_lang(work, work.title_alt), type="translated")
        m(alt, "title", work.title_alt)
    for number, authorship in enumerate(work.authorships, start=1):
        group = f"name{number}" if authorship.name_original and authorship.name_original != authorship.raw_name else None
        name = m(root, "name", type="personal", altRepGroup=group)
        m(name, "namePart", authorship.raw_name)
        if authorship.raw_affiliation:
            m(name, "affiliation", authorship.raw_affiliation)
        _role(name, "author", "aut")
        if authorship.orcid:
            m(name, "nameIdentifier", authorship.orcid, type="orcid")
        if group:
            original = m(root, "name", lang="zh", type="personal", altRepGroup=group, script="Hans")
            m(original, "namePart", authorship.name_original)
            _role(original, "author", "aut")
    thesis = work.thesis or {}
    if thesis.get("supervisor"):
        advisor = m(root, "name", type="personal")
        m(advisor, "namePart", thesis["supervisor"])
        _role(advisor, "thesis advisor", "ths")
    if thesis.get("institution"):
        grantor = m(root, "name", type="corporate")
        m(grantor, "namePart", thesis["institution"])
        _role(grantor, "degree granting institution", "dgg")
    m(root, "typeOfResource", "text")
    m(root, "genre", type_labels(work.type)[1], authority="local")
    origin = m(root, "originInfo")
    if work.kind != "publication" or not work.venue:
        m(origin, "publisher", thesis.get("institution") or (work.venue.publisher if work.venue else None))
    m(origin, "dateIssued", date_of(work), encoding="w3cdtf", keyDate="yes")
    if not len(origin):
        root.remove(origin)
    if work.language:
        language = m(root, "language")
        m(language, "languageTerm", work.language, type="code", authority="rfc5646")
    m(root, "abstract", work.abstract, lang)
    m(root, "abstract", work.abstract_alt, alt_lang(work, work.abstract_alt))
    degree = degree_of(work)
    if degree:
        parts = [degree] + [thesis[k] for k in ("discipline", "institution") if thesis.get(k)]
        m(root, "note", ", ".join(parts), type="thesis")
    for grant in work.funding or []:
        m(root, "note", " ".join([grant.get("funder", "")] + list(grant.get("grants") or [])).strip(), type="funding")
    for keyword in work.keywords or []:
        subject = m(root, "subject", lang=keyword.get("lang"))
        m(subject, "topic", keyword.get("term"))
    for item in work.subjects or []:
        subject = m(root, "subject", lang=item.get("lang"), authority=item.get("scheme"))
        m(subject, "topic", item.get("term"))
    if work.venue is not None and work.venue.title:
        host = m(root, "relatedItem", type="host")
        host_title = m(host, "titleInfo", lang=lang_of(work.venue.title, "en"))
        m(host_title, "title", work.venue.title)
        if work.venue.abbrev:
            abbrev = m(host, "titleInfo", type="abbreviated")
            m(abbrev, "title", work.venue.abbrev)
        if work.venue.publisher:
            m(m(host, "originInfo"), "publisher", work.venue.publisher)
        m(host, "identifier", work.venue.issn, type="issn")
        m(host, "identifier", work.venue.eissn, type="eissn")
        m(host, "identifier", work.venue.isbn, type="isbn")
        part = m(host, "part")
        if work.volume:
            m(m(part, "detail", type="volume"), "number", work.volume)
        if work.issue:
            m(m(part, "detail", type="issue"), "number", work.issue)
        if work.article_number:
            m(m(part, "detail", type="article"), "number", work.article_number)
        if work.pages:
            extent = m(part, "extent", unit="pages")
            match = _PAGES.match(work.pages)
            if match:
                m(extent, "start", match.group(1))
                m(extent, "end", match.group(2))
            else:
                m(extent, "list", work.pages)
        m(part, "date", str(work.year) if work.year else None)
        if not len(part):
            host.remove(part)
    for scheme, value in identifiers(work):
        m(root, "identifier", value, type=scheme)
    m(root, "identifier", context.work_url(work), type="uri")
    record = m(root, "recordInfo")
    m(record, "recordContentSource", context.repository_name)
    m(record, "recordIdentifier", context.oai_identifier(work), source="oai")
    return root


MODS = {"prefix": "mods", "schema": SCHEMA, "namespace": NAMESPACE, "write": write, "kinds": None}
