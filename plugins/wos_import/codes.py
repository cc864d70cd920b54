"""WoS controlled values mapped to Zhiku's: document types, languages, citation-index editions."""
from __future__ import annotations

import re
from functools import lru_cache

#: WoS document type (DT, also BIOSIS/Zoological Record labels) -> Zhiku work type.
DOCUMENT_TYPES: dict[str, str] = {
    "article": "journal_article",
    "review": "review",
    "proceedings paper": "conference_paper",
    "meeting paper": "conference_paper",
    "meeting": "conference_paper",
    "conference paper": "conference_paper",
    "meeting abstract": "meeting_abstract",
    "meeting summary": "meeting_abstract",
    "editorial material": "editorial",
    "editorial": "editorial",
    "letter": "letter",
    "correction": "correction",
    "correction, addition": "correction",
    "erratum": "correction",
    "retraction": "correction",
    "expression of concern": "correction",
    "book": "book",
    "book chapter": "book_chapter",
    "note": "journal_article",
    "data paper": "journal_article",
    "software review": "other",
    "database review": "other",
    "book review": "other",
    "news item": "other",
    "biographical-item": "other",
    "item about an individual": "other",
    "bibliography": "other",
    "reprint": "other",
    "discussion": "other",
    "poetry": "other",
    "fiction, creative prose": "other",
    "art exhibit review": "other",
    "record review": "other",
    "theater review": "other",
    "film review": "other",
    "music performance review": "other",
    "music score review": "other",
    "tv review, radio review": "other",
    "dance performance review": "other",
    "hardware review": "other",
    "excerpt": "other",
    "chronology": "other",
    "technical report": "report",
    "report": "report",
    "patent": "patent",
    "dissertation": "other",  # the degree is not given: curators decide
    "thesis": "other",
}

#: Labels that only qualify another type ("Article; Early Access").
_QUALIFIERS = ("early access", "retracted publication", "withdrawn publication")

#: Publication type (PT) -> work type, when DT is missing (some all-databases exports).
PUBLICATION_TYPES = {"J": "journal_article", "B": "book", "S": "journal_article", "C": "conference_paper",
                     "P": "patent"}

_LABELS_LONGEST_FIRST = sorted(DOCUMENT_TYPES, key=len, reverse=True)


@lru_cache(maxsize=1024)  # a few dozen DT/PT pairs make up a batch
def work_type(document_type: str | None, publication_type: str | None) -> str:
    """Map DT (``"Article; Proceedings Paper"``) and PT to a Zhiku work type; the first known label wins.

    BIOSIS writes several labels without separator (``"Book Chapter Meeting"``): a label is also
    recognized at the start of a part.
    """
    for part in (document_type or "").split(";"):
        label = part.strip().lower()
        if not label or label in _QUALIFIERS:
            continue
        if label in DOCUMENT_TYPES:
            return DOCUMENT_TYPES[label]
        for known in _LABELS_LONGEST_FIRST:
            if label.startswith(known + " "):
                return DOCUMENT_TYPES[known]
    if document_type and "early access" in document_type.lower():
        return "journal_article"
    return PUBLICATION_TYPES.get((publication_type or "").strip().upper()[:1], "other")


#: WoS language names (LA) -> ISO 639-1 (or 639-2/3 where there is no two-letter code).
LANGUAGES: dict[str, str] = {
    "english": "en", "chinese": "zh", "japanese": "ja", "korean": "ko", "french": "fr", "german": "de",
    "spanish": "es", "portuguese": "pt", "italian": "it", "russian": "ru", "dutch": "nl", "netherlandish": "nl",
    "flemish": "nl", "danish": "da", "swedish": "sv", "norwegian": "no", "finnish": "fi", "icelandic": "is",
    "polish": "pl", "czech": "cs", "slovak": "sk", "slovene": "sl", "slovenian": "sl", "croatian": "hr",
    "serbian": "sr", "serbo-croatian": "sh", "bosnian": "bs", "macedonian": "mk", "bulgarian": "bg",
    "romanian": "ro", "hungarian": "hu", "greek": "el", "turkish": "tr", "ukrainian": "uk", "belarusian": "be",
    "byelorussian": "be", "lithuanian": "lt", "latvian": "lv", "estonian": "et", "arabic": "ar", "hebrew": "he",
    "persian": "fa", "farsi": "fa", "urdu": "ur", "hindi": "hi", "bengali": "bn", "thai": "th",
    "vietnamese": "vi", "indonesian": "id", "malay": "ms", "tagalog": "tl", "catalan": "ca", "galician": "gl",
    "basque": "eu", "welsh": "cy", "irish": "ga", "gaelic": "gd", "latin": "la", "esperanto": "eo",
    "afrikaans": "af", "swahili": "sw", "georgian": "ka", "armenian": "hy", "azerbaijani": "az",
    "kazakh": "kk", "uzbek": "uz", "mongolian": "mn", "albanian": "sq", "maltese": "mt", "frisian": "fy",
    "provencal": "oc", "romansh": "rm", "rumanian": "ro", "tibetan": "bo", "uighur": "ug", "nepali": "ne",
}


_LANGUAGE_SEPARATORS = re.compile(r"[;,]")


@lru_cache(maxsize=1024)
def language_code(value: str | None) -> str | None:
    """Map LA (``"English"``, ``"English; Chinese"``) to the code of its first known language."""
    for part in _LANGUAGE_SEPARATORS.split(value or ""):
        code = LANGUAGES.get(part.strip().lower())
        if code:
            return code
    return None


#: Abbreviations WoS writes for its editions (WE / "Web of Science Index") -> Zhiku indexed-in tag.
EDITIONS = {
    "SCI-EXPANDED": "SCIE", "SCIE": "SCIE", "SSCI": "SSCI", "A&HCI": "AHCI", "AHCI": "AHCI",
    "CPCI-S": "CPCI-S", "CPCI-SSH": "CPCI-SSH", "ESCI": "ESCI", "BKCI-S": "BKCI-S", "BKCI-SSH": "BKCI-SSH",
    "CCR-EXPANDED": "CCR", "IC": "IC",
}
_EDITION_NAMES = {
    "science citation index expanded": "SCIE", "social sciences citation index": "SSCI",
    "social science citation index": "SSCI", "arts & humanities citation index": "AHCI",
    "arts and humanities citation index": "AHCI", "emerging sources citation index": "ESCI",
    "conference proceedings citation index - science": "CPCI-S",
    "conference proceedings citation index - social science & humanities": "CPCI-SSH",
    "book citation index – science": "BKCI-S", "book citation index - science": "BKCI-S",
    "book citation index – social sciences & humanities": "BKCI-SSH",
    "book citation index - social sciences & humanities": "BKCI-SSH",
}


def editions(value: str | None) -> list[str]:
    """Map a WE value (``"Science Citation Index Expanded (SCI-EXPANDED); Social Science ... (SSCI)"``)."""
    found: list[str] = []
    for part in (value or "").split(";"):
        part = part.strip()
        if not part:
            continue
        abbrev = re.search(r"\(([^()]+)\)\s*$", part)
        tag = EDITIONS.get(abbrev.group(1).strip().upper()) if abbrev else None
        tag = tag or EDITIONS.get(part.upper()) or _EDITION_NAMES.get(re.sub(r"\s*\(.*$", "", part).lower())
        if tag and tag not in found:
            found.append(tag)
    return found
