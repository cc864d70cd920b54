"""Scale benchmark of re-resolution: ``zhiku dedup --all`` over a repository of N works.

    python -m bench.dedup_scale --works 200000 [--seed 7] [--keep DIR]

Generates N canonical source records of realistic papers in which about a third of the papers arrive
two or three times from different sources (WoS / EI / CNKI / OAI) with the differences real exports
show: title case, Greek letters as symbols or names, sub/superscript markup, full-width punctuation,
"Zhang, S." / "Zhang San" / "张三", article number instead of pages, an early-access year, a Chinese
title with its English translation; plus hard negatives (recurring "Editorial" titles, part I / part II
papers, errata). It bulk-loads them into a fresh SQLite repository as one Work per record (the state of
a repository imported before dedup), runs ``run_dedup`` (index + check + merge), and prints the wall
time, CPU time, peak memory and pairwise precision / recall of the resulting Works against the truth.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import tempfile
import time
from itertools import combinations
from pathlib import Path

WORDS = ("catalytic hydrogenation selective oxidation graphene membrane desalination lithium battery "
         "cathode anode perovskite solar cell thin film deep learning network crack detection concrete "
         "bridge reinforcement steel corrosion fatigue polymer composite nanoparticle synthesis adsorption "
         "kinetics thermal stability electrochemical performance microstructure evolution optimization "
         "algorithm scheduling power grid wind turbine vibration control robust adaptive estimation "
         "sensor fusion image segmentation protein folding enzyme activity gene expression tumor cell "
         "rice yield soil nitrogen groundwater pollution carbon emission urban traffic flow prediction").split()
#: Rarer technical terms (made-up words), drawn with a Zipf-like weight as real title vocabularies are.
_SYLLABLES = "ka lo mi ne ra to su vi de po ge lu ba ti xe no fa ri co me".split()
TERMS = [a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES[:12]]
TERM_WEIGHTS = [1 / (rank + 10) for rank in range(len(TERMS))]
GREEK = (("α", "alpha"), ("β", "beta"), ("γ", "gamma"), ("δ", "delta"), ("μ", "mu"))
SURNAMES = [("zhang", "张"), ("wang", "王"), ("li", "李"), ("liu", "刘"), ("chen", "陈"), ("yang", "杨"),
            ("zhao", "赵"), ("huang", "黄"), ("zhou", "周"), ("wu", "吴"), ("xu", "徐"), ("sun", "孙"),
            ("hu", "胡"), ("zhu", "朱"), ("gao", "高"), ("lin", "林"), ("he", "何"), ("guo", "郭"),
            ("ma", "马"), ("luo", "罗")]
GIVEN = [("wei", "伟"), ("fang", "芳"), ("min", "敏"), ("jing", "静"), ("li", "丽"), ("qiang", "强"),
         ("lei", "磊"), ("jun", "军"), ("yang", "洋"), ("yong", "勇"), ("yan", "艳"), ("jie", "杰"),
         ("tao", "涛"), ("ming", "明"), ("chao", "超"), ("xiu", "秀"), ("hua", "华"), ("ping", "平"),
         ("gang", "刚"), ("hui", "辉"), ("xiaoming", "小明"), ("zhiqiang", "志强"), ("jianhua", "建华")]
JOURNALS = [(f"Journal of Applied Topic {i}", f"J APPL TOP {i}") for i in range(400)]


def _issn(serial: int) -> str:
    digits = f"{1000 + serial:07d}"[-7:]
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1)))
    check = (11 - total % 11) % 11
    return f"{digits[:4]}-{digits[4:]}{'X' if check == 10 else check}"


class Generator:
    """Papers and their source records; ``truth`` maps each source id to its paper."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.truth: dict[str, int] = {}

    def paper(self, number: int) -> dict:
        rng = self.rng
        words = rng.sample(WORDS, rng.randint(2, 5)) + rng.choices(TERMS, TERM_WEIGHTS, k=rng.randint(2, 5))
        rng.shuffle(words)
        if rng.random() < 0.15:
            words.insert(rng.randrange(len(words)), rng.choice(GREEK)[0] + "-phase")
        if rng.random() < 0.1:
            words.insert(rng.randrange(len(words)), "CO2")
        authors = [(rng.choice(SURNAMES), rng.choice(GIVEN)) for _ in range(rng.randint(1, 6))]
        journal = rng.randrange(len(JOURNALS))
        first = rng.randint(1, 3000)
        return {"number": number, "title": " ".join(words).capitalize(), "authors": authors,
                "journal": journal, "year": rng.randint(2005, 2024), "volume": str(rng.randint(1, 80)),
                "pages": f"{first}-{first + rng.randint(4, 20)}", "article_number": None,
                "doi": f"10.5555/scale.{number}"}

    def record(self, paper: dict, source: str, variant: int) -> dict:
        rng = self.rng
        title = paper["title"]
        if variant:
            choice = rng.random()
            if choice < 0.25:
                title = title.upper()
            elif choice < 0.45:
                for symbol, name in GREEK:
                    title = title.replace(symbol, name)
            elif choice < 0.6:
                title = title.replace("CO2", "CO<sub>2</sub>").replace(",", "，")
            elif choice < 0.7:
                title = title.title() + "."
        if source == "cnki":
            names = [{"name": s[1] + g[1]} for s, g in paper["authors"]]
        elif source == "wos":
            names = [{"name": f"{s[0].title()}, {''.join(p[0].upper() for p in [g[0]])}"} for s, g in paper["authors"]]
        else:
            names = [{"name": f"{s[0].title()}, {g[0].title()}"} for s, g in paper["authors"]]
        journal = JOURNALS[paper["journal"]]
        record = {
            "source": source, "source_id": f"{source}:{paper['number']}:{variant}", "type": "journal_article",
            "title": title, "authors": names, "year": paper["year"], "volume": paper["volume"],
            "venue": {"title": journal[0] if source != "wos" else journal[1].upper(), "issn": _issn(paper["journal"])},
            "pages": paper["pages"], "doi": paper["doi"] if source == "wos" else None,
        }
        if source == "cnki":
            record["title"], record["title_alt"] = "关于" + paper["title"][:12] + "的研究", title
        if variant and rng.random() < 0.15:
            record["pages"], record["article_number"] = None, paper["pages"].split("-")[0]
        if variant and rng.random() < 0.1:
            record["year"] = paper["year"] - 1  # early access
        self.truth[record["source_id"]] = paper["number"]
        return record

    def records(self, count: int):
        """Yield *count* records: unique papers, duplicated papers and hard negatives."""
        made = number = 0
        while made < count:
            roll = self.rng.random()
            paper = self.paper(number)
            if roll < 0.02:  # a recurring "Editorial" of one journal, different each year
                paper.update(title="Editorial", authors=paper["authors"][:1], doi=f"10.5555/ed.{number}")
            elif roll < 0.03:  # a part I / part II pair: two papers
                part_two = dict(paper, number=number + 1, pages="9000-9010", doi=f"10.5555/scale.{number + 1}")
                paper["title"] += ", part I"
                part_two["title"] = paper["title"][:-1] + "II"
                yield self.record(part_two, "wos", 0)
                made += 1
                number += 1
            copies = 1 if roll < 0.65 else (2 if roll < 0.9 else 3)
            for variant, source in enumerate(self.rng.sample(["wos", "ei", "cnki", "oai"], copies)):
                if made < count:
                    yield self.record(paper, source, variant)
                    made += 1
            number += 1


