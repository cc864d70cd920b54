"""One work's author lines -> people and units: the decisions of the attribution stage, without the database.

Each author line gets its affiliation matched (institution, most specific unit) and its candidates ranked;
people who fit about equally well are told apart by earlier co-authorship with the people surely on the
work's other lines; then people are handed out best-first so that two authors of one work never become the
same person (the weaker claim falls back to its next candidate).
"""
from __future__ import annotations

from dataclasses import dataclass

from .dictionary import Dictionary
from .names import name_keys
from .orgmatch import NO_MATCH, OrgIndex, OrgMatch
from .people import TIE, AuthorLine, Candidate, PeopleIndex, settle_ties

#: A candidate this sure identifies a co-author for tie-breaking.
SURE = 0.85


@dataclass(frozen=True)
class Attribution:
    """The answer for one author line."""

    institution: str | None
    unit: str | None
    person: str | None
    confidence: float
    reason: str
    candidates: tuple[Candidate, ...] = ()
    org_confidence: float = 0.0


class Attributor:
    """Dictionary indexes built once; ``attribute`` and ``match_line`` answer many times."""

    def __init__(self, dictionary: Dictionary, coauthors: dict[str, set[str]] | None = None):
        """:param coauthors: person key -> keys of the people they have published with (tie-breaking)."""
        self.dictionary = dictionary
        self.orgs = OrgIndex(dictionary)
        self.people = PeopleIndex(dictionary, self.orgs)
        self.coauthors = coauthors or {}

    def org_for(self, author_name: str | None, affiliation: str | None, year: int | None = None) -> OrgMatch:
        """The best address of *affiliation* for the author: the C1 group naming them, else the best match."""
        if not affiliation:
            return NO_MATCH
        matches = self.orgs.match_text(affiliation, year)
        if author_name and any(m.address and m.address.authors for m in matches):
            keys = name_keys(author_name)
            own = [m for m in matches if any(keys & name_keys(n) for n in m.address.authors)]
            matches = own or matches
        return max(matches, key=lambda m: m.confidence, default=NO_MATCH)

    def _coauthors_of(self, ranked: list[list[Candidate]], line: int, taken: set[str]) -> set[str]:
        """Earlier co-authors of the people surely on the work's other lines (one clear candidate each)."""
        if not self.coauthors:
            return set()
        sure = set(taken)
        for i, candidates in enumerate(ranked):
            if i != line and candidates and candidates[0].confidence >= SURE and (
                    len(candidates) == 1 or candidates[1].confidence < candidates[0].confidence - TIE):
                sure.add(candidates[0].person)
        return {c for person in sure for c in self.coauthors.get(person, ())}

    def _decide(self, org: OrgMatch, candidates: list[Candidate]) -> Attribution:
        if candidates:
            best = candidates[0]
            return Attribution(org.institution, org.unit, best.person, best.confidence, best.reason,
                               tuple(candidates), org.confidence)
        reason = org.reason if org.institution else "no institution found"
        return Attribution(org.institution, org.unit, None, org.confidence, reason, (), org.confidence)

    def match_line(self, name: str | None, affiliation: str | None) -> Attribution:
        """One ``zhiku match affiliation`` input line: an affiliation, with or without an author name."""
        org = self.org_for(name, affiliation)
        if not name:
            return self._decide(org, [])
        return self._decide(org, settle_ties(self.people.candidates(AuthorLine(name=name, affiliation=affiliation),
                                                                    org)))

    def attribute(self, authors: list[AuthorLine], year: int | None = None,
                  taken: set[str] | None = None) -> list[Attribution]:
        """Attributions for a work's author lines, in order; no person is given to two lines.

        :param taken: people already holding another line of the work (by a human decision).
        """
        orgs = [self.org_for(a.name, a.affiliation, year) for a in authors]
        ranked = [self.people.candidates(a, org) for a, org in zip(authors, orgs)]
        taken = set(taken or ())
        ranked = [settle_ties(candidates, self._coauthors_of(ranked, i, taken)) for i, candidates in enumerate(ranked)]
        chosen: dict[int, list[Candidate]] = {}
        order = sorted(range(len(authors)), key=lambda i: -(ranked[i][0].confidence if ranked[i] else 0.0))
        for i in order:
            free = [c for c in ranked[i] if c.person not in taken]
            if free and free[0] is not ranked[i][0]:
                free = [Candidate(c.person, c.confidence, f"{c.reason}; best fit is another author of the work")
                        for c in free]
            if free:
                taken.add(free[0].person)
            chosen[i] = free
        return [self._decide(orgs[i], chosen[i]) for i in range(len(authors))]
