"""From the fields of one CNKI record (any export format) to a canonical ImportRecord dict.

Each format module translates its own tags to the *neutral keys* below; everything after that — types,
authors and their units, identifiers, funds, theses — is decided here, once for all four formats.

Neutral keys (every value is a list of strings, in the order the export gives them):
type, data_type, database (CNKI's 来源库: 期刊/硕士/博士/报纸/...), title, title_alt, author, affiliation,
venue, proceedings, year, date, volume, issue, pages, keyword, keyword_alt, abstract, abstract_alt,
issn, isbn, issn_isbn, cn, notes, call_number, doi, link, filename, degree, work_kind (NoteExpress
"Type of Work": degree or patent number), supervisor, publisher, discipline, place, conference, sponsor,
language, fund, clc, provider.
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from repository.importkit.fields import (FieldValues, clean, clean_doi, clean_isbn, clean_issn, cn_number, compact,
                                         fingerprint, language_of, partial_date, split_list, terms, year_of)
from repository.vocabulary import WORK_TYPES

# CNKI database names (来源库 / SrcDatabase) and product codes (DbName in links) to work types.
_DATABASES = {
    "期刊": "journal_article", "学术期刊": "journal_article", "特色期刊": "journal_article",
    "博士": "doctoral_thesis", "博士论文": "doctoral_thesis", "硕士": "master_thesis", "硕士论文": "master_thesis",
    "报纸": "newspaper_article", "会议": "conference_paper", "国内会议": "conference_paper",
    "国际会议": "conference_paper", "会议论文": "conference_paper", "专利": "patent", "中国专利": "patent",
    "海外专利": "patent", "标准": "standard", "国家标准": "standard", "行业标准": "standard",
    "国外标准": "standard", "图书": "book", "年鉴": "other", "统计年鉴": "other", "成果": "other",
}
_DBNAME_PREFIXES = (
    ("CDFD", "doctoral_thesis"), ("CMFD", "master_thesis"), ("CPFD", "conference_paper"),
    ("IPFD", "conference_paper"), ("CCND", "newspaper_article"), ("SCPD", "patent"), ("SCSF", "standard"),
    ("SCHF", "standard"), ("CYFD", "other"), ("CJF", "journal_article"), ("CAPJ", "journal_article"),
)
_REFERENCE_TYPES = (
    (re.compile(r"journal|jour|期刊", re.I), "journal_article"),
    (re.compile(r"thesis|dissertation|学位", re.I), "thesis"),
    (re.compile(r"conference|proceedings|会议", re.I), "conference_paper"),
    (re.compile(r"newspaper|报纸", re.I), "newspaper_article"),
    (re.compile(r"patent|专利", re.I), "patent"),
    (re.compile(r"standard|标准", re.I), "standard"),
    (re.compile(r"book section|chapter", re.I), "book_chapter"),
    (re.compile(r"book|图书", re.I), "book"),
)
_E_STUDY_DATA_TYPES = {"1": "journal_article", "2": "thesis"}
_DEGREES = ((re.compile(r"博士|doctor|ph\.?d", re.I), "doctoral"), (re.compile(r"硕士|master", re.I), "master"),
            (re.compile(r"学士|bachelor", re.I), "bachelor"))
_LANGUAGES = {"zh": ("chi", "zho", "zh", "cn", "中文", "汉语", "chinese"),
              "en": ("eng", "en", "英文", "英语", "english")}
_FILENAME = re.compile(r"^[A-Z]{2,8}[0-9][A-Z0-9]{5,}$")
_PATENT_NUMBER = re.compile(r"^[A-Z]{2}\d{5,}[A-Z]?\d?$")
_UNIT_NUMBER = re.compile(r"^\s*(?:\[\d+\]|\(\d+\)|（\d+）|\d+[.、．]\s*)")
_UNIT_CODE = re.compile(r"\|\s*JG\d+\s*$")
_CORRESPONDING = re.compile(r"\s*(?:\*|＊|\((?:通讯作者|通信作者)\)|（(?:通讯作者|通信作者)）)\s*$")
_GRANT_LABEL = re.compile(r"^(?:项目)?(?:编号|批准号|资助号|No\.?|Grant(?: No\.?)?)\s*[:：]?\s*", re.I)
_PAREN = re.compile(r"[(（]([^()（）]*)[)）]")
_ABSTRACT_LABEL = re.compile(r"^\s*(?:Abstract|摘要)\s*[:：]?\s*\n", re.I)


def _dbname(link: str | None) -> str | None:
    return _query_param(link, "dbname")


def _query_param(link: str | None, name: str) -> str | None:
    return _query(link).get(name) if link else None


@lru_cache(maxsize=8)  # a record asks its link twice (DbName, FileName); links do not recur across records
def _query(link: str) -> dict[str, str]:
    """The link's query parameters by lower-cased name: the first non-empty value of each."""
    try:
        query = parse_qs(urlsplit(link).query)
    except ValueError:
        return {}
    out: dict[str, str] = {}
    for key, values in query.items():
        if values and values[0].strip():
            out.setdefault(key.lower(), values[0].strip())
    return out


