"""Matching the author names WoS writes in different places (AU, AF, C1 brackets, RP, OI/RI, EM).

The same person is ``"Owen-Smith, J"`` in AU and RP, ``"Owen-Smith, Jason"`` in AF and RI, and
``jdos@umich.edu`` in EM. Names are compared on a folded surname plus the given names or their initials.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})
_WORD = re.compile(r"[^\W\d_]+")
_PARENS = re.compile(r"\s*\([^)]*\)")
_NOT_ALNUM_ASCII = re.compile(r"[^0-9a-z]+")
_VOWEL = re.compile("[AEIOUY]")


def fold(text: str) -> str:
    """Lower-case letters and digits only, accents removed: ``"Müller-Lüdenscheidt"`` -> ``"mullerludenscheidt"``."""
    if text.isascii():
        text = text.lower()
        return text if text.isalnum() else _NOT_ALNUM_ASCII.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).casefold()


class NameKey(NamedTuple):  # a tuple: built in a fraction of a frozen dataclass's time
    surname: str
    given: str  # folded full given names, "" when only initials are known
    initials: str  # upper-case initials


@lru_cache(maxsize=16384)  # names repeat across a batch; bounded, so memory stays flat
def name_key(name: str) -> NameKey:
    """Key of a ``"Surname, Given"`` name (AU, AF, RP, OI/RI, C1 bracket forms)."""
    if "(" in name:
        name = _PARENS.sub("", name)
    surname, _, given = name.partition(",")
    given = given.split(",")[0]  # "Thompson, Frank R., III"
    words = [w for w in _WORD.findall(given) if w.casefold() not in _SUFFIXES]
    if len(words) == 1 and words[0].isupper() and (len(words[0]) <= 3 or not _VOWEL.search(words[0])):
        return NameKey(fold(surname), "", words[0])  # AU style: "WW", "XM"
    initials = "".join(w[0] for w in words).upper()
    return NameKey(fold(surname), fold("".join(words)), initials)


def score(a: NameKey, b: NameKey) -> int:
    """3 same full name, 2 same surname and initials, 1 same surname and compatible initials, else 0."""
    if not a.surname or a.surname != b.surname:
        return 0
    if a.given and b.given and a.given == b.given:
        return 3
    if a.initials and b.initials:
        if a.initials == b.initials:
            return 2
        if a.initials.startswith(b.initials) or b.initials.startswith(a.initials):
            return 1
        return 0
    return 1


class AuthorNames:
    """The name keys of one record's authors, in order (each author: the keys of its AF and AU forms).

    A record's author names are matched against it many times (C1 brackets, RP, OI, RI): the authors are
    indexed by surname on the first match, so that a match looks only at the authors who share its surname.
    """

    __slots__ = ("forms", "_by_surname")

    def __init__(self, forms: list[tuple[NameKey, ...]]):
        self.forms = forms
        self._by_surname: dict[str, list[int]] | None = None

    def best(self, name: str) -> tuple[list[int], int]:
        """The authors that match *name* best, and their score (several when ambiguous; ``([], 0)`` for
        none); an author scores with its best-matching form."""
        key = name_key(name)
        surname = key.surname
        found: list[int] = []
        top = 0
        if not surname:
            return found, top
        if self._by_surname is None:
            self._by_surname = self._index()
        forms = self.forms
        for index in self._by_surname.get(surname, ()):  # the others score 0
            value = 0
            for form in forms[index]:
                if form.surname == surname:
                    current = score(key, form)
                    if current > value:
                        value = current
            if value > top:
                found, top = [index], value
            elif value and value == top:
                found.append(index)
        return found, top

    def _index(self) -> dict[str, list[int]]:
        by_surname: dict[str, list[int]] = {}
        for index, keys in enumerate(self.forms):
            for key in keys:
                indexes = by_surname.setdefault(key.surname, [])
                if not indexes or indexes[-1] != index:
                    indexes.append(index)
        return by_surname


def best(name: str, authors: list[tuple[NameKey, ...]]) -> tuple[list[int], int]:
    """The authors that match *name* best, and their score (several when ambiguous; ``([], 0)`` for none).

    Each author is given as the keys of its name forms (AF and AU); the best form counts.
    """
    return AuthorNames(authors).best(name)


def email_owner(email: str, authors: list[tuple[NameKey, ...]]) -> list[int]:
    """Indexes of the authors whose names best explain the local part of *email* (may be ambiguous)."""
    local = fold(email.partition("@")[0])
    if not local:
        return []
    scores = []
    for forms in authors:
        value = 0
        for key in forms:
            sur = key.surname
            if not sur:
                continue
            current = 0
            if sur in local and (len(sur) >= 3 or local.startswith(sur) or local.endswith(sur)):
                current = 2
            given = key.given
            if given and len(given) >= 3 and given in local:
                current += 2
            elif current and key.initials:  # alone, initials score 1: below what is ever returned
                initials = key.initials.lower()
                if local.startswith(initials + sur) or local.startswith(sur + initials) or \
                        local.startswith(initials[0] + sur) or local == sur + initials[0]:
                    current += 1
            if current > value:
                value = current
        scores.append(value)
    top = max(scores, default=0)
    return [index for index, value in enumerate(scores) if value == top] if top >= 2 else []
