"""Dictionary entries <-> the repository's tables (OrgUnit, Person, Membership), every change audited.

``save_dictionary`` is idempotent: saving the same entries again changes nothing and writes no audit event.
It works inside the caller's transaction; the caller commits (or rolls back on error) so an import is
all-or-nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Authorship, Membership, OrgUnit, Person, record_audit
from .dictionary import Dictionary, Membership as MembershipEntry, PersonEntry, UnitEntry


@dataclass
class SaveReport:
    """What a save did, by kind: ``{"org_unit": {"created": 2, "updated": 1, "unchanged": 40}}``."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        bucket = self.counts.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0})
        bucket[outcome] += 1

    def summary(self) -> str:
        return "; ".join(f"{kind}: " + ", ".join(f"{n} {outcome}" for outcome, n in bucket.items())
                         for kind, bucket in self.counts.items())

    @property
    def changed(self) -> bool:
        return any(b["created"] or b["updated"] for b in self.counts.values())


def _unit_values(entry: UnitEntry, ids: dict[str, int]) -> dict:
    aliases = list(entry.aliases) + [a for a in entry.acronyms if a not in entry.aliases]
    return {"level": entry.type, "name_zh": entry.name_zh, "name_en": entry.name_en, "aliases": aliases,
            "former_names": list(entry.former_names), "valid_from": entry.valid_from, "valid_to": entry.valid_to,
            "city": entry.city, "country": entry.country,
            "parent_id": ids.get(entry.parent) if entry.parent else None,
            "successor_id": ids.get(entry.merged_into) if entry.merged_into else None}


def _jsonable(values: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}


class _Changes:
    """Objects changed by a save; their audit events are written after one flush, when every id is known."""

    def __init__(self, actor: str, report: SaveReport):
        self.actor, self.report, self.pending = actor, report, []

    def apply(self, obj, values: dict, kind: str, created: bool) -> None:
        before = {k: getattr(obj, k) for k in values}
        changed = {k: v for k, v in values.items() if before[k] != v}
        if not changed and not created:
            self.report.count(kind, "unchanged")
            return
        for key, value in changed.items():
            setattr(obj, key, value)
        if created:
            self.pending.append((obj, f"{kind}.create", None, _jsonable(values)))
        else:
            self.pending.append((obj, f"{kind}.update", _jsonable({k: before[k] for k in changed}),
                                 _jsonable(changed)))
        self.report.count(kind, "created" if created else "updated")

    def audit(self, obj, action: str, kind: str, outcome: str, before=None, after=None) -> None:
        self.pending.append((obj, action, before, after))
        self.report.count(kind, outcome)

    def write(self) -> None:
        db.session.flush()
        for obj, action, before, after in self.pending:
            if callable(after):
                after = after()
            record_audit(self.actor, action, obj, before=before, after=after)
        self.pending = []


def save_units(units: dict[str, UnitEntry], changes: _Changes) -> dict[str, int]:
    """Create or update org units by code; return code -> database id of every unit in the repository."""
    rows = {row.code: row for row in db.session.execute(sa.select(OrgUnit)).scalars() if row.code}
    created = set()
    for key, entry in units.items():
        if key not in rows:
            rows[key] = OrgUnit(code=key, level=entry.type, aliases=[], former_names=[])
            db.session.add(rows[key])
            created.add(key)
    db.session.flush()
    ids = {code: row.id for code, row in rows.items()}
    for key, entry in units.items():
        changes.apply(rows[key], _unit_values(entry, ids), "org_unit", key in created)
    changes.write()
    return ids


def _person_values(entry: PersonEntry) -> dict:
    return {"kind": entry.kind, "name_zh": entry.name_zh, "name_en": entry.name_en,
            "name_variants": list(entry.variants), "email": entry.emails[0] if entry.emails else None,
            "orcid": entry.orcid, "researcher_id": entry.researcher_id}


def _membership_state(person: Person, values: tuple) -> dict:
    return _jsonable({"person_id": person.id, "org_unit_id": values[0], "role": values[1], "valid_from": values[2],
                      "valid_to": values[3]})


