"""Models: constraints and the small behaviours they carry."""
import datetime as dt

import pytest
import sqlalchemy as sa

from repository.extensions import db
from repository.models import ApiToken, CurationTask, Identifier, OrgUnit, User, Work, record_audit, utcnow

pytestmark = pytest.mark.contract


def new_work(**fields) -> Work:
    work = Work(title=fields.pop("title", "A work"), **fields)
    work.set_type(fields.pop("type", "doctoral_thesis"))
    db.session.add(work)
    db.session.flush()
    return work


def test_work_type_sets_kind_and_defaults(app):
    work = new_work()
    assert (work.kind, work.status, work.deleted) == ("thesis", "candidate", False)
    assert work.updated_at.tzinfo is not None


def test_an_identifier_belongs_to_one_work(app):
    first, second = new_work(), new_work()
    db.session.add(Identifier(work=first, scheme="doi", value="10.5555/x"))
    db.session.flush()
    db.session.add(Identifier(work=second, scheme="doi", value="10.5555/x"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()


def test_naive_datetimes_are_refused(app):
    work = new_work()
    work.updated_at = dt.datetime(2024, 1, 1)
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        db.session.flush()


def test_org_unit_tree(app):
    university = OrgUnit(level="institution", name_zh="大连理工大学", name_en="Dalian University of Technology")
    school = OrgUnit(level="school", name_zh="化工学院", parent=university)
    lab = OrgUnit(level="lab", name_en="State Key Lab of Fine Chemicals", parent=school)
    db.session.add(lab)
    db.session.flush()
    assert [u.display_name for u in lab.ancestors()] == ["大连理工大学", "化工学院"]
    assert university.children == [school]


def test_user_roles_and_password(app):
    user = User(username="librarian", roles=["curator"])
    user.set_password("s3cret")
    assert user.check_password("s3cret") and not user.check_password("wrong")
    assert user.has_role("curator") and not user.has_role("admin")
    assert User(username="root", roles=["admin"]).has_role("curator")
    with pytest.raises(ValueError):
        user.has_role("superuser")


def test_api_tokens_are_stored_hashed_and_expire(app):
    user = User(username="feed", roles=["curator"])
    row, token = ApiToken.issue(user, "evaluation system")
    db.session.add(row)
    db.session.flush()
    assert token not in (row.token_hash, row.prefix) and token.startswith(row.prefix)
    assert ApiToken.lookup(token) is row
    assert ApiToken.lookup(token + "x") is None
    row.expires_at = utcnow() - dt.timedelta(seconds=1)
    assert ApiToken.lookup(token) is None


def test_audit_event_records_before_and_after(app):
    work = new_work()
    event = record_audit("user:1", "work.verify", work, before={"status": "candidate"}, after={"status": "verified"})
    db.session.flush()
    assert (event.object_type, event.object_id, event.after) == ("work", str(work.id), {"status": "verified"})


def test_a_curation_task_is_decided_once_with_who_and_when(app):
    first, second = Work(title="A"), Work(title="A.")
    for work in (first, second):
        work.set_type("journal_article")
    db.session.add_all([first, second])
    db.session.flush()
    task = CurationTask(kind="possible_duplicate", subject_key=f"works:{first.id}:{second.id}", work=first,
                        other_work=second, score=0.8, reason="same title, same year")
    db.session.add(task)
    db.session.commit()
    assert task.is_open and task.details == {}
    with pytest.raises(ValueError):
        task.decide("open", "curator@example.edu")
    task.decide("rejected", "curator@example.edu")
    db.session.commit()
    assert not task.is_open and task.decided_by == "curator@example.edu" and task.decided_at.tzinfo is not None
