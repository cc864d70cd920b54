"""Merging many clusters at once (``merge_works`` over a chunk) ends exactly as merging them pair by pair.

The repository: the WoS / EI / CNKI triple of tests/dedup_fixtures and two pairs of another two papers,
imported with thresholds that let nothing merge; one pair carries the human state a merge must keep (an
override, a confirmed author line, a collection membership, a possible-duplicate task with a third Work,
a tombstone merged into it earlier, a verified survivor).
"""
from collections import defaultdict

import pytest
import sqlalchemy as sa
from flask import current_app

from repository.dedup import rerun
from repository.dedup.index import drop_index
from repository.dedup.merging import MergeError, merge_works, pick_survivor
from repository.extensions import db
from repository.hookspecs import hookimpl
from repository.models import (AuditEvent, Authorship, Collection, CurationTask, FieldOverride, Identifier,
                               SourceRecord, Work, WorkKey, WorkProfile, collection_work)
from repository.plugins import plugins
from tests.factories import record, write_jsonl
from tests.test_dedup_resolution import import_file, import_triple

pytestmark = pytest.mark.contract


def _paper(source: str, number: int, **changes) -> dict:
    key = {"wos": "wos_ut", "ei": "ei_accession", "cnki": "cnki_filename"}[source]
    source_id = f"{source.upper()}:{number}"
    return record(source=source, source_id=source_id, doi=None, identifiers={key: source_id}, **changes)


GRAPHENE = dict(title="Graphene membranes for seawater desalination", year=2021, volume="12", pages="100-110",
                authors=[{"name": "Chen, Wei"}, {"name": "Liu, Fang"}],
                venue={"title": "Desalination", "issn": "0011-9164"})
PEROVSKITE = dict(title="Stability of perovskite solar cells under damp heat", year=2020, volume="8",
                  pages="55-61", authors=[{"name": "Zhou, Min"}, {"name": "Wu, Jie"}],
                  venue={"title": "Solar Energy", "issn": "0038-092X"})


@pytest.fixture
def repository(make_app, tmp_path):
    """The Works of three papers, each arriving as several Works; yields the merges they call for."""
    app = make_app(ZHIKU_DEDUP_MERGE_THRESHOLD=1.0, ZHIKU_DEDUP_REVIEW_THRESHOLD=1.0)
    with app.app_context():
        import_triple()
        import_file("canonical", write_jsonl(tmp_path / "more.jsonl", [
            _paper("wos", 10, **GRAPHENE), _paper("ei", 10, **dict(GRAPHENE, title=GRAPHENE["title"].upper())),
            _paper("wos", 20, **PEROVSKITE), _paper("ei", 20, **dict(PEROVSKITE, volume=None)),
            _paper("wos", 30, title="An unrelated study of river sediment", authors=[{"name": "Ma, Li"}]),
            _paper("ei", 40, title="Another unrelated study", authors=[{"name": "Ma, Li"}])]))
        works = db.session.execute(sa.select(Work).order_by(Work.id)).scalars().all()
        assert len(works) == 9
        triple, graphene, perovskite, (third, earlier) = works[:3], works[3:5], works[5:7], works[7:]
        first, second = perovskite
        db.session.add(FieldOverride(work=first, field="volume", value="77"))
        db.session.add(FieldOverride(work=second, field="volume", value="99"))
        db.session.add(FieldOverride(work=second, field="issue", value="3"))
        second.authorships[0].status = "confirmed"
        second.status = "verified"  # the younger Work survives: it is the verified one
        db.session.add(Collection(spec="energy", name_en="Energy", works=[first]))
        db.session.add(CurationTask(kind="possible_duplicate", status="open", subject_key=f"works:{first.id}:"
                                    f"{third.id}", work_id=first.id, other_work_id=third.id, reason="test"))
        earlier.deleted, earlier.merged_into_id = True, first.id
        drop_index([earlier.id])
        db.session.commit()
        yield [pick_survivor(group) for group in (triple, graphene, perovskite)]


def _snapshot() -> dict:
    """Everything a merge changes, keyed by ids (timestamps and row ids of new rows left out)."""
    db.session.flush()

    def rows(query):
        return sorted(tuple(row) for row in db.session.execute(query))

    fields = ("title", "title_alt", "volume", "issue", "pages", "year", "provenance", "status", "deleted",
              "merged_into_id")
    return {
        "works": [(work.id, *(getattr(work, name) for name in fields))
                  for work in db.session.execute(sa.select(Work).order_by(Work.id)).scalars()],
        "sources": rows(sa.select(SourceRecord.work_id, SourceRecord.source, SourceRecord.source_id)),
        "identifiers": rows(sa.select(Identifier.work_id, Identifier.scheme, Identifier.value)),
        "overrides": rows(sa.select(FieldOverride.work_id, FieldOverride.field, FieldOverride.value)),
        "authors": rows(sa.select(Authorship.work_id, Authorship.position, Authorship.raw_name, Authorship.status)),
        "collections": rows(sa.select(collection_work.c.collection_id, collection_work.c.work_id)),
        "tasks": rows(sa.select(CurationTask.work_id, CurationTask.other_work_id, CurationTask.subject_key,
                                CurationTask.status)),
        "profiles": rows(sa.select(WorkProfile.work_id, WorkProfile.checked)),
        "keys": rows(sa.select(WorkKey.work_id, WorkKey.key)),
        "audit": _audit_trail(),
    }


