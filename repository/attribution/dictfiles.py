"""Dictionary files -> validated dictionary entries, or a conflict report naming file, row and reason.

Nothing is half-read: ``load_dictionary_files`` returns either a complete Dictionary or every problem found,
so an import applies all of a file or none of it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..identifiers import normalize_orcid
from ..vocabulary import ORG_UNIT_LEVELS
from .dictionary import Dictionary, Membership, PersonEntry, UnitEntry
from .tables import ORG_COLUMNS, ORG_OPTIONAL, PEOPLE_COLUMNS, PEOPLE_OPTIONAL, Row, read_rows

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_RESEARCHER_ID = re.compile(r"^[A-Z]{1,3}-\d{4}-\d{4}$")
PERSON_KINDS = ("staff", "student")


@dataclass(frozen=True)
class Conflict:
    """One problem in a dictionary file."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class DictionaryFiles:
    """What dictionary files hold, or why they cannot be loaded."""

    dictionary: Dictionary = field(default_factory=Dictionary)
    conflicts: list[Conflict] = field(default_factory=list)


def _split(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in value.split("|") if v.strip()))


def _date(row: Row, column: str, problems: list[Conflict]) -> dt.date | None:
    value = row.values.get(column, "")
    if not value:
        return None
    try:
        return dt.date(int(value), 1, 1) if re.fullmatch(r"\d{4}", value) else dt.date.fromisoformat(value[:10])
    except ValueError:
        problems.append(Conflict(row.file, row.line, f"{column}: not a date (YYYY-MM-DD or YYYY): {value!r}"))
        return None


def _unit_of(row: Row, problems: list[Conflict]) -> UnitEntry | None:
    v = row.values
    before = len(problems)
    if not v["id"]:
        problems.append(Conflict(row.file, row.line, "id is empty"))
    kind = v["type"].lower() or ("institution" if not v["parent_id"] else "department")
    if kind not in ORG_UNIT_LEVELS:
        problems.append(Conflict(row.file, row.line, f"type: {v['type']!r} is not one of {', '.join(ORG_UNIT_LEVELS)}"))
    if not (v["name_zh"] or v["name_en"]):
        problems.append(Conflict(row.file, row.line, "name_zh and name_en are both empty"))
    if v.get("country") and not re.fullmatch(r"[A-Za-z]{2}", v["country"]):
        problems.append(Conflict(row.file, row.line, f"country: not a two-letter ISO code: {v['country']!r}"))
    if v["parent_id"] and v["parent_id"] == v["id"]:
        problems.append(Conflict(row.file, row.line, "parent_id is the unit itself"))
    valid_from, valid_to = _date(row, "valid_from", problems), _date(row, "valid_to", problems)
    if valid_from and valid_to and valid_from > valid_to:
        problems.append(Conflict(row.file, row.line, f"valid_from {valid_from} is after valid_to {valid_to}"))
    if len(problems) > before:
        return None
    return UnitEntry(key=v["id"], type=kind, parent=v["parent_id"] or None, name_zh=v["name_zh"] or None,
                     name_en=v["name_en"] or None, aliases=_split(v["aliases"]), former_names=_split(v["former_names"]),
                     acronyms=_split(v.get("acronyms", "")), valid_from=valid_from, valid_to=valid_to,
                     merged_into=v["merged_into"] or None, city=v.get("city") or None,
                     country=(v.get("country") or "").upper() or None)


def read_org_units(path, mapping=None, sheet=None, known: dict[str, UnitEntry] | None = None) -> DictionaryFiles:
    """Validate an org-unit file; *known* units (already in the repository) may be referenced as parents."""
    return org_units_from_rows(read_rows(path, ORG_COLUMNS, ORG_OPTIONAL, mapping, sheet), known)


def org_units_from_rows(rows: list[Row], known: dict[str, UnitEntry] | None = None) -> DictionaryFiles:
    """Validate org-unit rows (of a file, or of an edit) into units or conflicts."""
    result = DictionaryFiles()
    units, first_row = result.dictionary.units, {}
    for row in rows:
        unit = _unit_of(row, result.conflicts)
        if unit is None:
            continue
        if unit.key in units:
            if units[unit.key] != unit:
                result.conflicts.append(Conflict(row.file, row.line, f"id {unit.key} is also on line "
                                                 f"{first_row[unit.key].line} with different values"))
            continue
        units[unit.key], first_row[unit.key] = unit, row
    everything = {**(known or {}), **units}
    for key, unit in units.items():
        row = first_row[key]
        for column, target in (("parent_id", unit.parent), ("merged_into", unit.merged_into)):
            if target and target not in everything:
                result.conflicts.append(Conflict(row.file, row.line, f"{column}: no unit with id {target!r}"))
        seen, cursor = {key}, unit.parent
        while cursor in everything:
            if cursor in seen:
                result.conflicts.append(Conflict(row.file, row.line, f"parent_id: unit {key} is its own ancestor"))
                break
            seen.add(cursor)
            cursor = everything[cursor].parent
    return result


