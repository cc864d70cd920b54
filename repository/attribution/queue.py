"""The attribution curation queue: listing by unit and reason, and the curator's final decision."""
from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Authorship, CurationTask, OrgUnit, record_audit

#: Why a link was queued instead of taken (the queue's reason filter).
REASONS = {
    "several_people": "several people fit the name",
    "initials_only": "the name is given as initials only",
    "no_affiliation": "the author line has no affiliation",
    "other_unit": "the person belongs to another unit of the institution",
    "uncertain_unit": "the institution or unit is uncertain",
    "low_confidence": "the evidence is weak",
}


def reason_code(result) -> str:
    """The REASONS key that best explains why *result* (an engine Attribution) was not taken."""
    text = result.reason
    if "people fit" in text or "another author" in text:
        return "several_people"
    if "no affiliation" in text:
        return "no_affiliation"
    if text.startswith("initial"):
        return "initials_only"
    if "another unit" in text:
        return "other_unit"
    if result.org_confidence < 0.9:
        return "uncertain_unit"
    return "low_confidence"


def _unit_and_descendants(unit_id: int) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for child, parent in db.session.execute(sa.select(OrgUnit.id, OrgUnit.parent_id)):
        children.setdefault(parent, []).append(child)
    found, stack = [], [unit_id]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, ()))
    return found


def attribution_queue(status: str = "open", unit_id: int | None = None, reason: str | None = None,
                      limit: int = 50, offset: int = 0) -> tuple[list[CurationTask], int]:
    """Attribution tasks (newest first) and their total count, filtered by unit (with its sub-units) and reason.

    :raises ValueError: *reason* is not a key of REASONS.
    """
    if reason is not None and reason not in REASONS:
        raise ValueError(f"unknown reason {reason!r}; one of {', '.join(REASONS)}")
    query = sa.select(CurationTask).where(CurationTask.kind == "attribution", CurationTask.status == status)
    if unit_id is not None:
        query = query.where(CurationTask.org_unit_id.in_(_unit_and_descendants(unit_id)))
    if reason is not None:
        query = query.where(CurationTask.reason == reason)
    total = db.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    tasks = db.session.execute(query.order_by(CurationTask.id.desc()).limit(limit).offset(offset)).scalars().all()
    return tasks, total


class DecisionError(ValueError):
    """A decision that cannot be applied (closed task, person not among the candidates...)."""


def _authorship_state(row: Authorship) -> dict:
    return {"person_id": row.person_id, "org_unit_id": row.org_unit_id, "status": row.status,
            "confidence": row.confidence}


def decide_attribution(task: CurationTask, accept: bool, actor: str, person_id: int | None = None,
                       unit_id: int | None = None) -> Authorship:
    """Apply a curator's decision: accept links the author line to *person_id* (default: the first
    candidate), reject says none of the candidates is the author. Final: the row becomes ``manual`` or
    ``rejected`` and attribution never changes it again. The caller commits.
    """
    if not task.is_open or task.kind != "attribution":
        raise DecisionError(f"task {task.id} is not an open attribution task")
    row = task.authorship
    if row is None:
        raise DecisionError(f"task {task.id}: its author line no longer exists")
    before = _authorship_state(row)
    candidates = task.details.get("candidates", [])
    if accept:
        if person_id is None:
            if not candidates:
                raise DecisionError(f"task {task.id} has no candidate; name the person")
            person_id = candidates[0]["person_id"]
        row.person_id, row.status, row.confidence = person_id, "manual", 1.0
        row.org_unit_id = unit_id or task.org_unit_id or row.org_unit_id
    else:
        row.person_id, row.status = None, "rejected"
    task.decide("accepted" if accept else "rejected", actor)
    db.session.flush()
    record_audit(actor, "authorship.decide", row, before=before, after=_authorship_state(row))
    return row


def set_own_authorship(row: Authorship, confirm: bool, actor: str) -> Authorship:
    """A faculty member's answer about an author line linked to them: confirmed, or not me (rejected).

    Final like a curator's decision; open tasks about the line are closed with the same answer.
    """
    before = _authorship_state(row)
    if confirm:
        if row.person_id is None:
            raise DecisionError(f"author line {row.id} is not linked to anyone to confirm")
        row.status, row.confidence = "confirmed", 1.0
    else:
        row.person_id, row.status = None, "rejected"
    for task in db.session.execute(sa.select(CurationTask).where(
            CurationTask.subject_key == f"authorship:{row.id}", CurationTask.status == "open")).scalars():
        task.decide("accepted" if confirm else "rejected", actor)
    db.session.flush()
    record_audit(actor, "authorship.confirm" if confirm else "authorship.reject", row, before=before,
                 after=_authorship_state(row))
    return row

