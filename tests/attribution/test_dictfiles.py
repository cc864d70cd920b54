import pytest

from repository.attribution.dictfiles import read_org_units, read_people
from repository.attribution.tables import TableError

from .dictionaries import ORG_ROWS, PEOPLE_ROWS, write_csv, write_xlsx


def test_csv_and_xlsx_templates_give_the_same_dictionary(tmp_path):
    from_csv = read_org_units(write_csv(tmp_path / "org.csv", ORG_ROWS))
    from_xlsx = read_org_units(write_xlsx(tmp_path / "org.xlsx", ORG_ROWS))
    assert from_csv.conflicts == from_xlsx.conflicts == []
    assert from_csv.dictionary.units == from_xlsx.dictionary.units
    dut = from_csv.dictionary.units["DUT"]
    assert dut.aliases == ("DUT", "Dalian Univ Technol") and dut.former_names[0] == "大连工学院"
    assert from_csv.dictionary.units["DUT-OLD"].merged_into == "DUT-CHE"


def test_people_with_several_rows_have_several_units(tmp_path):
    units = read_org_units(write_csv(tmp_path / "org.csv", ORG_ROWS)).dictionary.units
    people = read_people(write_xlsx(tmp_path / "people.xlsx", PEOPLE_ROWS), units)
    assert people.conflicts == []
    assert people.dictionary.people["200303"].units == ("DUT-CHE", "DUT-FCL")
    assert people.dictionary.people["200302"].orcid == "0000-0002-1825-0097"


def test_gb18030_csv_with_a_column_mapping(tmp_path):
    rows = [["工号", "姓名", "英文名", "别名", "所在单位", "邮箱", "ORCID"],
            ["200301", "张三", "Zhang San", "Chang San", "DUT-CHE", "zhangsan@dlut.edu.cn", ""]]
    path = write_csv(tmp_path / "hr.csv", rows, encoding="gb18030")
    units = read_org_units(write_csv(tmp_path / "org.csv", ORG_ROWS)).dictionary.units
    mapping = dict(zip(PEOPLE_ROWS[0], rows[0]))
    result = read_people(path, units, mapping)
    assert result.conflicts == []
    person = result.dictionary.people["200301"]
    assert (person.name_zh, person.variants, person.units) == ("张三", ("Chang San",), ("DUT-CHE",))
    with pytest.raises(TableError, match=r"hr.csv:1: missing column '电邮' \(for email\)"):
        read_people(path, units, {**mapping, "email": "电邮"})


def test_a_mapping_reads_a_file_with_its_own_headers(tmp_path):
    rows = [["编号", "上级", "类型", "中文名", "英文名", "别名", "曾用名", "起", "止", "并入"],
            ["DUT", "", "institution", "大连理工大学", "Dalian University of Technology", "", "", "", "", ""]]
    mapping = dict(zip(ORG_ROWS[0], rows[0]))
    result = read_org_units(write_xlsx(tmp_path / "units.xlsx", rows), mapping)
    assert result.conflicts == [] and result.dictionary.units["DUT"].name_zh == "大连理工大学"


def test_org_conflicts_name_file_line_and_reason(tmp_path):
    rows = ORG_ROWS + [
        ["DUT", "", "institution", "大连理工", "", "", "", "", "", ""],
        ["X1", "NOPE", "school", "某学院", "", "", "", "", "", ""],
        ["X2", "X3", "planet", "某系", "", "", "", "", "", ""],
        ["X4", "", "school", "", "", "", "", "", "", ""],
        ["X5", "DUT", "school", "某所", "", "", "", "2020-01-01", "2019-01-01", ""],
        ["X6", "X7", "school", "甲", "", "", "", "", "", ""],
        ["X7", "X6", "school", "乙", "", "", "", "", "", ""],
        ["X8", "DUT", "school", "丙", "", "", "", "", "", "GONE"],
        ["X9", "DUT", "school", "丁", "", "", "", "31.12.2019", "", ""],
    ]
    path = write_csv(tmp_path / "org.csv", rows)
    reasons = [str(c) for c in read_org_units(path).conflicts]
    assert f"{path}:8: id DUT is also on line 2 with different values" in reasons
    assert f"{path}:9: parent_id: no unit with id 'NOPE'" in reasons
    assert any(r.startswith(f"{path}:10: type: 'planet' is not one of") for r in reasons)
    assert f"{path}:11: name_zh and name_en are both empty" in reasons
    assert f"{path}:12: valid_from 2020-01-01 is after valid_to 2019-01-01" in reasons
    assert f"{path}:15: merged_into: no unit with id 'GONE'" in reasons
    assert f"{path}:13: parent_id: unit X6 is its own ancestor" in reasons
    assert f"{path}:16: valid_from: not a date (YYYY-MM-DD or YYYY): '31.12.2019'" in reasons


def test_people_conflicts(tmp_path):
    units = read_org_units(write_csv(tmp_path / "org.csv", ORG_ROWS)).dictionary.units
    rows = PEOPLE_ROWS + [
        ["200301", "张叁", "Zhang San", "", "DUT-CHEM", "", ""],
        ["200306", "王五", "", "", "MARS", "not-an-email", "0000-0002-1825-0098"],
        ["200307", "赵六", "", "", "DUT", "", "0000-0002-1825-0097"],
        ["", "无名", "", "", "DUT", "", ""],
    ]
    path = write_csv(tmp_path / "people.csv", rows)
    reasons = [str(c) for c in read_people(path, units).conflicts]
    assert f"{path}:8: staff_id 200301: name_zh '张叁' differs from '张三' on line 2" in reasons
    assert f"{path}:9: unit_id: no unit with id 'MARS'" in reasons
    assert f"{path}:9: email: not an e-mail address: 'not-an-email'" in reasons
    assert f"{path}:9: orcid: not a valid ORCID iD: '0000-0002-1825-0098'" in reasons
    assert f"{path}:10: orcid 0000-0002-1825-0097 also belongs to staff_id 200302 (line 3)" in reasons
    assert f"{path}:11: staff_id is empty" in reasons


def test_unreadable_files_say_why(tmp_path):
    with pytest.raises(TableError, match="no such file"):
        read_org_units(tmp_path / "missing.csv")
    (tmp_path / "org.ods").write_bytes(b"x")
    with pytest.raises(TableError, match="unknown dictionary format .ods"):
        read_org_units(tmp_path / "org.ods")
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    with pytest.raises(TableError, match="not a readable XLSX"):
        read_org_units(tmp_path / "bad.xlsx")
    write_csv(tmp_path / "short.csv", [["id", "name_zh"], ["A", "甲"]])
    with pytest.raises(TableError, match=r"short.csv:1: missing column 'parent_id'"):
        read_org_units(tmp_path / "short.csv")
