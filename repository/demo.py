"""The bundled demo data set: a small university with departments, people and works in zh and en."""
from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from .extensions import db
from .ingest.batch import run_batch
from .models import ImportBatch, Membership, OrgUnit, Person, SourceRecord, Work, record_audit
from .plugins import plugins

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
ACTOR = "demo"


def _load_org_units() -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    for entry in json.loads((DEMO_DIR / "org_units.json").read_text(encoding="utf-8")):
        unit = db.session.execute(sa.select(OrgUnit).filter_by(code=entry["code"])).scalar_one_or_none()
        if unit is None:
            unit = OrgUnit(code=entry["code"], level=entry["level"], name_zh=entry["name_zh"],
                           name_en=entry["name_en"], aliases=entry["aliases"],
                           parent=units.get(entry.get("parent")))
            db.session.add(unit)
            db.session.flush()
            record_audit(ACTOR, "org_unit.create", unit, after={"code": unit.code})
        units[entry["code"]] = unit
    return units


def _load_people(units: dict[str, OrgUnit]) -> None:
    for entry in json.loads((DEMO_DIR / "people.json").read_text(encoding="utf-8")):
        if db.session.execute(sa.select(Person.id).filter_by(number=entry["number"])).first():
            continue
        person = Person(number=entry["number"], kind=entry["kind"], name_zh=entry["name_zh"],
                        name_en=entry["name_en"], name_variants=entry["name_variants"],
                        email=entry.get("email"), orcid=entry.get("orcid"))
        person.memberships.append(Membership(org_unit=units[entry["unit"]], role=entry["kind"]))
        db.session.add(person)
        db.session.flush()
        record_audit(ACTOR, "person.create", person, after={"number": person.number})


def _verify_demo_works() -> list[int]:
    """The demo's works are verified, as a curator would have done; return the ids that changed."""
    works = db.session.execute(
        sa.select(Work).join(SourceRecord, SourceRecord.work_id == Work.id)
        .where(SourceRecord.source == "demo", Work.status == "candidate")
    ).scalars().unique().all()
    for work in works:
        work.status = "verified"
        record_audit(ACTOR, "work.verify", work, before={"status": "candidate"}, after={"status": "verified"})
    return [work.id for work in works]


def load_demo() -> ImportBatch:
    """Load (or, idempotently, re-load) the demo data into the current application's database."""
    units = _load_org_units()
    _load_people(units)
    batch = ImportBatch(source="canonical", locations=[str(DEMO_DIR / "works.jsonl")], status="queued")
    db.session.add(batch)
    db.session.commit()
    run_batch(batch.id)  # inline even when Redis is configured: the demo must be ready when serving starts
    verified = _verify_demo_works()
    db.session.commit()
    plugins().hook.zhiku_works_saved(work_ids=verified, created_ids=[])
    return batch
