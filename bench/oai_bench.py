"""OAI-PMH provider benchmark: full ListRecords harvest throughput and page time at depth.

    .venv/bin/python bench/oai_bench.py [--works 100000] [--database-url URL] [--prefix oai_dc] [--keep]

Fills a database (default: a temporary SQLite file; pass a PostgreSQL URL for the real measurement) with
synthetic verified works (bulk inserts, bypassing the pipeline), then harvests it through the WSGI app
in-process (no HTTP overhead) following every resumptionToken. Prints records/s for the whole harvest,
p50/p95/max page times, and the time of the first pages against the deepest pages: keyset tokens make
them about equal. Only works this script inserted are counted; an existing database is not emptied.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from repository.app import create_app  # noqa: E402
from repository.extensions import db  # noqa: E402
from repository.models import Authorship, Work  # noqa: E402

OAI = {"oai": "http://www.openarchives.org/OAI/2.0/"}


def fill(count: int, batch: int = 5000) -> None:
    start = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    have = db.session.execute(sa.select(sa.func.count(Work.id))).scalar_one()
    for offset in range(have, have + count, batch):
        rows = []
        for i in range(offset, min(offset + batch, have + count)):
            moment = start + dt.timedelta(seconds=i // 3)  # several works share a second, as in real imports
            rows.append({"type": "journal_article", "kind": "publication", "title": f"基准测试论文 Benchmark work {i}",
                         "title_alt": f"Benchmark work {i}", "language": "zh", "year": 2000 + i % 25,
                         "abstract": "摘要 " * 40, "keywords": [{"term": "benchmark", "scheme": "author", "lang": "en"}],
                         "subjects": [], "funding": [], "cited_by": {}, "indexed_in": [], "provenance": {},
                         "status": "verified", "deleted": i % 50 == 0, "created_at": moment, "updated_at": moment})
        ids = db.session.execute(sa.insert(Work).returning(Work.id), rows).scalars().all()
        db.session.execute(sa.insert(Authorship), [
            {"work_id": work_id, "position": p, "raw_name": f"Author {p}", "status": "auto",
             "is_corresponding": False} for work_id in ids for p in (1, 2, 3)])
        db.session.commit()
        print(f"  inserted {min(offset + batch, have + count) - have}/{count}", file=sys.stderr, end="\r")
    print(file=sys.stderr)


def harvest(client, prefix: str):
    times, records = [], 0
    params = {"verb": "ListRecords", "metadataPrefix": prefix}
    while True:
        began = time.perf_counter()
        response = client.get("/oai", query_string=params)
        body = response.get_data()
        times.append(time.perf_counter() - began)
        root = etree.fromstring(body)
        records += len(root.findall("oai:ListRecords/oai:record", OAI))
        token = root.findtext("oai:ListRecords/oai:resumptionToken", namespaces=OAI)
        if not token:
            return times, records
        params = {"verb": "ListRecords", "resumptionToken": token}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--prefix", default="oai_dc")
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="zhiku-oai-bench-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    app = create_app({"ZHIKU_DATABASE_URL": url, "SECRET_KEY": "bench", "ZHIKU_OAI_PAGE_SIZE": args.page_size})
    with app.app_context():
        flask_migrate.upgrade(directory=app.extensions["migrate"].directory)
        began = time.perf_counter()
        fill(args.works)
        print(f"filled {args.works} works in {time.perf_counter() - began:.1f} s ({url.split('@')[-1]})")
    client = app.test_client()
    began = time.perf_counter()
    times, records = harvest(client, args.prefix)
    total = time.perf_counter() - began
    ms = sorted(t * 1000 for t in times)
    head, tail = times[:20], times[-20:]
    print(f"ListRecords {args.prefix}: {records} records in {len(times)} pages, {total:.1f} s, "
          f"{records / total:.0f} records/s")
    print(f"page time ms: p50 {statistics.median(ms):.1f}, p95 {ms[int(len(ms) * 0.95) - 1]:.1f}, max {ms[-1]:.1f}")
    print(f"first 20 pages mean {statistics.mean(head) * 1000:.1f} ms; last 20 pages (page {len(times) - 19}.."
          f"{len(times)}) mean {statistics.mean(tail) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
