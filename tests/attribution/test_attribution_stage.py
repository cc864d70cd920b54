"""The attribution stage inside the import pipeline: links, the queue, decisions that survive re-import."""
import pytest
import sqlalchemy as sa

from repository.attribution.queue import DecisionError, attribution_queue, decide_attribution, set_own_authorship
from repository.attribution.service import import_dictionary_file
from repository.extensions import db
from repository.ingest.batch import create_batch, run_batch
from repository.models import Authorship, CurationTask, ImportBatch, OrgUnit, Person
from tests.factories import record, write_jsonl

from .dictionaries import dictionary_files

pytestmark = pytest.mark.contract

C1 = "Dalian Univ Technol, Sch Chem Engn, Dalian 116024, Peoples R China"


def import_file(source, path) -> ImportBatch:
    batch = create_batch(source, [str(path)])
    run_batch(batch.id)
    db.session.expire_all()
    return db.session.get(ImportBatch, batch.id)


def load_dictionaries(tmp_path):
    org, people = dictionary_files(tmp_path)
    import_dictionary_file("org", org, "cli")
    import_dictionary_file("people", people, "cli")


def work_record(authors, title="Selective hydrogenation of CO2 over In2O3", affiliations=(C1,)):
    return record(title=title, authors=authors, affiliations=[{"raw": a} for a in affiliations])


def rows() -> list[Authorship]:
    return db.session.execute(sa.select(Authorship).order_by(Authorship.position)).scalars().all()


def person(number) -> Person:
    return db.session.execute(sa.select(Person).filter_by(number=number)).scalar_one()


def unit(code) -> OrgUnit:
    return db.session.execute(sa.select(OrgUnit).filter_by(code=code)).scalar_one()


AUTHORS = [{"name": "Zhang, San", "name_original": "张三", "affiliations": [0], "is_corresponding": True},
           {"name": "Zhang, S", "affiliations": [0]},
           {"name": "Li, Si", "affiliations": [0]},
           {"name": "Smith, John", "affiliations": [0]}]


@pytest.fixture
def imported(app, tmp_path):
    load_dictionaries(tmp_path)
    path = write_jsonl(tmp_path / "w.jsonl", [work_record(AUTHORS)])
    assert import_file("canonical", path).failed == 0
    return path


def test_confident_links_are_taken_and_uncertain_ones_queued(imported):
    zhang, zhang_s, li, smith = rows()
    assert (zhang.person_id, zhang.org_unit_id, zhang.status) == (person("200301").id, unit("DUT-CHE").id, "auto")
    assert zhang.confidence >= 0.9 and zhang.is_corresponding
    # "Zhang, S" could be 张三丰 (张三 holds the first line): queued, with 张三丰 as candidate
    assert zhang_s.person_id is None and zhang_s.org_unit_id == unit("DUT-CHE").id
    assert li.person_id is None  # 李四 is in another school
    assert smith.person_id is None and smith.confidence is not None
    tasks = {t.authorship_id: t for t in db.session.execute(sa.select(CurationTask)).scalars()}
    assert set(tasks) == {zhang_s.id, li.id}
    assert tasks[zhang_s.id].details["candidates"][0]["staff_id"] == "200303"
    assert tasks[zhang_s.id].reason == "several_people"
    assert tasks[li.id].reason == "other_unit"


def test_the_queue_filters_by_unit_and_reason(imported):
    everything, total = attribution_queue()
    assert total == 2 == len(everything)
    assert attribution_queue(unit_id=unit("DUT").id)[1] == 2  # sub-units included
    assert attribution_queue(unit_id=unit("DUT-CHEM").id)[1] == 0
    (task,), _ = attribution_queue(reason="other_unit")
    assert task.authorship.raw_name == "Li, Si"
    with pytest.raises(ValueError, match="unknown reason"):
        attribution_queue(reason="bored")


def test_reimport_files_no_second_task(imported, tmp_path):
    import_file("canonical", write_jsonl(tmp_path / "w2.jsonl", [work_record(AUTHORS, title="Revised title")]))
    assert db.session.execute(sa.select(sa.func.count()).select_from(CurationTask)).scalar_one() == 2


def test_decisions_are_final_and_survive_reimport(imported, tmp_path):
    zhang, zhang_s, li, _ = rows()
    tasks = {t.authorship_id: t for t in db.session.execute(sa.select(CurationTask)).scalars()}
    decide_attribution(tasks[zhang_s.id], True, "user:1")
    decide_attribution(tasks[li.id], False, "user:1")
    set_own_authorship(zhang, False, "user:9")  # 张三 says this line is not him
    db.session.commit()
    with pytest.raises(DecisionError, match="not an open attribution task"):
        decide_attribution(tasks[li.id], True, "user:1")

    import_file("canonical", write_jsonl(tmp_path / "w2.jsonl", [work_record(AUTHORS, title="Revised title")]))
    zhang, zhang_s, li, _ = rows()
    assert (zhang.status, zhang.person_id) == ("rejected", None)
    assert (zhang_s.status, zhang_s.person_id) == ("manual", person("200303").id)
    assert (li.status, li.person_id) == ("rejected", None)
    assert db.session.execute(sa.select(sa.func.count()).select_from(CurationTask)
                              .filter_by(status="open")).scalar_one() == 0