def _sync_memberships(person: Person, wanted: tuple[MembershipEntry, ...], ids: dict[str, int],
                      changes: _Changes) -> None:
    key = lambda m: (m.org_unit_id, m.role, m.valid_from, m.valid_to)  # noqa: E731
    have = {key(m): m for m in person.memberships}
    want = {(ids[m.unit], m.role, m.valid_from, m.valid_to) for m in wanted if m.unit in ids}
    for values in sorted(want - set(have), key=str):
        membership = Membership(org_unit_id=values[0], role=values[1], valid_from=values[2], valid_to=values[3])
        person.memberships.append(membership)
        changes.audit(membership, "membership.create", "membership", "created",
                      after=lambda person=person, values=values: _membership_state(person, values))
    for values in set(have) - want:
        changes.audit(have[values], "membership.delete", "membership", "updated",
                      before=_membership_state(person, values))
        person.memberships.remove(have[values])
    for _ in want & set(have):
        changes.report.count("membership", "unchanged")


def save_people(people: dict[str, PersonEntry], ids: dict[str, int], changes: _Changes) -> None:
    """Create or update people by staff number, and make their memberships those of the entries."""
    numbers = list(people)
    rows = {}
    for start in range(0, len(numbers), 500):
        chunk = numbers[start:start + 500]
        rows.update({p.number: p for p in db.session.execute(
            sa.select(Person).where(Person.number.in_(chunk)).options(selectinload(Person.memberships))).scalars()})
    for key, entry in people.items():
        created = key not in rows
        if created:
            rows[key] = Person(number=key, kind=entry.kind, name_variants=[], memberships=[])
            db.session.add(rows[key])
        changes.apply(rows[key], _person_values(entry), "person", created)
        _sync_memberships(rows[key], entry.memberships, ids, changes)
    changes.write()


def save_dictionary(dictionary: Dictionary, actor: str) -> SaveReport:
    """Save units, then people, in the current transaction (the caller commits)."""
    report = SaveReport()
    changes = _Changes(actor, report)
    ids = save_units(dictionary.units, changes)
    if dictionary.people:
        save_people(dictionary.people, ids, changes)
    db.session.flush()
    return report


def load_dictionary() -> Dictionary:
    """The repository's dictionaries as a Dictionary (three queries, whatever the size)."""
    dictionary = Dictionary()
    units = db.session.execute(sa.select(OrgUnit)).scalars().all()
    code = {u.id: (u.code or f"#{u.id}") for u in units}
    for u in units:
        dictionary.units[code[u.id]] = UnitEntry(
            key=code[u.id], type=u.level, parent=code.get(u.parent_id), name_zh=u.name_zh, name_en=u.name_en,
            aliases=tuple(u.aliases or ()), former_names=tuple(u.former_names or ()), valid_from=u.valid_from,
            valid_to=u.valid_to, merged_into=code.get(u.successor_id), city=u.city, country=u.country, db_id=u.id)
    memberships: dict[int, list[MembershipEntry]] = {}
    for m in db.session.execute(sa.select(Membership)).scalars():
        memberships.setdefault(m.person_id, []).append(
            MembershipEntry(code[m.org_unit_id], m.role, m.valid_from, m.valid_to))
    for p in db.session.execute(sa.select(Person)).scalars():
        key = p.number or f"#{p.id}"
        dictionary.people[key] = PersonEntry(
            key=key, kind=p.kind, name_zh=p.name_zh, name_en=p.name_en, variants=tuple(p.name_variants or ()),
            emails=(p.email.lower(),) if p.email else (), orcid=p.orcid, researcher_id=p.researcher_id,
            memberships=tuple(memberships.get(p.id, ())), db_id=p.id)
    return dictionary


def load_coauthors() -> dict[str, set[str]]:
    """Person key -> keys of the people they share a work with, from the author lines linked so far."""
    rows = db.session.execute(
        sa.select(Authorship.work_id, Person.number, Person.id).join(Person, Authorship.person_id == Person.id)
        .where(Authorship.status != "rejected"))
    by_work: dict[int, set[str]] = {}
    for work_id, number, person_id in rows:
        by_work.setdefault(work_id, set()).add(number or f"#{person_id}")
    coauthors: dict[str, set[str]] = {}
    for people in by_work.values():
        for person in people:
            coauthors.setdefault(person, set()).update(people - {person})
    return coauthors
