"""Attribution speed: N works against a dictionary of S staff in U units, through the real attribution stage.

    python -m bench.attribution_speed [--works 100000] [--staff 6000] [--units 500] [--authors 5]

Builds a synthetic university (one institution, schools and departments with English and Chinese names and
WoS abbreviations; staff with Chinese names) in a temporary SQLite instance (or ZHIKU_DATABASE_URL), loads
it through the dictionary import service, inserts the works and author lines in bulk, then times the
attribution stage itself (``zhiku_attribute_work`` on every work, committed every 1,000 works) and prints
works/s, ms/work, the link outcomes and the peak RSS. Goal: 100,000 works in under 10 minutes.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import tempfile
import time
from pathlib import Path

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳司马"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志文海波宇浩晨凯雪梅琳颖"
FIELDS = [("Chemical Engineering", "化工", "Chem Engn"), ("Chemistry", "化学", "Chem"), ("Physics", "物理", "Phys"),
          ("Mathematics", "数学", "Math"), ("Materials Science", "材料科学", "Mat Sci"),
          ("Mechanical Engineering", "机械工程", "Mech Engn"), ("Civil Engineering", "土木工程", "Civil Engn"),
          ("Computer Science", "计算机科学", "Comp Sci"), ("Electrical Engineering", "电气工程", "Elect Engn"),
          ("Life Sciences", "生命科学", "Life Sci"), ("Economics", "经济", "Econ"), ("Management", "管理", "Management"),
          ("Environmental Science", "环境科学", "Environm Sci"),
          ("Energy and Power Engineering", "能源与动力", "Energy & Power Engn"),
          ("Foreign Languages", "外国语", "Foreign Languages"), ("Architecture", "建筑", "Architecture"),
          ("Biomedical Engineering", "生物医学工程", "Biomed Engn"), ("Software", "软件", "Software"),
          ("Mathematical Sciences", "数学科学", "Math Sci"), ("Marine Engineering", "船舶工程", "Marine Engn")]
TOPICS = ["Catalysis", "Polymers", "Membranes", "Optics", "Control", "Networks", "Structures", "Fluids", "Energy",
          "Robotics", "Sensors", "Materials", "Algorithms", "Imaging", "Batteries", "Coatings", "Combustion",
          "Acoustics", "Biology", "Statistics", "Finance", "Logistics", "Design"]
OTHERS = ["Tsinghua Univ, Dept Chem, Beijing 100084, Peoples R China",
          "Univ Manchester, Dept Chem Engn, Manchester, England",
          "Zhejiang Univ, Coll Chem, Hangzhou 310027, Peoples R China", "MIT, Dept Phys, Cambridge, MA 02139 USA",
          "清华大学化学系,北京100084"]


def make_dictionary(folder: Path, units: int, staff: int, rng: random.Random) -> tuple[list, list]:
    """Write org.csv and people.csv; return (unit rows, people rows) for the work generator."""
    org = [["id", "parent_id", "type", "name_zh", "name_en", "aliases", "former_names", "valid_from", "valid_to",
            "merged_into"],
           ["U", "", "institution", "大连理工大学", "Dalian University of Technology", "DUT|Dalian Univ Technol",
            "大连工学院", "", "", ""]]
    schools = []
    for i, (en, zh, abbr) in enumerate(FIELDS):
        key = f"S{i}"
        schools.append((key, en, zh, abbr))
        org.append([key, "U", "school", f"{zh}学院", f"School of {en}", f"Sch {abbr}|Coll {abbr}", "", "", "", ""])
    departments = []
    for i in range(units - 1 - len(schools)):
        school = schools[i % len(schools)]
        topic = TOPICS[(i // len(schools)) % len(TOPICS)]
        suffix = i // (len(schools) * len(TOPICS))
        name_en = f"Department of {topic} {school[1]}" + (f" {suffix}" if suffix else "")
        name_zh = f"{school[2]}{topic}系" + (str(suffix) if suffix else "")
        key = f"D{i}"
        departments.append((key, school, name_en, name_zh))
        org.append([key, school[0], "department", name_zh, name_en, "", "", "", "", ""])
    people = [["staff_id", "name_zh", "name_en", "name_variants", "unit_id", "email", "orcid"]]
    persons = []
    for i in range(staff):
        surname = rng.choice(["欧阳", "司马"]) if rng.random() < 0.01 else rng.choice(SURNAMES[:-4])
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        unit = rng.choice(departments) if rng.random() < 0.7 else (rng.choice(schools)[0],)
        staff_id = f"{200000 + i}"
        people.append([staff_id, surname + given, "", "", unit[0], f"s{i}@dlut.edu.cn", ""])
        persons.append((staff_id, surname + given, unit))
    for path, rows in ((folder / "org.csv", org), (folder / "people.csv", people)):
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return departments, persons


def author_forms(name_zh: str) -> list[str]:
    """The ways papers write a Chinese name: full pinyin with and without hyphen, both orders, initials, characters."""
    from pypinyin import lazy_pinyin

    from repository.attribution.names import split_chinese

    surname, given = split_chinese(name_zh)
    s, g = "".join(lazy_pinyin(surname)).title(), [p for p in lazy_pinyin(given)]
    return [f"{s}, {''.join(g).title()}", f"{s}, {'-'.join(x.title() for x in g)}", f"{''.join(g).title()} {s}",
            f"{s} {''.join(x[0].upper() for x in g)}", name_zh]


def address_of(unit) -> str:
    """A WoS C1 address of a person's unit: the school of a department, the bare university for a school."""
    if unit[0].startswith("D"):
        return f"Dalian Univ Technol, Sch {unit[1][3]}, Dalian 116024, Peoples R China"
    return "Dalian Univ Technol, Dalian 116024, Peoples R China"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--staff", type=int, default=6000)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--authors", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="zhiku-attr-bench-"))
    os.environ["ZHIKU_INSTANCE_PATH"] = str(workdir / "instance")
    departments, persons = make_dictionary(workdir, args.units, args.staff, rng)

    import sqlalchemy as sa
    from flask_migrate import upgrade
    from sqlalchemy.orm import selectinload

    from repository.app import create_app
    from repository.attribution.cache import current_attributor
    from repository.attribution.people import AuthorLine
    from repository.attribution.service import import_dictionary_file
    from repository.extensions import db
    from repository.models import Authorship, CurationTask, Work
    from repository.plugins import plugins

    app = create_app()
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        for kind in ("org", "people"):
            result = import_dictionary_file(kind, workdir / f"{kind}.csv", "bench")
            assert not result.conflicts, result.conflicts[:3]
        started = time.perf_counter()
        work_rows, author_rows = [], []
        for w in range(1, args.works + 1):
            work_rows.append({"id": w, "type": "journal_article", "kind": "publication", "title": f"Work {w}",
                              "year": 2015 + w % 10, "keywords": [], "subjects": [], "funding": [], "cited_by": {},
                              "indexed_in": [], "provenance": {}, "status": "candidate", "deleted": False})
            for position in range(1, args.authors + 1):
                if rng.random() < 0.75:
                    staff_id, name_zh, unit = rng.choice(persons)
                    name = rng.choice(author_forms(name_zh))
                    affiliation = address_of(unit)
                    if name == name_zh:
                        affiliation = f"大连理工大学{unit[1][2] if unit[0].startswith('D') else ''}学院,辽宁大连116024"
                else:
                    name, affiliation = f"Smith, J{position}", rng.choice(OTHERS)
                author_rows.append({"work_id": w, "position": position, "raw_name": name,
                                    "raw_affiliation": affiliation, "is_corresponding": position == 1,
                                    "status": "auto"})
        db.session.execute(sa.insert(Work), work_rows)
        db.session.execute(sa.insert(Authorship), author_rows)
        db.session.commit()
        print(f"setup: {args.units} units, {args.staff} staff, {args.works} works x {args.authors} authors "
              f"inserted in {time.perf_counter() - started:.1f} s ({db.engine.url.get_backend_name()})")

        attributor = current_attributor()
        lines_of: dict[int, list[AuthorLine]] = {}
        for row in author_rows:
            lines_of.setdefault(row["work_id"], []).append(
                AuthorLine(name=row["raw_name"], affiliation=row["raw_affiliation"]))
        started = time.perf_counter()
        for work_id, lines in lines_of.items():
            attributor.attribute(lines, 2020)
        matching = time.perf_counter() - started
        print(f"matching only (in memory, no database): {1000 * matching / args.works:.3f} ms/work")

        hook = plugins().hook
        elapsed = loading = 0.0
        for first in range(1, args.works + 1, 1000):
            started = time.perf_counter()
            works = db.session.execute(
                sa.select(Work).where(Work.id.between(first, first + 999)).options(selectinload(Work.authorships))
            ).scalars().all()
            loading += time.perf_counter() - started
            started = time.perf_counter()
            for work in works:
                hook.zhiku_attribute_work(work=work, record=None, session=db.session)
            db.session.commit()
            elapsed += time.perf_counter() - started
            db.session.expunge_all()
        linked = db.session.execute(sa.select(sa.func.count()).select_from(Authorship)
                                    .where(Authorship.person_id.is_not(None))).scalar_one()
        united = db.session.execute(sa.select(sa.func.count()).select_from(Authorship)
                                    .where(Authorship.org_unit_id.is_not(None))).scalar_one()
        tasks = db.session.execute(sa.select(sa.func.count()).select_from(CurationTask)).scalar_one()
    lines = args.works * args.authors
    print(f"attribution stage (hook + commit, stored works): {args.works} works in {elapsed:.1f} s = "
          f"{args.works / elapsed:.0f} works/s, {1000 * elapsed / args.works:.3f} ms/work "
          f"(goal: 100,000 works < 600 s); loading the works took another {loading:.1f} s")
    print(f"author lines: {lines}; linked to a person {linked} ({100 * linked / lines:.1f}%), with a unit {united} "
          f"({100 * united / lines:.1f}%); curation tasks {tasks}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
