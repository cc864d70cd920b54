"""Author line -> person: identifiers first (ORCID, ResearcherID, e-mail), then names checked against units.

Confidence is the strength of the name evidence (characters > full pinyin > initials > one initial) times
the strength of the place evidence (the author's unit is one of the person's units > the same institution >
no affiliation given), shared out when several people fit equally well. A person of the dictionary is never
proposed for an author whose affiliation names another institution, unless an identifier says so.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..identifiers import normalize_orcid
from .dictionary import Dictionary
from .names import chinese_name_keys, latin_name_keys, variant_keys
from .orgmatch import OrgIndex, OrgMatch
from .text import has_cjk

NAME_STRENGTH = {"zh": 0.97, "full": 0.95, "initials": 0.93, "initial": 0.8}
SAME_UNIT, SAME_INSTITUTION, OTHER_UNIT, NO_AFFILIATION = 1.0, 0.9, 0.8, 0.6
IDENTIFIER = {"orcid": 0.99, "researcher_id": 0.99, "email": 0.98}
#: Candidates within this distance of the best one make the decision ambiguous.
TIE = 0.05


@dataclass(frozen=True)
class AuthorLine:
    """What a work says about one author."""

    name: str
    name_original: str | None = None
    email: str | None = None
    orcid: str | None = None
    researcher_id: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True)
class Candidate:
    person: str
    confidence: float
    reason: str


class PeopleIndex:
    """The people of a Dictionary by name key and identifier."""

    def __init__(self, dictionary: Dictionary, orgs: OrgIndex):
        self.dictionary, self.orgs = dictionary, orgs
        self.by_key: dict[str, set[str]] = {}
        self.by_identifier: dict[tuple[str, str], str] = {}
        self.units: dict[str, set[str]] = {}
        self.institutions: dict[str, set[str]] = {}
        #: database id -> key, for people loaded from the repository
        self.by_db_id = {p.db_id: p.key for p in dictionary.people.values() if p.db_id is not None}
        for person in dictionary.people.values():
            keys = set()
            for name in (person.name_zh, person.name_en, *person.variants):
                if name:
                    keys |= variant_keys(name)
            for key in keys:
                self.by_key.setdefault(key, set()).add(person.key)
            for scheme, value in (("orcid", person.orcid), ("researcher_id", person.researcher_id),
                                  *(("email", e) for e in person.emails)):
                if value:
                    self.by_identifier[(scheme, value.lower())] = person.key
            units = {u for u in person.units if u in dictionary.units}
            self.units[person.key] = units
            self.institutions[person.key] = {orgs.institution[u] for u in units}

    def _by_identifier(self, author: AuthorLine) -> Candidate | None:
        orcid = normalize_orcid(author.orcid) if author.orcid else None
        for scheme, value in (("orcid", orcid), ("researcher_id", author.researcher_id), ("email", author.email)):
            person = self.by_identifier.get((scheme, value.lower())) if value else None
            if person:
                return Candidate(person, IDENTIFIER[scheme], f"{scheme.replace('_', ' ')} matches")
        return None

    def _name_hits(self, author: AuthorLine) -> dict[str, str]:
        """person -> kind of the best name form that fits (zh, full, initials, initial)."""
        hits: dict[str, str] = {}
        for name in (author.name_original, author.name):
            if not name:
                continue
            if has_cjk(name):
                keys, strength = [k for k in chinese_name_keys(name) if k.startswith("zh:")], "zh"
            else:
                found, initials = latin_name_keys(name)
                keys = list(found)
                strength = "full" if not initials else ("initial" if all(len(k) - k.index("|") == 2 for k in keys)
                                                         else "initials")
            for key in keys:
                for person in self.by_key.get(key, ()):
                    if person not in hits or NAME_STRENGTH[strength] > NAME_STRENGTH[hits[person]]:
                        hits[person] = strength
            if hits:
                break
        return hits

    def _place(self, person: str, org: OrgMatch | None) -> tuple[float, str]:
        if org is None or org.address is None:
            return NO_AFFILIATION, "no affiliation"
        if org.institution is None:
            return 0.0, "affiliation names none of the dictionary's institutions"
        if org.institution not in self.institutions[person]:
            return 0.0, "another institution"
        if org.unit == org.institution:
            return SAME_INSTITUTION, "same institution"
        lineage = self.dictionary.lineage
        # the unit named is the person's, one above it (a school of their department) or one below it
        if any(org.unit in lineage(u)[:-1] or u in lineage(org.unit)[:-1] for u in self.units[person]):
            return SAME_UNIT, "same unit"
        return OTHER_UNIT, "another unit of the institution"

    def candidates(self, author: AuthorLine, org: OrgMatch | None) -> list[Candidate]:
        """People the author line may be, best first, each with a confidence and a reason."""
        found = self._by_identifier(author)
        if found:
            return [found]
        hits = self._name_hits(author)
        scored = []
        for person, strength in hits.items():
            place, why = self._place(person, org)
            if place:
                confidence = NAME_STRENGTH[strength] * place * (org.confidence if org and org.institution else 1.0)
                scored.append(Candidate(person, round(min(confidence, 0.99), 3), f"{strength} name, {why}"))
        scored.sort(key=lambda c: (-c.confidence, c.person))
        return scored


def settle_ties(scored: list[Candidate], coauthors_of_work: set[str] | None = None) -> list[Candidate]:
    """Lower every candidate when several fit about equally well, unless exactly one of them has published
    with the people already identified on the same work (*coauthors_of_work*: their earlier co-authors)."""
    if len(scored) < 2 or scored[1].confidence < scored[0].confidence - TIE:
        return scored
    tied = [c for c in scored if c.confidence >= scored[0].confidence - TIE]
    known = [c for c in tied if c.person in (coauthors_of_work or ())]
    if len(known) == 1:
        best = known[0]
        rest = [Candidate(c.person, round(c.confidence * 0.7, 3), c.reason) for c in scored if c is not best]
        return [Candidate(best.person, best.confidence, f"{best.reason}; co-author of this work's authors"), *rest]
    return [Candidate(c.person, round(c.confidence * 0.7, 3), f"{c.reason}; {len(tied)} people fit") for c in scored]
