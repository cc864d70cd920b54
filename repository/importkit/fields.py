"""Small value cleaners for importer mappings (text, lists, dates, identifiers, source ids).

They never raise: a value that cannot be cleaned becomes None and the record goes on without it, because
one malformed ISSN must not cost the user the whole record.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from functools import lru_cache

from repository.identifiers import normalize_doi, normalize_isbn, normalize_issn

#: CJK ideographs (URO, extension A, compatibility ideographs, extension B+ planes).
CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LATIN = re.compile("[A-Za-z]")
_SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")
_YEAR = re.compile(r"(?<!\d)(1[0-9]\d\d|2[0-9]\d\d)(?!\d)")
_DATE = re.compile(r"^\s*(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2}))?)?")
_FINGERPRINT_DROP = re.compile(r"[\W_]+", re.UNICODE)
_CN_NUMBER = re.compile(r"^(?:CN\s*)?(\d{2}-\d{4}(?:/[A-Z0-9.]+)?)$", re.IGNORECASE)


def clean(value: str | None) -> str | None:
    """Collapse whitespace; return None for empty values."""
    if not value:
        return None
    # A printable value without a double space has nothing to collapse (tabs, line ends and no-break
    # spaces are not printable), and most values are like that: skip the substitution for them.
    if "  " in value or not value.isprintable():
        value = _SPACES.sub(" ", value)
    value = value.strip()  # an ideographic space inside a title is kept
    return value or None


_UNSEEN = object()


class FieldValues(dict):
    """A record's values grouped by key (each a list of strings, in file order), as a mapping reads them.

    ``first(*keys)`` is the first non-empty cleaned value of the first key that has one; it is asked for
    the same keys many times per record, so each key's answer is computed once.
    """

    __slots__ = ("_firsts",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._firsts: dict[str, str | None] = {}

    def first(self, *keys: str) -> str | None:
        """The first non-empty value (whitespace collapsed) of any of *keys*, tried in order."""
        firsts = self._firsts
        for key in keys:
            found = firsts.get(key, _UNSEEN)
            if found is _UNSEEN:
                found = None
                for value in self.get(key, ()):
                    found = clean(value)
                    if found:
                        break
                firsts[key] = found
            if found:
                return found
        return None


@lru_cache(maxsize=64)
def _splitter(separators: str) -> re.Pattern:
    return re.compile("[" + re.escape(separators) + "]")


def split_list(value: str | None, strong: str = ";；", weak: str = ",，") -> list[str]:
    """Split a list value on its *strong* separators, or on its *weak* ones when it has no strong one.

    CNKI writes ``a;b;``, ``a;;b`` and sometimes ``a,b,``; the weak separator is used only when no strong
    one occurs, so that "Brownfield, urban" inside a ``;`` list stays one item.
    """
    if not value:
        return []
    splitter = _splitter(strong)
    if not splitter.search(value):
        splitter = _splitter(weak)
    return list(filter(None, map(clean, splitter.split(value))))


def has_cjk(text: str | None) -> bool:
    return bool(text and CJK.search(text))


def language_of(text: str | None) -> str | None:
    """"zh" when *text* has CJK ideographs, "en" when it has Latin letters, else None."""
    if not text:
        return None
    if has_cjk(text):
        return "zh"
    return "en" if _LATIN.search(text) else None


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


# The serial identifiers below recur on every article of a journal, so their checks are memoised.
_SERIAL_CACHE = 4096


def clean_doi(value: str | None) -> str | None:
    """The normalized DOI in *value*, or None."""
    return normalize_doi(clean(value))


@lru_cache(maxsize=_SERIAL_CACHE)
def clean_issn(value: str | None) -> str | None:
    """The ISSN ``NNNN-NNNC`` in *value* when its check digit is right, else None."""
    return normalize_issn(clean(value))


@lru_cache(maxsize=_SERIAL_CACHE)
def clean_isbn(value: str | None) -> str | None:
    """The ISBN-10/13 in *value* (digits only) when its check digit is right, else None."""
    return normalize_isbn(clean(value))


@lru_cache(maxsize=_SERIAL_CACHE)
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
        if not term:
            continue
        folded = term.casefold()
        if folded not in seen:
            seen.add(folded)
            out.append({"term": term, "scheme": scheme, "lang": _term_language(term) if lang == "guess" else lang})
    return out


@lru_cache(maxsize=8192)
def _term_language(term: str) -> str | None:
    # Keywords recur across a file's records ("深度学习"); titles and abstracts do not, so only terms are cached.
    return language_of(term)


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
        if value or not (value is None or value == "" or value == [] or value == {}):
            out[key] = value
    return out
