"""The repository's dictionaries, indexed once per process and rebuilt when they change.

The version is the newest audit event of a dictionary object plus the row counts (every dictionary edit is
audited). A process checks it at most every ``ZHIKU_ATTRIBUTION_RECHECK_SECONDS``; a process that changed the
dictionaries itself calls ``invalidate`` and sees the change at once. The co-authorship history used to
break ties between equally fitting people is read with the dictionaries, so it is as fresh as the last
rebuild.
"""
from __future__ import annotations

import threading
import time

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import AuditEvent, Membership, OrgUnit, Person
from .engine import Attributor
from .store import load_coauthors, load_dictionary

_KEY = "zhiku.attribution"
_lock = threading.Lock()
DICTIONARY_OBJECTS = ("org_unit", "person", "membership")


def dictionary_version() -> tuple:
    """A value that changes whenever the dictionaries change."""
    latest = sa.select(sa.func.max(AuditEvent.id)).where(AuditEvent.object_type.in_(DICTIONARY_OBJECTS))
    counts = [sa.select(sa.func.count()).select_from(model).scalar_subquery()
              for model in (OrgUnit, Person, Membership)]
    return tuple(db.session.execute(sa.select(latest.scalar_subquery(), *counts)).one())


def current_attributor() -> Attributor:
    """The Attributor over the repository's dictionaries (built on first use, rebuilt after changes)."""
    state = current_app.extensions.setdefault(_KEY, {"attributor": None, "version": None, "checked": 0.0})
    now = time.monotonic()
    recheck = float(current_app.config.get("ZHIKU_ATTRIBUTION_RECHECK_SECONDS", 5))
    if state["attributor"] is not None and now - state["checked"] < recheck:
        return state["attributor"]
    with _lock:
        version = dictionary_version()
        if state["attributor"] is None or version != state["version"]:
            state["attributor"] = Attributor(load_dictionary(), load_coauthors())
            state["version"] = version
        state["checked"] = now
    return state["attributor"]


def invalidate() -> None:
    """Forget the cached index of this application (after this process changed the dictionaries)."""
    current_app.extensions.pop(_KEY, None)
