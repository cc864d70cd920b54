import json

import pytest
import sqlalchemy as sa

from repository.attribution.service import export_dictionary_file, import_dictionary_file, import_reference_file
from repository.extensions import db
from repository.models import AuditEvent, Membership, OrgUnit, Person

from .dictionaries import ORG_ROWS, PEOPLE_ROWS, dictionary_files, write_csv

pytestmark = pytest.mark.contract


def count(model) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def load(tmp_path):
    org, people = dictionary_files(tmp_path)
    assert import_dictionary_file("org", org, "cli").conflicts == []
    assert import_dictionary_file("people", people, "cli").conflicts == []
    return org, people


def test_import_creates_units_people_memberships_and_audits_them(app, tmp_path):
    load(tmp_path)
    assert (count(OrgUnit), count(Person), count(Membership)) == (6, 5, 6)
    che = db.session.execute(sa.select(OrgUnit).filter_by(code="DUT-CHE")).scalar_one()
    assert che.parent.code == "DUT" and "Sch Chem Engn" in che.aliases
    old = db.session.execute(sa.select(OrgUnit).filter_by(code="DUT-OLD")).scalar_one()
    assert old.successor_id == che.id and str(old.valid_to) == "1995-12-31"
    actions = {e.action for e in db.session.execute(sa.select(AuditEvent)).scalars()}
    assert {"org_unit.create", "person.create", "membership.create"} <= actions


def test_reimport_changes_nothing_and_writes_no_audit(app, tmp_path):
    org, people = load(tmp_path)
    events = count(AuditEvent)
    again = import_dictionary_file("org", org, "cli").report
    assert again.counts["org_unit"] == {"created": 0, "updated": 0, "unchanged": 6}
    assert not import_dictionary_file("people", people, "cli").report.changed
    assert count(AuditEvent) == events


def test_an_update_is_audited_with_before_and_after(app, tmp_path):
    load(tmp_path)
    rows = [list(r) for r in ORG_ROWS]
    rows[2][4] = "School of Chemical Engineering and Technology"
    report = import_dictionary_file("org", write_csv(tmp_path / "org2.csv", rows), "user:7").report
    assert report.counts["org_unit"]["updated"] == 1
    event = db.session.execute(sa.select(AuditEvent).filter_by(action="org_unit.update")).scalar_one()
    assert event.actor == "user:7"
    assert event.before == {"name_en": "School of Chemical Engineering"}
    assert event.after == {"name_en": "School of Chemical Engineering and Technology"}


def test_a_file_with_one_conflict_changes_nothing(app, tmp_path):
    rows = ORG_ROWS + [["X1", "NOPE", "school", "某学院", "", "", "", "", "", ""]]
    result = import_dictionary_file("org", write_csv(tmp_path / "org.csv", rows), "cli")
    assert [c.line for c in result.conflicts] == [8] and result.report is None
    assert count(OrgUnit) == 0 and count(AuditEvent) == 0


def test_people_may_reference_units_already_in_the_repository(app, tmp_path):
    load(tmp_path)
    rows = [PEOPLE_ROWS[0], ["200399", "王五", "Wang Wu", "", "THU", "", ""]]
    assert import_dictionary_file("people", write_csv(tmp_path / "p.csv", rows), "cli").conflicts == []


def test_memberships_follow_the_file(app, tmp_path):
    load(tmp_path)
    rows = [PEOPLE_ROWS[0], ["200303", "张三丰", "Zhang Sanfeng", "", "DUT-FCL", "", ""]]
    import_dictionary_file("people", write_csv(tmp_path / "p.csv", rows), "cli")
    person = db.session.execute(sa.select(Person).filter_by(number="200303")).scalar_one()
    assert [m.org_unit.code for m in person.memberships] == ["DUT-FCL"]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(app, tmp_path, suffix):
    load(tmp_path)
    export_dictionary_file("org", tmp_path / f"org-out.{suffix}")
    export_dictionary_file("people", tmp_path / f"people-out.{suffix}")
    assert not import_dictionary_file("org", tmp_path / f"org-out.{suffix}", "cli").report.changed
    assert not import_dictionary_file("people", tmp_path / f"people-out.{suffix}", "cli").report.changed


def test_reference_institutions_load_without_duplicating_our_own(app, tmp_path):
    load(tmp_path)
    reference = tmp_path / "institutions.jsonl"
    reference.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "https://ror.org/023hj5876", "name_en": "Dalian University of Technology", "name_zh": "大连理工大学",
         "aliases": [], "acronyms": ["DUT"], "status": "active", "types": ["education"], "city": "Dalian"},
        {"id": "https://ror.org/02v51f717", "name_en": "Peking University", "name_zh": "北京大学",
         "aliases": ["Beijing University"], "acronyms": ["PKU"], "status": "active", "types": ["education"]},
        {"id": "https://ror.org/0000gone0", "name_en": "Gone", "status": "withdrawn", "types": []},
    ]) + "\n", encoding="utf-8")
    result = import_reference_file(reference, "cli")
    assert result.skipped == 1 and result.report.counts["org_unit"]["created"] == 1
    assert db.session.execute(sa.select(OrgUnit).filter_by(code="https://ror.org/02v51f717")).scalar_one()
    assert not import_reference_file(reference, "cli").report.changed


def test_single_edits_are_validated_and_audited(app, tmp_path):
    from repository.attribution.service import edit_person, edit_unit

    load(tmp_path)
    result = edit_unit("DUT-CHE", {"aliases": "Sch Chem Engn|Coll Chem Engn|SCE"}, "user:3")
    assert result.report.counts["org_unit"]["updated"] == 1
    assert unit_aliases("DUT-CHE") == ["Sch Chem Engn", "Coll Chem Engn", "SCE"]
    event = db.session.execute(sa.select(AuditEvent).filter_by(action="org_unit.update")).scalar_one()
    assert event.actor == "user:3" and event.after == {"aliases": ["Sch Chem Engn", "Coll Chem Engn", "SCE"]}
    bad = edit_unit("DUT-NEW", {"parent_id": "NOPE", "name_zh": "新学院", "type": "school"}, "user:3")
    assert [str(c) for c in bad.conflicts] == ["unit DUT-NEW:1: parent_id: no unit with id 'NOPE'"]
    assert not edit_unit("DUT-CHE", {"aliases": "Sch Chem Engn|Coll Chem Engn|SCE"}, "user:3").report.changed

    result = edit_person("200303", {"email": "sanfeng@dlut.edu.cn"}, "user:3", unit_ids=["DUT-FCL"])
    assert result.report.counts["person"]["updated"] == 1
    person = db.session.execute(sa.select(Person).filter_by(number="200303")).scalar_one()
    assert person.email == "sanfeng@dlut.edu.cn" and [m.org_unit.code for m in person.memberships] == ["DUT-FCL"]
    bad = edit_person("200303", {"orcid": "0000-0002-1825-0098"}, "user:3")
    assert [str(c) for c in bad.conflicts] == ["person 200303:1: orcid: not a valid ORCID iD: '0000-0002-1825-0098'"]
    with pytest.raises(ValueError, match="unknown columns: shoe_size"):
        edit_person("200303", {"shoe_size": "42"}, "user:3")


def unit_aliases(code):
    return db.session.execute(sa.select(OrgUnit.aliases).filter_by(code=code)).scalar_one()
