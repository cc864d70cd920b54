"""Small value cleaners for importer mappings (text, lists, dates, identifiers, source ids).

They never raise: a value that cannot be cleaned becomes None and the record goes on without it, because
one malformed ISSN must not cost the user the whole record.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

from repository.identifiers import normalize_doi, normalize_isbn, normalize_issn

#: CJK ideographs (URO, extension A, compatibility ideographs, extension B+ planes).
CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")
_YEAR = re.compile(r"(?<!\d)(1[0-9]\d\d|2[0-9]\d\d)(?!\d)")
_DATE = re.compile(r"^\s*(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2}))?)?")
_FINGERPRINT_DROP = re.compile(r"[\W_]+", re.UNICODE)
_CN_NUMBER = re.compile(r"^(?:CN\s*)?(\d{2}-\d{4}(?:/[A-Z0-9.]+)?)$", re.IGNORECASE)


def clean(value: str | None) -> str | None:
    """Collapse whitespace; return None for empty values."""
    if value is None:
        return None
    value = _SPACES.sub(" ", value).strip()  # an ideographic space inside a title is kept
    return value or None


def split_list(value: str | None, strong: str = ";；", weak: str = ",，") -> list[str]:
    """Split a list value on its *strong* separators, or on its *weak* ones when it has no strong one.

    CNKI writes ``a;b;``, ``a;;b`` and sometimes ``a,b,``; the weak separator is used only when no strong
    one occurs, so that "Brownfield, urban" inside a ``;`` list stays one item.
    """
    if not value:
        return []
    separators = strong if any(ch in value for ch in strong) else weak
    parts = re.split("[" + re.escape(separators) + "]", value)
    return [item for item in (clean(part) for part in parts) if item]


def has_cjk(text: str | None) -> bool:
    return bool(text and CJK.search(text))


def language_of(text: str | None) -> str | None:
    """"zh" when *text* has CJK ideographs, "en" when it has Latin letters, else None."""
    if not text:
        return None
    if has_cjk(text):
        return "zh"
    return "en" if re.search("[A-Za-z]", text) else None


def year_of(value: str | None) -> int | None:
    """The first plausible four-digit year in *value*."""
    if not value:
        return None
    match = _YEAR.search(value)
    return int(match.group(1)) if match else None


def partial_date(value: str | None) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` from "2021-01-15 16:54", "2019/3/7", "2018年5月"; else None."""
    if not value:
        return None
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    if not 1000 <= int(year) <= 2999:
        return None
    parts = [year] + [f"{int(part):02d}" for part in (month, day) if part]
    return "-".join(parts)


def clean_doi(value: str | None) -> str | None:
    return normalize_doi(clean(value))


def clean_issn(value: str | None) -> str | None:
    return normalize_issn(clean(value))


def clean_isbn(value: str | None) -> str | None:
    return normalize_isbn(clean(value))


def cn_number(value: str | None) -> str | None:
    """The Chinese serial number ("11-2109/TP") when *value* is one, else None."""
    value = clean(value)
    match = _CN_NUMBER.match(value) if value else None
    return match.group(1).upper() if match else None


def terms(values: list[str], scheme: str, lang: str | None = "guess") -> list[dict]:
    """Keyword/subject dicts, de-duplicated in order; ``lang="guess"`` takes it from each term's script."""
    seen, out = set(), []
    for value in values:
        term = clean(value)
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            out.append({"term": term, "scheme": scheme, "lang": language_of(term) if lang == "guess" else lang})
    return out


def fingerprint(title: str | None, first_author: str | None, year: int | str | None,
                venue: str | None) -> str:
    """A stable source id for a record that carries none: ``fp:`` + 24 hex digits of SHA-1.

    The input is the title, first author, year and venue, each NFKC-normalized, case-folded and stripped
    of whitespace and punctuation, joined with "|": re-exporting the same record (in another format or
    encoding, with other line endings) gives the same id.
    """
    def norm(part) -> str:
        text = unicodedata.normalize("NFKC", str(part or "")).casefold()
        return _FINGERPRINT_DROP.sub("", text)

    key = "|".join(norm(part) for part in (title, first_author, year, venue))
    return "fp:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:24]


def compact(data: dict) -> dict:
    """Drop keys whose value is None or empty (recursively for dicts), keep 0 and False."""
    out = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = compact(value)
        if value is None or value == "" or value == [] or value == {}:
            continue
        out[key] = value
    return out
