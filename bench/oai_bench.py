"""OAI-PMH provider benchmark: a full ListRecords harvest from Zhiku's provider and from pyoai's server over
the same works, the page time at depth, and the plan of the page queries.

    .venv/bin/python -m bench.oai_bench [--works 1000000] [--database-url URL] [--page-size 100]
                                        [--pyoai-full-limit 100000] [--pyoai-samples 20] [--no-pyoai]

Fills the database (default: a temporary SQLite file; give a PostgreSQL URL for the real measurement, a
database or schema of its own: it is kept, and the next run only adds what is missing) up to N synthetic
works in bulk (``bench/oai_data.py``: COPY on PostgreSQL). On PostgreSQL it prints EXPLAIN ANALYZE of
Zhiku's keyset page query and of pyoai's OFFSET query half-way down the list, and of the count behind
completeListSize. Then:

- Zhiku: asks for page 1 once, which counts completeListSize (nothing has been counted since the works last
  changed), then harvests ListRecords oai_dc through the WSGI app in-process (no HTTP), following every
  resumptionToken: records/s, p50/p95/max page time, page 1 (its size now cached) against page 5,000, the
  means of pages 2-21 and 4,981-5,000, then the median of page 1 asked 20 times more, and the page 1 that
  counted.
- pyoai: the same list from pyoai's BatchingServer (``bench/oai_pyoai.py``), in-process too. A full harvest
  when N <= --pyoai-full-limit; beyond that its OFFSET pages grow slower with depth, so it fetches page 1,
  page 5,000 and --pyoai-samples pages spread evenly over the list (each with the token pyoai hands out
  for it) and estimates the full harvest from their mean.
"""
from __future__ import annotations

import argparse
import functools
import itertools
import statistics
import tempfile
import time
from dataclasses import dataclass, field

import flask_migrate
import sqlalchemy as sa
from lxml import etree

from bench import oai_data, oai_pyoai
from plugins.oai_pmh import queries
from repository.app import create_app
from repository.extensions import db
from repository.models import Work

OAI = {"oai": "http://www.openarchives.org/OAI/2.0/"}
DEPTH_PAGE = 5000
FIRST_PAGE_REPEATS = 20  # page 1 is one sample per harvest; its median compares with the means of 20 pages
REPOSITORY_ID = "bench.example.edu.cn"


@dataclass
class Pages:
    """Page times (seconds) by page number, and the records they held."""

    times: dict[int, float] = field(default_factory=dict)
    records: int = 0
    wall: float = 0.0


def _read(body: bytes, who: str) -> tuple[int, str | None]:
    root = etree.fromstring(body)
    failure = root.find("oai:error", OAI)
    if failure is not None:
        raise RuntimeError(f"{who} answered {failure.get('code')}: {failure.text}")
    return (len(root.findall("oai:ListRecords/oai:record", OAI)),
            root.findtext("oai:ListRecords/oai:resumptionToken", namespaces=OAI) or None)


def zhiku_page(client, params) -> tuple[float, int, str | None]:
    """One page from Zhiku's provider: (seconds, records, next token)."""
    start = time.perf_counter()
    body = client.get("/oai", query_string=params).get_data()
    elapsed = time.perf_counter() - start
    return (elapsed, *_read(body, "Zhiku"))


def pyoai_page(server, params) -> tuple[float, int, str | None]:
    """One page from pyoai's server: (seconds, records, next token)."""
    start = time.perf_counter()
    body = server.handleRequest(params)
    elapsed = time.perf_counter() - start
    db.session.remove()  # what a request's teardown does: no identity map growing over the harvest
    return (elapsed, *_read(body, "pyoai"))


def harvest(fetch, prefix: str) -> Pages:
    """Follow every resumptionToken of ListRecords with *fetch* (one of the page functions above)."""
    pages, params = Pages(), {"verb": "ListRecords", "metadataPrefix": prefix}
    began = time.perf_counter()
    for number in itertools.count(1):
        pages.times[number], count, token = fetch(params)
        pages.records += count
        if not token:
            break
        params = {"verb": "ListRecords", "resumptionToken": token}
    pages.wall = time.perf_counter() - began
    return pages


