"""`zhiku dict import|export` and the `zhiku match affiliation` contract."""
import json

import pytest
import sqlalchemy as sa

from repository.extensions import db
from repository.models import OrgUnit

from .dictionaries import ORG_ROWS, dictionary_files, write_csv

LINES = [
    "Dalian Univ Technol, Sch Chem Engn, Dalian 116024, Peoples R China",
    "Zhang, San\tDalian Univ Technol, Sch Chem Engn, Dalian 116024, Peoples R China",
    "张三\t大连理工大学化工学院,辽宁大连116024",
    "Dalian Univ Technol, Sch Phys, Dalian",
    "Harvard Univ, Cambridge, MA USA",
    "",
]


@pytest.fixture
def lines(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return path


def answers(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


def test_match_with_dictionary_files_answers_every_line_in_order_without_the_database(app, runner, tmp_path, lines):
    org, people = dictionary_files(tmp_path)
    statements = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    result = runner.invoke(args=["match", "affiliation", "--dict", str(org), "--people", str(people),
                                 "--input", str(lines), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert statements == []
    out = answers(result.stdout)
    assert len(out) == len(LINES)
    assert all(set(o) == {"institution", "unit", "person", "confidence", "reason"} for o in out)
    assert [(o["institution"], o["unit"], o["person"]) for o in out] == [
        ("DUT", "DUT-CHE", None), ("DUT", "DUT-CHE", "200301"), ("DUT", "DUT-CHE", "200301"), ("DUT", None, None),
        (None, None, None), (None, None, None)]
    assert out[1]["confidence"] >= 0.9 and "unit unknown" in out[3]["reason"]
    assert all(0 <= o["confidence"] <= 1 for o in out)


def test_match_reads_stdin_and_reports_dictionary_conflicts(app, runner, tmp_path):
    org, _ = dictionary_files(tmp_path)
    result = runner.invoke(args=["match", "affiliation", "--dict", str(org)], input="DUT, Coll Chem\n")
    assert answers(result.stdout)[0]["unit"] == "DUT-CHEM"
    bad = write_csv(tmp_path / "bad.csv", ORG_ROWS + [["X", "NOPE", "school", "某", "", "", "", "", "", ""]])
    result = runner.invoke(args=["match", "affiliation", "--dict", str(bad)], input="DUT\n")
    assert result.exit_code == 1 and f"{bad}:8: parent_id: no unit with id 'NOPE'" in result.stderr
    result = runner.invoke(args=["match", "affiliation", "--people", str(org)], input="DUT\n")
    assert result.exit_code == 2 and "--people needs --dict" in result.output


def test_dict_import_export_and_match_against_the_repository(app, runner, tmp_path, lines):
    org, people = dictionary_files(tmp_path)
    result = runner.invoke(args=["dict", "import", "org", str(org)])
    assert result.exit_code == 0 and "org_unit: 6 created" in result.output
    assert runner.invoke(args=["dict", "import", "people", str(people)]).exit_code == 0
    again = runner.invoke(args=["dict", "import", "org", str(org)])
    assert "0 created, 0 updated, 6 unchanged" in again.output
    result = runner.invoke(args=["match", "affiliation", "--input", str(lines)])
    assert [o["person"] for o in answers(result.stdout)][:3] == [None, "200301", "200301"]
    out = tmp_path / "out.xlsx"
    result = runner.invoke(args=["dict", "export", "org", str(out)])
    assert result.exit_code == 0 and "6 rows written" in result.output and out.exists()


def test_dict_import_conflicts_go_to_stderr_and_change_nothing(app, runner, tmp_path):
    bad = write_csv(tmp_path / "bad.csv", ORG_ROWS + [["X", "NOPE", "school", "某", "", "", "", "", "", ""]])
    result = runner.invoke(args=["dict", "import", "org", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:8: parent_id: no unit with id 'NOPE'" in result.stderr
    assert "1 conflicts; nothing was imported" in result.stderr
    assert db.session.execute(sa.select(sa.func.count()).select_from(OrgUnit)).scalar_one() == 0
    result = runner.invoke(args=["dict", "import", "org", str(tmp_path / "nothing.csv")])
    assert result.exit_code == 1 and "no such file" in result.stderr


def test_dict_import_with_a_column_mapping_and_check(app, runner, tmp_path):
    rows = [["编号"] + ORG_ROWS[0][1:]] + ORG_ROWS[1:]
    path = write_csv(tmp_path / "units.csv", rows)
    result = runner.invoke(args=["dict", "import", "org", str(path), "--map", "id=编号", "--check"])
    assert result.exit_code == 0 and "no conflicts" in result.output
    assert db.session.execute(sa.select(sa.func.count()).select_from(OrgUnit)).scalar_one() == 0
    result = runner.invoke(args=["dict", "import", "org", str(path), "--map", "id"])
    assert result.exit_code == 2 and "COLUMN=FILE_HEADER" in result.output


def test_dict_import_reference(app, runner, tmp_path):
    reference = tmp_path / "institutions.jsonl"
    reference.write_text(json.dumps({"id": "https://ror.org/02v51f717", "name_en": "Peking University",
                                     "name_zh": "北京大学", "aliases": [], "acronyms": ["PKU"],
                                     "status": "active", "types": ["education"], "country": "CN"}) + "\n",
                         encoding="utf-8")
    result = runner.invoke(args=["dict", "import", "reference", str(reference)])
    assert result.exit_code == 0 and "org_unit: 1 created" in result.output
    result = runner.invoke(args=["match", "affiliation"],
                           input="Peking Univ, Sch Phys, Beijing 100871, Peoples R China\n")
    assert answers(result.stdout)[0]["institution"] == "https://ror.org/02v51f717"
    result = runner.invoke(args=["dict", "import", "reference", str(reference), "--map", "id=x"])
    assert result.exit_code == 2 and "not to a reference list" in result.output
    (tmp_path / "bad.jsonl").write_text("{oops\n", encoding="utf-8")
    result = runner.invoke(args=["dict", "import", "reference", str(tmp_path / "bad.jsonl")])
    assert result.exit_code == 1 and "bad.jsonl:1: not an institution record" in result.stderr
