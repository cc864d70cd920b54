"""One WoS record (tag -> value) mapped to Zhiku's canonical ImportRecord fields.

Values the schema would reject (an ISSN with a wrong check digit, a malformed DOI, e-mail or ORCID) are
source noise: they are dropped and the record is kept. Only a record that cannot be identified or named
(no UT, no title) is refused, with :class:`MappingError`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from marshmallow import ValidationError, validate

from repository.identifiers import normalize_doi, normalize_isbn, normalize_issn, normalize_orcid

from . import affiliations as c1
from . import names
from .codes import editions, language_code, work_type
from .dates import parse_year, partial_date
from .tags import Fields, clean, split_top_level

SOURCE = "wos"

#: Citation counts: tag -> key of ``cited_by``.
_CITED_BY = (("TC", "wos"), ("Z9", "wos_all"), ("Z8", "cscd"), ("ZB", "biosis"), ("ZR", "rsci"), ("ZS", "scielo"))
_CONFERENCE_TAGS = frozenset({"CT", "CL", "CY", "SP"})
_VENUE_KEYS = ("title", "abbrev", "issn", "eissn", "isbn", "publisher")
_RESEARCHER_ID = re.compile(r"[A-Z]{1,4}-\d{4}-(?:19|20)\d{2}")
_ORCID = re.compile(r"\d{4}-?\d{4}-?\d{4}-?\d{3}[\dXx]")
_RP = re.compile(r"([^;]*?)\s*\((?:reprint|corresponding) author\)\s*,?\s*([^;]*)", re.IGNORECASE)
_EMAIL_IN_NAME = re.compile(r"\s*\(([^()\s]+@[^()\s]+)\)\s*")
_EMAIL_SEPARATORS = re.compile(r"[;,\s]+")
_ISBN_SEPARATORS = re.compile(r"[;,]")
_GRANTS = re.compile(r"\[([^\]]*)\]")
_GRANT_SEPARATORS = re.compile(r"[,;]")
_BRACKETED = re.compile(r"\[[^\]]*\]?")
_is_email = validate.Email()


class MappingError(Exception):
    """The record cannot become a canonical record; ``str()`` is the reason shown to users."""


def map_record(fields: Fields, raw: str) -> dict:
    """Return the canonical record for one WoS record's *fields*; raise MappingError when impossible.

    What recurs across a batch (journals, document types, languages, dates, categories, addresses, and in
    names.py author names) is worked out once and then taken from small bounded caches; what belongs to
    one record (titles, abstracts, DOIs, author lists) is not cached.
    """
    get = fields.get  # every tag but the LIST_TAGS holds one string
    ut = clean(get("UT"))
    if not ut:
        raise MappingError("record without UT")
    title = clean(get("TI"))
    title_alt = None
    if "Y1" in fields or "X1" in fields or "Z1" in fields:
        alternatives = (clean(get("Y1")), clean(get("X1")), clean(get("Z1")))
        title = title or next(filter(None, alternatives), None)
        title_alt = next((t for t in alternatives if t and t != title), None)
    if not title:
        raise MappingError("record without title (TI)")
    database = ut.partition(":")[0].upper() if ":" in ut else "WOS"

    authors, author_names = _authors(get)
    addresses = get("C1")
    affiliations = _affiliations(addresses, authors, author_names) if addresses else []
    identifiers = {"wos_ut": ut}
    work = work_type(get("DT"), get("PT"))
    record: dict = {
        "source": SOURCE,
        "source_id": ut,
        "type": work,
        "title": title,
        "authors": authors,
        "affiliations": affiliations,
        "identifiers": identifiers,
        "raw": raw,
    }
    if authors:
        value = get("RP")
        if value:
            _corresponding(value, authors, author_names, affiliations)
        value = get("OI")
        if value:
            _identities(value, "orcid", authors, author_names)
        value = get("RI")
        if value:
            _identities(value, "researcher_id", authors, author_names)
        value = get("EM")
        if value:
            _emails(value, authors, author_names)

    pmid = clean(get("PM"))
    if pmid and pmid.isdigit():
        identifiers["pmid"] = pmid

    date, early = get("PD"), get("EA")
    year = parse_year(get("PY"))
    early_year = parse_year(get("EY")) or parse_year(early)
    published = partial_date(date, year) if year or date else None
    early_access = partial_date(early, early_year) if early else None
    if year is None and published:
        year = int(published[:4])
    year = year or early_year

    doi = normalize_doi(get("DI"))
    if doi is None and work == "book":
        doi = normalize_doi(get("D2"))
    venue = _venue(get("SO"), get("J9"), get("JI"), get("SN"), get("EI"), get("BN"), get("PU"))
    if venue is not None:
        venue = dict(zip(_VENUE_KEYS, venue))
        if work == "book" and venue["isbn"]:
            identifiers["isbn"] = venue["isbn"]

    keyword_scheme = "zoorec_descriptor" if database == "ZOOREC" else "author"
    optional = {
        "title_alt": title_alt,
        "language": language_code(get("LA")),
        "venue": venue,
        "year": year,
        "published": published,
        "early_access": early_access,
        "volume": clean(get("VL")),
        "issue": _issue(get("IS"), get("SU")),
        "pages": _pages(get("BP"), get("EP"), get("PS")),
        "article_number": clean(get("AR")),
        "doi": doi,
        "keywords": _terms(get("DE"), keyword_scheme) + _terms(get("ID"), "keywords_plus"),
        "subjects": _terms(get("WC"), "wos_category", _categories) + _terms(get("SC"), "wos_research_area",
                                                                            _categories),
        "abstract": clean(get("AB")),
        "funding": _funding(get("FU")),
        "funding_text": clean(get("FX")),
        "cited_by": _cited_by(get),
        "indexed_in": editions(get("WE")),
        "conference": _conference(get) if fields.keys() & _CONFERENCE_TAGS else None,
    }
    for key, value in optional.items():
        if value:
            record[key] = value
    return record


# --- authors ------------------------------------------------------------------------------------------

def _authors(get) -> tuple[list[dict], names.AuthorNames]:
    full = get("AF") or []
    short = get("AU") or []
    if not full and not short:
        full, short = get("BF") or [], get("BA") or []
    if not full:
        full = short
    paired = len(full) == len(short)
    authors, forms = [], []
    name_key = names.name_key
    for position, name in enumerate(full):
        name_short = short[position] if paired else None
        email = None
        if "@" in name or name_short and "@" in name_short:
            for form in (name, name_short or ""):
                found = _EMAIL_IN_NAME.search(form)
                if found:  # Zoological Record / BIOSIS: "Stillman, Andrew N. (andrew.stillman@uconn.edu)"
                    email = email or _valid_email(found.group(1))
            name = _EMAIL_IN_NAME.sub(" ", name)
            name_short = _EMAIL_IN_NAME.sub(" ", name_short) if name_short else None
        same = name_short is name  # AU alone: the short name is the name
        name = clean(name)
        if not name:
            continue
        key = name_key(name)
        if same:
            name_short = name
        else:
            name_short = clean(name_short) if name_short else None
        forms.append((key, name_key(name_short)) if name_short and name_short != name else (key,))
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
    return authors, names.AuthorNames(forms)


def _valid_email(value: str | None) -> str | None:
    value = (value or "").strip().strip(".,;")
    if not value:
        return None
    try:
        _is_email(value)
    except ValidationError:
        return None
    return value


def _link(name: str, author_names: names.AuthorNames, minimum: int = 1) -> list[int]:
    found, top = author_names.best(name)
    if top < minimum:
        return []
    return found if len(found) == 1 or top == 3 else []


# --- affiliations -------------------------------------------------------------------------------------

def _affiliations(items: list[str], authors: list[dict], author_names: names.AuthorNames) -> list[dict]:
    result: list[dict] = []
    index: dict[str, int] = {}

    def add(address: str, linked_names: list[str]) -> None:
        raw, country = _address(address)
        if not raw:
            return
        position = index.get(raw)
        if position is None:
            position = index[raw] = len(result)
            result.append({"raw": raw, "country": country})
        for name in linked_names:
            for author in _link(name, author_names):
                links = authors[author]["affiliations"]
                if position not in links:
                    links.append(position)

    # Zoological Record and BIOSIS write "Name; Address" (plain text: one line; tab-delimited: two items).
    pending: list[str] = []
    for item in items:
        bracket_names, address = c1.split_brackets(item)
        if bracket_names:
            add(address, bracket_names)
            continue
        for chunk in c1.chunks(address) or [address]:
            if "," in chunk and len(chunk) < 80 and _link(chunk, author_names, minimum=2):
                pending.append(chunk)
            else:
                add(chunk, pending)
                pending = []
    return result


@lru_cache(maxsize=16384)  # an institution's addresses recur across a batch; bounded, so memory stays flat
def _address(address: str) -> tuple[str | None, str | None]:
    """The stored form of a C1 address and its country."""
    raw = c1.normalize_address(address)
    return (raw, c1.country(raw)) if raw else (None, None)


# --- corresponding author, identities, e-mails --------------------------------------------------------

def _corresponding(value: str, authors: list[dict], author_names: names.AuthorNames, affiliations: list[dict]) -> None:
    entries = [(m.group(1).strip(), m.group(2)) for m in _RP.finditer(value)]
    minimum = 1
    if not entries:
        # pre-2008 form without the "(reprint author)" marker: "Surname, Initials, Address"
        parts = value.split(",")
        entries = [(f"{parts[0]},{parts[1]}", ",".join(parts[2:]))] if len(parts) >= 2 else []
        minimum = 2
    for name, address in entries:
        found, top = author_names.best(name)
        if len(found) > 1:
            found = _narrow_by_address(found, address, authors, affiliations) or []
        if len(found) == 1 and top >= minimum:
            authors[found[0]]["is_corresponding"] = True


def _narrow_by_address(candidates: list[int], address: str, authors, affiliations) -> list[int] | None:
    place = names.fold(address)
    chosen = [i for i in candidates
              if any(names.fold(affiliations[a]["raw"].split(",")[0]) in place for a in authors[i]["affiliations"])]
    return chosen if len(chosen) == 1 else None


def _identities(value: str, field: str, authors: list[dict], author_names: names.AuthorNames) -> None:
    """Attach OI (ORCID) or RI (ResearcherID) values, written ``"Name/ID; Name/ID"`` (or a bare ID)."""
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
        owners = _link(name, author_names) if name else ([0] if len(authors) == 1 else [])
        if len(owners) == 1 and authors[owners[0]][field] is None:
            authors[owners[0]][field] = identifier


def _emails(value: str, authors: list[dict], author_names: names.AuthorNames) -> None:
    emails = [e for e in (_valid_email(part) for part in _EMAIL_SEPARATORS.split(value)) if e]
    known = {a["email"] for a in authors if a["email"]}
    left = []
    for email in emails:
        if email in known:
            continue
        owners = [i for i in names.email_owner(email, author_names.forms) if authors[i]["email"] is None]
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

@lru_cache(maxsize=8192)  # a batch has a few thousand journals, each on many records
def _venue(title, j9, ji, issn, eissn, isbn_text, publisher) -> tuple | None:
    """The venue's values in the order of ``_VENUE_KEYS``, from SO, J9, JI, SN, EI, BN and PU; None when
    it has none."""
    isbn = None
    for part in _ISBN_SEPARATORS.split(isbn_text or ""):
        isbn = normalize_isbn(part) if part else None
        if isbn:
            break
    venue = (clean(title), clean(j9) or clean(ji), normalize_issn(issn), normalize_issn(eissn), isbn,
             clean(publisher))
    return venue if any(venue) else None


def _issue(issue: str | None, supplement: str | None) -> str | None:
    issue = clean(issue)
    supplement = clean(supplement)
    if supplement:
        return f"{issue} Suppl. {supplement}" if issue else f"Suppl. {supplement}"
    return issue


def _pages(first: str | None, last: str | None, count: str | None) -> str | None:
    first, last = clean(first), clean(last)
    if first and last and first != last:
        return f"{first}-{last}"
    return first or last or clean(count)


def _term_texts(value: str) -> tuple[str, ...]:
    """The distinct terms of a ``;`` list (whitespace collapsed, compared case-insensitively), in order."""
    terms, seen = [], set()
    for item in split_top_level(value):  # items are stripped and not empty
        term = " ".join(item.split())
        folded = term.casefold()
        if folded not in seen:
            seen.add(folded)
            terms.append(term)
    return tuple(terms)


#: WoS categories and research areas come from a list of about 250: their lists recur across a batch.
_categories = lru_cache(maxsize=4096)(_term_texts)


def _terms(value: str | None, scheme: str, texts=_term_texts) -> list[dict]:
    return [{"term": term, "scheme": scheme} for term in texts(value)] if value else []


def _funding(value: str | None) -> list[dict]:
    """``"Funder A [g1, g2]; Funder B"`` -> ``[{"funder": "Funder A", "grants": ["g1", "g2"]}, ...]``."""
    funding = []
    if not value:
        return funding
    for item in split_top_level(value):
        if "[" in item:
            grants = [g.strip() for group in _GRANTS.findall(item) for g in _GRANT_SEPARATORS.split(group)]
            funder = clean(_BRACKETED.sub(" ", item))
        else:
            grants, funder = [], clean(item)
        if funder:
            funding.append({"funder": funder, "grants": [g for g in grants if g]})
    return funding


def _cited_by(get) -> dict:
    counts = {}
    for tag, key in _CITED_BY:
        value = get(tag)
        if value and value.isdigit():
            counts[key] = int(value)
    return counts


def _conference(get) -> dict | None:
    conference = {
        "name": clean(get("CT")),
        "location": clean(get("CL")),
        "date": clean(get("CY")),
        "sponsor": clean(get("SP")),
    }
    return conference if any(conference.values()) else None
