"""One WoS record (tag -> value) mapped to Zhiku's canonical ImportRecord fields.

Values the schema would reject (an ISSN with a wrong check digit, a malformed DOI, e-mail or ORCID) are
source noise: they are dropped and the record is kept. Only a record that cannot be identified or named
(no UT, no title) is refused, with :class:`MappingError`.
"""
from __future__ import annotations

import re

from marshmallow import ValidationError, validate

from repository.identifiers import normalize_doi, normalize_isbn, normalize_issn, normalize_orcid

from . import affiliations as c1
from . import names
from .codes import editions, language_code, work_type
from .dates import parse_year, partial_date
from .tags import Fields, clean, split_top_level

SOURCE = "wos"

#: Citation counts: tag -> key of ``cited_by``.
_CITED_BY = {"TC": "wos", "Z9": "wos_all", "Z8": "cscd", "ZB": "biosis", "ZR": "rsci", "ZS": "scielo"}
_RESEARCHER_ID = re.compile(r"[A-Z]{1,4}-\d{4}-(?:19|20)\d{2}")
_ORCID = re.compile(r"\d{4}-?\d{4}-?\d{4}-?\d{3}[\dXx]")
_RP = re.compile(r"([^;]*?)\s*\((?:reprint|corresponding) author\)\s*,?\s*([^;]*)", re.IGNORECASE)
_EMAIL_IN_NAME = re.compile(r"\s*\(([^()\s]+@[^()\s]+)\)\s*")
_is_email = validate.Email()


class MappingError(Exception):
    """The record cannot become a canonical record; ``str()`` is the reason shown to users."""


def map_record(fields: Fields, raw: str) -> dict:
    """Return the canonical record for one WoS record's *fields*; raise MappingError when impossible."""
    ut = clean(_text(fields, "UT"))
    if not ut:
        raise MappingError("record without UT")
    title = next(filter(None, (clean(_text(fields, tag)) for tag in ("TI", "Y1", "X1", "Z1"))), None)
    if not title:
        raise MappingError("record without title (TI)")
    database = ut.partition(":")[0].upper() if ":" in ut else "WOS"

    authors, keys = _authors(fields)
    record: dict = {
        "source": SOURCE,
        "source_id": ut,
        "type": work_type(_text(fields, "DT"), _text(fields, "PT")),
        "title": title,
        "authors": authors,
        "affiliations": _affiliations(fields.get("C1") or [], authors, keys),
        "identifiers": {"wos_ut": ut},
        "raw": raw,
    }
    _corresponding(_text(fields, "RP"), authors, keys, record["affiliations"])
    _identities(_text(fields, "OI"), "orcid", authors, keys)
    _identities(_text(fields, "RI"), "researcher_id", authors, keys)
    _emails(_text(fields, "EM"), authors, keys)

    title_alt = next((t for t in (clean(_text(fields, tag)) for tag in ("Y1", "X1", "Z1")) if t and t != title), None)
    pmid = clean(_text(fields, "PM"))
    if pmid and pmid.isdigit():
        record["identifiers"]["pmid"] = pmid

    year = parse_year(_text(fields, "PY"))
    early_year = parse_year(_text(fields, "EY")) or parse_year(_text(fields, "EA"))
    published = partial_date(_text(fields, "PD"), year) if year or _text(fields, "PD") else None
    early_access = partial_date(_text(fields, "EA"), early_year) if _text(fields, "EA") else None
    if year is None and published:
        year = int(published[:4])
    year = year or early_year

    doi = normalize_doi(_text(fields, "DI"))
    if doi is None and record["type"] == "book":
        doi = normalize_doi(_text(fields, "D2"))
    venue = _venue(fields)
    if record["type"] == "book" and venue and venue.get("isbn"):
        record["identifiers"]["isbn"] = venue["isbn"]

    keyword_scheme = "zoorec_descriptor" if database == "ZOOREC" else "author"
    optional = {
        "title_alt": title_alt,
        "language": language_code(_text(fields, "LA")),
        "venue": venue,
        "year": year,
        "published": published,
        "early_access": early_access,
        "volume": clean(_text(fields, "VL")),
        "issue": _issue(fields),
        "pages": _pages(fields),
        "article_number": clean(_text(fields, "AR")),
        "doi": doi,
        "keywords": _terms(fields, "DE", keyword_scheme) + _terms(fields, "ID", "keywords_plus"),
        "subjects": _terms(fields, "WC", "wos_category") + _terms(fields, "SC", "wos_research_area"),
        "abstract": clean(_text(fields, "AB")),
        "funding": _funding(_text(fields, "FU")),
        "funding_text": clean(_text(fields, "FX")),
        "cited_by": _cited_by(fields),
        "indexed_in": editions(_text(fields, "WE")),
        "conference": _conference(fields),
    }
    record.update({key: value for key, value in optional.items() if value})
    return record


