"""The WoS field tags both formats share, and how their values are split into items.

Both parsers produce the same shape, a :data:`Fields` dict: tags in :data:`LIST_TAGS` map to a list of
items (plain text: one per line; tab-delimited: split at ``;``), every other tag to one string.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: Tags whose plain-text form has one item per line (author lists and addresses).
LIST_TAGS = frozenset({"AU", "AF", "BA", "BF", "CA", "GP", "BE", "C1"})

#: The tags the mapping reads. Parsers keep only these (the others stay in ``raw``): cited references
#: (CR), usage counts and the like are most of an export's text and would cost time for nothing.
MAPPED_TAGS = frozenset({
    "AB", "AF", "AR", "AU", "BA", "BF", "BN", "BP", "C1", "CL", "CT", "CY", "D2", "DE", "DI", "DT", "EA", "EI",
    "EM", "EP", "EY", "FU", "FX", "ID", "IS", "J9", "JI", "LA", "OI", "PD", "PM", "PS", "PT", "PU", "PY", "RI",
    "RP", "SC", "SN", "SO", "SP", "SU", "TC", "TI", "UT", "VL", "WC", "WE", "X1", "Y1", "Z1", "Z8", "Z9", "ZB",
    "ZR", "ZS",
})

Fields = dict  # tag -> str | list[str]


@dataclass
class SourceRecord:
    """One record as read from the file: where it starts, its fields, and its original text."""

    line: int
    fields: Fields
    raw: str


_BRACKET = re.compile(r"[\[\]]")


def clean(value: str | None) -> str | None:
    """Collapse runs of whitespace; return None for an empty value."""
    if not value:
        return None
    # The space is the only printable white space: a printable value without a double space has nothing
    # inside to collapse, and most values are like that (an abstract is then scanned, not split and joined).
    if "  " in value or not value.isprintable():
        return " ".join(value.split()) or None
    return value.strip() or None


def split_top_level(value: str, separator: str = ";") -> list[str]:
    """Split *value* at *separator* outside square brackets; strip items and drop empty ones.

    ``"[A; B] Org, X; [C] Org2"`` gives ``["[A; B] Org, X", "[C] Org2"]``.
    """
    parts = value.split(separator)
    if "[" not in value:
        return list(filter(None, map(str.strip, parts)))
    # a part that leaves a bracket open is joined to the next one
    items, depth, current = [], 0, None
    for part in parts:
        current = part if current is None else f"{current}{separator}{part}"
        if "[" in part or "]" in part:
            for bracket in _BRACKET.findall(part):
                depth = depth + 1 if bracket == "[" else max(depth - 1, 0)
        if depth == 0:
            items.append(current)
            current = None
    if current is not None:
        items.append(current)
    return list(filter(None, map(str.strip, items)))