def sample_pyoai(server, page_count: int, page_size: int, samples: int) -> Pages:
    numbers = {1, min(DEPTH_PAGE, page_count)}
    numbers |= {max(1, round(page_count * (i + 0.5) / samples)) for i in range(samples)}
    pages = Pages()
    for number in sorted(numbers):
        params = {"verb": "ListRecords", "metadataPrefix": "oai_dc"} if number == 1 else \
            {"verb": "ListRecords", "resumptionToken": oai_pyoai.token_at(number, page_size)}
        pages.times[number], count, _ = pyoai_page(server, params)
        pages.records += count
    return pages


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def report(name: str, pages: Pages, page_count: int, sampled: bool = False) -> None:
    times = sorted(pages.times.values())
    p95 = times[max(int(len(times) * 0.95) - 1, 0)]
    depth = min(DEPTH_PAGE, page_count)
    if sampled:
        estimate = statistics.mean(t for n, t in pages.times.items() if n != 1) * page_count
        print(f"{name}: {len(times)} sampled pages; estimated full harvest {estimate / 60:.1f} min "
              f"({pages.records and page_count * pages.records / len(times) / estimate:.0f} records/s)")
    else:
        print(f"{name}: {pages.records:,} records in {len(times):,} pages, {pages.wall:.1f} s "
              f"({pages.wall / 60:.1f} min), {pages.records / pages.wall:.0f} records/s")
    print(f"  page time p50 {_ms(statistics.median(times))}, p95 {_ms(p95)}, max {_ms(times[-1])}")
    print(f"  page 1 {_ms(pages.times[1])}; page {depth:,} {_ms(pages.times[depth])}; "
          f"deepest page {max(pages.times):,} {_ms(pages.times[max(pages.times)])}")
    if not sampled and page_count >= DEPTH_PAGE:
        head = [pages.times[n] for n in range(2, 22)]
        deep = [pages.times[n] for n in range(DEPTH_PAGE - 19, DEPTH_PAGE + 1)]
        print(f"  pages 2-21 mean {_ms(statistics.mean(head))}; pages {DEPTH_PAGE - 19}-{DEPTH_PAGE} mean "
              f"{_ms(statistics.mean(deep))}")


def explain(page_size: int) -> None:
    """EXPLAIN ANALYZE of both page queries half-way down the list, and of the count behind completeListSize
    (PostgreSQL)."""
    total = db.session.execute(sa.select(sa.func.count(Work.id))).scalar_one()
    middle = db.session.execute(sa.select(Work.datestamp, Work.id).order_by(Work.datestamp, Work.id)
                                .offset(total // 2).limit(1)).one()
    condition = queries.list_condition(None, None, None, None)
    half_way = f", half-way down ({total // 2:,} works before it)"
    statements = {
        "Zhiku keyset page" + half_way: queries.page_query(condition, (middle.datestamp, middle.id), page_size),
        "pyoai OFFSET page" + half_way: sa.select(Work).where(condition).order_by(Work.datestamp, Work.id)
                                        .offset(total // 2).limit(page_size + 1),
        "Zhiku completeListSize, counted": queries.count_query(condition),
    }
    connection = db.session.connection()
    for name, statement in statements.items():
        compiled = statement.compile(dialect=connection.dialect)
        plan = connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + compiled.string, compiled.params)
        print(f"--- {name}:")
        for (line,) in plan:
            print("    " + line)
    db.session.rollback()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--prefix", default="oai_dc")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--pyoai-full-limit", type=int, default=100_000)
    parser.add_argument("--pyoai-samples", type=int, default=20)
    parser.add_argument("--no-pyoai", action="store_true")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='zhiku-oai-bench-')}/bench.db"
    app = create_app({"ZHIKU_DATABASE_URL": url, "SECRET_KEY": "bench", "ZHIKU_OAI_PAGE_SIZE": args.page_size,
                      "ZHIKU_REPOSITORY_ID": REPOSITORY_ID})
    with app.app_context():
        flask_migrate.upgrade(directory=app.extensions["migrate"].directory)
        began = time.perf_counter()
        added = oai_data.fill(db.engine, args.works)
        exposed = queries.count(queries.list_condition(None, None, None, None))
        print(f"database {db.engine.url.render_as_string(hide_password=True)}: {exposed:,} exposed works "
              f"({added:,} added in {time.perf_counter() - began:.1f} s); page size {args.page_size}")
        if db.engine.dialect.name == "postgresql":
            explain(args.page_size)
    page_count = -(-exposed // args.page_size)
    fetch = functools.partial(zhiku_page, app.test_client())
    first = {"verb": "ListRecords", "metadataPrefix": args.prefix}
    counting, _records, _token = fetch(first)
    report("Zhiku (keyset tokens)", harvest(fetch, args.prefix), page_count)
    again = statistics.median(fetch(first)[0] for _ in range(FIRST_PAGE_REPEATS))
    print(f"  page 1 asked {FIRST_PAGE_REPEATS} times more, median {_ms(again)}; page 1 counting "
          f"completeListSize (the first list request after a change) {_ms(counting)}")
    if args.no_pyoai:
        return
    server = oai_pyoai.make_server(REPOSITORY_ID, args.page_size)
    with app.app_context():
        if exposed <= args.pyoai_full_limit:
            report("pyoai 2.5 BatchingServer (OFFSET cursor)",
                   harvest(functools.partial(pyoai_page, server), args.prefix), page_count)
        else:
            report("pyoai 2.5 BatchingServer (OFFSET cursor)",
                   sample_pyoai(server, page_count, args.page_size, args.pyoai_samples), page_count, sampled=True)


if __name__ == "__main__":
    main()
