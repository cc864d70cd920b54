"""Values built from the repository's dictionaries, kept once per process and rebuilt when they change.

The attribution index (``current_attributor``) and the unit names of the search facet (``search.units``)
are expensive to read on every use and change rarely, so each application keeps them until the dictionary
version changes. The version is the newest audit event of a dictionary object plus the row counts (every
dictionary edit is audited). A process checks it at most every ``ZHIKU_ATTRIBUTION_RECHECK_SECONDS``; a
process that changed the dictionaries itself calls ``invalidate`` and sees the change at once. The
co-authorship history used to break ties between equally fitting people is read with the dictionaries, so
it is as fresh as the last rebuild.
"""
from __future__ import annotations

import threading
import time
from typing import Callable, TypeVar

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import AuditEvent, Membership, OrgUnit, Person
from .engine import Attributor
from .store import load_coauthors, load_dictionary

_KEY = "zhiku.dictionaries"
_lock = threading.Lock()
DICTIONARY_OBJECTS = ("org_unit", "person", "membership")
T = TypeVar("T")


def dictionary_version() -> tuple:
    """A value that changes whenever the dictionaries change."""
    latest = sa.select(sa.func.max(AuditEvent.id)).where(AuditEvent.object_type.in_(DICTIONARY_OBJECTS))
    counts = [sa.select(sa.func.count()).select_from(model).scalar_subquery()
              for model in (OrgUnit, Person, Membership)]
    return tuple(db.session.execute(sa.select(latest.scalar_subquery(), *counts)).one())


def cached_per_version(name: str, build: Callable[[], T]) -> T:
    """The application's value *name*, made by *build()* on first use and again after the dictionaries changed.

    Between version checks (``ZHIKU_ATTRIBUTION_RECHECK_SECONDS``) the kept value is returned without a query.
    """
    states = current_app.extensions.setdefault(_KEY, {})
    state = states.get(name)
    now = time.monotonic()
    recheck = float(current_app.config.get("ZHIKU_ATTRIBUTION_RECHECK_SECONDS", 5))
    if state is not None and now - state["checked"] < recheck:
        return state["value"]
    with _lock:
        version = dictionary_version()
        state = states.get(name)
        if state is None or version != state["version"]:
            state = states[name] = {"value": build(), "version": version}
        state["checked"] = now
    return state["value"]


def current_attributor() -> Attributor:
    """The Attributor over the repository's dictionaries (built on first use, rebuilt after changes)."""
    return cached_per_version("attributor", lambda: Attributor(load_dictionary(), load_coauthors()))


def invalidate(name: str | None = None) -> None:
    """Forget this application's kept value *name*, or all of them (after this process changed the dictionaries)."""
    if name is None:
        current_app.extensions.pop(_KEY, None)
    else:
        current_app.extensions.get(_KEY, {}).pop(name, None)
