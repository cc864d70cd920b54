"""oai_etdms: ETD-MS 1.1, the NDLTD standard for electronic theses and dissertations (theses only)."""
from __future__ import annotations

from lxml import etree

from .base import EU_REPO_TYPES, XSI, alt_lang, date_of, doi_url, identifiers, main_lang, sub

NAMESPACE = "http://www.ndltd.org/standards/metadata/etdms/1.1/"
SCHEMA = "http://www.ndltd.org/standards/metadata/etdms/1-1/etdms11.xsd"

#: ETD-MS degree level: 0 = bachelor's / undergraduate, 1 = master's / pre-doctoral, 2 = doctoral.
LEVELS = {"bachelor": "0", "master": "1", "doctoral": "2"}
DEGREE_NAMES = {"bachelor": ("学士", "Bachelor"), "master": ("硕士", "Master"), "doctoral": ("博士", "Doctor")}
TYPE_DEGREES = {"doctoral_thesis": "doctoral", "master_thesis": "master", "bachelor_thesis": "bachelor"}


def degree_of(work) -> str | None:
    return (work.thesis or {}).get("degree") or TYPE_DEGREES.get(work.type)


def write(work, context) -> etree._Element:
    """The thesis as one ``thesis`` element in ETD-MS 1.1 element order."""
    root = etree.Element(f"{{{NAMESPACE}}}thesis", nsmap={None: NAMESPACE, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{NAMESPACE} {SCHEMA}")
    lang = main_lang(work)
    thesis = work.thesis or {}

    def el(name, *args, parent=root, **kwargs):
        return sub(parent, f"{{{NAMESPACE}}}{name}", *args, **kwargs)

    el("title", work.title, lang)
    el("alternativeTitle", work.title_alt, alt_lang(work, work.title_alt))
    for authorship in work.authorships:
        el("creator", authorship.raw_name)
        if authorship.name_original and authorship.name_original != authorship.raw_name:
            el("creator", authorship.name_original, "zh")
    for keyword in (work.keywords or []) + (work.subjects or []):
        el("subject", keyword.get("term"), keyword.get("lang"))
    el("description", work.abstract, lang, role="abstract")
    el("description", work.abstract_alt, alt_lang(work, work.abstract_alt), role="abstract")
    el("publisher", thesis.get("institution"))
    el("contributor", thesis.get("supervisor"), role="advisor")
    el("date", date_of(work))
    el("type", "Electronic Thesis or Dissertation")
    el("type", f"info:eu-repo/semantics/{EU_REPO_TYPES.get(work.type, 'other')}")
    el("identifier", context.work_url(work))
    for scheme, value in identifiers(work):
        if scheme == "doi":
            el("identifier", doi_url(value))
    el("language", work.language)
    degree = degree_of(work)
    if degree or thesis.get("discipline") or thesis.get("institution"):
        block = el("degree")
        if degree:
            zh, en = DEGREE_NAMES[degree]
            el("name", zh, "zh", parent=block)
            el("name", en, "en", parent=block)
            el("level", LEVELS[degree], parent=block)
        el("discipline", thesis.get("discipline"), parent=block)
        el("grantor", thesis.get("institution"), parent=block)
    return root


OAI_ETDMS = {"prefix": "oai_etdms", "schema": SCHEMA, "namespace": NAMESPACE, "write": write, "kinds": ("thesis",)}
