"""Small dictionaries for the attribution tests: a university with schools, a lab, a renamed department,
and a few people (two of them share initials), written as template files on demand."""
from __future__ import annotations

import csv
from pathlib import Path

ORG_ROWS = [
    ["id", "parent_id", "type", "name_zh", "name_en", "aliases", "former_names", "valid_from", "valid_to",
     "merged_into"],
    ["DUT", "", "institution", "大连理工大学", "Dalian University of Technology", "DUT|Dalian Univ Technol",
     "大连工学院|Dalian Institute of Technology", "1949-04-15", "", ""],
    ["DUT-CHE", "DUT", "school", "化工学院", "School of Chemical Engineering", "Sch Chem Engn|Coll Chem Engn",
     "", "", "", ""],
    ["DUT-CHEM", "DUT", "school", "化学学院", "School of Chemistry", "Sch Chem|Coll Chem", "", "", "", ""],
    ["DUT-FCL", "DUT-CHE", "lab", "精细化工国家重点实验室", "State Key Laboratory of Fine Chemicals",
     "State Key Lab Fine Chem", "", "", "", ""],
    ["DUT-OLD", "DUT", "department", "化工系", "Department of Chemical Engineering", "Dept Chem Engn", "",
     "1958-01-01", "1995-12-31", "DUT-CHE"],
    ["THU", "", "institution", "清华大学", "Tsinghua University", "Tsinghua Univ", "", "", "", ""],
]
PEOPLE_ROWS = [
    ["staff_id", "name_zh", "name_en", "name_variants", "unit_id", "email", "orcid"],
    ["200301", "张三", "Zhang San", "", "DUT-CHE", "zhangsan@dlut.edu.cn", ""],
    ["200302", "李四", "Li Si", "Lee Szu", "DUT-CHEM", "", "0000-0002-1825-0097"],
    ["200303", "张三丰", "Zhang Sanfeng", "Cheung Sam-Fung", "DUT-CHE", "", ""],
    ["200303", "张三丰", "Zhang Sanfeng", "", "DUT-FCL", "", ""],
    ["200304", "欧阳修", "Ouyang Xiu", "", "DUT-CHEM", "", ""],
    ["200305", "吕布", "Lyu Bu", "", "DUT-CHE", "", ""],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def dictionary_files(folder: Path) -> tuple[Path, Path]:
    """The standard org and people files in *folder*."""
    return write_csv(folder / "org.csv", ORG_ROWS), write_csv(folder / "people.csv", PEOPLE_ROWS)
