"""Pair scoring: the calibrated probability that two profiles describe the same work, with its evidence.

Similarity features over title, authors, year and venue go through a logistic model whose coefficients are
``model.json`` in this package, fitted by ``python -m bench.dedup_train`` on the DBLP-ACM train split only.
That benchmark has no pages, ISSNs, identifiers or work types, so their weight cannot be learned there: it
comes from ``model.json``'s ``evidence`` section (fixed log-odds, documented in docs/dedup.md). Two kinds
of evidence settle a pair outright: different values of an identifier that names one work (two DOIs, two
WoS UTs) and incompatible types (an erratum is never the paper it corrects; a thesis is not an article).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from .normalize import content_tokens, has_cjk, tokens
from .profile import Profile

MODEL_PATH = Path(__file__).with_name("model.json")

#: Features the logistic model weighs, in the order of its coefficients.
FEATURES = (
    "title_ratio", "title_token_set", "title_partial", "title_exact", "author_overlap", "surname_overlap",
    "first_author",
    "author_missing", "year_same", "year_near", "year_missing", "venue_disjoint", "venue_missing",
    "title_short", "author_count_ratio", "venue_disjoint_yearless",
)

#: Words that number the parts of a series ("Part II", "... 3"): titles differing only in these differ.
_NUMBERING = re.compile(r"^(?:\d+|i{1,3}|iv|v|vi{1,3}|ix|x)$")
#: Digits inside Chinese text, which has no spaces to split on: 第2部分, 第12号.
_CJK_DIGITS = re.compile(r"(?<=[\u3400-\u9fff])\d+|\d+(?=[\u3400-\u9fff])")
#: A title announcing a correction of another work (folded form).
_CORRECTION = re.compile(r"\b(?:erratum|errata|corrigendum|corrigenda|retraction|retracted|correction to)\b")

#: Types that never describe the same work as a different type.
_STANDALONE_TYPES = frozenset({"correction", "editorial", "letter", "meeting_abstract", "patent", "dataset"})
_KIND = {"doctoral_thesis": "thesis", "master_thesis": "thesis", "bachelor_thesis": "thesis", "patent": "patent"}


@dataclass(frozen=True)
class Model:
    """Logistic coefficients for FEATURES plus fixed log-odds for evidence the benchmark lacks."""

    intercept: float
    coefficients: dict[str, float]
    evidence: dict[str, float]
    #: The F1-best threshold on the benchmark's valid split (the benchmark's own operating point).
    benchmark_threshold: float = 0.5

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "Model":
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["intercept"], data["coefficients"], data["evidence"], data.get("benchmark_threshold", 0.5))


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The packaged model (read once per process)."""
    return Model.load()


@dataclass
class PairScore:
    """A pair's probability of being one work, the features behind it and a veto reason, if any."""

    probability: float
    features: dict[str, float]
    veto: str | None = None

    def evidence(self) -> dict:
        """Field-by-field evidence for a curator (stored in CurationTask.details)."""
        return {"features": {k: round(v, 3) for k, v in self.features.items()}, "veto": self.veto}


def _best(left: list[str], right: list[str], scorer) -> float:
    return max((scorer(a, b) for a in left for b in right), default=0.0) / 100.0


def _partial(a: str, b: str) -> float:
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) < 0.5 * len(longer) or len(shorter) < 12:
        return 0.0  # "Editorial" inside any long title means nothing
    return fuzz.partial_ratio(shorter, longer)


def _surnames(author: list[str]) -> set[str]:
    return {key.split(" ")[0] for key in author}


def _author_features(left: list[list[str]], right: list[list[str]]) -> dict[str, float]:
    """Overlap of name keys and of surnames alone, same first author, authors missing, ratio of the counts."""
    if not left or not right:
        return {"author_overlap": 0.0, "surname_overlap": 0.0, "first_author": 0.0, "author_missing": 1.0,
                "author_count_ratio": 1.0}
    shorter, longer = sorted((left, right), key=len)
    ratio = len(shorter) / len(longer)
    size = 0.5 + 0.5 * ratio
    pool = {key for author in longer for key in author}
    overlap = sum(1 for author in shorter if pool.intersection(author)) / len(shorter)
    surname_pool = {name for author in longer for name in _surnames(author)}
    surname_overlap = sum(1 for author in shorter if surname_pool & _surnames(author)) / len(shorter)
    first = 1.0 if _surnames(left[0]) & _surnames(right[0]) else 0.0
    return {"author_overlap": overlap * size, "surname_overlap": surname_overlap * size, "first_author": first,
            "author_missing": 0.0, "author_count_ratio": ratio}


