"""Normalization shared by every matching stage: one key for every spelling of a name.

Latin text is folded (NFKC, accents, case, punctuation) and every word is reduced to the abbreviation Web of
Science uses for it, so "Dalian University of Technology", "Dalian Univ. Technol." and "DALIAN UNIV TECHNOL"
all give the key ``"dalian univ technol"``. Chinese text keeps its characters, without spaces and punctuation.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .abbreviations import STOPWORDS, WORD_TO_ABBREVIATION

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff\uf900-\ufaff]+")
_APOSTROPHE = re.compile(r"['’`´]")
_LONG_WORDS = [word for word in WORD_TO_ABBREVIATION if len(word) >= 7]


def has_cjk(text: str) -> bool:
    """True when *text* holds at least one Chinese character."""
    return bool(_CJK.search(text))


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """NFKC, accents removed, lower case, punctuation and whitespace collapsed to single spaces."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _APOSTROPHE.sub("", text).replace("&", " and ")
    return _NOT_WORD.sub(" ", text).strip()


@lru_cache(maxsize=100_000)
def abbreviate_word(word: str) -> str:
    """The WoS abbreviation of one folded word (the word itself when WoS keeps it); a long word one typing
    slip away from a listed word ("univeristy", "hosptial", "labortaory") counts as that word."""
    found = WORD_TO_ABBREVIATION.get(word)
    if found is None and len(word) >= 7 and not word.isdigit():
        near = process.extractOne(word, _LONG_WORDS, scorer=OSA.distance, score_cutoff=1)
        found = WORD_TO_ABBREVIATION[near[0]] if near and near[0][0] == word[0] else None
    return found or word


@lru_cache(maxsize=200_000)
def tokens(text: str) -> tuple[str, ...]:
    """The key tokens of a Latin name: folded, abbreviated, stopwords dropped."""
    return tuple(abbreviate_word(word) for word in fold(text).split() if word not in STOPWORDS)


def name_key(text: str) -> str:
    """One comparable key for an org name in any script (see the module docstring)."""
    if has_cjk(text):
        return fold(text).replace(" ", "")
    return " ".join(tokens(text))
