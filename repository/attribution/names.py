"""Personal names -> comparable keys: Chinese characters, pinyin in every order and initial form.

A key is ``"surname|given"`` with the given name as full pinyin (``zhang|sanfeng``), as initials
(``zhang|sf``) or as the first initial (``zhang|s``). People give keys from their Chinese name (through
pypinyin, compound and heteronymous surnames handled), their English name and their variants (Wade-Giles,
Cantonese spellings: whatever the dictionary entry lists). An author line gives keys in both orders unless a
comma or an upper-case surname says which part is the surname.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import lazy_pinyin

from .text import has_cjk

#: Two-character surnames (欧阳修 is 欧阳 + 修, not 欧 + 阳修).
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 夏侯 轩辕 端木 西门 南宫 独孤 申屠 "
    "太史 百里 呼延 万俟 闻人 澹台 公冶 宗政 濮阳 淳于 单于 赫连 钟离 第五 东郭 拓跋 完颜 司空".split())
#: Surnames read differently from the same character in other words.
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "区": "ou", "仇": "qiu", "解": "xie", "查": "zha", "朴": "piao", "盖": "ge",
    "乐": "yue", "覃": "qin", "翟": "zhai", "缪": "miao", "繁": "po", "黑": "he", "重": "chong", "柏": "bai",
    "种": "chong", "秘": "bi", "员": "yun", "召": "shao", "沈": "shen", "贾": "jia", "葛": "ge", "薄": "bo",
    "牟": "mou", "宿": "su", "折": "she", "隗": "wei", "佘": "she", "祭": "zhai", "尉迟": "yuchi", "万俟": "moqi",
    "长孙": "zhangsun", "单于": "chanyu", "藏": "zang", "澹台": "tantai",
}
_SPLIT = re.compile(r"[\s.\-‐‑_]+")


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def split_chinese(name: str) -> tuple[str, str]:
    """(surname, given name) of a name in characters."""
    name = re.sub(r"[\s·•・]", "", name)
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def _umlaut_forms(syllable: str) -> list[str]:
    """pypinyin writes ü as v (lv); papers write lu, lyu or lv."""
    return [syllable, syllable.replace("v", "u"), syllable.replace("v", "yu")] if "v" in syllable else [syllable]


def _keys(surnames: list[str], syllables: list[list[str]]) -> set[str]:
    """Keys for every surname spelling and every spelling of the given name's syllables."""
    givens = [""]
    for forms in syllables:
        givens = [g + "\0" + f for g in givens for f in forms]
    keys = set()
    for surname in surnames:
        for given in givens:
            parts = [p for p in given.split("\0") if p]
            if not parts:
                continue
            keys.add(f"{surname}|{''.join(parts)}")
            keys.add(f"{surname}|{''.join(p[0] for p in parts)}")
            keys.add(f"{surname}|{parts[0][0]}")
    return keys


@lru_cache(maxsize=100_000)
def chinese_name_keys(name: str) -> frozenset[str]:
    """Pinyin keys of a name in characters, plus the characters themselves (``zh:张三丰``)."""
    surname, given = split_chinese(name)
    if not surname or not given:
        return frozenset()
    reading = SURNAME_READINGS.get(surname) or "".join(lazy_pinyin(surname))
    surnames = _umlaut_forms(reading) + (["".join(lazy_pinyin(surname))] if surname in SURNAME_READINGS else [])
    syllables = [_umlaut_forms(s) for s in lazy_pinyin(given)]
    return frozenset(_keys(list(dict.fromkeys(surnames)), syllables) | {f"zh:{surname}{given}"})


def _latin_parts(text: str) -> list[str]:
    return [p for p in _SPLIT.split(_ascii(text).replace("'", "")) if p]


def _given_form(tokens: list[str], raw_tokens: list[str]) -> tuple[str, bool]:
    """(the given name as written: full pinyin or initials, written as initials?)."""
    initials = all(len(t) == 1 for t in tokens) or (
        len(raw_tokens) == 1 and raw_tokens[0].isupper() and len(raw_tokens[0]) <= 3)
    return "".join(tokens), initials


def _orders(name: str) -> list[tuple[str, str]]:
    """(surname, given name) readings: the comma's, else the first word or the last word as surname."""
    if "," in name:
        surname, given = name.split(",", 1)
        return [(surname, given)]
    words = name.split()
    if len(words) < 2:
        return []
    return [(words[0], " ".join(words[1:])), (words[-1], " ".join(words[:-1]))]


def _is_initials(word: str) -> bool:
    return "." in word or (word.isupper() and len(word) <= 3)


@lru_cache(maxsize=200_000)
def latin_name_keys(name: str) -> tuple[frozenset[str], bool]:
    """Keys of a Latin-script name as written (full given name, or its initials), in every order it may be
    read, and whether the name gave initials only.

    ``"Zhang, San-Feng"`` and ``"ZHANG Sanfeng"`` say which part is the surname, as do initials
    (``"Zhang SF"``, ``"S.F. Zhang"``); ``"San-Feng Zhang"`` and ``"Zhang Sanfeng"`` are read both ways.
    """
    orders, words = _orders(name), name.split()
    if len(orders) == 2:
        upper = [w for w in words if w.isalpha() and w.isupper() and len(w) > 1]
        # "LIU Wei", "Wei ZHANG": an upper-case surname; "Zhang SF": upper-case initials at the end
        if len(upper) == 1 and (len(upper[0]) > 3 or upper[0] is words[0]):
            orders = [(upper[0], " ".join(w for w in words if w is not upper[0]))]
        elif _is_initials(words[-1]) and not _is_initials(words[0]):  # "Zhang SF"
            orders = orders[:1]
        elif _is_initials(words[0]) and not _is_initials(words[-1]):  # "S.F. Zhang"
            orders = orders[1:]
    keys, initials = set(), True
    for surname_text, given_text in orders:
        surname = "".join(_latin_parts(surname_text))
        given, only = _given_form(_latin_parts(given_text), given_text.replace(".", " ").replace("-", " ").split())
        if surname and given:
            keys.add(f"{surname}|{given}")
            initials = initials and only
    return frozenset(keys), initials and bool(keys)


def name_keys(name: str) -> frozenset[str]:
    """Every key of a name in any script (see the module docstring)."""
    return chinese_name_keys(name) if has_cjk(name) else latin_name_keys(name)[0]


def variant_keys(name: str) -> frozenset[str]:
    """Keys of a dictionary entry's Latin name or variant ("Cheung Tak-Wah", "Zhang, Sanfeng"): full given name,
    its initials when the syllables are written apart, and the first initial, in every possible order."""
    if has_cjk(name):
        return chinese_name_keys(name)
    keys = set()
    for surname, given in _orders(name):
        surname = "".join(_latin_parts(surname))
        syllables = [[part] for part in _latin_parts(given)]
        if surname and syllables:
            keys |= _keys([surname], syllables)
    return frozenset(keys)
