"""Matching one profile against its candidates, and the thresholds that turn scores into decisions."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app

from .profile import Profile
from .scoring import PairScore, score_pair, vetoed, worth_scoring


@dataclass(frozen=True)
class Thresholds:
    """At or above ``merge`` two descriptions are one work; from ``review`` up a curator decides."""

    merge: float
    review: float

    @classmethod
    def from_config(cls) -> "Thresholds":
        config = current_app.config
        merge, review = config["ZHIKU_DEDUP_MERGE_THRESHOLD"], config["ZHIKU_DEDUP_REVIEW_THRESHOLD"]
        if not 0 < review <= merge <= 1:
            raise ValueError(f"dedup thresholds must satisfy 0 < REVIEW ({review}) <= MERGE ({merge}) <= 1")
        return cls(merge, review)


@dataclass
class Match:
    """A candidate Work and how well it matches."""

    work_id: int
    score: PairScore

    @property
    def probability(self) -> float:
        return self.score.probability


def rank(profile: Profile, candidates: dict[int, Profile], floor: float,
         exclude: Iterable[int] = ()) -> list[Match]:
    """Candidates scoring at least *floor*, best first (ties: older Work first)."""
    skip = set(exclude)
    matches = [Match(work_id, score_pair(profile, other)) for work_id, other in candidates.items()
               if work_id not in skip and worth_scoring(profile, other) and not vetoed(profile, other)]
    matches = [m for m in matches if m.probability >= floor]
    return sorted(matches, key=lambda m: (-m.probability, m.work_id))


def describe(match: Match) -> str:
    """A one-line reason for a curator: the probability and the strongest evidence."""
    features = match.score.features
    parts = [f"title {features['title_ratio']:.2f}", f"authors {features['author_overlap']:.2f}"]
    if features.get("year_same"):
        parts.append("same year")
    if features.get("pages_agree"):
        parts.append("same first page")
    return f"possible duplicate (p={match.probability:.2f}: {', '.join(parts)})"
