"""Translated labels for vocabulary values shown in pages.

A search answer labels every hit's type and many facet values; a lookup through Babel per value (a lazy
string, the locale, the catalogue) costs a few microseconds, dozens of times per answer, so the value
labels are translated once per language and kept (the catalogues do not change while the process runs).
"""
from __future__ import annotations

from flask_babel import get_locale, lazy_gettext as _l

from ..vocabulary import WORK_TYPES

WORK_TYPE_LABELS = {
    "journal_article": _l("Journal article"),
    "review": _l("Review"),
    "editorial": _l("Editorial"),
    "letter": _l("Letter"),
    "correction": _l("Correction"),
    "meeting_abstract": _l("Meeting abstract"),
    "conference_paper": _l("Conference paper"),
    "book": _l("Book"),
    "book_chapter": _l("Book chapter"),
    "newspaper_article": _l("Newspaper article"),
    "report": _l("Report"),
    "standard": _l("Standard"),
    "dataset": _l("Dataset"),
    "other": _l("Other"),
    "doctoral_thesis": _l("Doctoral thesis"),
    "master_thesis": _l("Master's thesis"),
    "bachelor_thesis": _l("Bachelor's thesis"),
    "patent": _l("Patent"),
}
assert set(WORK_TYPE_LABELS) == set(WORK_TYPES), "every work type needs a label"


def work_type_label(work_type: str) -> str:
    """The translated label of a work type (the raw value when unknown)."""
    return value_labels()["type"].get(work_type, work_type)


FACET_LABELS = {
    "year": _l("Year"),
    "type": _l("Type"),
    "unit": _l("Unit"),
    "source": _l("Source"),
    "indexed_in": _l("Indexed in"),
    "jcr_quartile": _l("JCR quartile"),
    "language": _l("Language"),
    "status": _l("Status"),
}

VALUE_LABELS = {
    "language": {"zh": _l("Chinese"), "en": _l("English")},
    "status": {"verified": _l("Verified"), "candidate": _l("Candidate"), "withdrawn": _l("Withdrawn")},
    "source": {"wos": "Web of Science", "cnki": "CNKI", "ei": "EI Compendex", "oai": "OAI-PMH",
               "manual": _l("Entered by hand"), "demo": _l("Demo data")},
}


def facet_label(facet: str) -> str:
    """The translated name of a search facet."""
    return str(FACET_LABELS.get(facet, facet))


_translated: dict[str, dict[str, dict[str, str]]] = {}


def value_labels() -> dict[str, dict[str, str]]:
    """``{facet: {value: label}}`` in the reader's language (work types under ``type``), translated on first use.

    A search answer takes this table once and labels all its values from it.
    """
    language = str(get_locale())
    labels = _translated.get(language)
    if labels is None:
        labels = _translated[language] = {facet: {value: str(label) for value, label in values.items()}
                                          for facet, values in {**VALUE_LABELS, "type": WORK_TYPE_LABELS}.items()}
    return labels


def facet_value_label(facet: str, value: str) -> str:
    """The translated label of one facet value (work types by their label, units are named elsewhere)."""
    return value_labels().get(facet, {}).get(value, value)


#: The fields of a Work whose source the work page names, in the order shown.
FIELD_LABELS = {
    "title": _l("Title"), "title_alt": _l("Other-language title"), "authors": _l("Authors"),
    "type": _l("Type"), "language": _l("Language"), "venue": _l("Published in"), "year": _l("Year"),
    "published": _l("Publication date"), "early_access": _l("Early access"), "volume": _l("Volume"),
    "issue": _l("Issue"), "pages": _l("Pages"), "article_number": _l("Article number"), "doi": "DOI",
    "abstract": _l("Abstract"), "abstract_alt": _l("Other-language abstract"), "keywords": _l("Keywords"),
    "subjects": _l("Subjects"), "funding": _l("Funding"), "funding_text": _l("Funding text"),
    "thesis": _l("Degree"), "conference": _l("Conference"), "patent": _l("Patent"),
}


def field_label(name: str) -> str:
    """The translated name of a Work field."""
    return str(FIELD_LABELS.get(name, name))


def source_label(source: str) -> str:
    """The name of a source (Web of Science, CNKI...) as readers know it."""
    return facet_value_label("source", source)
