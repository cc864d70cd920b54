"""The unit facet as a tree of named units, from unit names kept per dictionary version.

Every search shows the unit facet, while the org-unit dictionary changes rarely; so the names and parents of
all units are read once and kept until the dictionaries change (``repository.attribution.cache``): at once
when this process commits a change to an OrgUnit, within ``ZHIKU_ATTRIBUTION_RECHECK_SECONDS`` when another
process (an import, ``zhiku dict import``) did.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa
from flask import has_app_context
from sqlalchemy.orm import Session, object_session

from repository.attribution.cache import cached_per_version, invalidate
from repository.extensions import db
from repository.models import OrgUnit

CACHE_NAME = "search.unit_names"
_CHANGED = "zhiku.org_units_changed"


class UnitName(NamedTuple):
    label: str
    parent_id: int | None


@dataclass
class UnitFacet:
    """A unit in the unit facet: its count, name and parent (None at the top of the shown tree)."""

    id: int
    name: str
    parent_id: int | None
    count: int


def _read_unit_names() -> dict[int, UnitName]:
    rows = db.session.execute(sa.select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.name_zh, OrgUnit.name_en,
                                        OrgUnit.code))
    return {row.id: UnitName(OrgUnit.label(row.name_zh, row.name_en, row.code, row.id), row.parent_id)
            for row in rows}


def unit_names() -> dict[int, UnitName]:
    """Every unit's shown name and parent id, kept per dictionary version."""
    return cached_per_version(CACHE_NAME, _read_unit_names)


def unit_tree(counts: list[tuple[str, int]]) -> list[UnitFacet]:
    """Name the counted unit ids and link each to its parent when the parent is counted too."""
    if not any(value.isdigit() for value, _count in counts):
        return []
    names = unit_names()
    counted = [(int(value), count) for value, count in counts if value.isdigit() and int(value) in names]
    shown = {unit_id for unit_id, _count in counted}
    return [UnitFacet(unit_id, names[unit_id].label,
                      names[unit_id].parent_id if names[unit_id].parent_id in shown else None, count)
            for unit_id, count in counted]


@sa.event.listens_for(OrgUnit, "after_insert")
@sa.event.listens_for(OrgUnit, "after_update")
@sa.event.listens_for(OrgUnit, "after_delete")
def _note_unit_change(_mapper, _connection, unit) -> None:
    session = object_session(unit)
    if session is not None:
        session.info[_CHANGED] = True


@sa.event.listens_for(Session, "after_commit")
def _forget_unit_names(session: Session) -> None:
    if session.info.pop(_CHANGED, False) and has_app_context():
        invalidate(CACHE_NAME)
