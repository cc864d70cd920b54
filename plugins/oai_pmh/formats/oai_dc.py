"""oai_dc: unqualified Dublin Core, the format every OAI-PMH repository must offer."""
from __future__ import annotations

from lxml import etree

from ..sets import type_labels
from .base import EU_REPO_TYPES, XSI, alt_lang, citation, date_of, doi_url, identifiers, main_lang, sub

NAMESPACE = "http://www.openarchives.org/OAI/2.0/oai_dc/"
SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC = "http://purl.org/dc/elements/1.1/"


def write(work, context) -> etree._Element:
    """The Work as one ``oai_dc:dc`` element; titles, subjects and abstracts carry xml:lang."""
    root = etree.Element(f"{{{NAMESPACE}}}dc", nsmap={"oai_dc": NAMESPACE, "dc": DC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{NAMESPACE} {SCHEMA}")
    lang = main_lang(work)

    def dc(name, text, text_lang=None):
        return sub(root, f"{{{DC}}}{name}", text, text_lang)

    dc("title", work.title, lang)
    dc("title", work.title_alt, alt_lang(work, work.title_alt))
    for authorship in work.authorships:
        dc("creator", authorship.raw_name)
    thesis = work.thesis or {}
    if thesis.get("supervisor"):
        dc("contributor", thesis["supervisor"])
    for keyword in work.keywords or []:
        dc("subject", keyword.get("term"), keyword.get("lang"))
    for subject in work.subjects or []:
        dc("subject", subject.get("term"), subject.get("lang"))
    dc("description", work.abstract, lang)
    dc("description", work.abstract_alt, alt_lang(work, work.abstract_alt))
    publisher = thesis.get("institution") or (work.venue.publisher if work.venue else None)
    dc("publisher", publisher)
    dc("date", date_of(work))
    dc("type", f"info:eu-repo/semantics/{EU_REPO_TYPES.get(work.type, 'other')}")
    dc("type", type_labels(work.type)[1])
    dc("identifier", context.work_url(work))
    for scheme, value in identifiers(work):
        if scheme == "doi":
            dc("identifier", doi_url(value))
        elif scheme in ("isbn", "handle"):
            dc("identifier", f"{scheme}:{value}")
    dc("source", citation(work))
    if work.venue is not None:
        for issn in (work.venue.issn, work.venue.eissn):
            if issn:
                dc("relation", f"urn:ISSN:{issn}")
    dc("language", work.language)
    return root


OAI_DC = {"prefix": "oai_dc", "schema": SCHEMA, "namespace": NAMESPACE, "write": write, "kinds": None}