def _text(fields: Fields, tag: str) -> str | None:
    value = fields.get(tag)
    if isinstance(value, list):
        return "; ".join(value)
    return value


# --- authors ------------------------------------------------------------------------------------------

def _authors(fields: Fields) -> tuple[list[dict], list[tuple[names.NameKey, ...]]]:
    full = fields.get("AF") or []
    short = fields.get("AU") or []
    if not full and not short:
        full, short = fields.get("BF") or [], fields.get("BA") or []
    if not full:
        full = short
    paired = len(full) == len(short)
    authors, keys = [], []
    for position, name in enumerate(full, start=1):
        name_short = short[position - 1] if paired else None
        email = None
        for form in (name, name_short or ""):
            found = _EMAIL_IN_NAME.search(form)
            if found:  # Zoological Record / BIOSIS: "Stillman, Andrew N. (andrew.stillman@uconn.edu)"
                email = email or _valid_email(found.group(1))
        name = clean(_EMAIL_IN_NAME.sub(" ", name))
        name_short = clean(_EMAIL_IN_NAME.sub(" ", name_short)) if name_short else None
        if not name:
            continue
        authors.append({
            "name": name,
            "name_short": name_short,
            "position": len(authors) + 1,
            "orcid": None,
            "researcher_id": None,
            "email": email,
            "is_corresponding": False,
            "affiliations": [],
        })
        keys.append(tuple(names.name_key(form) for form in (name, name_short) if form))
    return authors, keys


def _valid_email(value: str | None) -> str | None:
    value = (value or "").strip().strip(".,;")
    if not value:
        return None
    try:
        _is_email(value)
    except ValidationError:
        return None
    return value


def _link(name: str, keys, minimum: int = 1) -> list[int]:
    found, top = names.best(name, keys)
    if top < minimum:
        return []
    return found if len(found) == 1 or top == 3 else []


# --- affiliations -------------------------------------------------------------------------------------

def _affiliations(items: list[str], authors: list[dict], keys) -> list[dict]:
    result: list[dict] = []
    index: dict[str, int] = {}

    def add(address: str, linked_names: list[str]) -> None:
        raw = c1.normalize_address(address)
        if not raw:
            return
        if raw not in index:
            index[raw] = len(result)
            result.append({"raw": raw, "country": c1.country(raw)})
        for name in linked_names:
            for author in _link(name, keys):
                if index[raw] not in authors[author]["affiliations"]:
                    authors[author]["affiliations"].append(index[raw])

    # Zoological Record and BIOSIS write "Name; Address" (plain text: one line; tab-delimited: two items).
    pending: list[str] = []
    for item in items:
        bracket_names, address = c1.split_brackets(item)
        if bracket_names:
            add(address, bracket_names)
            continue
        for chunk in c1.chunks(address) or [address]:
            if "," in chunk and len(chunk) < 80 and _link(chunk, keys, minimum=2):
                pending.append(chunk)
            else:
                add(chunk, pending)
                pending = []
    return result


# --- corresponding author, identities, e-mails --------------------------------------------------------

def _corresponding(value: str | None, authors: list[dict], keys, affiliations: list[dict]) -> None:
    if not value or not authors:
        return
    entries = [(m.group(1).strip(), m.group(2)) for m in _RP.finditer(value)]
    minimum = 1
    if not entries:
        # pre-2008 form without the "(reprint author)" marker: "Surname, Initials, Address"
        parts = value.split(",")
        entries = [(f"{parts[0]},{parts[1]}", ",".join(parts[2:]))] if len(parts) >= 2 else []
        minimum = 2
    for name, address in entries:
        found, top = names.best(name, keys)
        if len(found) > 1:
            found = _narrow_by_address(found, address, authors, affiliations) or []
        if len(found) == 1 and top >= minimum:
            authors[found[0]]["is_corresponding"] = True


def _narrow_by_address(candidates: list[int], address: str, authors, affiliations) -> list[int] | None:
    place = names.fold(address)
    chosen = [i for i in candidates
              if any(names.fold(affiliations[a]["raw"].split(",")[0]) in place for a in authors[i]["affiliations"])]
    return chosen if len(chosen) == 1 else None


