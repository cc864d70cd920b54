"""From the labelled fields of one Engineering Village (Compendex) record to a canonical ImportRecord dict.

The text, CSV and citation outputs all arrive here as ``(label, value)`` pairs with EV's own labels
(lower-cased); ``LABELS`` gives each label its meaning. Authors carry affiliation markers, ``Wang, Li (1, 2)``,
that index the numbered affiliations, ``(1) School of ..., China; (2) ...``.
"""
from __future__ import annotations

import re

from repository.importkit.fields import (FieldValues, clean, clean_doi, clean_isbn, clean_issn, compact, fingerprint,
                                         language_of, partial_date, split_list, terms, year_of)

LABELS = {
    "accession number": "accession", "title": "title", "translated title": "title_alt",
    "authors": "authors", "author": "authors", "author(s)": "authors", "author affiliation": "affiliation",
    "author affiliations": "affiliation", "affiliation": "affiliation", "corresponding author": "corresponding",
    "source title": "source", "source": "source", "serial title": "source", "monograph title": "source",
    "abbreviated source title": "abbrev", "volume": "volume", "issue": "issue", "issue date": "issue_date",
    "publication date": "issue_date", "publication year": "year", "pages": "pages", "page": "pages",
    "article number": "article_number", "language": "language", "issn": "issn", "e-issn": "eissn",
    "coden": "coden", "isbn": "isbn", "isbn-13": "isbn", "isbn-10": "isbn", "document type": "doctype",
    "conference name": "conference", "conference date": "conference_date",
    "conference location": "conference_location", "sponsor": "sponsor", "publisher": "publisher",
    "abstract": "abstract", "main heading": "controlled", "controlled terms": "controlled",
    "controlled/subject terms": "controlled", "uncontrolled terms": "uncontrolled",
    "classification code": "classification", "doi": "doi", "database": "database",
    "funding details": "funding", "funding text 1": "funding_text", "funding text": "funding_text",
    "number of references": None, "conference code": None, "compilation and indexing terms, copyright": None,
    "numerical data indexing": None, "open access type(s)": None, "copyright": None, "data provider": None,
}

_DOCTYPES = (
    (re.compile(r"\bjournal article\b|\bJA\b|article in press", re.I), "journal_article"),
    (re.compile(r"conference|\bCA\b|\bCP\b", re.I), "conference_paper"),
    (re.compile(r"book chapter|\bCH\b", re.I), "book_chapter"),
    (re.compile(r"\bbook\b|\bBK\b|monograph", re.I), "book"),
    (re.compile(r"\breport\b|\bRP\b", re.I), "report"),
    (re.compile(r"\bstandard\b", re.I), "standard"),
    (re.compile(r"\bpatent\b", re.I), "patent"),
    (re.compile(r"\beditorial\b", re.I), "editorial"),
    (re.compile(r"\berrat", re.I), "correction"),
    (re.compile(r"\bletter\b", re.I), "letter"),
)
_MARKERS = re.compile(r"\s*(?:\(\s*(\d+(?:\s*,\s*\d+)*)\s*\)|\^\s*(\d+(?:\s*,\s*\d+)*))\s*$")
_NUMBERED_AFFILIATION = re.compile(r"(?:^|;)\s*\((\d+)\)\s*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MONTHS = {name[:3]: number for number, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), start=1)}
_TERM_SEPARATOR = re.compile(r"\s+-\s+|;")  # EV separates terms with " - ", never a bare hyphen
_CLASSIFICATION = re.compile(r"(?:^|\s-\s|;\s*)(\d{3}(?:\.\d{1,2})?)\b")


def _name_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name).casefold()


def _fields(pairs: list[tuple[str, str]]) -> FieldValues:
    out = FieldValues()
    for label, value in pairs:
        key = LABELS.get(label)
        if key and value and value.strip():
            out.setdefault(key, []).append(value)
    return out


def affiliations_of(text: str | None) -> tuple[list[str], dict[int, int]]:
    """Numbered affiliations -> (list of raw strings, {marker number: index}); unnumbered -> one each."""
    if not text:
        return [], {}
    pieces = _NUMBERED_AFFILIATION.split(text)
    if len(pieces) < 3:
        units = split_list(text, strong=";", weak=";")
        return units, {}
    units, numbers = [], {}
    for number, unit in zip(pieces[1::2], pieces[2::2]):
        unit = clean(unit.strip().rstrip(";"))
        if unit:
            numbers[int(number)] = len(units)
            units.append(unit)
    return units, numbers


def authors_of(text: str | None, numbers: dict[int, int], unit_count: int) -> list[dict]:
    """"Wang, Li (1); Zhang, San (1, 2)" -> authors linked to affiliation indexes by their markers."""
    authors = []
    for item in split_list(text, strong=";", weak=";"):
        match = _MARKERS.search(item)
        markers = []
        if match:
            markers = [int(n) for n in re.findall(r"\d+", match.group(1) or match.group(2))]
            item = item[:match.start()]
        email = _EMAIL.search(item)
        name = clean(_EMAIL.sub("", item).replace("()", ""))
        if not name:
            continue
        links = sorted({numbers[n] for n in markers if n in numbers})
        if not numbers and unit_count == 1:
            links = [0]
        author = {"name": name, "affiliations": links}
        if email:
            author["email"] = email.group(0)
        authors.append(author)
    return authors


