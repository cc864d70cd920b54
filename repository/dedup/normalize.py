"""Text normalization shared by every dedup stage (profiles, blocking keys, scoring, benchmarks).

Two spellings of one title or name must fold to the same string: markup (HTML, MathML, sub/superscripts)
is dropped, Unicode is NFKC-folded (full-width to half-width, superscript digits to digits), Greek letters
are spelled out (``α`` and ``alpha`` both become ``alpha``), traditional Chinese becomes simplified, other
non-ASCII letters are transliterated (``é`` to ``e``), case and punctuation go. Chinese text stays Chinese;
names written in Chinese are compared through their pinyin.
"""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC
from pypinyin import Style, lazy_pinyin
from unidecode import unidecode

_GREEK_NAMES = (
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
    "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
)
_GREEK = {}
for _offset, _name in enumerate(_GREEK_NAMES):
    _index = _offset + (1 if _offset >= 17 else 0)  # U+03A2 / U+03C2 (final sigma) sit inside the range
    _GREEK[chr(0x391 + _index)] = _name
    _GREEK[chr(0x3B1 + _index)] = _name
_GREEK.update({"ς": "sigma", "ϑ": "theta", "ϕ": "phi", "ϵ": "epsilon", "ϰ": "kappa", "ϱ": "rho", "ϖ": "pi"})
_GREEK_TABLE = str.maketrans(_GREEK)

_TAG = re.compile(r"<[^<>]{0,200}>")
_TEX_GROUP = re.compile(r"[_^]\{([^{}]*)\}")
_TEX_MARKUP = re.compile(r"\$|\\(?:mathrm|textrm|mathit|rm|it|bf)\b|[_^]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

#: Words too common to identify a title; left out of blocking keys (never out of scoring).
STOPWORDS = frozenset(
    "a an and are as at by for from in into is of on or the to with without via its using based new towards "
    "toward study analysis".split()
)

#: Two-character Chinese surnames: the rest of a name after one of these is the given name.
_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 独孤 南宫 西门 百里 呼延 万俟 司空 闻人".split()
)
#: Surnames whose reading differs from the character's everyday reading.
_SURNAME_READINGS = {"单": "shan", "曾": "zeng", "区": "ou", "仇": "qiu", "解": "xie", "朴": "piao", "查": "zha",
                     "缪": "miao", "尉": "yu", "乐": "yue", "覃": "qin", "冼": "xian", "翟": "zhai", "盖": "ge"}

_t2s = OpenCC("t2s.json")


def has_cjk(text: str) -> bool:
    """True when *text* holds Chinese characters."""
    return bool(_CJK.search(text))


def strip_markup(text: str) -> str:
    """Drop HTML/MathML/XML tags and TeX sub/superscript markup, keeping their text (``H<sub>2</sub>O``)."""
    text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub("", text)
    if "$" in text or "\\" in text or "_" in text or "^" in text:
        text = _TEX_MARKUP.sub("", _TEX_GROUP.sub(r"\1", text))
    return text


def _transliterate(text: str) -> str:
    """Spell non-ASCII letters in ASCII, leaving Chinese characters as they are."""
    if text.isascii():
        return text
    if not has_cjk(text):
        return unidecode(text)
    return "".join(ch if ch.isascii() or _CJK.match(ch) else unidecode(ch) for ch in text)


@lru_cache(maxsize=65536)
def fold(text: str | None) -> str:
    """The comparable form of a title, venue or phrase: lower-case words separated by single spaces."""
    if not text:
        return ""
    text = strip_markup(text)
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_GREEK_TABLE).lower()
    if has_cjk(text):
        text = _t2s.convert(text)
    text = _transliterate(text)
    return _NOT_WORD.sub(" ", text).strip()


#: Words of the notes catalogues add to a title to say what kind of item it is ("(panel abstract)", "- book
#: review", "Tutorial:", "(extended version)"); a title segment made only of these is not part of the title.
_ANNOTATION_WORDS = frozenset(
    "abstract extended short long version panel session summary tutorial demo demonstration "
    "description keynote invited industrial talk paper poster position experience book review guest editor "
    "editors s foreword preface address lecture plenary".split()
)
_BRACKETED = re.compile(r"[(\[（【]([^()\[\]（）【】]*)[)\]）】]")
#: Where a catalogue attaches a note to a title: " - note", ", note", "note: title".
_SEGMENT = re.compile(r"\s+[-–—]+\s+|\s*[:,;：，；]\s*")