def _venue_tokens_match(a: str, b: str) -> float:
    """Similarity of two venue names allowing abbreviations (``acm trans database syst``) and acronyms."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    shorter, longer = sorted((ta, tb), key=len)
    matched = sum(1 for word in shorter if any(other.startswith(word) or word.startswith(other)
                                               for other in longer))
    score = matched / len(shorter) * (len(shorter) / len(longer)) ** 0.25
    acronym = "".join(word[0] for word in longer if word not in ("of", "on", "the", "and", "for", "in"))
    if any(len(word) >= 3 and word in acronym for word in shorter):
        score = max(score, 0.8)
    return score


def _venue_similarity(left: Profile, right: Profile) -> tuple[float, bool]:
    """(similarity, comparable): a shared ISSN settles it; names compare only within one script."""
    if set(left.issns) & set(right.issns):
        return 1.0, True
    pairs = [(a, b) for a in left.venues for b in right.venues if has_cjk(a) == has_cjk(b)]
    if not pairs:
        return 0.0, False
    return max(_venue_tokens_match(a, b) for a, b in pairs), True


@lru_cache(maxsize=65536)
def _numbers(title: str) -> frozenset[str]:
    return frozenset([word for word in title.split() if _NUMBERING.match(word)] + _CJK_DIGITS.findall(title))


def _numbers_differ(left: list[str], right: list[str]) -> bool:
    """True when both titles are numbered and no pair of variants has the same numbers (part i / part ii)."""
    numbered = [(_numbers(a), _numbers(b)) for a in left for b in right]
    return bool(numbered) and all(a and b and not a <= b and not b <= a for a, b in numbered)


def _is_correction(titles: list[str]) -> bool:
    return any(_CORRECTION.search(title) for title in titles)


def _short_title(left: list[str], right: list[str]) -> float:
    """1 when the best-matching titles are three content words or fewer ("Editorial", "Book review column"):
    such titles recur in every issue, so an equal title proves little."""
    pairs = [(a, b) for a in left for b in right]
    if not pairs:
        return 0.0
    a, b = max(pairs, key=lambda pair: fuzz.ratio(*pair))
    return 1.0 if min(len(content_tokens(a)), len(content_tokens(b))) <= 3 else 0.0


def features(left: Profile, right: Profile) -> dict[str, float]:
    """The model's features for a pair of profiles (each in [0, 1])."""
    title_ratio = _best(left.titles, right.titles, fuzz.ratio)
    if left.years and right.years:
        gap = min(abs(a - b) for a in left.years for b in right.years)
        if gap == 1 and _same_place(left, right):
            gap = 0  # early access: the online year is one before the year
        year = (1.0 if gap == 0 else 0.0, 1.0 if gap == 1 else 0.0, 0.0)
    else:
        year = (0.0, 0.0, 1.0)
    venue_sim, venue_known = _venue_similarity(left, right)
    venue_disjoint = 1.0 if venue_known and venue_sim == 0 else 0.0
    return {
        "title_ratio": title_ratio,
        "title_token_set": _best(left.titles, right.titles, fuzz.token_set_ratio),
        "title_partial": _best(left.titles, right.titles, _partial),
        "title_exact": 1.0 if set(left.titles) & set(right.titles) else 0.0,
        **_author_features(left.authors, right.authors),
        "year_same": year[0], "year_near": year[1], "year_missing": year[2],
        "venue_sim": venue_sim, "venue_disjoint": venue_disjoint,
        "venue_missing": 0.0 if venue_known else 1.0,
        # a record without a year is often a sloppy one (a citation, a scraped page) whose venue is garbled too
        "venue_disjoint_yearless": venue_disjoint * year[2],
        "title_short": _short_title(left.titles, right.titles),
    }


def _veto(left: Profile, right: Profile) -> str | None:
    if _is_correction(left.titles) != _is_correction(right.titles):
        return "a correction and the work it corrects"
    if _numbers_differ(left.titles, right.titles):
        return "different part numbers"
    for scheme, values in left.ids.items():
        others = right.ids.get(scheme)
        if others and not set(values) & set(others):
            return f"different {scheme}"
    if left.types and right.types and not set(left.types) & set(right.types):
        kinds = {_KIND.get(t, "publication") for t in left.types}, {_KIND.get(t, "publication") for t in right.types}
        if not kinds[0] & kinds[1]:
            return "different kinds of work"
        if _STANDALONE_TYPES.intersection(left.types + right.types):
            return f"different types ({'/'.join(left.types)} vs {'/'.join(right.types)})"
    return None


def _same_place(left: Profile, right: Profile) -> bool:
    """Same journal (ISSN), volume and first page: where a citation says the article is."""
    return all(set(getattr(left, name)) & set(getattr(right, name)) for name in ("issns", "volumes", "pages"))


def _evidence_features(left: Profile, right: Profile) -> dict[str, float]:
    both = lambda name: bool(getattr(left, name)) and bool(getattr(right, name))  # noqa: E731
    shares = lambda name: bool(set(getattr(left, name)) & set(getattr(right, name)))  # noqa: E731
    types = (set(left.types), set(right.types))
    return {
        "pages_agree": float(both("pages") and shares("pages")),
        "citation_agree": float(_same_place(left, right)),
        "pages_conflict": float(both("pages") and not shares("pages")),
        "issn_agree": float(both("issns") and shares("issns")),
        "issn_conflict": float(both("issns") and not shares("issns")),
        "volume_conflict": float(both("volumes") and not shares("volumes")),
        "conference_vs_journal": float(not types[0] & types[1] and any(
            "conference_paper" in mine and "journal_article" in theirs for mine, theirs in (types, types[::-1]))),
    }


def vetoed(left: Profile, right: Profile) -> bool:
    """True when evidence settles the pair as two works (cheaper than scoring it)."""
    return _veto(left, right) is not None


def worth_scoring(left: Profile, right: Profile) -> bool:
    """A cheap pre-check: titles sharing most of their words, or the same journal, volume and first page.

    Pairs failing it score far below any threshold, so candidates are screened before full scoring.
    """
    return _same_place(left, right) or _best(left.titles, right.titles, fuzz.token_set_ratio) >= 0.6


def score_pair(left: Profile, right: Profile, model: Model | None = None) -> PairScore:
    """Score two profiles; a veto gives probability 0 whatever the similarities say."""
    model = model or default_model()
    veto = _veto(left, right)
    values = features(left, right)
    if veto:
        return PairScore(0.0, values, veto)
    evidence = _evidence_features(left, right)
    logit = model.intercept + sum(model.coefficients[name] * values[name] for name in FEATURES)
    logit += sum(model.evidence.get(name, 0.0) * value for name, value in evidence.items())
    values.update({name: value for name, value in evidence.items() if value})
    return PairScore(1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0))), values)
