"""Small canonical records and files for the core's tests."""
from __future__ import annotations

import copy
import json
from pathlib import Path

BASE_RECORD = {
    "source": "wos",
    "source_id": "WOS:000000000000001",
    "type": "journal_article",
    "title": "Selective hydrogenation of CO2 over In2O3",
    "language": "en",
    "authors": [
        {"name": "Zhang, San", "name_original": "张三", "affiliations": [0], "is_corresponding": True},
        {"name": "Li, Si", "affiliations": [0]},
    ],
    "affiliations": [{"raw": "Dalian Univ Technol, Sch Chem Engn, Dalian 116024, Peoples R China"}],
    "venue": {"title": "Journal of Catalysis", "issn": "0021-9517"},
    "year": 2023,
    "doi": "10.5555/test.0001",
    "identifiers": {"wos_ut": "WOS:000000000000001"},
    "keywords": [{"term": "methanol"}],
}


def record(**changes) -> dict:
    """A valid canonical record with *changes* applied (top-level keys)."""
    data = copy.deepcopy(BASE_RECORD)
    data.update(changes)
    return data


def write_jsonl(path: Path, records: list[dict | str]) -> Path:
    """Write records (dicts, or raw lines for broken input) as JSON lines."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
