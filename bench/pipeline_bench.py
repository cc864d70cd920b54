"""Benchmark a full import: a generated file through its importer and the whole pipeline into a database.

    python bench/pipeline_bench.py [--source canonical|wos|cnki] [--records N] [--chunk N] [--redis URL]

Writes N distinct records in the source's own format (``canonical``: synthetic canonical JSON lines;
``wos``: the real records of ../shared/corpora/wos repeated as distinct works (fresh UT, DOI and PubMed
id, title, year and volume); ``cnki``: CNKI EndNote records as bench/cnki_parse_bench.py writes them) into a
temporary instance,
imports them (parse, validate, store, resolve with dedup, merge, attribute, enrich, audit, search
indexing of the embedded backend), then imports them again (the idempotent, all-unchanged case). Prints
records/s of wall time and of CPU time (steadier on a shared machine) for both runs and the peak RSS.
The database is a fresh SQLite file unless ZHIKU_DATABASE_URL names another. With ``--redis`` the search
index updates run as production runs them, in a ``zhiku worker`` beside the import (on another core), and
the benchmark also reports how long after the import the index caught up.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def write_canonical(path: Path, count: int) -> None:
    """Synthetic canonical records with distinct identifiers."""
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(json.dumps({
                "source": "wos", "source_id": f"WOS:{i:015d}", "type": "journal_article",
                "title": f"Synthetic study number {i} of catalytic hydrogenation", "language": "en",
                "authors": [{"name": f"Zhang, San{i % 97}", "affiliations": [0]},
                            {"name": f"Li, Si{i % 89}", "affiliations": [0], "is_corresponding": True},
                            {"name": "Wang, Wu", "affiliations": [1]}],
                "affiliations": [{"raw": "Dalian Univ Technol, Sch Chem Engn, Dalian 116024, Peoples R China"},
                                 {"raw": "Univ Manchester, Dept Chem Engn, Manchester, England"}],
                "venue": {"title": f"Journal {i % 300}", "issn": None},
                "year": 2000 + i % 24, "volume": str(i % 50), "pages": f"{i % 900}-{i % 900 + 9}",
                "doi": f"10.5555/bench.{i}", "identifiers": {"wos_ut": f"WOS:{i:015d}"},
                "keywords": [{"term": "catalysis"}, {"term": f"topic {i % 40}"}],
                "abstract": "An abstract of moderate length. " * 8, "cited_by": {"wos": i % 17},
                "indexed_in": ["SCIE"], "raw": "PT J\nER",
            }) + "\n")


def write_wos(path: Path, count: int) -> None:
    """The corpus records repeated as distinct works: each copy gets a fresh UT, DOI and PubMed id, a title of
    corpus words drawn by a generator seeded with its number, and its own year and volume (copies that
    kept the template's title, authors, year and volume would be near-duplicates the dedup stage must score
    against each other, which a real export of distinct papers is not)."""
    from bench.wos_bench import template_records

    templates = template_records()
    vocabulary = sorted({word for record in templates for line in record if line.startswith("TI ")
                         for word in line[3:].split() if word.isalpha() and len(word) > 3})
    replacements = {"UT ": lambda n, pick: f"UT WOS:{n:015d}", "DI ": lambda n, pick: f"DI 10.5555/bench.{n}",
                    "PM ": lambda n, pick: f"PM {40_000_000 + n}",
                    "TI ": lambda n, pick: "TI " + " ".join(pick.sample(vocabulary, pick.randint(6, 14))).capitalize(),
                    "PY ": lambda n, pick: f"PY {pick.randint(1995, 2024)}",
                    "VL ": lambda n, pick: f"VL {pick.randint(1, 120)}"}
    with open(path, "w", encoding="utf-8-sig", newline="\n") as out:
        out.write("FN Clarivate Analytics Web of Science\nVR 1.0\n")
        for number in range(count):
            pick = random.Random(number)
            in_title = False
            for line in templates[number % len(templates)]:
                if in_title and line.startswith("   "):
                    continue  # the template title's continuation lines
                in_title = line.startswith("TI ")
                replace = replacements.get(line[:3])
                out.write((replace(number, pick) if replace else line) + "\n")
            out.write("\n")
        out.write("EF\n")


def write_cnki(path: Path, count: int) -> None:
    from bench.cnki_parse_bench import write_data

    utf8, _gbk, _html = write_data(path.parent, count, html_count=0)
    utf8.rename(path)


WRITERS = {"canonical": write_canonical, "wos": write_wos, "cnki": write_cnki}


def start_worker():
    """A `zhiku worker` on an emptied queue, in this instance."""
    from rq.registry import FailedJobRegistry

    from repository.jobs import queue, redis_connection

    redis_connection().flushdb()
    queue().empty()
    FailedJobRegistry(queue=queue()).cleanup()
    return subprocess.Popen([str(Path(sys.executable).with_name("zhiku")), "worker"], env=os.environ.copy(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for_jobs() -> None:
    """Wait until the queue is empty and no job runs; fail when a job failed."""
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    from repository.jobs import queue

    jobs = queue()
    while jobs.count or StartedJobRegistry(queue=jobs).count:
        time.sleep(0.2)
    failed = FailedJobRegistry(queue=jobs).count
    if failed:
        raise SystemExit(f"{failed} search index job(s) failed; see `rq info`")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=sorted(WRITERS), default="canonical")
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--chunk", type=int, help="records per chunk and commit (ZHIKU_IMPORT_COMMIT_EVERY)")
    parser.add_argument("--redis", metavar="URL",
                        help="run jobs as production does: search index updates go through this Redis (its database "
                             "is emptied) to a `zhiku worker` the benchmark starts; reports when the index caught up")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="zhiku-bench-"))
    os.environ["ZHIKU_INSTANCE_PATH"] = str(workdir / "instance")
    if args.chunk:
        os.environ["ZHIKU_IMPORT_COMMIT_EVERY"] = str(args.chunk)
    data = workdir / f"records.{args.source}"
    WRITERS[args.source](data, args.records)

    from flask_migrate import upgrade

    from repository.app import create_app
    from repository.ingest.batch import create_batch, run_batch

    if args.redis:
        os.environ["ZHIKU_REDIS_URL"] = args.redis
    app = create_app()
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        logging.disable(logging.INFO)
        worker = start_worker() if args.redis else None
        try:
            for label in ("first import", "re-import (unchanged)"):
                batch = create_batch(args.source, [str(data)])
                wall, cpu = time.perf_counter(), time.process_time()
                run_batch(batch.id)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                print(f"{args.source} {label:22s} {args.records} records: {wall:7.1f} s = {args.records / wall:6.0f}/s "
                      f"wall, {args.records / cpu:6.0f}/s CPU  ({batch.summary()})", flush=True)
                if worker:
                    started = time.perf_counter()
                    wait_for_jobs()
                    print(f"  search index caught up {time.perf_counter() - started:.1f} s after the import ended",
                          flush=True)
        finally:
            if worker:
                worker.terminate()
                worker.wait()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB; database {app.config['SQLALCHEMY_DATABASE_URI']}", file=sys.stderr)


if __name__ == "__main__":
    main()
