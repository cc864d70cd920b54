"""Possible-duplicate curation tasks: filing them once per pair, and reading the decisions already taken.

A pair of Works is named by ``works:LOW:HIGH`` (the two ids in order). A pair with a task in any state is
never filed again; a pair whose task was rejected (a curator kept them apart, or split one out of the
other) is never merged by the machine.
"""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from ..extensions import db
from ..models import CurationTask
from .scoring import PairScore


def pair_key(first: int, second: int) -> str:
    """The subject key of the pair of Works *first* and *second* (order does not matter)."""
    low, high = sorted((first, second))
    return f"works:{low}:{high}"


def decided_pairs(work_ids: Iterable[int]) -> dict[frozenset, str]:
    """Every possible-duplicate task touching *work_ids*: ``{frozenset({a, b}): status}``."""
    ids = sorted(set(work_ids))
    result: dict[frozenset, str] = {}
    for start in range(0, len(ids), 2000):
        chunk = ids[start:start + 2000]
        rows = db.session.execute(
            sa.select(CurationTask.work_id, CurationTask.other_work_id, CurationTask.status)
            .where(CurationTask.kind == "possible_duplicate")
            .where(sa.or_(CurationTask.work_id.in_(chunk), CurationTask.other_work_id.in_(chunk))))
        for first, second, status in rows:
            pair = frozenset((first, second))
            # a rejection is the decision that binds; never let an older open/accepted row hide it
            if result.get(pair) != "rejected":
                result[pair] = status
    return result


def file_possible_duplicate(first: int, second: int, score: PairScore, reason: str) -> CurationTask | None:
    """Open a task for the pair unless one exists in any state; return the new task or None."""
    key = pair_key(first, second)
    exists = db.session.execute(
        sa.select(CurationTask.id).filter_by(kind="possible_duplicate", subject_key=key).limit(1)
    ).scalar_one_or_none()
    if exists is not None:
        return None
    low, high = sorted((first, second))
    task = CurationTask(kind="possible_duplicate", status="open", subject_key=key, work_id=low, other_work_id=high,
                        score=round(score.probability, 4), reason=reason, details=score.evidence())
    db.session.add(task)
    return task