def degree_of(*values: str | None) -> str | None:
    for value in values:
        for pattern, degree in _DEGREES:
            if value and pattern.search(value):
                return degree
    return None


@lru_cache(maxsize=256)
def _reference_kind(reference_type: str) -> str | None:
    """The kind named by a reference type ("Journal Article", "Thesis", "专利"...); few distinct values."""
    return next((kind for pattern, kind in _REFERENCE_TYPES if pattern.search(reference_type)), None)


def work_type(fields: FieldValues, link: str | None) -> str:
    """The Zhiku type: CNKI's database name first (it is the most specific: a NoteExpress "Standard" from
    the 年鉴 database is a yearbook entry), then the reference type, then the product code of the link."""
    found = None
    for database in fields.get("database", ()):
        found = found or _DATABASES.get(clean(database) or "")
    if found is None:
        found = _reference_kind(fields.first("type") or "")
    dbname = (_dbname(link) or "").upper()
    by_dbname = next((kind for prefix, kind in _DBNAME_PREFIXES if dbname.startswith(prefix)), None) \
        if dbname else None
    if found is None:
        found = by_dbname or _E_STUDY_DATA_TYPES.get(fields.first("data_type") or "")
    if found == "thesis":
        degree = degree_of(fields.first("degree", "work_kind"))
        found = {"doctoral": "doctoral_thesis", "master": "master_thesis", "bachelor": "bachelor_thesis"}.get(
            degree, by_dbname if by_dbname in ("doctoral_thesis", "master_thesis") else "other")
    return found if found in WORK_TYPES else "other"


def authors_of(values: list[str]) -> list[dict]:
    """Authors from one field per author or one ";"/","-separated field; a trailing ``*`` or
    ``(通讯作者)`` marks the corresponding author."""
    out = []
    for value in values:
        for name in split_list(value):
            corresponding = bool(_CORRESPONDING.search(name))
            if corresponding:
                name = clean(_CORRESPONDING.sub("", name))
            if name:
                out.append({"name": name, "is_corresponding": corresponding})
    return out


def units_of(values: list[str]) -> list[str]:
    """Affiliation units: split on ";" (never on ",": CNKI writes "单位,城市 邮编"), numbering and the
    CNKI institution code ("|JG001257") removed, duplicates dropped."""
    units = []
    for value in values:
        for unit in split_list(value, strong=";；", weak=";"):
            unit = clean(_UNIT_CODE.sub("", _UNIT_NUMBER.sub("", unit)))
            if unit and unit not in units:
                units.append(unit)
    return units


def link_authors(authors: list[dict], units: list[str]) -> None:
    """CNKI lists units in author order without markers: one unit belongs to every author, and as many
    units as authors pair up by position. Any other shape stays unlinked rather than guessed."""
    if len(units) == 1:
        for author in authors:
            author["affiliations"] = [0]
    elif units and len(units) == len(authors):
        for index, author in enumerate(authors):
            author["affiliations"] = [index]


def funding_of(values: list[str]) -> list[dict]:
    """"国家自然科学基金(61273250,61573001);江苏省自然科学基金(BK20151234)" -> funders with grants."""
    out = []
    for value in values:
        for unit in split_list(value, strong=";；", weak=";"):
            grants = []
            for inner in _PAREN.findall(unit):
                grants.extend(g for g in (clean(_GRANT_LABEL.sub("", part)) for part in re.split("[,，、;]", inner)) if g)
            funder = clean(_PAREN.sub("", unit))
            if funder:
                out.append({"funder": funder, "grants": grants})
    return out


def abstract_of(value: str | None) -> str | None:
    """CNKI abstracts: "(#br)" is a line break, "<正>" marks an excerpt, "Abstract" may prefix English."""
    if not value:
        return None
    value = value.replace("(#br)", "\n").replace("<正>", "")
    value = _ABSTRACT_LABEL.sub("", value)
    lines = [clean(line) for line in value.split("\n")]
    return "\n".join(line for line in lines if line) or None