def _identities(value: str | None, field: str, authors: list[dict], keys) -> None:
    """Attach OI (ORCID) or RI (ResearcherID) values, written ``"Name/ID; Name/ID"`` (or a bare ID)."""
    if not value or not authors:
        return
    pattern = _ORCID if field == "orcid" else _RESEARCHER_ID
    for entry in split_top_level(value):
        found = None
        for found in pattern.finditer(entry):
            pass  # the last ID of the entry: a name never ends with one
        if found is None:
            continue
        identifier = found.group(0)
        if field == "orcid":
            identifier = normalize_orcid(identifier)
            if identifier is None:
                continue
        name = entry[: found.start()].strip().rstrip("/,").strip()
        owners = _link(name, keys) if name else ([0] if len(authors) == 1 else [])
        if len(owners) == 1 and authors[owners[0]][field] is None:
            authors[owners[0]][field] = identifier


def _emails(value: str | None, authors: list[dict], keys) -> None:
    if not value or not authors:
        return
    emails = [e for e in (_valid_email(part) for part in re.split(r"[;,\s]+", value)) if e]
    known = {a["email"] for a in authors if a["email"]}
    left = []
    for email in emails:
        if email in known:
            continue
        owners = [i for i in names.email_owner(email, keys) if authors[i]["email"] is None]
        if len(owners) == 1:
            authors[owners[0]]["email"] = email
            known.add(email)
        else:
            left.append(email)
    # one unexplained address and one corresponding author without one: it is theirs
    open_corresponding = [a for a in authors if a["is_corresponding"] and a["email"] is None]
    if len(left) == 1 and len(open_corresponding) == 1:
        open_corresponding[0]["email"] = left[0]
    elif len(left) == 1 and len(authors) == 1 and authors[0]["email"] is None:
        authors[0]["email"] = left[0]


# --- the rest -----------------------------------------------------------------------------------------

def _venue(fields: Fields) -> dict | None:
    isbn = None
    for part in re.split(r"[;,]", _text(fields, "BN") or ""):
        isbn = normalize_isbn(part)
        if isbn:
            break
    venue = {
        "title": clean(_text(fields, "SO")),
        "abbrev": clean(_text(fields, "J9")) or clean(_text(fields, "JI")),
        "issn": normalize_issn(_text(fields, "SN")),
        "eissn": normalize_issn(_text(fields, "EI")),
        "isbn": isbn,
        "publisher": clean(_text(fields, "PU")),
    }
    return venue if any(venue.values()) else None


def _issue(fields: Fields) -> str | None:
    issue = clean(_text(fields, "IS"))
    supplement = clean(_text(fields, "SU"))
    if supplement:
        return f"{issue} Suppl. {supplement}" if issue else f"Suppl. {supplement}"
    return issue


def _pages(fields: Fields) -> str | None:
    first, last = clean(_text(fields, "BP")), clean(_text(fields, "EP"))
    if first and last and first != last:
        return f"{first}-{last}"
    return first or last or clean(_text(fields, "PS"))


def _terms(fields: Fields, tag: str, scheme: str) -> list[dict]:
    terms, seen = [], set()
    for item in split_top_level(_text(fields, tag) or ""):
        term = clean(item)
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            terms.append({"term": term, "scheme": scheme})
    return terms


def _funding(value: str | None) -> list[dict]:
    """``"Funder A [g1, g2]; Funder B"`` -> ``[{"funder": "Funder A", "grants": ["g1", "g2"]}, ...]``."""
    funding = []
    for item in split_top_level(value or ""):
        grants = [g.strip() for group in re.findall(r"\[([^\]]*)\]", item) for g in re.split(r"[,;]", group)]
        funder = clean(re.sub(r"\[[^\]]*\]?", " ", item))
        if funder:
            funding.append({"funder": funder, "grants": [g for g in grants if g]})
    return funding


def _cited_by(fields: Fields) -> dict:
    counts = {}
    for tag, key in _CITED_BY.items():
        value = (_text(fields, tag) or "").strip()
        if value.isdigit():
            counts[key] = int(value)
    return counts


def _conference(fields: Fields) -> dict | None:
    conference = {
        "name": clean(_text(fields, "CT")),
        "location": clean(_text(fields, "CL")),
        "date": clean(_text(fields, "CY")),
        "sponsor": clean(_text(fields, "SP")),
    }
    return conference if any(conference.values()) else None
