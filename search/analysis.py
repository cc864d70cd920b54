"""Text analysis shared by every search backend: CJK bigrams, English stems, pinyin name forms.

Neither the embedded FTS5 backend nor the minimal Elasticsearch distribution can analyse Chinese well
(no ``cjk`` analyzer, no ngram filters, no pinyin plugin), so Zhiku analyses text here, once, and both
backends index the resulting tokens in fields that only split on whitespace. Documents and queries go
through the same functions, so a query token always has the form of the indexed token it should meet.

- Chinese (and Japanese kanji) runs become overlapping bigrams: 化工过程 -> 化工 工过 过程. A word of
  n >= 2 characters is then a phrase of n-1 bigrams, found inside longer text without a dictionary.
- Other words are NFKC-folded and lower-cased; purely alphabetic ASCII words are Porter2-stemmed
  (catalysts -> catalyst, learning -> learn); words with digits (co2, in2o3) are kept whole.
- Person names index every syllable, and the family and given names joined in both orders, from the
  characters (via pypinyin) and from romanised forms: 张三 -> 张三 zhang san zhangsan sanzhang.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from pypinyin import lazy_pinyin

CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_RUN = re.compile(f"[{CJK_CLASS}]+|[^\\W_{CJK_CLASS}]+")
_CJK = re.compile(f"[{CJK_CLASS}]")
_ASCII_ALPHA = re.compile(r"[a-z]+")

#: Two-character family names; a Chinese name starting with one of these splits after two characters.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 尉迟 长孙 宇文 司徒 夏侯 公孙 端木 独孤 南宫 西门 轩辕 呼延".split())

#: Characters read differently as family names than in running text (pypinyin reads 曾 as ceng).
SURNAME_READINGS = {"曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "查": "zha", "朴": "piao",
                    "盖": "ge", "区": "ou", "缪": "miao", "翟": "zhai", "乐": "yue", "覃": "qin", "万俟": "moqi",
                    "尉迟": "yuchi", "长孙": "zhangsun", "秘": "bi", "种": "chong", "繁": "po", "员": "yun"}

_stemmer = Stemmer.Stemmer("english")


def normalize(text: str) -> str:
    """NFKC (full-width to half-width) and case folding, the form every token is made from."""
    return unicodedata.normalize("NFKC", text).casefold()


def is_cjk(text: str) -> bool:
    """True when *text* contains at least one CJK ideograph."""
    return bool(_CJK.search(text))


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English stem of an already normalized word; words with digits or non-ASCII stay as they are."""
    return _stemmer.stemWord(word) if _ASCII_ALPHA.fullmatch(word) else word


def text_tokens(text: str | None) -> list[str]:
    """Tokens of running text (titles, abstracts, keywords, venues, units), in order."""
    if not text:
        return []
    tokens: list[str] = []
    for run in _RUN.findall(normalize(text)):
        if _CJK.match(run):
            tokens.extend(_bigrams(run))
        else:
            tokens.append(stem(run))
    return tokens


def _surname_length(name: str) -> int:
    return 2 if name[:2] in COMPOUND_SURNAMES else 1


def _syllables(chars: str) -> list[str]:
    return [s for s in (normalize(p) for p in lazy_pinyin(chars, errors="ignore")) if s.isalpha()]


def _name_parts(name: str) -> list[list[str]]:
    """A name as parts (family / given...), each a list of syllables, in the order written."""
    text = normalize(name)
    cjk = "".join(_CJK.findall(text))
    if cjk:
        cut = _surname_length(cjk)
        family, given = cjk[:cut], cjk[cut:]
        family_syllables = [SURNAME_READINGS[family]] if family in SURNAME_READINGS else _syllables(family)
        parts = [family_syllables, _syllables(given)]
        return [part for part in parts if part]
    if "," in text:  # "Zhang, San" / "Li, Xiao-Ming": family name first
        chunks = [text.split(",", 1)[0], text.split(",", 1)[1]]
    else:
        chunks = text.split()
    parts = [[s for s in re.split(r"[^\w]+", chunk) if s and not _CJK.match(s)] for chunk in chunks]
    return [part for part in parts if part]


def name_tokens(name: str | None) -> list[str]:
    """Index tokens of one person name: CJK bigrams, syllables, parts joined, whole name in both orders."""
    return list(_name_forms(name)) if name else []


@lru_cache(maxsize=131072)  # names recur across a faculty's works; pinyin conversion is the slow part
def _name_forms(name: str) -> tuple[str, ...]:
    tokens: list[str] = []
    for run in _RUN.findall(normalize(name)):
        if _CJK.match(run):
            tokens.extend(_bigrams(run))
    parts = _name_parts(name)
    joined = ["".join(part) for part in parts]
    for part in parts:
        tokens.extend(part)
        if len(part) > 1:
            tokens.append("".join(part))
    if len(joined) > 1:
        tokens.append("".join(joined))
        tokens.append("".join(reversed(joined)))
    return tuple(dict.fromkeys(tokens))  # unique, order kept: a name is one phrase-free bag of forms


def name_query_tokens(text: str) -> list[str]:
    """Query tokens for the author field: bigrams for characters, one joined token for romanised words.

    ``zhang san``, ``san zhang`` and ``zhangsan`` all become a single token that the indexed forms of
    张三 / "Zhang, San" contain; characters stay a bigram phrase (张三 -> 张三, 李晓明 -> 李晓 晓明).
    """
    tokens: list[str] = []
    words: list[str] = []
    for run in _RUN.findall(normalize(text)):
        if _CJK.match(run):
            tokens.extend(_bigrams(run))
        else:
            words.append(run)
    if words:
        tokens.append("".join(words))
    return tokens


def keyword_value(text: str | None) -> str:
    """The exact-match form of identifiers (DOI, ISSN, WoS UT): normalized, no surrounding space."""
    return normalize(text or "").strip()
