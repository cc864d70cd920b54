"""Cross-source resolution end to end: importers -> pipeline -> dedup index -> curation decisions.

Fixtures in tests/dedup_fixtures are one paper of a Chinese journal as CNKI (Chinese title, English
translated title, names in Chinese), WoS (English title, DOI) and EI (the English translation as its title)
export it, with no identifier in common.
"""
from pathlib import Path

import pytest
import sqlalchemy as sa

from repository.dedup import curation
from repository.dedup.merging import MergeError
from repository.extensions import db
from repository.hookspecs import hookimpl
from repository.ingest.batch import create_batch, run_batch
from repository.ingest.merge import field_sources
from repository.models import AuditEvent, CurationTask, FieldOverride, ImportBatch, Work, WorkKey, WorkProfile
from repository.plugins import plugins
from tests.factories import record, write_jsonl

pytestmark = pytest.mark.contract

FIXTURES = Path(__file__).with_name("dedup_fixtures")


def import_file(source: str, path) -> ImportBatch:
    batch = create_batch(source, [str(path)])
    run_batch(batch.id)
    db.session.expire_all()
    return db.session.get(ImportBatch, batch.id)


def live_works() -> list[Work]:
    return db.session.execute(sa.select(Work).filter_by(deleted=False).order_by(Work.id)).scalars().all()


def duplicate_tasks() -> list[CurationTask]:
    return db.session.execute(sa.select(CurationTask).filter_by(kind="possible_duplicate")
                              .order_by(CurationTask.id)).scalars().all()


def import_triple(order=("cnki", "wos", "ei")) -> dict[str, ImportBatch]:
    return {source: import_file(source, FIXTURES / f"triple_{source}.txt") for source in order}


@pytest.mark.parametrize("order", [("cnki", "wos", "ei"), ("wos", "ei", "cnki"), ("ei", "cnki", "wos")])
def test_wos_ei_and_cnki_records_of_one_paper_end_as_one_work_with_three_sources(app, order):
    batches = import_triple(order)
    assert [(batches[s].new, batches[s].merged, batches[s].failed) for s in order] == [(1, 0, 0), (0, 1, 0),
                                                                                     (0, 1, 0)]
    [work] = live_works()
    assert sorted(r.source for r in work.source_records) == ["cnki", "ei", "wos"]
    assert {i.scheme for i in work.identifiers} == {"doi", "wos_ut", "ei_accession", "cnki_filename"}
    assert work.title == "Prediction of Catalyst Activity Based on Deep Learning"
    assert work.title_alt == "Catalyst activity prediction based on deep learning"
    assert [a.raw_name for a in work.authorships] == ["Wang, Xiaoming", "Li, Hua", "Zhao, Guoqiang"]
    sources = field_sources(work, app.config["ZHIKU_SOURCE_PRIORITY"])
    assert (sources["title"]["source"], sources["title_alt"]["source"], sources["authors"]["source"]) == (
        "wos", "cnki", "wos")
    wos_row = next(r for r in work.source_records if r.source == "wos")
    assert sources["title"] == {"source": "wos", "source_id": wos_row.source_id,
                                "source_record_id": wos_row.id, "revision": 1}
    assert duplicate_tasks() == []


def test_reimporting_the_triple_changes_nothing(app):
    import_triple()
    snapshot = (db.session.execute(sa.select(sa.func.count()).select_from(WorkKey)).scalar_one(),
                len(live_works()), len(db.session.execute(sa.select(AuditEvent)).all()))
    again = import_triple()
    assert all(batch.unchanged == 1 for batch in again.values())
    assert snapshot == (db.session.execute(sa.select(sa.func.count()).select_from(WorkKey)).scalar_one(),
                        len(live_works()), len(db.session.execute(sa.select(AuditEvent)).all()))


def test_an_override_beats_every_source_and_shows_as_such(app):
    import_triple()
    [work] = live_works()
    db.session.add(FieldOverride(work=work, field="title", value="Curated title"))
    db.session.commit()
    assert field_sources(work, app.config["ZHIKU_SOURCE_PRIORITY"])["title"]["source"] == "override"


def _grey_pair(tmp_path):
    """Two records of one paper that score between the review and the merge threshold."""
    first = record(source="wos", source_id="WOS:1", doi=None, identifiers={"wos_ut": "WOS:1"})
    second = record(source="ei", source_id="EI:1", doi=None, identifiers={"ei_accession": "EI:1"},
                    authors=[{"name": "Zhang, S."}], venue={"title": "J. Catal."})
    import_file("canonical", write_jsonl(tmp_path / "first.jsonl", [first]))
    import_file("canonical", write_jsonl(tmp_path / "second.jsonl", [second]))
    return second


def _app_with_thresholds(make_app, merge: float, review: float):
    app = make_app(ZHIKU_DEDUP_MERGE_THRESHOLD=merge, ZHIKU_DEDUP_REVIEW_THRESHOLD=review)
    with app.app_context():
        yield app


@pytest.fixture
def strict_app(make_app):
    """Thresholds under which the two _grey_pair records land in the grey zone."""
    yield from _app_with_thresholds(make_app, 0.99999, 0.3)


