"""Benchmark search: bulk indexing, then 1,000 realistic queries with facets.

    python -m bench.search_bench --works 100000 --backend embedded
    python -m bench.search_bench --works 1000000 --backend es [--es-url http://127.0.0.1:9200]

Works are generated from the vocabulary of the real export files in ../shared/corpora (Chinese and
English titles, abstracts, keywords, author names, venues; see bench/search_vocabulary.py) with a fixed
seed. The report gives the bulk index time (through ``SearchBackend.reindex``, analysis included) and
p50/p95 latency of the same queries sent two ways in one run, alternately:

- through Zhiku's API layer: ``GET /api/search`` on the Flask app through its test client (request
  handling, parsing, backend, unit names, labels, JSON encoding, and decoding the answer), and
- straight to the backend: for Elasticsearch the very request body Zhiku builds, sent with the client;
  for the embedded backend ``EmbeddedBackend.search``.

Elasticsearch indices get the prefix ``<--index-prefix>-<random>`` (default ``zhiku-bench``) and are deleted at
the end (unless --keep).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from tqdm import tqdm

from search.backend import FACETS

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
TYPES = [("journal_article", 60), ("conference_paper", 15), ("review", 5), ("doctoral_thesis", 5),
         ("master_thesis", 8), ("patent", 4), ("book_chapter", 3)]
LISTS = ["SCIE", "SSCI", "EI", "CSSCI", "北大核心", "CSCD", "CPCI-S"]
SOURCES = ["wos", "cnki", "ei", "oai", "manual"]
UNITS = 60  # a 3-level tree: 1 institution, schools, departments


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights)[0]


def unit_tree() -> dict[int, int | None]:
    """Unit id -> parent id: 1 is the university, 2..11 schools, the rest departments."""
    tree = {1: None}
    for unit in range(2, 12):
        tree[unit] = 1
    for unit in range(12, UNITS + 1):
        tree[unit] = 2 + unit % 10
    return tree


class Generator:
    """Deterministic synthetic works drawn from a Vocabulary."""

    def __init__(self, vocabulary, seed: int = 9):
        self.v = vocabulary
        self.seed = seed
        self.tree = unit_tree()
        given_chars = "".join(name[1:] for name in vocabulary.names_zh if 2 <= len(name) <= 4)
        family = sorted({name[0] for name in vocabulary.names_zh if 2 <= len(name) <= 4})
        rng = random.Random(seed)
        # real names plus recombinations, so that a name is shared by a realistic handful of works
        self.people_zh = vocabulary.names_zh + [rng.choice(family) + "".join(rng.sample(given_chars, rng.randint(1, 2)))
                                                for _ in range(20_000)]
        self.people_en = vocabulary.names_en

    def _chinese(self, rng, parts: int) -> str:
        return "".join(rng.choice(self.v.chinese) for _ in range(parts))

    def _english(self, rng, words: int) -> str:
        return " ".join(rng.choice(self.v.english) for _ in range(words))

    def document(self, work_id: int) -> dict:
        rng = random.Random(self.seed * 1_000_003 + work_id)
        chinese = rng.random() < 0.5
        authors_zh = [rng.choice(self.people_zh) for _ in range(rng.randint(1, 6))]
        if chinese:
            title, title_alt = self._chinese(rng, rng.randint(2, 4)), self._english(rng, rng.randint(6, 12)).capitalize()
            abstract = self._chinese(rng, rng.randint(8, 20))
            authors, names = authors_zh, [[name] for name in authors_zh]
        else:
            title, title_alt = self._english(rng, rng.randint(6, 14)).capitalize(), None
            abstract = self._english(rng, rng.randint(60, 150))
            english = [rng.choice(self.people_en) for _ in authors_zh]
            authors, names = english, [[e, z] for e, z in zip(english, authors_zh)]
        leaf = rng.randint(12, UNITS)
        units = [leaf, self.tree[leaf], 1]
        venue = rng.choice(self.v.venues)
        year = rng.randint(2000, 2025)
        return {
            "id": work_id, "title": title, "title_alt": title_alt, "abstract": abstract,
            "keywords": rng.sample(self.v.keywords, rng.randint(2, 5)), "authors": authors, "author_names": names,
            "units": [f"单位{u}" for u in units], "unit_ids": sorted(str(u) for u in units),
            "venue": venue, "venue_title": venue, "doi": f"10.5555/bench.{work_id}",
            "ids": [f"10.5555/bench.{work_id}", f"wos_ut:wos:{work_id:015d}"], "year": year,
            "type": _weighted(rng, TYPES), "sources": sorted(set(rng.sample(SOURCES, rng.randint(1, 2)))),
            "indexed_in": sorted(set(rng.sample(LISTS, rng.randint(0, 3)))),
            "jcr_quartile": rng.choice([None, "Q1", "Q2", "Q3", "Q4"]), "language": "zh" if chinese else "en",
            "status": "verified" if rng.random() < 0.9 else "candidate", "public": True, "embargo_until": None,
        }

    def documents(self, count: int):
        for work_id in range(1, count + 1):
            document = self.document(work_id)
            document["public"] = document["status"] == "verified"
            yield document

    def queries(self, count: int, seed: int = 17) -> list[dict]:
        """Query strings and facet filters of the kinds a library's users type."""
        rng = random.Random(seed)
        chinese_words = [w[i:i + n] for w in self.v.chinese for n in (2, 3, 4) for i in range(0, max(len(w) - n, 0) + 1, 3)]
        kinds = [
            lambda: rng.choice(self.v.english),
            lambda: f"{rng.choice(self.v.english)} {rng.choice(self.v.english)}",
            lambda: rng.choice(chinese_words),
            lambda: f'"{rng.choice(self.v.english)} {rng.choice(self.v.english)}"',
            lambda: rng.choice(self.people_zh),
            lambda: " ".join(w for w in rng.choice(self.v.names_en).replace(",", " ").split()[:2]),
            lambda: f"title:{rng.choice(self.v.english)} year:{rng.randint(2000, 2015)}..{rng.randint(2016, 2025)}",
            lambda: f"{rng.choice(self.v.english)} OR {rng.choice(chinese_words)}",
            lambda: f"{rng.choice(self.v.keywords)}",
            lambda: f"author:{rng.choice(self.people_zh)} NOT {rng.choice(self.v.english)}",
        ]
        from search.query import QuerySyntaxError, parse_query

        queries = []
        while len(queries) < count:
            filters = {}
            if rng.random() < 0.3:
                facet = rng.choice(["type", "year", "language", "indexed_in", "unit"])
                filters[facet] = [{"type": "journal_article", "year": str(rng.randint(2000, 2025)), "language": "zh",
                                   "indexed_in": "SCIE", "unit": str(rng.randint(2, 11))}[facet]]
            q = rng.choice(kinds)()
            try:
                parse_query(q)
            except QuerySyntaxError:  # a name like "Smith, J." can leave nothing searchable; users retype
                continue
            queries.append({"q": q, "filters": filters, "sort": "year_desc" if rng.random() < 0.2 else "relevance"})
        return queries


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def summary(label: str, seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"label": label, "p50_ms": round(percentile(ms, 0.50), 2), "p95_ms": round(percentile(ms, 0.95), 2),
            "mean_ms": round(statistics.fmean(ms), 2), "max_ms": round(max(ms), 2), "queries": len(ms)}


