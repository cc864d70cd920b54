"""Work.datestamp (the OAI-PMH datestamp) moves with every change of the public record, and an embargo's
end is the datestamp of the record's release."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from repository.extensions import db
from repository.models import (Authorship, Collection, Identifier, OrgUnit, Person, Venue, Work, touch_works,
                               utcnow)

pytestmark = pytest.mark.contract  # the bulk touch is SQL of its own: PostgreSQL runs these too

UTC = dt.timezone.utc
OLD = dt.datetime(2024, 1, 1, 8, 0, tzinfo=UTC)


def make_work(title="A work", **fields) -> Work:
    work = Work(title=title, status="verified", **fields)
    work.set_type("journal_article")
    db.session.add(work)
    db.session.commit()
    return work


def age(*works) -> None:
    """Put the works' datestamps in the past, as if they were last changed long ago."""
    db.session.execute(sa.update(Work).where(Work.id.in_([w.id for w in works])).values(datestamp=OLD))
    db.session.commit()
    db.session.expire_all()


def stamp(work) -> dt.datetime:
    db.session.expire_all()
    return db.session.get(Work, work.id).datestamp


@pytest.fixture
def units():
    dut = OrgUnit(code="DUT", level="institution", name_zh="大连理工大学")
    chem = OrgUnit(code="DUT-CHEM", level="school", name_zh="化工学院", parent=dut)
    lab = OrgUnit(code="DUT-CHEM-SKL", level="lab", name_zh="重点实验室", parent=chem)
    other = OrgUnit(code="DUT-CS", level="school", name_zh="计算机学院", parent=dut)
    db.session.add_all([dut, chem, lab, other])
    db.session.commit()
    return {"dut": dut, "chem": chem, "lab": lab, "other": other}


def test_a_new_work_is_stamped_now_and_a_change_moves_it(app):
    before = utcnow()
    work = make_work()
    assert before <= stamp(work) <= utcnow()
    age(work)
    db.session.get(Work, work.id).pages = "1-9"
    db.session.commit()
    assert stamp(work) > OLD


def test_a_flush_without_a_real_change_keeps_the_datestamp(app):
    work = make_work()
    age(work)
    loaded = db.session.get(Work, work.id)
    loaded.title = loaded.title  # same value: no change of the public record
    db.session.commit()
    assert stamp(work) == OLD


def test_an_embargoed_work_is_stamped_with_its_release(app):
    release_day = (utcnow() + dt.timedelta(days=30)).date()
    work = make_work(embargo_until=release_day)
    release = dt.datetime.combine(release_day, dt.time(), tzinfo=UTC)
    assert stamp(work) == release
    db.session.get(Work, work.id).abstract = "changed while under embargo"
    db.session.commit()
    assert stamp(work) == release  # still the release: a harvester sees it when it becomes public
    db.session.get(Work, work.id).embargo_until = None  # embargo lifted early: public now
    db.session.commit()
    assert stamp(work) < release


def test_attribution_and_authorship_changes_move_it(app, units):
    work = make_work(authorships=[Authorship(position=1, raw_name="Zhang, San")])
    person = Person(kind="staff", name_zh="张三")
    db.session.add(person)
    db.session.commit()

    age(work)
    authorship = db.session.execute(sa.select(Authorship)).scalar_one()
    authorship.org_unit_id = units["lab"].id  # attributed to a unit: the work joins the unit's sets
    db.session.commit()
    assert stamp(work) > OLD

    age(work)
    db.session.execute(sa.select(Authorship)).scalar_one().person = person
    db.session.commit()
    assert stamp(work) > OLD

    age(work)
    db.session.get(Work, work.id).authorships.append(Authorship(position=2, raw_name="Li, Si"))
    db.session.commit()
    assert stamp(work) > OLD

    age(work)
    db.session.delete(db.session.execute(sa.select(Authorship).filter_by(position=2)).scalar_one())
    db.session.commit()
    assert stamp(work) > OLD

    age(work)
    db.session.add(Identifier(work_id=work.id, scheme="doi", value="10.5555/datestamp"))
    db.session.commit()
    assert stamp(work) > OLD


def test_moving_a_unit_moves_the_works_attributed_below_it(app, units):
    in_lab = make_work("In the lab", authorships=[Authorship(position=1, raw_name="A", org_unit=units["lab"])])
    elsewhere = make_work("Elsewhere", authorships=[Authorship(position=1, raw_name="B", org_unit=units["other"])])
    age(in_lab, elsewhere)
    db.session.get(OrgUnit, units["chem"].id).name_en = "School of Chemical Engineering"  # names: not in records
    db.session.commit()
    assert stamp(in_lab) == OLD
    db.session.get(OrgUnit, units["chem"].id).parent = db.session.get(OrgUnit, units["other"].id)
    db.session.commit()
    assert stamp(in_lab) > OLD  # its setSpec unit:DUT:DUT-CS:DUT-CHEM:DUT-CHEM-SKL changed
    assert stamp(elsewhere) == OLD
    age(in_lab)
    db.session.get(OrgUnit, units["lab"].id).code = "DUT-SKL-FINE"
    db.session.commit()
    assert stamp(in_lab) > OLD


def test_collection_membership_rename_and_removal_move_their_works(app):
    member, outsider = make_work("Member"), make_work("Outsider")
    collection = Collection(spec="theme")
    db.session.add(collection)
    db.session.commit()
    age(member, outsider)
    db.session.get(Collection, collection.id).works.append(db.session.get(Work, member.id))
    db.session.commit()
    assert stamp(member) > OLD and stamp(outsider) == OLD

    age(member)
    db.session.get(Collection, collection.id).spec = "renamed"
    db.session.commit()
    assert stamp(member) > OLD

    age(member)
    db.session.delete(db.session.get(Collection, collection.id))
    db.session.commit()
    assert stamp(member) > OLD and stamp(outsider) == OLD


def test_a_venue_change_moves_its_works(app):
    venue = Venue(title="J Catal", title_key="j catal")
    work, other = make_work("In the journal", venue=venue), make_work("Not in it")
    age(work, other)
    db.session.get(Venue, venue.id).title = "Journal of Catalysis"
    db.session.commit()
    assert stamp(work) > OLD and stamp(other) == OLD


def test_touch_works_for_bulk_updates_keeps_a_later_release(app):
    release_day = (utcnow() + dt.timedelta(days=10)).date()
    plain, embargoed = make_work("Plain"), make_work("Embargoed", embargo_until=release_day)
    age(plain)
    touch_works(db.session.connection(), Work.id.in_([plain.id, embargoed.id]))
    db.session.commit()
    assert stamp(plain) > OLD
    assert stamp(embargoed) == dt.datetime.combine(release_day, dt.time(), tzinfo=UTC)


def test_a_merge_moves_the_survivor_which_takes_the_others_identifiers_and_collections(app):
    from repository.dedup import curation

    survivor, other = make_work("Kept"), make_work("Merged away")
    db.session.add(Identifier(work_id=other.id, scheme="doi", value="10.5555/merged"))
    collection = Collection(spec="theme", works=[other])
    db.session.add(collection)
    db.session.commit()
    age(survivor, other)
    curation.merge(survivor.id, other.id, "test")
    assert stamp(other) > OLD
    assert stamp(survivor) > OLD  # its dc:identifier and its collection sets changed
