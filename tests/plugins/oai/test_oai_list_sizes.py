"""completeListSize is counted once per state of the repository and is exact after any change, whoever
makes it (another process), and on the day an embargo ends."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from repository.extensions import db
from repository.models import Collection, Work, utcnow

from oai_helpers import NS, add_work, harvest, oai


@contextmanager
def counted_statements():
    """The COUNT statements the application sends while the block runs."""
    seen = []

    def record(_conn, _cursor, statement, *_args):
        if "count(*)" in statement.lower():
            seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def first_page_size(client, **params) -> int:
    db.session.remove()  # the tests' requests share the fixture's app context: end its transaction, as a request's teardown does
    token = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **params).find(".//oai:resumptionToken", NS)
    return int(token.get("completeListSize"))


def harvested(client, **params) -> int:
    db.session.remove()
    items, _pages = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", **params)
    return len(items)


def test_a_list_is_counted_once_until_something_changes(client, repository):
    with counted_statements() as counts:
        assert first_page_size(client) == 10
        assert first_page_size(client) == 10
        assert first_page_size(client, set="unit") == 4  # another list, counted on its own
        assert first_page_size(client, set="unit") == 4
    assert len(counts) == 2


def test_a_list_of_one_page_is_not_counted(client, repository):
    with counted_statements() as counts:
        headers, pages = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", set="collection:catalysis")
    assert len(headers) == 2 and len(pages) == 1
    assert pages[0].find(".//oai:resumptionToken", NS) is None and counts == []


@pytest.fixture
def elsewhere(app):
    """A session of its own, as another process (a worker importing, a curator's request) would have."""
    with Session(db.engine) as session:
        yield session


def test_every_committed_change_elsewhere_gives_the_exact_size(client, repository, elsewhere):
    extra8, article = repository["extra8"].id, repository["article"].id
    others = [repository[name].id for name in ("extra9", "extra10", "extra11")]
    assert first_page_size(client) == 10

    new = Work(title="Published elsewhere", status="verified")
    new.set_type("journal_article")
    elsewhere.add(new)
    elsewhere.commit()
    assert first_page_size(client) == harvested(client) == 11

    elsewhere.get(Work, extra8).status = "candidate"  # no longer public, never a tombstone: it leaves
    elsewhere.commit()
    assert first_page_size(client) == harvested(client) == 10

    catalysis = elsewhere.execute(sa.select(Collection).filter_by(spec="catalysis")).scalar_one()
    catalysis.works.extend(elsewhere.get(Work, work_id) for work_id in others)
    elsewhere.commit()
    assert first_page_size(client, set="collection:catalysis") == harvested(client, set="collection:catalysis") == 5
    catalysis.works.remove(elsewhere.get(Work, article))
    elsewhere.commit()
    assert first_page_size(client, set="collection:catalysis") == harvested(client, set="collection:catalysis") == 4


def test_an_uncommitted_change_is_not_counted_and_its_commit_is(client, repository, elsewhere):
    extra9 = repository["extra9"].id
    assert first_page_size(client) == 10
    elsewhere.get(Work, extra9).embargo_until = utcnow().date() + dt.timedelta(days=10)
    elsewhere.flush()
    assert first_page_size(client) == 10
    elsewhere.commit()
    assert first_page_size(client) == harvested(client) == 9


def test_the_size_follows_an_embargo_that_ends_without_any_write(client, repository, monkeypatch):
    release_day = utcnow().date() + dt.timedelta(days=1)
    add_work("Released tomorrow", embargo_until=release_day)
    db.session.commit()
    assert first_page_size(client) == 10
    release = dt.datetime.combine(release_day, dt.time(0, 5), tzinfo=dt.timezone.utc)
    monkeypatch.setattr("repository.web.public.utcnow", lambda: release)
    assert first_page_size(client) == harvested(client) == 11
