"""Every institution an affiliation string names (for multi-institution strings and the ROR benchmark)."""
from __future__ import annotations

from .dictionary import UnitEntry
from .orgmatch import OrgIndex
from .text import kind_word

#: Institutions named less surely than this are not reported.
MINIMUM = 0.6


def stands_alone(unit: UnitEntry) -> bool:
    """Research institutes and universities employ their people, whatever they belong to."""
    if unit.name_en:
        return kind_word(unit.name_en) in ("inst", "univ")
    return (unit.name_zh or "").endswith(("研究所", "大学"))


def _reported_through(unit: UnitEntry, named_above: list[UnitEntry], named_hosts: list[UnitEntry]) -> bool:
    """Whether a unit is reported through the institutions above it that the string also names: laboratories,
    centres, colleges and affiliated hospitals are; research institutes and universities employ their people and
    stand on their own, and a hospital's branch ("Chang Gung Memorial Hospital at Linkou") is a hospital of its
    own. A laboratory is also reported through a named host of the same institution that is not a laboratory
    ("State Key Laboratory of Oncology in South China, Sun Yat-sen University Cancer Center")."""
    if unit.type == "hospital":
        return any(above.type != "hospital" for above in named_above)
    if stands_alone(unit):
        return False
    return bool(named_above) or (unit.type == "lab" and any(host.type != "lab" for host in named_hosts))


def predict_institutions(index: OrgIndex, text: str) -> list[str]:
    """The keys of the institutions *text* names, most certain first."""
    scores: dict[str, float] = {}
    under: dict[str, set[str]] = {}
    for address in index.addresses(text):
        hits = index.hits(address)
        for key, (confidence, _) in index.institutions(address, hits).items():
            scores[key] = max(scores.get(key, 0.0), confidence)
        for hospital, universities in index.hospitals_under(address, hits).items():
            under.setdefault(hospital, set()).update(universities)
    units = index.dictionary.units
    named = {key for key, score in scores.items() if score >= MINIMUM}
    # "Tongji Univ, ...; Key Laboratory of X, Ministry of Education": the ministry supervises, the university employs
    if any(not index.supervising(key) for key in named):
        named = {key for key in named if not index.supervising(key)}
    above = {key: named & (index.part_of.get(key, set()) | under.get(key, set())) for key in named}
    hosts = {key: {other for other in named - {key} if index.part_of.get(other, set()) & index.part_of.get(key, set())}
             for key in named}
    kept = [key for key in named if not _reported_through(units[key], [units[k] for k in above[key]],
                                                          [units[k] for k in hosts[key]])]
    return sorted(kept, key=lambda key: -scores[key])
