"""Index updates follow the pipeline's events; a search server that is down loses nothing."""
import pytest
import sqlalchemy as sa

from repository.extensions import db
from repository.models import Authorship, OrgUnit, SearchPending, Work
from search.backend import SearchRequest
from search.document import build_document
from search.indexing import update_works
from search.query import parse_query
from search.service import EXTENSION_KEY, get_backend
from tests.contract.documents import BLANK
from tests.factories import record, write_jsonl

pytestmark = pytest.mark.contract  # the PostgreSQL pass runs these too

UNREACHABLE = "http://127.0.0.1:9/nowhere"  # the discard port: connection refused at once


def found(q: str, public_only: bool = False) -> set[int]:
    result = get_backend().search(SearchRequest(query=parse_query(q), public_only=public_only))
    return {hit.id for hit in result.hits}


def import_records(runner, tmp_path, *records):
    result = runner.invoke(args=["import", "canonical", str(write_jsonl(tmp_path / "in.jsonl", list(records)))])
    assert result.exit_code == 0, result.output
    return result


def test_imported_works_are_searchable_at_once(app, runner, tmp_path):
    import_records(runner, tmp_path, record(), record(source_id="WOS:2", doi="10.5555/test.0002",
                                                      identifiers={"wos_ut": "WOS:2"}, title="二氧化碳加氢制甲醇",
                                                      language="zh"))
    work_ids = set(db.session.execute(sa.select(Work.id)).scalars())
    assert found("zhang san") == work_ids
    assert len(found("甲醇")) == 1
    assert found("zhang san", public_only=True) == set()  # candidates are not public


def test_document_has_every_field_of_the_contract_documents(app, runner, tmp_path):
    import_records(runner, tmp_path, record())
    work = db.session.execute(sa.select(Work)).scalar_one()
    assert set(build_document(work)) == set(BLANK) | {"id"}


def test_units_index_with_their_ancestors(app, runner, tmp_path):
    import_records(runner, tmp_path, record())
    school = OrgUnit(level="institution", name_zh="大连理工大学", name_en="Dalian University of Technology")
    dept = OrgUnit(level="school", name_zh="化工学院", parent=school)
    db.session.add_all([school, dept])
    authorship = db.session.execute(sa.select(Authorship).where(Authorship.position == 1)).scalars().first()
    authorship.org_unit = dept
    db.session.commit()
    update_works([authorship.work_id])
    document = build_document(db.session.get(Work, authorship.work_id))
    assert document["unit_ids"] == sorted([str(school.id), str(dept.id)])
    assert found("unit:化工学院") == {authorship.work_id}


def test_deleted_and_merged_works_leave_the_index(app, runner, tmp_path):
    import_records(runner, tmp_path, record())
    work = db.session.execute(sa.select(Work)).scalar_one()
    work.deleted = True
    db.session.commit()
    from repository.plugins import plugins

    plugins().hook.zhiku_works_deleted(work_ids=[work.id])
    assert found("zhang san") == set()


def test_updates_while_search_is_down_are_remembered_and_retried(make_app, tmp_path):
    app = make_app(ZHIKU_SEARCH_URL=UNREACHABLE)
    runner = app.test_cli_runner()
    with app.app_context():
        import_records(runner, tmp_path, record())  # the import itself succeeds
        work_id = db.session.execute(sa.select(Work.id)).scalar_one()
        assert db.session.execute(sa.select(SearchPending.work_id)).scalars().all() == [work_id]

        result = runner.invoke(args=["reindex", "--pending", "--no-progress"])
        assert result.exit_code == 1 and "search unavailable" in result.output

        app.config["ZHIKU_SEARCH_URL"] = "embedded"  # the server is back
        app.extensions.pop(EXTENSION_KEY)
        result = runner.invoke(args=["reindex", "--pending", "--no-progress"])
        assert result.exit_code == 0, result.output
        assert "1 pending works indexed, 0 still pending" in result.output
        assert found("zhang san") == {work_id}
        assert db.session.execute(sa.select(SearchPending)).first() is None


def test_next_successful_update_drains_what_was_remembered(app, runner, tmp_path):
    import_records(runner, tmp_path, record(), record(source_id="WOS:2", doi="10.5555/test.0002",
                                                      identifiers={"wos_ut": "WOS:2"}, title="Graphene"))
    first, second = db.session.execute(sa.select(Work.id).order_by(Work.id)).scalars().all()
    get_backend().delete([first])
    db.session.add(SearchPending(work_id=first, error="down"))
    db.session.commit()
    assert update_works([second]) is True
    assert found("zhang san") == {first, second}
    assert db.session.execute(sa.select(SearchPending)).first() is None


def test_reindex_command_rebuilds_everything(app, runner, tmp_path):
    import_records(runner, tmp_path, record())
    get_backend().drop()
    app.extensions.pop(EXTENSION_KEY)
    assert found("zhang san") == set()
    result = runner.invoke(args=["reindex", "--progress"])
    assert result.exit_code == 0, result.output
    assert "1 works indexed (embedded)" in result.output
    assert "reindex (embedded)" in result.output  # the progress bar
    assert len(found("zhang san")) == 1


def test_search_backend_comes_from_the_hook(app):
    from search.embedded import EmbeddedBackend
    from search.service import available_backends

    assert {"embedded", "http", "https"} <= set(available_backends(app))
    assert isinstance(get_backend(), EmbeddedBackend)


def test_updates_are_remembered_when_the_job_queue_is_down(make_app):
    from search.indexing import schedule_update

    app = make_app(ZHIKU_REDIS_URL="redis://127.0.0.1:9/0")
    with app.app_context():
        schedule_update([41, 42])
        assert db.session.execute(sa.select(SearchPending.work_id).order_by(SearchPending.work_id)).scalars().all() == [41, 42]


def test_a_failed_backend_is_not_retried_at_once(make_app, monkeypatch):
    from search import indexing

    app = make_app(ZHIKU_SEARCH_URL=UNREACHABLE)
    with app.app_context():
        calls = []
        real_push = indexing._push
        monkeypatch.setattr(indexing, "_push", lambda ids: calls.append(ids) or real_push(ids))
        assert update_works([1]) is False and update_works([2]) is False
        assert calls == [[1]]  # the second update did not wait for the dead server
        assert db.session.execute(sa.select(SearchPending.work_id).order_by(SearchPending.work_id)).scalars().all() == [1, 2]
        monkeypatch.setattr(indexing.time, "monotonic", lambda: 10**9)  # later: tried again
        update_works([3])
        assert calls == [[1], [3]]