def _audit_trail() -> dict:
    """The merge audit per survivor as one account: merged ids, sources, identifiers, decisions, overrides
    and each field from its first value to its last (a pair-by-pair run writes one event per pair)."""
    trail: dict = defaultdict(lambda: {"merged": [], "source_records": [], "identifiers": [],
                                       "author_decisions": [], "overrides": [], "fields": {}})
    tombstones = []
    for event in db.session.execute(sa.select(AuditEvent).where(AuditEvent.actor == "test")
                                    .order_by(AuditEvent.id)).scalars():
        if event.action == "work.merged_into":
            tombstones.append((event.object_id, event.after["merged_into"]))
            continue
        assert event.action == "work.merge"
        account = trail[event.object_id]
        for name in ("merged", "source_records", "identifiers", "author_decisions", "overrides"):
            account[name] += event.after[name]
        for name, before in event.before.items():
            first = account["fields"].get(name, (before, None))[0]
            account["fields"][name] = (first, event.after["fields"][name])
    for account in trail.values():
        account["fields"] = {k: v for k, v in account["fields"].items() if v[0] != v[1]}
        for name in ("merged", "source_records", "identifiers"):
            account[name] = sorted(account[name], key=str)
    return {"merges": dict(trail), "tombstones": sorted(tombstones)}


def test_merging_every_cluster_at_once_ends_as_merging_pair_by_pair(repository):
    merges = repository
    priority = ["manual", "wos", "ei", "cnki", "oai", "demo"]
    events = merge_works(merges, "test", priority)
    at_once = _snapshot()
    db.session.rollback()
    for survivor, others in merges:
        for other in others:
            merge_works([(survivor, [other])], "test", priority)
    assert _snapshot() == at_once

    survivors = [survivor.id for survivor, _others in merges]
    merged_away = [other.id for _survivor, others in merges for other in others]
    live = {row[0] for row in at_once["works"] if not row[-2]}
    assert live == set(survivors) | {8}  # the unrelated third Work stays; 9 was a tombstone already
    assert {row[0]: row[-1] for row in at_once["works"] if row[0] in merged_away} == {
        other.id: survivor.id for survivor, others in merges for other in others}
    first, second = merges[2][1][0].id, merges[2][0].id
    assert merges[2][0].status == "verified"
    assert sorted((w, f, v) for w, f, v in at_once["overrides"] if w in (first, second)) == [
        (first, "volume", "77"), (second, "issue", "3"), (second, "volume", "99")]  # the survivor's own win
    assert at_once["collections"] == [(1, second)]
    assert [(t[0], t[1], t[3]) for t in at_once["tasks"]] == [(second, 8, "open")]
    assert (second, 1, "Zhou, Min", "confirmed") in at_once["authors"]
    assert not [row for row in at_once["authors"] if row[0] in merged_away]
    assert {w for w, _checked in at_once["profiles"]} == live
    assert sorted(s for w, s, _i in at_once["sources"] if w == merges[0][0].id) == ["cnki", "ei", "wos"]
    tombstone = db.session.execute(sa.select(Work.merged_into_id).where(Work.id == 9)).scalar_one()
    assert tombstone == second  # a tombstone of a merged-away Work follows it to the survivor
    assert [name for name, _kwargs in events] == ["zhiku_works_merged"] * 3 + ["zhiku_works_saved",
                                                                                "zhiku_works_deleted"]
    assert events[-2][1]["work_ids"] == survivors and events[-1][1]["work_ids"] == merged_away


def test_a_bulk_merge_refuses_a_work_named_twice_or_merged_with_itself(repository):
    (survivor, others), (other_survivor, _rest), _last = repository
    priority = ["wos"]
    with pytest.raises(MergeError, match="two merges"):
        merge_works([(survivor, others), (other_survivor, [others[0]])], "test", priority)
    with pytest.raises(MergeError, match="itself"):
        merge_works([(survivor, [survivor])], "test", priority)


@pytest.mark.parametrize("chunk", [100, 2, 1])
def test_dedup_all_merges_the_clusters_and_fires_the_events_after_the_commit(repository, monkeypatch, chunk):
    """Whatever the chunk size, every pair is met once (from the side checked later) and merges the same."""
    seen = []

    class Listener:
        @hookimpl
        def zhiku_works_deleted(self, work_ids):
            with db.engine.connect() as connection:
                rows = connection.execute(sa.select(Work.id, Work.merged_into_id).where(Work.id.in_(work_ids)))
                seen.append(dict(rows.all()))

    plugins().manager.register(Listener(), name="bulk-merge-listener")
    db.session.execute(sa.update(Work).values(status="candidate"))
    db.session.commit()
    monkeypatch.setattr(rerun, "CHUNK", chunk)
    current_app.config.update(ZHIKU_DEDUP_MERGE_THRESHOLD=0.95, ZHIKU_DEDUP_REVIEW_THRESHOLD=0.5)
    stats = rerun.run_dedup(full=True)
    assert stats["merged"] == 4
    live = db.session.execute(sa.select(Work.id).where(Work.deleted.is_(False)).order_by(Work.id)).scalars().all()
    assert live == [1, 4, 6, 8]
    # one event per chunk that merged, the tombstones already committed when it fires
    assert {k: v for event in seen for k, v in event.items()} == {2: 1, 3: 1, 5: 4, 7: 6}
    assert len(seen) == 1 if chunk == 100 else len(seen) > 1
    assert db.session.execute(sa.select(sa.func.count()).select_from(WorkProfile)
                              .where(WorkProfile.checked.is_(False))).scalar_one() == 0
