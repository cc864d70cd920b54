"""Affiliation strings -> addresses -> parts (org hierarchy), city, postcode, country.

Handles the forms the importers and users hand over: WoS C1 (``[Zhang, San; Li, Si] Dalian Univ Technol,
Sch Chem Engn, Dalian 116024, Peoples R China``, several bracketed groups in one line), EI numbered lists
(``(1) School of ..., China; (2) ...``), CNKI units (``大连理工大学化工学院,辽宁大连116024``, several joined by
``;``) and plain publisher strings.
"""
from __future__ import annotations

import html
import re
from collections.abc import Collection
from dataclasses import dataclass

from .abbreviations import KIND_WORDS
from .text import fold, has_cjk, tokens

_GROUP = re.compile(r"\[([^\]]*)\]\s*([^\[]*)")
_NUMBERED = re.compile(r"(?:^|;)\s*\((\d+)\)\s*")
_POSTCODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
_DIGITS = re.compile(r"\d+")
_PART_SPLIT = re.compile(r"[,，、]|\s+-\s+")
_CJK_PART_SPLIT = re.compile(r"[,，、\s]+")
_PAREN = re.compile(r"\(([^()]*)\)")
_EMAIL = re.compile(r"\S+@\S+")
_ACRONYM = re.compile(r"[A-Z][A-Z&-]{1,9}")
#: Words run together by a lost line break: "School of EngineeringNanchang University", "ofTianjin".
_GLUED = re.compile(r"([a-z]{2})([A-Z][a-z])")
_WORD = re.compile(r"[A-Za-z]+")
#: Export debris, markup, and footnote numbers glued to a name ("1Ningbo University").
_JUNK = re.compile(r"#TAB#|<[^>]+>|(?<![\w-])\d{1,2}(?=[A-Z][a-z])")

#: Folded spellings of the countries found at the end of Chinese affiliations (and a few frequent others).
COUNTRIES = {
    "china": "CN", "peoples r china": "CN", "pr china": "CN", "p r china": "CN", "prc": "CN",
    "peoples republic of china": "CN", "the peoples republic of china": "CN", "p r c": "CN", "中国": "CN",
    "中华人民共和国": "CN", "taiwan": "TW", "taiwan roc": "TW", "roc": "TW", "republic of china": "TW",
    "hong kong": "HK", "hong kong sar": "HK", "hong kong sar china": "HK", "hong kong china": "HK",
    "macau": "MO", "macao": "MO", "macau sar": "MO", "usa": "US", "united states": "US",
    "united states of america": "US", "uk": "GB", "united kingdom": "GB", "england": "GB", "scotland": "GB",
    "japan": "JP", "south korea": "KR", "korea": "KR", "singapore": "SG", "germany": "DE", "france": "FR",
    "canada": "CA", "australia": "AU", "netherlands": "NL", "italy": "IT", "spain": "ES", "sweden": "SE",
    "switzerland": "CH", "india": "IN", "russia": "RU",
}


@dataclass(frozen=True)
class Address:
    """One affiliation: its org parts (most general last, as written), place and the authors it names."""

    raw: str
    parts: tuple[str, ...]
    city: str | None = None
    postcode: str | None = None
    country: str | None = None
    authors: tuple[str, ...] = ()

    @property
    def is_chinese(self) -> bool:
        return has_cjk(self.raw)


def _unglue(text: str, known_words: Collection[str]) -> str:
    """Split words run together by a lost line break, except names written in camel case on purpose
    ("ShanghaiTech", "XinJiang"): a word whose lower-case form is in *known_words* stays whole."""
    def split(found: re.Match) -> str:
        word = found.group(0)
        return word if word.lower() in known_words else _GLUED.sub(r"\1 \2", word)
    return _WORD.sub(split, text)


def split_affiliations(text: str, known_words: Collection[str] = ()) -> list[tuple[tuple[str, ...], str]]:
    """Split one line into ``(author names, address)`` pairs: C1 groups, EI numbers, ``;`` lists
    (*known_words*: lower-case words never split apart, see ``_unglue``)."""
    text = " ".join(_unglue(_JUNK.sub(" ", html.unescape(text)), known_words).split())
    if text.startswith("[") and text.endswith("]") and text.count("[") == 1:
        text = text[1:-1]  # a whole address in brackets, not a C1 author group
    if "[" in text and "]" in text:
        groups = [(tuple(n.strip() for n in names.split(";") if n.strip()), address.strip(" ;."))
                  for names, address in _GROUP.findall(text)]
        return [(names, address) for names, address in groups if address]
    if _NUMBERED.match(text):
        return [((), piece.strip(" ;.")) for piece in _NUMBERED.split(text)[2::2] if piece.strip(" ;.")]
    pieces = [piece.strip(" .") for piece in re.split(r"[;；]", text)]
    return [((), piece) for piece in pieces if piece]


def _place(part: str) -> tuple[str | None, str | None, str]:
    """(city, postcode, rest) of a part that holds a postcode, e.g. ``"Dalian 116024"``, ``"辽宁大连116024"``."""
    found = _POSTCODE.search(part)
    if not found:
        return None, None, part
    before, after = part[:found.start()].strip(" ."), part[found.end():].strip(" .")
    short = len(before) <= 12 if has_cjk(before) else len(before.split()) <= 3
    if short and not after:
        return before or None, found.group(1), ""
    # an address written without commas: keep the org text, drop the postcode and what follows it
    return None, found.group(1), before


def _paren_as_part(match: re.Match) -> str:
    """A bracketed country or acronym is a part of its own: "Lanzhou (China)", "Chinese Academy of Sciences (CAS)"."""
    inner = match.group(1).strip()
    return ", " + inner if fold(inner) in COUNTRIES or _ACRONYM.fullmatch(inner) else match.group(0)


def _split_slash(piece: str) -> list[str]:
    """Units joined by a slash are parts of their own ("Nanfang Hospital/School of Basic Medical Sciences"),
    words are not ("Micro/Nano Fabrication", "IDG/McGovern Institute")."""
    halves = piece.split("/")
    if len(halves) > 1 and all(KIND_WORDS.intersection(tokens(half)) and len(half.split()) > 1 for half in halves):
        return halves
    return [piece]


def parse_address(address: str, authors: tuple[str, ...] = ()) -> Address:
    """Parse one address into parts, city, postcode and country."""
    address = _EMAIL.sub(" ", address)
    if has_cjk(address):
        pieces = [p for p in _CJK_PART_SPLIT.split(address) if p]
    else:
        # "Lanzhou (China)", "China University of Petroleum (East China)": a bracketed country is a part
        address = _PAREN.sub(_paren_as_part, address)
        pieces = [p.strip(" .;:") for piece in _PART_SPLIT.split(address) for p in _split_slash(piece)]
    pieces = [p for p in pieces if p]
    country = city = postcode = None
    parts: list[str] = []
    for piece in pieces:
        folded = fold(_DIGITS.sub(" ", piece))
        if folded in COUNTRIES:
            country = COUNTRIES[folded]
            continue
        place_city, place_code, rest = _place(piece)
        if place_code:
            postcode = postcode or place_code
            city = city or (place_city if place_city and fold(place_city) not in COUNTRIES else None)
            if not rest:
                continue
        if not folded:
            continue
        parts.append(rest)
    return Address(raw=address, parts=tuple(parts), city=city, postcode=postcode, country=country,
                   authors=authors)


def parse_affiliations(text: str, known_words: Collection[str] = ()) -> list[Address]:
    """Every address in *text* (see split_affiliations), parsed."""
    return [parse_address(address, names) for names, address in split_affiliations(text, known_words)]
