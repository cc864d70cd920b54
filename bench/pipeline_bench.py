"""Benchmark the ingest pipeline alone: canonical records -> SQLite (or ZHIKU_DATABASE_URL).

    python bench/pipeline_bench.py [--records N]

Generates N distinct canonical records (JSON lines) in a temporary instance, imports them with the
``canonical`` importer, then imports them again (the idempotent, all-unchanged case), and prints
records/s for both runs and the peak RSS.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def make_records(path: Path, count: int) -> None:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="zhiku-bench-"))
    os.environ["ZHIKU_INSTANCE_PATH"] = str(workdir / "instance")
    data = workdir / "records.jsonl"
    make_records(data, args.records)

    from flask_migrate import upgrade

    from repository.app import create_app
    from repository.ingest.batch import create_batch, run_batch

    app = create_app()
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        for label in ("first import", "re-import (unchanged)"):
            batch = create_batch("canonical", [str(data)])
            started = time.perf_counter()
            run_batch(batch.id)
            elapsed = time.perf_counter() - started
            print(f"{label:24s} {args.records} records in {elapsed:6.1f} s = {args.records / elapsed:7.0f} records/s"
                  f"  ({batch.summary()})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB; database {app.config['SQLALCHEMY_DATABASE_URI']}", file=sys.stderr)


if __name__ == "__main__":
    main()
