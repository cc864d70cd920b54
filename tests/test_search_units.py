"""The unit facet's names: kept per dictionary version, seen at once after this process changes a unit."""
import sqlalchemy as sa

from repository.extensions import db
from repository.models import OrgUnit, record_audit
from search.units import UnitFacet, unit_names, unit_tree


def add_units(app):
    with app.app_context():
        school = OrgUnit(level="institution", name_zh="大连理工大学")
        dept = OrgUnit(level="school", name_en="School of Chemical Engineering", parent=school)
        db.session.add_all([school, dept])
        db.session.commit()
        return school.id, dept.id


def rename_behind_the_orm(unit_id: int, name: str, audited: bool) -> None:
    """A change made the way another process's would look to this one: no ORM events here."""
    db.session.execute(sa.update(OrgUnit).where(OrgUnit.id == unit_id).values(name_zh=name))
    if audited:
        record_audit("curator", "update", db.session.get(OrgUnit, unit_id))
    db.session.commit()


def test_unit_tree_names_units_and_links_counted_parents(app):
    school, dept = add_units(app)
    assert unit_tree([(str(school), 3), (str(dept), 2), ("999", 1), ("x", 1)]) == [
        UnitFacet(school, "大连理工大学", None, 3), UnitFacet(dept, "School of Chemical Engineering", school, 2)]
    assert unit_tree([(str(dept), 2)]) == [UnitFacet(dept, "School of Chemical Engineering", None, 2)]
    assert unit_tree([]) == []


def test_names_are_kept_until_the_dictionaries_change(app):
    app.config["ZHIKU_ATTRIBUTION_RECHECK_SECONDS"] = 0
    school, _dept = add_units(app)
    assert unit_names()[school].label == "大连理工大学"
    rename_behind_the_orm(school, "大连工学院", audited=False)  # not a dictionary edit: no new version
    assert unit_names()[school].label == "大连理工大学"
    rename_behind_the_orm(school, "大连工学院", audited=True)
    assert unit_names()[school].label == "大连工学院"


def test_another_process_change_is_seen_after_the_recheck_interval(app):
    app.config["ZHIKU_ATTRIBUTION_RECHECK_SECONDS"] = 3600
    school, _dept = add_units(app)
    unit_names()
    rename_behind_the_orm(school, "大连工学院", audited=True)
    assert unit_names()[school].label == "大连理工大学"
    app.config["ZHIKU_ATTRIBUTION_RECHECK_SECONDS"] = 0
    assert unit_names()[school].label == "大连工学院"


def test_committed_unit_changes_of_this_process_are_seen_at_once(app):
    app.config["ZHIKU_ATTRIBUTION_RECHECK_SECONDS"] = 3600
    school, dept = add_units(app)
    unit_names()
    db.session.get(OrgUnit, school).name_zh = "大连工学院"
    db.session.flush()
    assert unit_names()[school].label == "大连理工大学"  # not committed yet
    db.session.commit()
    assert unit_names()[school].label == "大连工学院"
    lab = OrgUnit(level="lab", name_zh="精细化工国家重点实验室", parent_id=dept)
    db.session.add(lab)
    db.session.commit()
    assert unit_names()[lab.id] == ("精细化工国家重点实验室", dept)
    db.session.delete(lab)
    db.session.commit()
    assert lab.id not in unit_names()
