"""Dictionary import, export and edit services: validate everything, then save all of it in one transaction.

Used by ``zhiku dict`` and (later) the admin pages. A file with any conflict changes nothing; saving the
same file again changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..extensions import db
from . import cache
from .dictfiles import Conflict, org_units_from_rows, people_from_rows, read_org_units, read_people
from .dictionary import Dictionary
from .reference import read_reference
from .store import SaveReport, load_dictionary, save_dictionary
from .tables import ORG_COLUMNS, ORG_OPTIONAL, PEOPLE_COLUMNS, PEOPLE_OPTIONAL, Row, write_rows
from .text import name_key

KINDS = ("org", "people")


@dataclass
class ImportResult:
    """Conflicts (nothing saved), or what the save did."""

    conflicts: list[Conflict] = field(default_factory=list)
    report: SaveReport | None = None
    skipped: int = 0


def _save(dictionary: Dictionary, actor: str, check: bool) -> ImportResult:
    if check:
        db.session.rollback()
        return ImportResult()
    try:
        report = save_dictionary(dictionary, actor)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if report.changed:
        cache.invalidate()
    return ImportResult(report=report)


def import_dictionary_file(kind: str, path: str | Path, actor: str, mapping: dict[str, str] | None = None,
                           sheet: str | None = None, check: bool = False) -> ImportResult:
    """Validate and save an org-unit (*kind* ``org``) or people (``people``) file; *check* only validates.

    :raises repository.attribution.tables.TableError: the file cannot be read at all.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown dictionary {kind!r}; one of {', '.join(KINDS)}")
    existing = load_dictionary()
    if kind == "org":
        files = read_org_units(path, mapping, sheet, known=existing.units)
        dictionary = Dictionary(units=files.dictionary.units)
    else:
        files = read_people(path, existing.units, mapping, sheet)
        dictionary = Dictionary(units={}, people=files.dictionary.people)
    if files.conflicts:
        return ImportResult(conflicts=files.conflicts)
    return _save(dictionary, actor, check)


def import_reference_file(path: str | Path, actor: str, check: bool = False) -> ImportResult:
    """Load a reference list of institutions (ROR JSON lines); institutions the dictionary already has under
    another id (same Chinese or English name) are skipped, so the university's own entry stays the only one."""
    reference = read_reference(path)
    existing = load_dictionary()
    own_names = {name_key(n) for u in existing.units.values() for n in (u.name_zh, u.name_en) if n}
    units, skipped = {}, 0
    for key, unit in reference.units.items():
        if key not in existing.units and {name_key(n) for n in (unit.name_zh, unit.name_en) if n} & own_names:
            skipped += 1
            continue
        units[key] = unit
    result = _save(Dictionary(units=units), actor, check)
    result.skipped = skipped
    return result


def _org_rows(dictionary: Dictionary) -> list[dict[str, str]]:
    return [{"id": u.key, "parent_id": u.parent or "", "type": u.type, "name_zh": u.name_zh or "",
             "name_en": u.name_en or "", "aliases": "|".join(u.aliases), "former_names": "|".join(u.former_names),
             "valid_from": u.valid_from.isoformat() if u.valid_from else "",
             "valid_to": u.valid_to.isoformat() if u.valid_to else "", "merged_into": u.merged_into or "",
             "acronyms": "", "city": u.city or "", "country": u.country or ""}
            for u in sorted(dictionary.units.values(), key=lambda u: u.key)]


def _people_rows(dictionary: Dictionary) -> list[dict[str, str]]:
    rows = []
    for p in sorted(dictionary.people.values(), key=lambda p: p.key):
        common = {"staff_id": p.key, "name_zh": p.name_zh or "", "name_en": p.name_en or "",
                  "name_variants": "|".join(p.variants), "email": "|".join(p.emails), "orcid": p.orcid or "",
                  "researcher_id": p.researcher_id or "", "kind": p.kind}
        for m in p.memberships or (None,):
            rows.append(common | ({"unit_id": m.unit, "role": m.role or "",
                                   "valid_from": m.valid_from.isoformat() if m.valid_from else "",
                                   "valid_to": m.valid_to.isoformat() if m.valid_to else ""} if m else {}))
    return rows


def export_dictionary_file(kind: str, path: str | Path) -> int:
    """Write the repository's org units or people in the standard template (plus optional columns) to a
    .csv or .xlsx file that ``import_dictionary_file`` reads back unchanged; return the number of rows."""
    dictionary = load_dictionary()
    if kind == "org":
        rows, columns = _org_rows(dictionary), ORG_COLUMNS + ORG_OPTIONAL
    elif kind == "people":
        rows, columns = _people_rows(dictionary), PEOPLE_COLUMNS + PEOPLE_OPTIONAL
    else:
        raise ValueError(f"unknown dictionary {kind!r}; one of {', '.join(KINDS)}")
    write_rows(path, columns, rows)
    return len(rows)


def _edit_rows(rows: list[dict[str, str]], changes: dict[str, str], columns: tuple[str, ...], label: str) -> list[Row]:
    unknown = set(changes) - set(columns)
    if unknown:
        raise ValueError(f"unknown columns: {', '.join(sorted(unknown))}")
    return [Row(label, 1, {c: (str(changes[c]) if c in changes else row.get(c, "")) for c in columns}) for row in rows]


def edit_unit(code: str, changes: dict[str, str], actor: str) -> ImportResult:
    """Create or change one org unit (template columns as text, ``|``-separated lists), validated like a file
    row and audited like an import. Conflicts name the unit: ``unit DUT-CHE:1: parent_id: ...``."""
    existing = load_dictionary()
    current = [row for row in _org_rows(existing) if row["id"] == code] or [{"id": code}]
    rows = _edit_rows(current, {**changes, "id": code}, ORG_COLUMNS + ORG_OPTIONAL, f"unit {code}")
    files = org_units_from_rows(rows, known=existing.units)
    if files.conflicts:
        return ImportResult(conflicts=files.conflicts)
    return _save(Dictionary(units=files.dictionary.units), actor, check=False)


def edit_person(staff_id: str, changes: dict[str, str], actor: str, unit_ids: list[str] | None = None) -> ImportResult:
    """Create or change one person; *unit_ids*, when given, become their units (one membership each)."""
    existing = load_dictionary()
    current = [row for row in _people_rows(existing) if row["staff_id"] == staff_id] or [{"staff_id": staff_id}]
    if unit_ids is not None:
        current = [{**current[0], "unit_id": unit, "role": "", "valid_from": "", "valid_to": ""} for unit in unit_ids]
    rows = _edit_rows(current, {**changes, "staff_id": staff_id}, PEOPLE_COLUMNS + PEOPLE_OPTIONAL,
                      f"person {staff_id}")
    files = people_from_rows(rows, existing.units)
    if files.conflicts:
        return ImportResult(conflicts=files.conflicts)
    return _save(Dictionary(units={}, people=files.dictionary.people), actor, check=False)
