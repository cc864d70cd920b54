"""The WoS field tags both formats share, and how their values are split into items.

Both parsers produce the same shape, a :data:`Fields` dict: tags in :data:`LIST_TAGS` map to a list of
items (plain text: one per line; tab-delimited: split at ``;``), every other tag to one string.
"""
from __future__ import annotations

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


def clean(value: str | None) -> str | None:
    """Collapse runs of whitespace; return None for an empty value."""
    if not value:
        return None
    return " ".join(value.split()) or None


def split_top_level(value: str, separator: str = ";") -> list[str]:
    """Split *value* at *separator* outside square brackets; strip items and drop empty ones.

    ``"[A; B] Org, X; [C] Org2"`` gives ``["[A; B] Org, X", "[C] Org2"]``.
    """
    if "[" not in value:
        return list(filter(None, map(str.strip, value.split(separator))))
    items, depth, start = [], 0, 0
    for index, char in enumerate(value):
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        elif char == separator and depth == 0:
            items.append(value[start:index])
            start = index + 1
    items.append(value[start:])
    return list(filter(None, map(str.strip, items)))