def bulk_load(records, session, truth: dict[str, int], unmerged: float, seed: int) -> None:
    """Store the records as Works: a duplicate joins its paper's Work, except a share *unmerged* of them,
    which get a Work of their own (as an import without dedup, or with a too strict threshold, leaves them).
    """
    import sqlalchemy as sa

    from repository.models import SourceRecord, Work
    from repository.models._base import utcnow
    from repository.schemas.import_record import validate_import_record

    rng = random.Random(seed)
    now = utcnow()
    batch_works, batch_rows = [], []
    next_id, paper_work = 1, {}
    for raw in records:
        record, errors = validate_import_record(raw)
        if errors:
            raise SystemExit(f"generator made an invalid record {raw['source_id']}: {errors}")
        paper = truth[record["source_id"]]
        work_id = paper_work.get(paper)
        if work_id is None or rng.random() < unmerged:
            work_id = paper_work[paper] = next_id
            next_id += 1
            batch_works.append({"id": work_id, "type": record["type"], "kind": "publication",
                                "title": record["title"], "year": record["year"], "status": "candidate",
                                "deleted": False, "keywords": [], "subjects": [], "funding": [], "cited_by": {},
                                "indexed_in": [], "provenance": {}, "created_at": now, "updated_at": now})
        batch_rows.append({"source": record["source"], "source_id": record["source_id"], "revision": 1,
                           "is_current": True, "work_id": work_id, "data": record, "content_hash": "x" * 64,
                           "deleted": False, "created_at": now})
        if len(batch_rows) >= 5000:
            session.execute(sa.insert(Work), batch_works)
            session.execute(sa.insert(SourceRecord), batch_rows)
            batch_works, batch_rows = [], []
    if batch_works:
        session.execute(sa.insert(Work), batch_works)
        session.execute(sa.insert(SourceRecord), batch_rows)
    session.commit()


