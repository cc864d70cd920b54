"""The attribution stage on a stored Work: decisions above the threshold are taken, the rest are queued.

Rows a person or curator decided (status confirmed, rejected, manual) are never touched, and the people
they hold are not offered to the other author lines of the work.
"""
from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Authorship, CurationTask, Work
from .corresponding import flag_corresponding
from .engine import Attribution, Attributor
from .people import AuthorLine
from .queue import reason_code

HUMAN_STATUSES = ("confirmed", "rejected", "manual")


def is_automatic(row: Authorship) -> bool:
    """True for a row no human decided (a new row has no status until it is flushed)."""
    return row.status not in HUMAN_STATUSES


def _lines(rows: list[Authorship], record: dict | None) -> list[AuthorLine]:
    researcher_ids = {a["name"]: a.get("researcher_id") for a in (record or {}).get("authors", [])}
    return [AuthorLine(name=row.raw_name, name_original=row.name_original, email=row.email, orcid=row.orcid,
                       researcher_id=researcher_ids.get(row.raw_name), affiliation=row.raw_affiliation)
            for row in rows]


def _set(row: Authorship, **values) -> None:
    """Assign only what changed: a re-import that decides the same writes nothing."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def _task_details(attributor: Attributor, result: Attribution) -> dict:
    people = attributor.dictionary.people
    return {"institution": result.institution, "unit": result.unit, "reason": result.reason,
            "candidates": [{"person_id": people[c.person].db_id, "staff_id": c.person,
                            "name": people[c.person].name_zh or people[c.person].name_en,
                            "confidence": c.confidence, "reason": c.reason} for c in result.candidates[:5]]}


def attribute_work(work: Work, record: dict | None, attributor: Attributor, accept: float, floor: float) -> None:
    """Link the Work's automatic author lines to people and units; queue the uncertain ones."""
    rows = sorted(work.authorships, key=lambda row: row.position)
    auto = [row for row in rows if is_automatic(row)]
    flag_corresponding(auto, record, rows)
    if not auto or not attributor.dictionary.units:
        return
    by_db_id = attributor.people.by_db_id
    taken = {by_db_id[row.person_id] for row in rows
             if row.status in ("confirmed", "manual") and row.person_id in by_db_id}
    results = attributor.attribute(_lines(auto, record), work.year, taken)
    units = attributor.dictionary.units
    to_queue, was_uncertain = [], []
    for row, result in zip(auto, results):
        if row.id is not None and row.confidence is not None and row.confidence < accept:
            was_uncertain.append(row)
        unit_id = units[result.unit].db_id if result.unit and result.org_confidence >= accept else None
        if result.person and result.confidence >= accept:
            _set(row, person_id=attributor.dictionary.people[result.person].db_id, org_unit_id=unit_id,
                 confidence=result.confidence)
            continue
        _set(row, person_id=None, org_unit_id=unit_id,
             confidence=result.confidence if result.person else (result.org_confidence or None))
        if result.person and result.confidence >= floor:
            to_queue.append((row, result))
    if to_queue or was_uncertain:
        _sync_tasks(work, to_queue, was_uncertain, attributor)


def _sync_tasks(work: Work, to_queue: list, was_uncertain: list, attributor: Attributor) -> None:
    """File a task per uncertain row (updating an open one), and drop open tasks that are no longer needed.

    Only rows that were uncertain before can have open tasks, so a new work costs no query; its tasks get
    their author line's id (and subject key) when the pipeline flushes.
    """
    open_tasks = {}
    if was_uncertain:
        open_tasks = {task.authorship_id: task for task in db.session.execute(
            sa.select(CurationTask).where(CurationTask.kind == "attribution", CurationTask.status == "open",
                                          CurationTask.authorship_id.in_([row.id for row in was_uncertain]))
        ).scalars()}
    wanted = set()
    for row, result in to_queue:
        task = open_tasks.get(row.id) if row.id is not None else None
        if task is None:
            task = CurationTask(kind="attribution", status="open", work=work, authorship=row,
                                subject_key=f"authorship:{row.id}" if row.id is not None else None)
            db.session.add(task)
        wanted.add(row.id)
        task.org_unit_id = attributor.dictionary.units[result.unit].db_id if result.unit else None
        task.score, task.reason = result.confidence, reason_code(result)
        task.details = _task_details(attributor, result)
    for authorship_id, task in open_tasks.items():
        if authorship_id not in wanted:
            db.session.delete(task)


@sa.event.listens_for(CurationTask, "before_insert")
def _subject_of_new_task(_mapper, _connection, task: CurationTask) -> None:
    if task.subject_key is None and task.kind == "attribution":
        task.subject_key = f"authorship:{task.authorship_id}"