def test_a_confirmed_person_is_not_offered_to_another_line(app, tmp_path):
    load_dictionaries(tmp_path)
    authors = [{"name": "Zhang, S", "affiliations": [0]}, {"name": "Zhang, San", "affiliations": [0]}]
    path = write_jsonl(tmp_path / "w.jsonl", [work_record(authors)])
    import_file("canonical", path)
    first, second = rows()
    assert second.person_id == person("200301").id
    first.person_id = person("200301").id  # a curator moved 张三 to the first line ...
    first.status = "manual"
    second.person_id, second.status = None, "auto"
    db.session.commit()
    import_file("canonical", write_jsonl(tmp_path / "w2.jsonl", [work_record(authors, title="Second version")]))
    first, second = rows()
    assert first.person_id == person("200301").id and second.person_id != person("200301").id


def test_dictionary_changes_reach_the_next_import(app, tmp_path):
    path = write_jsonl(tmp_path / "w.jsonl", [work_record(AUTHORS[:1])])
    import_file("canonical", path)
    assert rows()[0].person_id is None
    load_dictionaries(tmp_path)
    import_file("canonical", write_jsonl(tmp_path / "w2.jsonl", [work_record(AUTHORS[:1], title="Again")]))
    assert rows()[0].person_id == person("200301").id


WOS = """FN Clarivate Web of Science
VR 1.0
PT J
AU Zhang, S
   Li, S
   Wang, W
AF Zhang, San
   Li, Si
   Wang, Wu
TI Two reprint authors
SO JOURNAL OF CATALYSIS
C1 [Zhang, San; Li, Si] Dalian Univ Technol, Sch Chem Engn, Dalian 116024, Peoples R China.
   [Wang, Wu] Tsinghua Univ, Dept Chem, Beijing 100084, Peoples R China.
RP Zhang, S (corresponding author), Dalian Univ Technol, Sch Chem Engn, Dalian 116024, Peoples R China.;
   Wang, W (corresponding author), Tsinghua Univ, Dept Chem, Beijing 100084, Peoples R China.
EM zhangsan@dlut.edu.cn; wangwu@tsinghua.edu.cn
PY 2020
UT WOS:000000000000123
ER

PT J
AU Li, S
   Zhang, S
AF Li, Si
   Zhang, San
TI Old reprint form
SO JOURNAL OF CATALYSIS
C1 Dalian Univ Technol, Sch Chem, Dalian 116024, Peoples R China.
RP Li, S (reprint author), Dalian Univ Technol, Sch Chem, Dalian 116024, Peoples R China.
PY 2005
UT WOS:000000000000124
ER

EF
"""

CNKI = """RT Journal Article
SR 1
A1 李四;张三*
AD 大连理工大学化学学院,辽宁大连116024
T1 催化剂活性预测
JF 化工学报
YR 2019
DS CNKI
LK https://kns.cnki.net/kcms/detail/detail.aspx?FileName=HGSZ201903099&DbName=CJFDLAST2019
"""


def test_corresponding_authors_from_wos_rp_forms_and_cnki_markers(app, tmp_path):
    load_dictionaries(tmp_path)
    (tmp_path / "wos.txt").write_text(WOS, encoding="utf-8")
    (tmp_path / "cnki.txt").write_text(CNKI, encoding="utf-8")
    assert import_file("wos", tmp_path / "wos.txt").failed == 0
    assert import_file("cnki", tmp_path / "cnki.txt").failed == 0
    flagged = {(row.work.title, row.raw_name): row.is_corresponding for row in rows()}
    assert flagged[("Two reprint authors", "Zhang, San")] and flagged[("Two reprint authors", "Wang, Wu")]
    assert not flagged[("Two reprint authors", "Li, Si")]
    assert flagged[("Old reprint form", "Li, Si")] and not flagged[("Old reprint form", "Zhang, San")]
    assert flagged[("催化剂活性预测", "张三")] and not flagged[("催化剂活性预测", "李四")]
    linked = {(row.work.title, row.raw_name): row.person_id for row in rows()}
    assert linked[("Two reprint authors", "Zhang, San")] == person("200301").id
    assert linked[("催化剂活性预测", "李四")] == person("200302").id
    assert linked[("Two reprint authors", "Wang, Wu")] is None


def test_zhiku_attribute_links_works_imported_before_the_staff_list(app, runner, tmp_path):
    import_file("canonical", write_jsonl(tmp_path / "w.jsonl", [work_record(AUTHORS)]))
    assert all(row.person_id is None for row in rows())
    org, people = dictionary_files(tmp_path)
    assert runner.invoke(args=["dict", "import", "org", str(org)]).exit_code == 0
    assert runner.invoke(args=["dict", "import", "people", str(people)]).exit_code == 0
    result = runner.invoke(args=["attribute", "--uncertain"])
    assert result.exit_code == 0 and "1 works attributed" in result.stdout
    db.session.expire_all()
    assert rows()[0].person_id == person("200301").id
    assert db.session.execute(sa.select(sa.func.count()).select_from(CurationTask)).scalar_one() == 2
    again = runner.invoke(args=["attribute"])
    assert "1 works attributed" in again.stdout
    assert db.session.execute(sa.select(sa.func.count()).select_from(CurationTask)).scalar_one() == 2