def language_code(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().strip(";；").casefold()
    return next((code for code, names in _LANGUAGES.items() if value in names), None)


def _number(value: str | None) -> str | None:
    value = clean(value)
    return value.lstrip("0") or "0" if value and value.isdigit() else value


def build_record(fields: FieldValues, raw: str) -> dict:
    """The canonical record dict for one CNKI record (not yet validated; may lack a title)."""
    link = fields.first("link")
    kind = work_type(fields, link)
    title = fields.first("title")
    title_alt = fields.first("title_alt")
    authors = authors_of(fields.get("author", []))
    units = units_of(fields.get("affiliation", []))
    link_authors(authors, units)

    identifiers: dict[str, str] = {}
    filename = fields.first("filename") or _query_param(link, "filename")
    numbers = [number for key in ("call_number", "notes", "work_kind", "isbn", "issn_isbn")
               for value in fields.get(key, ()) if (number := clean(value))]
    cn = cn_number(fields.first("cn")) or next(filter(None, map(cn_number, numbers)), None)
    if filename is None:
        filename = next((v for v in fields.get("call_number", ()) if _FILENAME.match(v.strip())), None)
    if filename:
        identifiers["cnki_filename"] = filename.strip().upper()

    issn = clean_issn(fields.first("issn")) or next(filter(None, map(clean_issn, fields.get("issn_isbn", ()))), None)
    isbn = next(filter(None, map(clean_isbn, fields.get("isbn", []) + fields.get("issn_isbn", []))), None)
    if kind == "standard":
        standard = next((v for v in numbers if not cn_number(v) and not clean_issn(v) and not clean_isbn(v)), None)
        if standard:
            identifiers["standard_number"] = standard
    patent = None
    if kind == "patent":
        number = next((v for v in numbers if _PATENT_NUMBER.match(v)), None)
        if number:
            identifiers["patent_number"] = number
        patent = {"number": number, "applicants": split_list(fields.first("sponsor"))}

    date = fields.first("date")
    year = year_of(fields.first("year")) or year_of(date)
    publisher = fields.first("publisher")
    venue_title = fields.first("venue")
    thesis = None
    if WORK_TYPES.get(kind) == "thesis" or kind == "other" and fields.first("supervisor"):
        thesis = {"degree": degree_of(fields.first("degree", "work_kind"), kind),
                  "discipline": fields.first("discipline"), "supervisor": fields.first("supervisor"),
                  "institution": publisher or venue_title or (units[0] if units else None)}
        publisher = venue_title = None  # a thesis's "source" is its university, not a venue
    conference = None
    if kind == "conference_paper":
        conference = {"name": fields.first("conference"), "location": fields.first("place"),
                      "sponsor": fields.first("sponsor")}
        venue_title = fields.first("proceedings") or venue_title or conference["name"]
    elif kind == "newspaper_article":
        venue_title = venue_title or fields.first("conference") or publisher

    language = language_code(fields.first("language")) or language_of(title)
    venue = {"title": venue_title, "issn": issn, "isbn": isbn, "cn": cn,
             "publisher": publisher if kind not in ("patent",) else None}
    first_author = authors[0]["name"] if authors else None
    source_id = identifiers.get("cnki_filename") or fingerprint(title, first_author, year, venue_title)
    published = partial_date(date)
    data = {
        "source": "cnki",
        "source_id": source_id,
        "type": kind,
        "title": title,
        "title_alt": title_alt,
        "language": language,
        "authors": authors,
        "affiliations": [{"raw": unit} for unit in units],
        "venue": venue,
        "year": year,
        "published": published if published and len(published) > 4 else None,
        "volume": _number(fields.first("volume")),
        "issue": _number(fields.first("issue")),
        "pages": fields.first("pages"),
        "doi": clean_doi(fields.first("doi")),
        "identifiers": identifiers,
        "keywords": terms([t for v in fields.get("keyword", []) for t in split_list(v)], "author")
        + terms([t for v in fields.get("keyword_alt", []) for t in split_list(v)], "author"),
        "subjects": terms([t for v in fields.get("clc", []) for t in split_list(v)], "clc", None),
        "abstract": abstract_of(next(iter(fields.get("abstract", ())), None)),
        "abstract_alt": abstract_of(next(iter(fields.get("abstract_alt", ())), None)),
        "funding": funding_of(fields.get("fund", [])),
        "thesis": thesis,
        "conference": conference,
        "patent": patent,
        "raw": raw,
    }
    return compact(data)
