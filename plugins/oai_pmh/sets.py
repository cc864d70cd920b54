"""OAI sets: work types, the org-unit tree (hierarchical setSpecs) and admin-defined collections.

    type                      every work, grouped by type
    type:journal_article      works of one type (repository.vocabulary.WORK_TYPES)
    unit                      works attributed to any org unit
    unit:DUT:DUT-CHEM         works with an author attributed to 化工学院 or any unit below it
    collection                works in any collection
    collection:SPEC           works in the collection SPEC

A unit's segment is its ``code`` when that is a legal setSpec segment, else ``u<id>``. A record's header
lists its type set, the set of every attributed unit and of each of that unit's ancestors, and its
collections, so a harvester that ignores hierarchy still finds it under each unit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from flask_babel import force_locale

from repository.extensions import db
from repository.models import Authorship, Collection, OrgUnit, Work, collection_work
from repository.vocabulary import WORK_TYPES
from repository.web.labels import work_type_label

SEGMENT = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
SET_SPEC = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")



@lru_cache(maxsize=None)
def type_labels(work_type: str) -> tuple[str | None, str]:
    """The (zh, en) labels of a work type from the core's translated labels; zh is None when untranslated.

    Cached for the process: catalogues are loaded once, and this runs for every record serialized.
    """
    with force_locale("en"):
        english = work_type_label(work_type)
    with force_locale("zh"):
        chinese = work_type_label(work_type)
    return (chinese if chinese != english else None), english


@dataclass(frozen=True)
class OaiSet:
    spec: str
    name: str
    name_zh: str | None = None
    name_en: str | None = None
    description: str | None = None


class UnknownSet(LookupError):
    """The setSpec is well formed but names no set of this repository."""


def _bilingual(zh: str | None, en: str | None, fallback: str) -> str:
    if zh and en:
        return f"{zh} / {en}"
    return zh or en or fallback


class SetCatalogue:
    """The sets of this repository, loaded once per request (org units and collections are small tables)."""

    def __init__(self):
        units = db.session.execute(sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.parent_id, OrgUnit.name_zh,
                                             OrgUnit.name_en)).all()
        self._units = {u.id: u for u in units}
        self._children: dict[int | None, list[int]] = {}
        for unit in units:
            self._children.setdefault(unit.parent_id if unit.parent_id in self._units else None, []).append(unit.id)
        self._unit_spec: dict[int, str] = {}
        for unit_id in self._units:
            self._unit_spec[unit_id] = self._spec_of(unit_id)
        self._unit_by_spec = {spec: unit_id for unit_id, spec in self._unit_spec.items()}
        self.collections = {c.spec: c for c in db.session.execute(sa.select(Collection)).scalars()}

    def _segment(self, unit_id: int) -> str:
        code = self._units[unit_id].code
        return code if code and SEGMENT.match(code) else f"u{unit_id}"

    def _spec_of(self, unit_id: int) -> str:
        chain, seen, current = [], set(), unit_id
        while current is not None and current in self._units and current not in seen:
            seen.add(current)
            chain.append(self._segment(current))
            current = self._units[current].parent_id
        return "unit:" + ":".join(reversed(chain))

    def _unit_chain(self, unit_id: int) -> list[str]:
        """The setSpecs of a unit and all its ancestors."""
        spec = self._unit_spec.get(unit_id)
        if spec is None:
            return []
        parts = spec.split(":")
        return [":".join(parts[:i]) for i in range(2, len(parts) + 1)]

    def _descendants(self, unit_id: int) -> list[int]:
        found, stack = [], [unit_id]
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.append(current)
            stack.extend(self._children.get(current, ()))
        return found

    # --- ListSets -----------------------------------------------------------------------------------------

    def all_sets(self) -> list[OaiSet]:
        sets = [OaiSet("type", "作品类型 / Work types", "作品类型", "Work types")]
        for work_type in WORK_TYPES:
            zh, en = type_labels(work_type)
            sets.append(OaiSet(f"type:{work_type}", _bilingual(zh, en, work_type), zh, en))
        sets.append(OaiSet("unit", "机构 / Organisation units", "机构", "Organisation units"))
        for unit_id, spec in sorted(self._unit_spec.items(), key=lambda item: item[1]):
            unit = self._units[unit_id]
            sets.append(OaiSet(spec, _bilingual(unit.name_zh, unit.name_en, spec), unit.name_zh, unit.name_en))
        sets.append(OaiSet("collection", "专题集合 / Collections", "专题集合", "Collections"))
        for spec, collection in sorted(self.collections.items()):
            sets.append(OaiSet(f"collection:{spec}", _bilingual(collection.name_zh, collection.name_en, spec),
                               collection.name_zh, collection.name_en, collection.description))
        return sets

    # --- headers ------------------------------------------------------------------------------------------

    def header_specs(self, works: list[Work]) -> dict[int, list[str]]:
        """The setSpecs of each Work's header, by work id, with at most two queries for the whole page."""
        ids = [w.id for w in works]
        specs: dict[int, set[str]] = {w.id: {f"type:{w.type}"} for w in works}
        if not ids:
            return {}
        if any("authorships" in sa.inspect(w).unloaded for w in works):
            rows = db.session.execute(
                sa.select(Authorship.work_id, Authorship.org_unit_id).distinct()
                .where(Authorship.work_id.in_(ids), Authorship.org_unit_id.is_not(None)))
        else:  # ListRecords and GetRecord loaded them already for the metadata
            rows = [(w.id, a.org_unit_id) for w in works for a in w.authorships if a.org_unit_id is not None]
        for work_id, unit_id in rows:
            specs[work_id].update(self._unit_chain(unit_id))
        rows = db.session.execute(
            sa.select(collection_work.c.work_id, Collection.spec)
            .join(Collection, Collection.id == collection_work.c.collection_id)
            .where(collection_work.c.work_id.in_(ids)))
        for work_id, spec in rows:
            specs[work_id].add(f"collection:{spec}")
        return {work_id: sorted(values) for work_id, values in specs.items()}

    # --- selective harvesting -----------------------------------------------------------------------------

    def condition(self, spec: str):
        """The SQL condition selecting the works of set *spec*; raises UnknownSet."""
        head, _, rest = spec.partition(":")
        if head == "type":
            if not rest:
                return sa.true()
            if rest not in WORK_TYPES:
                raise UnknownSet(spec)
            return Work.type == rest
        if head == "unit":
            if not rest:
                unit_ids = None
            else:
                unit_id = self._unit_by_spec.get(spec)
                if unit_id is None:
                    raise UnknownSet(spec)
                unit_ids = self._descendants(unit_id)
            linked = sa.select(Authorship.work_id).where(
                Authorship.org_unit_id.is_not(None) if unit_ids is None else Authorship.org_unit_id.in_(unit_ids))
            return Work.id.in_(linked)
        if head == "collection":
            members = sa.select(collection_work.c.work_id)
            if rest:
                collection = self.collections.get(rest)
                if collection is None:
                    raise UnknownSet(spec)
                members = members.where(collection_work.c.collection_id == collection.id)
            return Work.id.in_(members)
        raise UnknownSet(spec)
