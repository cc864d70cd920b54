"""Map harvested oai_dc and ETD-MS records to Zhiku's canonical ImportRecord (source "oai").

The mapping is deliberately conservative: what Dublin Core cannot say precisely (which creator is
corresponding, which subject is a keyword) is left out rather than guessed. The record's DOI, handle and
OAI identifier go to identifiers, so the resolve stage finds the same Work on every later harvest.
"""
from __future__ import annotations

import re

from lxml import etree

from repository.identifiers import normalize_doi, normalize_isbn, normalize_issn
from repository.vocabulary import WORK_TYPES

OAI = "http://www.openarchives.org/OAI/2.0/"
DC = "http://purl.org/dc/elements/1.1/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
ETDMS = "http://www.ndltd.org/standards/metadata/etdms/1.1/"
ETDMS_10 = "http://www.ndltd.org/standards/metadata/etdms/1.0/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
N = {"oai": OAI}

SUPPORTED_PREFIXES = ("oai_dc", "oai_etdms")

#: info:eu-repo/semantics terms and common free-text types -> Zhiku work types.
EU_REPO = {
    "article": "journal_article", "review": "review", "conferenceobject": "conference_paper",
    "conferencepaper": "conference_paper", "conferenceproceedings": "conference_paper", "book": "book",
    "bookpart": "book_chapter", "report": "report", "workingpaper": "report", "technicalreport": "report",
    "doctoralthesis": "doctoral_thesis", "masterthesis": "master_thesis", "bachelorthesis": "bachelor_thesis",
    "patent": "patent", "contributiontoperiodical": "journal_article", "preprint": "other", "other": "other",
}
_FREE_TYPES = (
    (re.compile(r"doctor|ph\.?d|dissertation|博士"), "doctoral_thesis"),
    (re.compile(r"master|硕士"), "master_thesis"),
    (re.compile(r"bachelor|undergraduate|学士|本科"), "bachelor_thesis"),
    (re.compile(r"thesis|学位论文"), "master_thesis"),
    (re.compile(r"journal|article|期刊|论文"), "journal_article"),
    (re.compile(r"conference|proceedings|会议"), "conference_paper"),
    (re.compile(r"chapter|章节"), "book_chapter"),
    (re.compile(r"book|monograph|专著|图书"), "book"),
    (re.compile(r"report|报告"), "report"),
    (re.compile(r"patent|专利"), "patent"),
    (re.compile(r"dataset|数据集"), "dataset"),
    (re.compile(r"standard|标准"), "standard"),
)
_LANGUAGES = {
    "zh": "zh", "chi": "zh", "zho": "zh", "chinese": "zh", "中文": "zh", "汉语": "zh", "zh-cn": "zh",
    "zh-hans": "zh", "zh-tw": "zh", "zh-hant": "zh", "en": "en", "eng": "en", "english": "en", "英文": "en",
    "en-us": "en", "en-gb": "en", "ja": "ja", "jpn": "ja", "fr": "fr", "fre": "fr", "fra": "fr", "de": "de",
    "ger": "de", "deu": "de", "ru": "ru", "rus": "ru", "ko": "ko", "kor": "ko",
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DEGREE_LEVELS = {"0": "bachelor", "1": "master", "2": "doctoral"}
_DEGREE_TYPES = {"bachelor": "bachelor_thesis", "master": "master_thesis", "doctoral": "doctoral_thesis"}


def _texts(parent, tag: str) -> list[tuple[str, str | None]]:
    out = []
    for element in parent.iterfind(tag):
        text = " ".join("".join(element.itertext()).split())
        if text:
            out.append((text, element.get(XML_LANG)))
    return out


def _lang_code(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower()
    if value in _LANGUAGES:
        return _LANGUAGES[value]
    head = value.split("-")[0]
    return head if re.fullmatch(r"[a-z]{2,3}", head) else None


def work_type(types: list[str], degree: str | None = None) -> str:
    """The Zhiku work type for dc:type values (eu-repo terms first, then free text)."""
    for value in types:
        if value.startswith("info:eu-repo/semantics/"):
            found = EU_REPO.get(value.rsplit("/", 1)[1].lower())
            if found == "master_thesis" and degree:
                return _DEGREE_TYPES[degree]
            if found:
                return found
    if degree:
        return _DEGREE_TYPES[degree]
    for value in types:
        if value in WORK_TYPES:
            return value
        lowered = value.lower()
        for pattern, found in _FREE_TYPES:
            if pattern.search(lowered):
                return found
    return "other"


def _date_fields(values: list[str]) -> tuple[str | None, int | None]:
    for value in values:
        match = _DATE.match(value.strip())
        if match:
            year, month, day = match.groups()
            published = year + (f"-{month}" if month else "") + (f"-{day}" if month and day else "")
            return published, int(year)
    return None, None


def _identifiers(values: list[str], record: dict) -> None:
    for value in values:
        lowered = value.lower()
        doi = normalize_doi(value) or (normalize_doi(value[9:]) if lowered.startswith("info:doi/") else None)
        if doi and not record.get("doi"):
            record["doi"] = doi
        elif lowered.startswith(("hdl:", "http://hdl.handle.net/", "https://hdl.handle.net/")):
            record["identifiers"].setdefault("handle", re.sub(r"^(hdl:|https?://hdl\.handle\.net/)", "", value,
                                                              flags=re.I))
        elif lowered.startswith(("isbn:", "urn:isbn:")):
            isbn = normalize_isbn(value.split(":")[-1])
            if isbn:
                record.setdefault("venue", {})["isbn"] = isbn


def _pair(values: list[tuple[str, str | None]], language: str | None):
    """Main and alternative text: the one in the record's language first, the next different one second."""
    if not values:
        return None, None
    ordered = sorted(values, key=lambda v: 0 if (v[1] or language) == language else 1)
    main = ordered[0][0]
    alt = next((text for text, _lang in ordered[1:] if text != main), None)
    return main, alt


def _common(metadata, ns: str, source_id: str, types_extra: list[str]) -> dict:
    get = lambda tag: _texts(metadata, f"{{{ns}}}{tag}")  # noqa: E731
    languages = [_lang_code(text) for text, _ in get("language")]
    language = next((code for code in languages if code), None)
    record: dict = {"source": "oai", "source_id": source_id, "identifiers": {"oai": source_id},
                    "language": language}
    titles = get("title") + [(t, lang) for t, lang in get("alternativeTitle")]
    record["title"], record["title_alt"] = _pair(titles, language)
    record["authors"] = [{"name": name} for name, _lang in get("creator")]
    keywords, seen = [], set()
    for term, lang in get("subject"):
        for piece in re.split(r"\s*[;；]\s*", term):
            if piece and piece not in seen:
                seen.add(piece)
                keywords.append({"term": piece, "lang": _lang_code(lang)})
    record["keywords"] = keywords
    record["abstract"], record["abstract_alt"] = _pair(get("description"), language)
    record["published"], record["year"] = _date_fields([t for t, _ in get("date")])
    _identifiers([t for t, _ in get("identifier")], record)
    record["type"] = work_type([t for t, _ in get("type")] + types_extra)
    return record


def map_oai_dc(metadata, source_id: str) -> dict:
    dc = metadata.find(f"{{{OAI_DC}}}dc")
    if dc is None:
        raise ValueError("metadata holds no oai_dc:dc element")
    record = _common(dc, DC, source_id, [])
    publishers = [t for t, _ in _texts(dc, f"{{{DC}}}publisher")]
    sources = [t for t, _ in _texts(dc, f"{{{DC}}}source")]
    issns = [normalize_issn(t.split(":")[-1]) for t, _ in _texts(dc, f"{{{DC}}}relation")
             if t.lower().startswith("urn:issn:")]
    if record["type"].endswith("_thesis"):
        contributors = [t for t, _ in _texts(dc, f"{{{DC}}}contributor")]
        record["thesis"] = {"institution": publishers[0] if publishers else None,
                            "supervisor": contributors[0] if contributors else None,
                            "degree": record["type"].split("_")[0]}
    elif sources or publishers or any(issns):
        venue = record.setdefault("venue", {})
        if sources:
            venue["title"] = re.split(r",\s*\d{4}\b", sources[0])[0].strip() or None
        if publishers:
            venue["publisher"] = publishers[0]
        good = [i for i in issns if i]
        if good:
            venue["issn"] = good[0]
    return record


def map_etdms(metadata, source_id: str) -> dict:
    thesis = metadata.find(f"{{{ETDMS}}}thesis")
    ns = ETDMS
    if thesis is None:
        thesis, ns = metadata.find(f"{{{ETDMS_10}}}thesis"), ETDMS_10
    if thesis is None:
        raise ValueError("metadata holds no ETD-MS thesis element")
    degree = thesis.find(f"{{{ns}}}degree")
    level = degree.findtext(f"{{{ns}}}level", "").strip() if degree is not None else ""
    degree_kind = _DEGREE_LEVELS.get(level)
    record = _common(thesis, ns, source_id, [])
    if not record["type"].endswith("_thesis"):
        record["type"] = _DEGREE_TYPES.get(degree_kind or "master")
    elif degree_kind:
        record["type"] = _DEGREE_TYPES[degree_kind]
    advisors = [" ".join("".join(e.itertext()).split()) for e in thesis.iterfind(f"{{{ns}}}contributor")
                if e.get("role", "advisor") == "advisor"]
    info = {"degree": record["type"].split("_")[0], "supervisor": advisors[0] if advisors else None,
            "discipline": degree.findtext(f"{{{ns}}}discipline") if degree is not None else None,
            "institution": (degree.findtext(f"{{{ns}}}grantor") if degree is not None else None)
            or next((t for t, _ in _texts(thesis, f"{{{ns}}}publisher")), None)}
    record["thesis"] = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in info.items()}
    # ETD-MS lists a creator twice when it also gives the name in Chinese script (xml:lang="zh", right after)
    authors: list[dict] = []
    for name, lang in _texts(thesis, f"{{{ns}}}creator"):
        if lang == "zh" and authors and "name_original" not in authors[-1] and authors[-1]["name"] != name:
            authors[-1]["name_original"] = name
        else:
            authors.append({"name": name})
    record["authors"] = authors
    return record


MAPPERS = {"oai_dc": map_oai_dc, "oai_etdms": map_etdms}


def map_record(record_element, prefix: str, source_id: str) -> dict:
    """The canonical dict of one harvested ``record`` (not deleted); raises ValueError when unusable."""
    metadata = record_element.find("oai:metadata", N)
    if metadata is None:
        raise ValueError("record has no metadata")
    data = MAPPERS[prefix](metadata, source_id)
    if not data.get("title"):
        raise ValueError("record has no title")
    data["raw"] = etree.tostring(record_element, encoding="unicode")
    return {k: v for k, v in data.items() if v is not None}