def _setup_app(url: str, instance: Path):
    os.environ["ZHIKU_INSTANCE_PATH"] = str(instance)
    from flask_migrate import upgrade

    from repository.app import create_app
    from repository.extensions import db
    from repository.models import OrgUnit

    app = create_app({"ZHIKU_SEARCH_URL": url, "ZHIKU_DATABASE_URL": f"sqlite:///{instance / 'bench.db'}"})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        for unit_id, parent in unit_tree().items():
            db.session.add(OrgUnit(id=unit_id, parent_id=parent, name_zh=f"单位{unit_id}",
                                   level="institution" if parent is None else ("school" if parent == 1 else "department")))
        db.session.commit()
    return app


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--backend", choices=["es", "embedded"], default="embedded")
    parser.add_argument("--es-url", default=os.environ.get("ZHIKU_TEST_ELASTICSEARCH_URL", "http://127.0.0.1:9200"))
    parser.add_argument("--index-prefix", default="zhiku-bench",
                        help="Elasticsearch index prefix (a random suffix is added), for a shared cluster.")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    parser.add_argument("--keep", action="store_true", help="Keep the index (Elasticsearch) after the run.")
    parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="zhiku-search-bench-"))
    url = (f"{args.es_url.rstrip('/')}/{args.index_prefix}-{uuid.uuid4().hex[:8]}" if args.backend == "es"
           else f"embedded://{workdir / 'search'}")
    app = _setup_app(url, workdir / "instance")
    report = {"backend": args.backend, "works": args.works}
    with app.app_context():
        from repository.plugins import plugins
        from search.service import build_request, get_backend
        from bench.search_vocabulary import read_corpora

        vocabulary = read_corpora(args.corpora, plugins().importers())
        report["vocabulary"] = {name: len(getattr(vocabulary, name)) for name in
                                ("english", "chinese", "names_zh", "names_en", "keywords", "venues")}
        generator = Generator(vocabulary)
        backend = get_backend()
        started = time.perf_counter()
        with tqdm(total=args.works, unit="work", unit_scale=True, desc="bulk index", file=sys.stderr) as bar:
            backend.reindex(generator.documents(args.works), progress=bar.update)
        backend.refresh()
        report["bulk_index_seconds"] = round(time.perf_counter() - started, 1)
        report["bulk_index_works_per_second"] = round(args.works / report["bulk_index_seconds"])

        queries = generator.queries(args.queries)
        client = app.test_client()
        if args.backend == "es":
            from search.elasticsearch import build_body

            def direct(request):
                return backend.search_raw(build_body(request))
        else:
            direct = backend.search

        def through_api(item):
            params = [("q", item["q"]), ("sort", item["sort"])] + [(k, v) for k, vs in item["filters"].items() for v in vs]
            response = client.get("/api/search?" + urlencode(params))
            assert response.status_code == 200, response.get_data(as_text=True)
            return response.get_json()["total"]

        def request_of(item):
            return build_request(item["q"], item["filters"], item["sort"], public_only=True)

        for item in queries[:50]:  # warm caches on both paths
            through_api(item)
            direct(request_of(item))
        api_times, direct_times, totals = [], [], []
        for item in tqdm(queries, unit="query", desc="queries", file=sys.stderr):
            t0 = time.perf_counter()
            totals.append(through_api(item))
            t1 = time.perf_counter()
            direct(request_of(item))
            direct_times.append(time.perf_counter() - t1)
            api_times.append(t1 - t0)
        report["through_api"] = summary("Zhiku /api/search", api_times)
        report["direct"] = summary("straight to Elasticsearch" if args.backend == "es" else "EmbeddedBackend.search",
                                   direct_times)
        report["api_overhead_p50"] = f"{report['through_api']['p50_ms'] / report['direct']['p50_ms'] - 1:+.0%}"
        report["api_overhead_p95"] = f"{report['through_api']['p95_ms'] / report['direct']['p95_ms'] - 1:+.0%}"
        report["median_hits"] = int(statistics.median(totals))
        report["facets"] = list(FACETS)
        report["examples"] = [q["q"] for q in queries[:10]]
        if not args.keep:
            backend.drop()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for key, value in report.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