def test_a_grey_zone_pair_becomes_a_task_with_the_evidence_and_both_works(strict_app, tmp_path):
    _grey_pair(tmp_path)
    first, second = live_works()
    [task] = duplicate_tasks()
    assert (task.status, task.work_id, task.other_work_id, task.subject_key) == (
        "open", first.id, second.id, f"works:{first.id}:{second.id}")
    assert 0.3 <= task.score < 0.99999
    assert task.details["features"]["title_exact"] == 1.0 and task.details["veto"] is None
    assert task.reason.startswith("possible duplicate (p=")


def test_a_rejected_pair_never_merges_again(strict_app, tmp_path, monkeypatch):
    second = _grey_pair(tmp_path)
    [task] = duplicate_tasks()
    curation.decide(task, accept=False, actor="user:1")
    # the source changes the record upstream (a new revision) and thresholds become lax
    import_file("canonical", write_jsonl(tmp_path / "second_v2.jsonl", [second | {"volume": "9"}]))
    strict_app.config.update(ZHIKU_DEDUP_MERGE_THRESHOLD=0.5)
    result = strict_app.test_cli_runner().invoke(args=["dedup", "--all", "--full", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "0 merged, 0 possible duplicates filed" in result.output
    assert len(live_works()) == 2
    assert [t.status for t in duplicate_tasks()] == ["rejected"]


def test_accepting_a_task_merges_the_two_works_and_fires_the_event_after_commit(strict_app, tmp_path):
    _grey_pair(tmp_path)
    first, second = live_works()
    db.session.add(FieldOverride(work=second, field="volume", value="77"))
    second.authorships[0].status, second.authorships[0].confidence = "confirmed", 1.0
    db.session.commit()
    seen = []

    class Listener:
        @hookimpl
        def zhiku_works_merged(self, survivor_id, merged_ids):
            with db.engine.connect() as connection:
                merged_into = connection.execute(sa.text("SELECT merged_into_id FROM work WHERE id = :i"),
                                                 {"i": merged_ids[0]}).scalar()
            seen.append((survivor_id, merged_ids, merged_into))

    plugins().manager.register(Listener(), name="merge-listener")
    [task] = duplicate_tasks()
    survivor = curation.decide(task, accept=True, actor="user:1")
    db.session.expire_all()
    assert survivor.id == first.id and seen == [(first.id, [second.id], first.id)]
    tombstone = db.session.get(Work, second.id)
    assert (tombstone.deleted, tombstone.merged_into_id, tombstone.authorships) == (True, first.id, [])
    survivor = db.session.get(Work, first.id)
    assert sorted(r.source for r in survivor.source_records) == ["ei", "wos"]
    assert {(i.scheme, i.value) for i in survivor.identifiers} == {("wos_ut", "WOS:1"), ("ei_accession", "EI:1")}
    assert survivor.volume == "77" and survivor.provenance["volume"] == "override"
    assert survivor.authorships[0].status == "confirmed"
    assert db.session.get(CurationTask, task.id).status == "accepted"
    assert db.session.execute(sa.select(WorkProfile).filter_by(work_id=second.id)).first() is None
    actions = {(e.action, e.object_id) for e in db.session.execute(sa.select(AuditEvent)).scalars()}
    assert {("work.merge", str(first.id)), ("work.merged_into", str(second.id))} <= actions
    # a re-import of the merged-away Work's record lands on the survivor
    import_file("canonical", write_jsonl(tmp_path / "again.jsonl", [record(
        source="ei", source_id="EI:1", doi=None, identifiers={"ei_accession": "EI:1"}, volume="78")]))
    assert [w.id for w in live_works()] == [first.id]


def test_a_split_record_gets_its_own_work_and_never_rejoins(app, tmp_path):
    import_triple()
    [work] = live_works()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["dedup", "split", "ei", "20191806870001"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    old, new = live_works()
    assert old.id == work.id
    assert [r.source for r in new.source_records] == ["ei"]
    assert {i.scheme for i in new.identifiers} == {"ei_accession"}
    assert "ei_accession" not in {i.scheme for i in old.identifiers}
    assert [(t.status, t.reason) for t in duplicate_tasks()] == [("rejected", "split by cli")]
    result = runner.invoke(args=["dedup", "--all", "--full", "--no-progress"])
    assert result.exit_code == 0 and "0 merged" in result.output
    changed = (FIXTURES / "triple_ei.txt").read_text(encoding="utf-8").replace("Issue:3", "Issue:3-4")
    import_file("ei", write_text(tmp_path / "ei_v2.txt", changed))
    assert [w.id for w in live_works()] == [old.id, new.id]
    assert runner.invoke(args=["dedup", "split", "wos", "WOS:000461234500010"]).exit_code == 0
    assert "is the only one" in runner.invoke(args=["dedup", "split", "ei", "20191806870001"]).output


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_merging_a_work_with_itself_or_a_tombstone_is_refused(app, tmp_path):
    import_file("canonical", write_jsonl(tmp_path / "a.jsonl", [record(), record(
        source_id="WOS:2", doi=None, identifiers={"wos_ut": "WOS:2"}, title="Another paper entirely",
        authors=[{"name": "Li, Si"}])]))
    first, second = live_works()
    with pytest.raises(MergeError, match="with itself"):
        curation.merge(first.id, first.id, "test")
    curation.merge(first.id, second.id, "test")
    result = app.test_cli_runner().invoke(args=["dedup", "merge", str(first.id), str(second.id)])
    assert result.exit_code == 1 and "merged away" in result.output


@pytest.fixture
def blind_app(make_app):
    """An app whose thresholds let nothing match at import time (as before dedup existed)."""
    yield from _app_with_thresholds(make_app, 1.0, 1.0)


def test_dedup_all_indexes_unindexed_works_and_merges_them_incrementally(blind_app, monkeypatch):
    import_triple()
    assert len(live_works()) == 3
    db.session.execute(sa.delete(WorkKey))
    db.session.execute(sa.delete(WorkProfile))  # Works imported before the dedup index existed
    db.session.commit()
    blind_app.config.update(ZHIKU_DEDUP_MERGE_THRESHOLD=0.95, ZHIKU_DEDUP_REVIEW_THRESHOLD=0.5)
    runner = blind_app.test_cli_runner()
    result = runner.invoke(args=["dedup", "--all", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "3 works indexed" in result.output and "2 merged" in result.output
    [work] = live_works()
    assert len(work.source_records) == 3
    again = runner.invoke(args=["dedup", "--all", "--no-progress"])
    assert "0 works indexed, 0 checked, 0 merged" in again.output


def test_an_interrupted_dedup_run_goes_on_where_it_stopped(blind_app, tmp_path, monkeypatch):
    from repository.dedup import rerun

    papers = [record(source_id=f"WOS:{i}", doi=None, identifiers={"wos_ut": f"WOS:{i}"},
                     title=f"Paper number {i} on a distinct topic {'xyz'[i % 3] * (i + 3)}",
                     authors=[{"name": f"Author{i}, A."}]) for i in range(6)]
    import_file("canonical", write_jsonl(tmp_path / "papers.jsonl", papers))
    monkeypatch.setattr(rerun, "CHUNK", 2)
    calls = []

    def interrupt(phase, done, total):
        calls.append((phase, done, total))
        if phase == "check" and done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rerun.run_dedup(progress=interrupt)
    checked = db.session.execute(sa.select(WorkProfile.work_id).filter_by(checked=True)).scalars().all()
    assert len(checked) == 2
    stats = rerun.run_dedup()
    assert (stats["checked"], stats["merged"]) == (4, 0)


def test_a_prefetched_candidate_pool_resolves_like_a_lookup(app):
    from repository.ingest.lookups import Lookups
    from repository.ingest.resolve import resolve

    import_file("cnki", FIXTURES / "triple_cnki.txt")
    [work] = live_works()
    records = [record(source="ei", source_id="EI:x", doi=None, identifiers={"ei_accession": "EI:x"},
                      title="Catalyst activity prediction based on deep learning", year=2019,
                      authors=[{"name": "Wang, Xiaoming", "position": 1}],
                      venue={"title": "CIESC Journal", "issn": "0438-1157"}, volume="70", pages="1021-1030"),
               record(source="ei", source_id="EI:y", doi=None, identifiers={"ei_accession": "EI:y"},
                      title="An unrelated study of river sediment", authors=[{"name": "Zhou, Q.", "position": 1}])]
    prefetched = Lookups()
    prefetched.prefetch(records)
    hook = plugins().hook
    assert [resolve(r, hook, prefetched).work for r in records] == [work, None]
    assert [resolve(r, hook, Lookups()).work for r in records] == [work, None]


def test_duplicates_within_one_file_become_one_work(app, tmp_path):
    wos = record(doi=None, title="Catalyst activity prediction based on deep learning", year=2019,
                 authors=[{"name": "Wang, Xiaoming", "position": 1}, {"name": "Li, Si", "position": 2}],
                 venue={"title": "CIESC Journal", "issn": "0438-1157"}, volume="70", pages="1021-1030")
    ei = record(source="ei", source_id="EI:x", doi=None, identifiers={"ei_accession": "EI:x"},
                title="Catalyst Activity Prediction Based on Deep Learning", year=2019,
                authors=[{"name": "Wang, X.", "position": 1}, {"name": "Li, S.", "position": 2}],
                venue={"title": "CIESC Journal", "issn": "0438-1157"}, volume="70", pages="1021-1030")
    batch = import_file("canonical", write_jsonl(tmp_path / "both.jsonl", [wos, ei]))
    assert (batch.new, batch.merged) == (1, 1)
    [work] = live_works()
    assert sorted(r.source for r in work.source_records) == ["ei", "wos"]


def test_a_withdrawn_work_is_never_a_candidate(app):
    import_file("cnki", FIXTURES / "triple_cnki.txt")
    [work] = live_works()
    work.deleted, work.status = True, "withdrawn"
    db.session.commit()
    batch = import_file("ei", FIXTURES / "triple_ei.txt")
    assert (batch.new, batch.merged) == (1, 0)
