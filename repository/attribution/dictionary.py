"""The dictionaries as plain values: what the matchers index, whatever they were loaded from.

Units and people are keyed by the identifiers of the standard templates (the org unit ``id``, the person's
``staff_id``), so the same matching code serves dictionary files (``zhiku match``), the repository's own
tables and the reference list of Chinese institutions.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class UnitEntry:
    """One org unit. ``parent`` is None for an institution."""

    key: str
    type: str
    parent: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    aliases: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    merged_into: str | None = None
    city: str | None = None
    country: str | None = None
    inactive: bool = False
    #: Other institutions this one belongs to without being their unit (ROR parents of a state key lab).
    part_of: tuple[str, ...] = ()
    db_id: int | None = None

    @property
    def label(self) -> str:
        return self.name_zh or self.name_en or self.key


@dataclass(frozen=True)
class Membership:
    """A person's place in a unit over a period."""

    unit: str
    role: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@dataclass(frozen=True)
class PersonEntry:
    """One person with every unit they belong to."""

    key: str
    kind: str = "staff"
    name_zh: str | None = None
    name_en: str | None = None
    variants: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    orcid: str | None = None
    researcher_id: str | None = None
    memberships: tuple[Membership, ...] = ()
    db_id: int | None = None

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.unit for m in self.memberships))


@dataclass
class Dictionary:
    """Org units and people, by key."""

    units: dict[str, UnitEntry] = field(default_factory=dict)
    people: dict[str, PersonEntry] = field(default_factory=dict)

    def institution_of(self, key: str) -> str:
        """The key of the top-level unit above (or equal to) unit *key*."""
        seen = set()
        while self.units[key].parent and key not in seen:
            seen.add(key)
            key = self.units[key].parent
        return key

    def belongs_to(self, key: str) -> set[str]:
        """Every unit *key* is ``part_of``, directly or through those units (ROR parents of parents)."""
        found: set[str] = set()
        todo = [key]
        while todo:
            for other in self.units[todo.pop()].part_of:
                if other in self.units and other not in found and other != key:
                    found.add(other)
                    todo.append(other)
        return found

    def lineage(self, key: str) -> list[str]:
        """Unit *key* and its ancestors, most specific first."""
        chain = [key]
        while self.units[chain[-1]].parent and len(chain) < 32:
            chain.append(self.units[chain[-1]].parent)
        return chain
