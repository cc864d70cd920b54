"""The DBLP-ACM / DBLP-Scholar matching benchmark in ../shared/bench/dedup, read as dedup profiles.

Tables hold ``id,title,authors,venue,year`` (authors joined by " , "); split files hold
``ltable_id,rtable_id,label``. DBLP-Scholar's Scholar table is missing there, so its records come from
Ditto's serialized split files (``COL title VAL ... COL year VAL ...``), which pair line *i* with row *i*
of the structured split. Each row becomes a canonical-record-like dict and then a profile through the
same code the repository uses.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from repository.dedup.profile import Profile, record_profile

ROOT = Path(__file__).resolve().parents[2] / "shared" / "bench" / "dedup"
SCORER = ROOT / "score.py"
_DITTO_FIELD = re.compile(r"COL (\w+) VAL")
#: The benchmark's tokenizer put spaces around HTML entities ("g &#252; nther"): undo that before parsing.
_SPACED_ENTITY = re.compile(r" ?(&#?\w+;) ?")


@dataclass
class Pair:
    left: int
    right: int
    label: int


def _as_record(row: dict) -> dict:
    row = {name: _SPACED_ENTITY.sub(r"\1", value) if value else value for name, value in row.items()}
    year = (row.get("year") or "").strip()
    authors = [a.strip() for a in (row.get("authors") or "").split(",") if a.strip()]
    return {"title": row.get("title") or "", "authors": [{"name": a} for a in authors],
            "venue": {"title": row.get("venue") or None},
            "year": int(float(year)) if year else None, "type": "journal_article"}


def read_table(path: Path) -> dict[int, Profile]:
    """Profiles of one table, by id."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {int(row["id"]): record_profile(_as_record(row)) for row in csv.DictReader(handle)}


def read_pairs(path: Path) -> list[Pair]:
    """Labelled pairs of one split."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [Pair(int(r["ltable_id"]), int(r["rtable_id"]), int(r["label"])) for r in csv.DictReader(handle)]


def parse_ditto(serialized: str) -> dict:
    """One side of a Ditto line (``COL title VAL ... COL year VAL ...``) as a table row."""
    parts = _DITTO_FIELD.split(serialized)
    return {name: value.strip() for name, value in zip(parts[1::2], parts[2::2])}


@dataclass
class Dataset:
    """One benchmark: both tables as profiles, and its splits."""

    name: str
    left: dict[int, Profile]
    right: dict[int, Profile]
    splits: dict[str, list[Pair]]

    def split_path(self, split: str) -> Path:
        return ROOT / self.name / "structured" / f"{split}.csv"


def load(name: str) -> Dataset:
    """Load DBLP-ACM (both tables) or DBLP-Scholar (Scholar side from Ditto's valid/test files)."""
    base = ROOT / name / "structured"
    if not base.is_dir():
        raise SystemExit(f"{base} is absent: the benchmark data lives in ../shared/bench/dedup")
    left = read_table(base / "tableA.csv")
    if (base / "tableB.csv").exists():
        right = read_table(base / "tableB.csv")
        splits = {split: read_pairs(base / f"{split}.csv") for split in ("train", "valid", "test")}
        return Dataset(name, left, right, splits)
    right: dict[int, Profile] = {}
    splits = {}
    for split in ("valid", "test"):
        pairs = read_pairs(base / f"{split}.csv")
        lines = (ROOT / name / "structured_ditto" / f"{split}.txt").read_text(encoding="utf-8").splitlines()
        if len(lines) != len(pairs):
            raise SystemExit(f"{name}/{split}: {len(pairs)} pairs but {len(lines)} Ditto lines")
        for pair, line in zip(pairs, lines):
            right.setdefault(pair.right, record_profile(_as_record(parse_ditto(line.split("\t")[1]))))
        splits[split] = pairs
    return Dataset(name, left, right, splits)
