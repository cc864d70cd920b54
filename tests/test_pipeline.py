"""The ingest pipeline: idempotency, revisions, overrides, per-record failure, merge by identifier."""
import pytest
import sqlalchemy as sa

from repository.extensions import db
from repository.hookspecs import hookimpl
from repository.ingest.batch import create_batch, run_batch
from repository.models import AuditEvent, FieldOverride, Identifier, ImportBatch, SourceRecord, Work
from repository.plugins import plugins
from tests.factories import record, write_jsonl

pytestmark = pytest.mark.contract


def import_file(path) -> ImportBatch:
    batch = create_batch("canonical", [str(path)])
    run_batch(batch.id)
    db.session.expire_all()
    return db.session.get(ImportBatch, batch.id)


def count(model) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def test_new_records_create_works_with_authorships_identifiers_and_venue(app, tmp_path):
    batch = import_file(write_jsonl(tmp_path / "a.jsonl", [record()]))
    assert (batch.status, batch.new, batch.failed, batch.errors) == ("finished", 1, 0, [])
    work = db.session.execute(sa.select(Work)).scalar_one()
    assert work.title == "Selective hydrogenation of CO2 over In2O3"
    assert (work.kind, work.status, work.deleted) == ("publication", "candidate", False)
    assert [(a.position, a.raw_name, a.is_corresponding) for a in work.authorships] == [
        (1, "Zhang, San", True), (2, "Li, Si", False)]
    assert work.authorships[0].raw_affiliation.startswith("Dalian Univ Technol")
    assert {(i.scheme, i.value) for i in work.identifiers} == {
        ("doi", "10.5555/test.0001"), ("wos_ut", "WOS:000000000000001")}
    assert work.venue.issn == "0021-9517"
    assert work.provenance["title"] == "wos"
    assert batch.progress_done == batch.progress_total == 1


def test_importing_twice_changes_nothing(app, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [record(), record(source_id="WOS:2", doi=None,
                                                                identifiers={"wos_ut": "WOS:2"}, title="Other")])
    import_file(path)
    snapshot = (count(Work), count(SourceRecord), count(AuditEvent), db.session.get(Work, 1).updated_at)
    again = import_file(path)
    assert (again.new, again.updated, again.unchanged, again.failed) == (0, 0, 2, 0)
    assert (count(Work), count(SourceRecord), count(AuditEvent), db.session.get(Work, 1).updated_at) == snapshot


def test_changed_upstream_field_adds_one_revision_and_keeps_the_override(app, tmp_path):
    import_file(write_jsonl(tmp_path / "v1.jsonl", [record()]))
    work = db.session.execute(sa.select(Work)).scalar_one()
    db.session.add(FieldOverride(work=work, field="title", value="Curated title", reason="typo in source"))
    db.session.commit()

    batch = import_file(write_jsonl(tmp_path / "v2.jsonl", [record(title="Changed upstream", volume="12")]))
    assert (batch.updated, batch.new) == (1, 0)
    revisions = db.session.execute(
        sa.select(SourceRecord.revision, SourceRecord.is_current).order_by(SourceRecord.revision)).all()
    assert revisions == [(1, False), (2, True)]
    work = db.session.execute(sa.select(Work)).scalar_one()
    assert (work.title, work.volume) == ("Curated title", "12")
    assert work.provenance["title"] == "override"
    update = db.session.execute(sa.select(AuditEvent).filter_by(action="work.updated")).scalar_one()
    assert update.after["volume"] == "12" and update.actor == f"import:{batch.id}"


def test_a_failing_record_is_reported_and_the_others_are_stored(app, tmp_path):
    bad = record(source_id="WOS:bad", identifiers={"wos_ut": "WOS:bad"}, doi=None)
    bad["authors"][0]["email"] = "broken"
    path = write_jsonl(tmp_path / "mixed.jsonl", [record(), bad, "{not json", record(
        source_id="WOS:3", doi=None, identifiers={"wos_ut": "WOS:3"}, title="Third")])
    batch = import_file(path)
    assert (batch.new, batch.failed) == (2, 2)
    assert batch.errors == [f"{path}:2: authors.0.email: Not a valid email address.",
                            f"{path}:3: invalid JSON: Expecting property name enclosed in double quotes at column 2"]
    assert count(Work) == 2 and count(SourceRecord) == 2


def test_an_exception_inside_a_stage_rolls_back_only_that_record(app, tmp_path):
    class Exploding:
        @hookimpl
        def zhiku_enrich_work(self, work, record, session):
            if record["source_id"] == "WOS:boom":
                raise RuntimeError("enricher broke")

    plugins().manager.register(Exploding(), name="exploding")
    path = write_jsonl(tmp_path / "a.jsonl", [
        record(source_id="WOS:boom", doi=None, identifiers={"wos_ut": "WOS:boom"}), record()])
    batch = import_file(path)
    assert (batch.new, batch.failed) == (1, 1)
    assert batch.errors == [f"{path}:1: could not store record: RuntimeError: enricher broke"]
    assert count(SourceRecord) == 1 and count(Identifier) == 2  # nothing of the failed record is left


