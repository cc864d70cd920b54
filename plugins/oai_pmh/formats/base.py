"""What format writers share: the context they write in and small helpers over a Work."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

#: Zhiku work type -> info:eu-repo/semantics term (the vocabulary OpenAIRE and most aggregators read).
EU_REPO_TYPES = {
    "journal_article": "article", "review": "review", "editorial": "contributionToPeriodical",
    "letter": "contributionToPeriodical", "correction": "contributionToPeriodical",
    "meeting_abstract": "conferenceObject", "conference_paper": "conferenceObject", "book": "book",
    "book_chapter": "bookPart", "newspaper_article": "contributionToPeriodical", "report": "report",
    "standard": "other", "dataset": "other", "other": "other", "doctoral_thesis": "doctoralThesis",
    "master_thesis": "masterThesis", "bachelor_thesis": "bachelorThesis", "patent": "patent",
}


@dataclass
class FormatContext:
    """Repository facts a writer needs; built once per request by the provider."""

    repository_name: str
    oai_identifier: Callable  # (work) -> "oai:<repository id>:<id>"
    work_url: Callable  # (work) -> public page URL


def lang_of(text: str | None, default: str | None = None) -> str | None:
    """A best guess of the language of a short text: zh when it holds CJK ideographs, else *default*."""
    if not text:
        return default
    return "zh" if _CJK.search(text) else (default if default and default != "zh" else "en")


def main_lang(work) -> str | None:
    return work.language or lang_of(work.title)


def alt_lang(work, text: str | None) -> str | None:
    """The language of title_alt / abstract_alt: the other one of zh and en, as the text itself shows."""
    return lang_of(text, "en")


CONTAINER = object()


def sub(parent, tag: str, text=CONTAINER, lang: str | None = None, **attrib):
    """Append a child element and return it; a value element whose *text* is None or blank is skipped.

    Without *text* the element is a container (its children come next).
    """
    if text is not CONTAINER and (text is None or not str(text).strip()):
        return None
    element = etree.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrib.items() if v is not None})
    if lang:
        element.set(XML_LANG, lang)
    if text is not CONTAINER:
        element.text = clean(str(text))
    return element


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """Text safe for XML 1.0 (control characters from imported data removed)."""
    return _CONTROL.sub("", text)


def date_of(work) -> str | None:
    return work.published or (str(work.year) if work.year else None)


def doi_url(doi: str) -> str:
    return f"https://doi.org/{doi}"


def citation(work) -> str | None:
    """"Journal, 2023, 419(5): 88-97" — the source line of a Dublin Core record."""
    venue = work.venue
    if venue is None or not venue.title:
        return None
    text = venue.title
    if work.year:
        text += f", {work.year}"
    if work.volume:
        text += f", {work.volume}"
        if work.issue:
            text += f"({work.issue})"
    elif work.issue:
        text += f", ({work.issue})"
    if work.pages:
        text += f": {work.pages}"
    elif work.article_number:
        text += f": {work.article_number}"
    return text


def identifiers(work) -> list[tuple[str, str]]:
    """(scheme, value) of the Work, DOI first, without duplicates."""
    pairs, seen = [], set()
    if work.doi:
        pairs.append(("doi", work.doi))
        seen.add(("doi", work.doi))
    for identifier in sorted(work.identifiers, key=lambda i: (i.scheme, i.value)):
        if (identifier.scheme, identifier.value) not in seen:
            seen.add((identifier.scheme, identifier.value))
            pairs.append((identifier.scheme, identifier.value))
    return pairs