def evaluate(session, truth: dict[str, int]) -> tuple[float, float]:
    """Pairwise precision and recall of "same Work" over all source records."""
    import sqlalchemy as sa

    from repository.models import SourceRecord

    found: dict[int, list[str]] = {}
    for source_id, work_id in session.execute(sa.select(SourceRecord.source_id, SourceRecord.work_id)):
        found.setdefault(work_id, []).append(source_id)
    predicted = {frozenset(p) for ids in found.values() for p in combinations(sorted(ids), 2)}
    by_paper: dict[int, list[str]] = {}
    for source_id, paper in truth.items():
        by_paper.setdefault(paper, []).append(source_id)
    actual = {frozenset(p) for ids in by_paper.values() for p in combinations(sorted(ids), 2)}
    correct = len(predicted & actual)
    return correct / max(len(predicted), 1), correct / max(len(actual), 1)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=200_000, help="source records to generate")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--unmerged", type=float, default=1.0,
                        help="share of duplicate records loaded as Works of their own (1: every one, the worst "
                             "case; 0.05: a repository whose imports already resolved most duplicates)")
    parser.add_argument("--keep", help="keep the instance in this folder (default: a temporary one)")
    args = parser.parse_args(argv)

    folder = Path(args.keep or tempfile.mkdtemp(prefix="zhiku-dedup-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["ZHIKU_INSTANCE_PATH"] = str(folder)
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from repository.app import create_app
    from repository.dedup.rerun import run_dedup
    from repository.extensions import db
    from repository.models import Work

    app = create_app({"ZHIKU_DATABASE_URL": f"sqlite:///{folder / 'zhiku.db'}"})
    generator = Generator(args.seed)
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        started = time.perf_counter()
        bulk_load(generator.records(args.works), db.session, generator.truth, args.unmerged, args.seed)
        works = db.session.execute(sa.select(sa.func.count()).select_from(Work)).scalar_one()
        print(f"loaded {args.works} source records as {works} works in {time.perf_counter() - started:.1f} s; "
              f"{len(set(generator.truth.values()))} distinct papers")
        wall, cpu = time.perf_counter(), time.process_time()
        stats = run_dedup()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        precision, recall = evaluate(db.session, generator.truth)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(stats))
    print(f"dedup --all over {works} works ({args.works} source records): {wall:.1f} s wall, {cpu:.1f} s CPU, "
          f"peak RSS {peak:.0f} MB; "
          f"pairwise precision {precision:.4f}, recall {recall:.4f}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
