"""Every institution an affiliation string names (for multi-institution strings and the ROR benchmark)."""
from __future__ import annotations

from .orgmatch import OrgIndex
from .parse import parse_affiliations
from .text import tokens

#: Institutions named less surely than this are not reported.
MINIMUM = 0.6


def _reported_through_parent(unit) -> bool:
    """Laboratories, centres and hospitals; research institutes stand on their own (as the gold sets name them)."""
    if unit.type == "hospital":
        return True
    return unit.type == "lab" and "inst" not in tokens(unit.name_en or "") and "研究所" not in (unit.name_zh or "")


def predict_institutions(index: OrgIndex, text: str) -> list[str]:
    """The keys of the institutions *text* names, most certain first."""
    scores: dict[str, float] = {}
    for address in parse_affiliations(text):
        for key, (confidence, _) in index.institutions(address).items():
            scores[key] = max(scores.get(key, 0.0), confidence)
    units = index.dictionary.units
    # a laboratory or hospital is reported through the institution it belongs to
    named = {key for key, score in scores.items() if score >= MINIMUM}
    kept = [key for key in named
            if not (_reported_through_parent(units[key]) and named.intersection(units[key].part_of))]
    return sorted(kept, key=lambda key: -scores[key])
