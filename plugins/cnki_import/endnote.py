"""CNKI EndNote export: ``%0 Journal Article`` / ``%A 作者`` (one per line) / ``%W CNKI``.

CNKI puts the CN serial number in ``%L`` (the mapping tells it from a CNKI file name by its shape), the
thesis advisor in ``%Y``, the university in ``%I`` and 博士/硕士 in ``%9``. Abstracts may run over several
lines, blank ones included, so records are split on ``%0``, never on blank lines.

An EndNote file from another database (no ``%W CNKI`` in its first record) is refused as a whole with
"not a CNKI export": its tags mean other things and importing it as CNKI would mislabel its source.
"""
from __future__ import annotations

import re

from repository.importkit.tagged import TagFormat, TaggedRecord

_KEYS = {
    "0": "type", "A": "author", "+": "affiliation", "T": "title", "Q": "title_alt", "J": "venue",
    "B": "conference", "D": "year", "8": "date", "V": "volume", "N": "issue", "P": "pages", "K": "keyword",
    "X": "abstract", "@": "issn_isbn", "L": "call_number", "W": "provider", "Y": "supervisor",
    "I": "publisher", "9": "work_kind", "C": "place", "R": "doi", "U": "link", "G": "language",
    "F": "filename", "Z": "notes", "E": "sponsor",
}
_TAG = re.compile(r"^%([0-9A-Z@+!#$&()*~^>?\[\]|])(?:[ \t](.*)|)$")


def match_tag(line: str) -> tuple[str, str] | None:
    match = _TAG.match(line)
    return (match.group(1), (match.group(2) or "").strip()) if match else None


def is_cnki(record: TaggedRecord) -> str | None:
    """None when the record says it comes from CNKI (``%W CNKI`` or a cnki.net link), else the reason."""
    provider = " ".join(record.all("W", "U"))
    if "cnki" in provider.casefold():
        return None
    found = f"%W {record.first('W')}" if record.first("W") else "no %W line"
    return f"not a CNKI export: EndNote record at line {record.line} has {found} (expected '%W CNKI')"


FORMAT = TagFormat("endnote", match_tag, ("0",), _KEYS, check=is_cnki)