def test_a_second_source_with_the_same_doi_merges_into_the_work(app, tmp_path):
    import_file(write_jsonl(tmp_path / "cnki.jsonl", [record(
        source="cnki", source_id="HGSZ2023", identifiers={"cnki_filename": "HGSZ2023"},
        title="二氧化碳在氧化铟上的选择性加氢", language="zh", abstract="中文摘要")]))
    batch = import_file(write_jsonl(tmp_path / "wos.jsonl", [record()]))
    assert (batch.merged, batch.new) == (1, 0)
    work = db.session.execute(sa.select(Work)).scalar_one()
    assert {r.source for r in work.source_records} == {"cnki", "wos"}
    assert work.title == "Selective hydrogenation of CO2 over In2O3"  # wos is trusted first for titles
    assert work.abstract == "中文摘要"  # only cnki has one
    assert {i.scheme for i in work.identifiers} == {"doi", "wos_ut", "cnki_filename"}


def test_events_fire_after_commit(app, tmp_path):
    seen = []

    class Listener:
        @hookimpl
        def zhiku_works_saved(self, work_ids, created_ids):
            # the change must already be visible to another connection
            with db.engine.connect() as connection:
                titles = connection.execute(sa.text("SELECT title FROM work ORDER BY id")).scalars().all()
            seen.append((work_ids, created_ids, titles))

        @hookimpl
        def zhiku_import_finished(self, batch_id):
            seen.append(("finished", batch_id))

    plugins().manager.register(Listener(), name="listener")
    other = record(source_id="WOS:2", doi=None, identifiers={"wos_ut": "WOS:2"}, title="Other")
    batch = import_file(write_jsonl(tmp_path / "a.jsonl", [record(), other, record(volume="99")]))
    # one event for the commit, each Work once, new ones marked
    assert seen == [([1, 2], [1, 2], ["Selective hydrogenation of CO2 over In2O3", "Other"]), ("finished", batch.id)]
    seen.clear()
    import_file(write_jsonl(tmp_path / "b.jsonl", [record(volume="100")]))
    assert seen[0][:2] == ([1], [])


def test_human_decisions_on_authorships_survive_reimport(app, tmp_path):
    import_file(write_jsonl(tmp_path / "v1.jsonl", [record()]))
    work = db.session.execute(sa.select(Work)).scalar_one()
    first = work.authorships[0]
    first.status, first.confidence = "confirmed", 1.0
    db.session.commit()
    changed = record()
    changed["authors"] = [{"name": "Wang, Wu"}] + changed["authors"]
    import_file(write_jsonl(tmp_path / "v2.jsonl", [changed]))
    work = db.session.execute(sa.select(Work)).scalar_one()
    assert [(a.position, a.raw_name, a.status) for a in work.authorships] == [
        (1, "Wang, Wu", "auto"), (2, "Zhang, San", "confirmed"), (3, "Li, Si", "auto")]


def test_records_of_one_chunk_see_each_other(app, tmp_path):
    cnki = record(source="cnki", source_id="HGSZ2023", identifiers={"cnki_filename": "HGSZ2023"}, language="zh",
                  title="二氧化碳在氧化铟上的选择性加氢")
    batch = import_file(write_jsonl(tmp_path / "a.jsonl", [record(), cnki, record(volume="99")]))
    assert (batch.new, batch.merged, batch.updated) == (1, 1, 1)
    work = db.session.execute(sa.select(Work)).scalar_one()
    assert (work.volume, count(Identifier)) == ("99", 3)
    assert [(r.source, r.revision) for r in work.source_records] == [("cnki", 1), ("wos", 2)]


def test_a_deleted_record_withdraws_its_source_and_tombstones_a_work_left_without_sources(app, tmp_path):
    cnki = record(source="cnki", source_id="HGSZ2023", identifiers={"cnki_filename": "HGSZ2023"},
                  abstract="中文摘要")
    other = record(source_id="WOS:2", doi=None, identifiers={"wos_ut": "WOS:2"}, title="Other")
    import_file(write_jsonl(tmp_path / "a.jsonl", [record(), cnki, other]))
    deleted = []

    class Listener:
        @hookimpl
        def zhiku_works_deleted(self, work_ids):
            deleted.extend(work_ids)

    plugins().manager.register(Listener(), name="listener")
    withdrawals = [{"source": "cnki", "source_id": "HGSZ2023", "deleted": True},
                   {"source": "wos", "source_id": "WOS:2", "deleted": True},
                   {"source": "wos", "source_id": "WOS:never-seen", "deleted": True},
                   {"source": "wos", "deleted": True}]
    path = write_jsonl(tmp_path / "deleted.jsonl", withdrawals)
    batch = import_file(path)
    assert (batch.deleted, batch.unchanged, batch.failed) == (2, 1, 1)
    assert batch.errors == [f"{path}:4: deleted record without source and source_id"]
    merged, alone = db.session.execute(sa.select(Work).order_by(Work.id)).scalars()
    assert (merged.deleted, merged.abstract) == (False, None)
    assert sorted((r.source, r.deleted) for r in merged.source_records) == [("cnki", True), ("wos", False)]
    assert alone.deleted and deleted == [alone.id]
    assert import_file(path).deleted == 0  # withdrawing again changes nothing

    again = import_file(write_jsonl(tmp_path / "back.jsonl", [cnki]))
    assert again.updated == 1
    assert db.session.get(Work, merged.id).abstract == "中文摘要"
