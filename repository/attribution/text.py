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

from .abbreviations import BRITISH_STEMS, KIND_WORDS, STOPWORDS, WORD_TO_ABBREVIATION

_DIGIT = re.compile(r"\d")
_CONNECTORS = frozenset({"and", "for", "of", "on"})
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff\uf900-\ufaff]+")
_APOSTROPHE = re.compile(r"['’`´]")
_LONG_WORDS = [word for word in WORD_TO_ABBREVIATION if len(word) >= 7]
_BRITISH = re.compile("^(?:%s)" % "|".join(sorted(BRITISH_STEMS, key=len, reverse=True)))
_ISATION = re.compile(r"(?<=\w)isation")


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
    slip away from a listed word ("univeristy", "hosptial", "labortaory") counts as that word; British
    spellings count as American ones ("palaeontology", "haematology", "organisation")."""
    word = _ISATION.sub("ization", _BRITISH.sub(lambda found: BRITISH_STEMS[found.group(0)], word))
    found = WORD_TO_ABBREVIATION.get(word)
    if found is None and len(word) >= 7 and not word.isdigit():
        near = process.extractOne(word, _LONG_WORDS, scorer=OSA.distance, score_cutoff=1)
        found = WORD_TO_ABBREVIATION[near[0]] if near and near[0][0] == word[0] else None
    return found or word


@lru_cache(maxsize=200_000)
def tokens(text: str) -> tuple[str, ...]:
    """The key tokens of a Latin name: folded, abbreviated, stopwords dropped."""
    return tuple(abbreviate_word(word) for word in fold(text).split() if word not in STOPWORDS)


def kind_word(name: str) -> str | None:
    """The first word of a Latin name that says what kind of unit it is ("Shanghai Medical College of Fudan
    University" is a college: ``coll``)."""
    return next((word for word in tokens(name) if word in KIND_WORDS), None)


def followed_by(text: str, end: int) -> bool:
    """Whether the word after the first *end* tokens of *text* joins more words to the name ("Institute of
    Geology and Paleontology", "Institute of Science and Technology for ...")."""
    words = fold(text).split()
    kept = [position for position, word in enumerate(words) if word not in STOPWORDS]
    following = kept[end - 1] + 1 if 0 < end <= len(kept) else len(words)
    return following < len(words) and words[following] in _CONNECTORS


def name_key(text: str) -> str:
    """One comparable key for an org name in any script (see the module docstring)."""
    if has_cjk(text):
        return fold(text).replace(" ", "")
    return " ".join(tokens(text))


def differ_by_slips(written: str, name: str) -> bool:
    """Whether two keys differ only by slips: spacing ("Jiao tong", "Poly Tech"), a shortened word
    ("Autom", "Cellular"/"Cell") or one typing slip in a word. Another word ("East"/"Chest", "First"/"Fourth"),
    another number ("16th"/"18th") or a missing word ("Academy of Medical Sciences") names another unit."""
    return _aligned(tuple(written.split(" ")), tuple(name.split(" ")))


def _aligned(written: tuple[str, ...], name: tuple[str, ...]) -> bool:
    if not written or not name:
        return not written and not name
    if _same_word(written[0], name[0]) and _aligned(written[1:], name[1:]):
        return True
    # two words written as one ("Jiaotong"/"Jiao tong") or one as two: the single word reaches into the second
    if (len(written) >= 2 and len(name[0]) > len(written[0]) and _same_word(written[0] + written[1], name[0])
            and _aligned(written[2:], name[1:])):
        return True
    return (len(name) >= 2 and len(written[0]) > len(name[0]) and _same_word(name[0] + name[1], written[0])
            and _aligned(written[1:], name[2:]))


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if _DIGIT.search(a) or _DIGIT.search(b):
        return False
    if min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)):
        return True
    return min(len(a), len(b)) >= 4 and OSA.distance(a, b) <= 1
