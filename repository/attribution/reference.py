"""The reference dictionary of Chinese institutions (ROR records with Chinese names, JSON lines).

Each record becomes an institution-level unit keyed by its ROR id; names, ROR labels and aliases feed the
name index, acronyms the acronym index. Withdrawn records are left out; inactive ones stay, marked, so a
historical name still resolves.
"""
from __future__ import annotations

import json
from pathlib import Path

from .dictionary import Dictionary, UnitEntry

_TYPES = {"education": "institution", "healthcare": "hospital", "facility": "lab", "government": "government",
          "funder": "government"}


class ReferenceError(ValueError):
    """A line of the reference file that is not a usable record (message names file and line)."""


def read_reference(path: str | Path) -> Dictionary:
    """Read a ROR-style institutions.jsonl into a Dictionary of top-level units."""
    dictionary = Dictionary()
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                key = record["id"]
            except (ValueError, KeyError, TypeError) as exc:
                raise ReferenceError(f"{path}:{number}: not an institution record ({exc})") from exc
            if record.get("status") == "withdrawn":
                continue
            kind = next((_TYPES[t] for t in record.get("types", []) if t in _TYPES), "institution")
            dictionary.units[key] = UnitEntry(
                key=key, type=kind, name_zh=record.get("name_zh") or None, name_en=record.get("name_en") or None,
                aliases=tuple(dict.fromkeys(record.get("aliases") or ())),
                acronyms=tuple(dict.fromkeys(record.get("acronyms") or ())),
                city=record.get("city") or None, country=record.get("country") or None,
                inactive=record.get("status") == "inactive", part_of=tuple(record.get("parents") or ()))
    return dictionary