def _is_annotation(text: str) -> bool:
    words = fold(text).split()
    return bool(words) and all(word in _ANNOTATION_WORDS for word in words)


@lru_cache(maxsize=65536)
def bare_title(title: str | None) -> str:
    """The folded title without catalogue notes about the kind of item, or "" when it has none.

    ``Data access (tutorial session)`` and ``Tutorial: data access`` both give ``data access``;
    ``Foundations of X - book review`` gives ``foundations of x``. A title that is nothing but such a note
    ("Keynote address") has no bare form.
    """
    if not title:
        return ""
    text = _BRACKETED.sub(lambda m: " " if _is_annotation(m.group(1)) else m.group(0), strip_markup(title))
    segments = [s for s in _SEGMENT.split(text) if s.strip()]
    if len(segments) > 1 and _is_annotation(segments[-1]):
        segments.pop()
    if len(segments) > 1 and _is_annotation(segments[0]):
        segments.pop(0)
    bare = fold(" ".join(segments))
    return "" if bare == fold(title) else bare


@lru_cache(maxsize=65536)
def tokens(folded: str) -> tuple[str, ...]:
    """Words of a folded text; a run of Chinese characters gives its character bigrams."""
    out = []
    for word in folded.split():
        if has_cjk(word):
            for run in _CJK_RUN.findall(word):
                out.extend(run[i:i + 2] for i in range(max(len(run) - 1, 1)))
            rest = _CJK_RUN.sub(" ", word).split()
            out.extend(rest)
        else:
            out.append(word)
    return tuple(out)


@lru_cache(maxsize=65536)
def content_tokens(folded: str) -> tuple[str, ...]:
    """The tokens of a folded title without stop words, in order."""
    return tuple(t for t in tokens(folded) if t not in STOPWORDS)


@lru_cache(maxsize=65536)
def chinese_name_pinyin(name: str) -> tuple[str, str] | None:
    """(surname, given name) in pinyin of a name written in Chinese (``张三丰`` → ``("zhang", "sanfeng")``)."""
    name = _t2s.convert(re.sub(r"[\s·•.]", "", name))
    if not name or not all(_CJK.match(ch) for ch in name):
        return None
    split = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
    surname = "".join(_SURNAME_READINGS.get(ch) or lazy_pinyin(ch, style=Style.NORMAL)[0] for ch in name[:split])
    given = "".join(lazy_pinyin(name[split:], style=Style.NORMAL))
    return surname, given


def _key(surname: str, given: str) -> str | None:
    surname = _NOT_WORD.sub("", fold(surname))
    given = fold(given)
    if not surname:
        return None
    return f"{surname} {given[:1]}" if given else surname


@lru_cache(maxsize=65536)
def name_keys(name: str | None, name_original: str | None = None) -> tuple[str, ...]:
    """Comparable keys ``"surname initial"`` of an author name in any of its spellings.

    ``Zhang, S.``, ``Zhang, San``, ``Zhang San``, ``San Zhang`` and ``张三`` all yield ``"zhang s"``. A name
    without a comma is ambiguous (family name first or last) and yields both readings.
    """
    keys: list[str] = []
    for text in (name_original, name):
        if not text:
            continue
        text = text.strip()
        pinyin = chinese_name_pinyin(text) if has_cjk(text) else None
        if pinyin:
            keys.append(_key(*pinyin))
            continue
        if "," in text:
            surname, _, given = text.partition(",")
            keys.append(_key(surname, given))
            continue
        parts = [p for p in re.split(r"[\s.]+", strip_markup(text)) if p]
        if len(parts) == 1:
            keys.append(_key(parts[0], ""))
        elif parts:
            keys.append(_key(parts[-1], parts[0]))  # given names first (DBLP, ORCID, most OAI feeds)
            keys.append(_key(parts[0], " ".join(parts[1:])))  # family name first (Chinese romanization)
    return tuple(dict.fromkeys(k for k in keys if k))


_PAGE = re.compile(r"[A-Za-z]*\d+[A-Za-z]?")


def page_marks(pages: str | None, article_number: str | None) -> tuple[str, ...]:
    """Where a work starts: its first page and its article number, in one comparable set.

    Sources disagree about where an e-locator goes (WoS: article number; EI: pages), so both are marks of
    the same kind and two records agree when they share one.
    """
    marks = []
    for value in (pages, article_number):
        if value:
            match = _PAGE.search(unicodedata.normalize("NFKC", value))
            if match:
                marks.append(match.group(0).lower().lstrip("0") or "0")
    return tuple(dict.fromkeys(marks))