def mark_corresponding(authors: list[dict], text: str | None) -> None:
    """"Wang, Li (wangli@dlut.edu.cn)" -> flag the author of that name and keep the e-mail."""
    if not text:
        return
    email = _EMAIL.search(text)
    name = _name_key(re.sub(r"\(.*?\)|" + _EMAIL.pattern, "", text))
    for author in authors:
        if name and _name_key(author["name"]) == name:
            author["is_corresponding"] = True
            if email and "email" not in author:
                author["email"] = email.group(0)
            return


def published_of(value: str | None) -> str | None:
    """"April 15, 2004", "December 2005", "2008-03-01" -> an ISO partial date (month needs a year)."""
    if not value:
        return None
    iso = partial_date(value)
    if iso:
        return iso if len(iso) > 4 else None
    year = year_of(value)
    month = next((number for word in re.findall(r"[A-Za-z]+", value)
                  for prefix, number in _MONTHS.items() if word.casefold().startswith(prefix)), None)
    if not year or not month:
        return None
    day = re.search(r"\b(\d{1,2}),?\s+(?:1[89]|20)\d\d\b", value)
    return partial_date(f"{year}-{month}-{day.group(1)}" if day else f"{year}-{month}")


def funding_of(text: str | None) -> list[dict]:
    """"Number: 51578001, Acronym: NSFC, Sponsor: National Natural Science Foundation of China; ..." """
    out = []
    for entry in split_list(text, strong=";", weak=";"):
        parts = dict(re.findall(r"(Number|Acronym|Sponsor)\s*:\s*([^,]*(?:,(?!\s*(?:Number|Acronym|Sponsor)\s*:)[^,]*)*)",
                                entry))
        funder = clean(parts.get("Sponsor")) or clean(parts.get("Acronym")) or (None if parts else clean(entry))
        if funder:
            grants = [g for g in (clean(x) for x in re.split(r"[,;]", parts.get("Number", ""))) if g]
            out.append({"funder": funder, "grants": grants})
    return out


def work_type(doctype: str | None, fields: FieldValues) -> str:
    if doctype:
        found = next((kind for pattern, kind in _DOCTYPES if pattern.search(doctype)), None)
        if found:
            return found
    if fields.first("conference") or re.search(r"proceedings|conference|symposium|workshop",
                                                 fields.first("source") or "", re.I):
        return "conference_paper"
    return "journal_article" if fields.first("source") else "other"


def build_record(pairs: list[tuple[str, str]], raw: str) -> dict:
    """The canonical record dict for one EI record (not yet validated; may lack a title)."""
    fields = _fields(pairs)
    title = fields.first("title")
    units, numbers = affiliations_of(fields.first("affiliation"))
    authors = authors_of(fields.first("authors"), numbers, len(units))
    mark_corresponding(authors, fields.first("corresponding"))
    accession = fields.first("accession")
    year = year_of(fields.first("year")) or year_of(fields.first("issue_date"))
    venue_title = fields.first("source")
    kind = work_type(fields.first("doctype"), fields)
    identifiers = {"ei_accession": accession.replace(" ", "") if accession else None,
                   "coden": fields.first("coden")}
    conference = None
    if kind == "conference_paper" or fields.first("conference"):
        conference = {"name": fields.first("conference"), "date": fields.first("conference_date"),
                      "location": fields.first("conference_location"), "sponsor": fields.first("sponsor")}
    language = (fields.first("language") or "").casefold()
    language = "en" if language.startswith("english") else "zh" if language.startswith("chinese") else \
        language_of(title)
    controlled = [t for v in fields.get("controlled", []) for t in _TERM_SEPARATOR.split(v)]
    uncontrolled = [t for v in fields.get("uncontrolled", []) for t in _TERM_SEPARATOR.split(v)]
    database = fields.first("database") or ""
    data = {
        "source": "ei",
        "source_id": identifiers["ei_accession"] or fingerprint(title, authors[0]["name"] if authors else None,
                                                                 year, venue_title),
        "type": kind,
        "title": title,
        "title_alt": fields.first("title_alt"),
        "language": language,
        "authors": authors,
        "affiliations": [{"raw": unit} for unit in units],
        "venue": {"title": venue_title, "abbrev": fields.first("abbrev"),
                  "issn": clean_issn(fields.first("issn")), "eissn": clean_issn(fields.first("eissn")),
                  "isbn": next((clean_isbn(v) for v in fields.get("isbn", []) if clean_isbn(v)), None),
                  "publisher": fields.first("publisher")},
        "year": year,
        "published": published_of(fields.first("issue_date")),
        "volume": fields.first("volume"),
        "issue": fields.first("issue"),
        "pages": fields.first("pages"),
        "article_number": fields.first("article_number"),
        "doi": clean_doi(fields.first("doi")),
        "identifiers": identifiers,
        "keywords": terms(controlled, "ei_controlled", "en") + terms(uncontrolled, "ei_uncontrolled", "en"),
        "subjects": terms([m for v in fields.get("classification", []) for m in _CLASSIFICATION.findall(v)],
                          "ei_classification", None),
        "abstract": fields.first("abstract"),
        "funding": funding_of(fields.first("funding")),
        "funding_text": fields.first("funding_text"),
        "indexed_in": ["EI"] if "compendex" in database.casefold() else [],
        "conference": conference,
        "raw": raw,
    }
    published = data["published"]
    if published and data["year"] and int(published[:4]) != data["year"]:
        data["published"] = None
    return compact(data)