def _person_rows(rows: list[Row], units: dict[str, UnitEntry], problems: list[Conflict]) -> dict[str, list[Row]]:
    by_id: dict[str, list[Row]] = {}
    for row in rows:
        v = row.values
        if not v["staff_id"]:
            problems.append(Conflict(row.file, row.line, "staff_id is empty"))
            continue
        if not (v["name_zh"] or v["name_en"]):
            problems.append(Conflict(row.file, row.line, "name_zh and name_en are both empty"))
        if v["unit_id"] and v["unit_id"] not in units:
            problems.append(Conflict(row.file, row.line, f"unit_id: no unit with id {v['unit_id']!r}"))
        for email in _split(v["email"]):
            if not _EMAIL.match(email):
                problems.append(Conflict(row.file, row.line, f"email: not an e-mail address: {email!r}"))
        if v["orcid"] and normalize_orcid(v["orcid"]) is None:
            problems.append(Conflict(row.file, row.line, f"orcid: not a valid ORCID iD: {v['orcid']!r}"))
        if v.get("researcher_id") and not _RESEARCHER_ID.match(v["researcher_id"]):
            problems.append(Conflict(row.file, row.line, f"researcher_id: not a ResearcherID: {v['researcher_id']!r}"))
        if v.get("kind") and v["kind"] not in PERSON_KINDS:
            problems.append(Conflict(row.file, row.line, f"kind: {v['kind']!r} is not staff or student"))
        by_id.setdefault(v["staff_id"], []).append(row)
    return by_id


def _person_of(key: str, rows: list[Row], problems: list[Conflict]) -> PersonEntry:
    first = rows[0]
    for row in rows[1:]:
        for column in ("name_zh", "name_en", "orcid", "researcher_id", "kind"):
            mine, theirs = row.values.get(column, ""), first.values.get(column, "")
            if mine and theirs and mine != theirs:
                problems.append(Conflict(row.file, row.line, f"staff_id {key}: {column} {mine!r} differs from "
                                         f"{theirs!r} on line {first.line}"))
    merged = {column: next((r.values.get(column) for r in rows if r.values.get(column)), "")
              for column in PEOPLE_COLUMNS + PEOPLE_OPTIONAL}
    memberships = []
    for row in rows:
        if row.values["unit_id"]:
            membership = Membership(row.values["unit_id"], row.values.get("role") or None,
                                    _date(row, "valid_from", problems), _date(row, "valid_to", problems))
            if membership not in memberships:
                memberships.append(membership)
    return PersonEntry(
        key=key, kind=merged["kind"] or "staff", name_zh=merged["name_zh"] or None, name_en=merged["name_en"] or None,
        variants=tuple(dict.fromkeys(v for r in rows for v in _split(r.values["name_variants"]))),
        emails=tuple(dict.fromkeys(e.lower() for r in rows for e in _split(r.values["email"]))),
        orcid=normalize_orcid(merged["orcid"]) if merged["orcid"] else None,
        researcher_id=merged["researcher_id"] or None, memberships=tuple(memberships))


def read_people(path, units: dict[str, UnitEntry], mapping=None, sheet=None) -> DictionaryFiles:
    """Validate a people file against *units* (a person in several units has several rows)."""
    return people_from_rows(read_rows(path, PEOPLE_COLUMNS, PEOPLE_OPTIONAL, mapping, sheet), units)


def people_from_rows(rows: list[Row], units: dict[str, UnitEntry]) -> DictionaryFiles:
    """Validate people rows (of a file, or of an edit) against *units* into people or conflicts."""
    result = DictionaryFiles()
    by_id = _person_rows(rows, units, result.conflicts)
    orcids: dict[str, tuple[str, Row]] = {}
    for key, person_rows in by_id.items():
        person = _person_of(key, person_rows, result.conflicts)
        result.dictionary.people[key] = person
        if person.orcid:
            other = orcids.setdefault(person.orcid, (key, person_rows[0]))
            if other[0] != key:
                result.conflicts.append(Conflict(person_rows[0].file, person_rows[0].line,
                                                 f"orcid {person.orcid} also belongs to staff_id {other[0]} "
                                                 f"(line {other[1].line})"))
    return result


def load_dictionary_files(org_path: str | Path | None, people_path: str | Path | None,
                          org_mapping=None, people_mapping=None) -> DictionaryFiles:
    """Both files (either may be None) into one Dictionary, with the conflicts of both."""
    result = DictionaryFiles()
    if org_path:
        result = read_org_units(org_path, org_mapping)
    if people_path:
        people = read_people(people_path, result.dictionary.units, people_mapping)
        result.dictionary.people = people.dictionary.people
        result.conflicts.extend(people.conflicts)
    return result
