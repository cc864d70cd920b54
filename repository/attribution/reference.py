"""The reference dictionary of Chinese institutions (ROR records with Chinese names, JSON lines).

Each record becomes an institution-level unit keyed by its ROR id; names, ROR labels and aliases feed the
name index, acronyms the acronym index. Withdrawn records are left out; inactive ones stay, marked, so a
historical name still resolves. A record's ROR parents are what it is part of; so are a hospital's "related"
records, which is how ROR links an affiliated hospital to its university.
"""
from __future__ import annotations

import json
from pathlib import Path

from .dictionary import Dictionary, UnitEntry

#: ROR types -> unit types, most telling first (a hospital that also funds research is a hospital).
_TYPES = (("healthcare", "hospital"), ("education", "institution"), ("facility", "lab"), ("company", "institution"),
          ("nonprofit", "institution"), ("government", "government"), ("funder", "government"))


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
            types = record.get("types") or ()
            kind = next((unit_type for ror_type, unit_type in _TYPES if ror_type in types), "institution")
            part_of = tuple(record.get("parents") or ()) + (tuple(record.get("related") or ()) if kind == "hospital"
                                                             else ())
            dictionary.units[key] = UnitEntry(
                key=key, type=kind, name_zh=record.get("name_zh") or None, name_en=record.get("name_en") or None,
                aliases=tuple(dict.fromkeys(record.get("aliases") or ())),
                acronyms=tuple(dict.fromkeys(record.get("acronyms") or ())),
                city=record.get("city") or None, country=record.get("country") or None,
                inactive=record.get("status") == "inactive", part_of=tuple(dict.fromkeys(part_of)))
    return dictionary
