"""CNKI EndNote export: ``%0 Journal Article`` / ``%A 作者`` (one per line) / ``%W CNKI``.

CNKI puts the CN serial number in ``%L`` (the mapping tells it from a CNKI file name by its shape), the
thesis advisor in ``%Y``, the university in ``%I`` and 博士/硕士 in ``%9``. Abstracts may run over several
lines, blank ones included, so records are split on ``%0``, never on blank lines.

An EndNote file from another database (no ``%W CNKI`` in its first record) is refused as a whole with
"not a CNKI export": its tags mean other things and importing it as CNKI would mislabel its source.
"""
from __future__ import annotations

from repository.importkit.tagged import TagFormat, TaggedRecord

_KEYS = {
    "0": "type", "A": "author", "+": "affiliation", "T": "title", "Q": "title_alt", "J": "venue",
    "B": "conference", "D": "year", "8": "date", "V": "volume", "N": "issue", "P": "pages", "K": "keyword",
    "X": "abstract", "@": "issn_isbn", "L": "call_number", "W": "provider", "Y": "supervisor",
    "I": "publisher", "9": "work_kind", "C": "place", "R": "doi", "U": "link", "G": "language",
    "F": "filename", "Z": "notes", "E": "sponsor",
}
_TAG_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ@+!#$&()*~^>?[]|")


def match_tag(line: str) -> tuple[str, str] | None:
    """``%X value`` -> ("X", "value"): a per-cent sign, one tag character, then a space or tab (or nothing)."""
    # Plain string tests instead of a regular expression: this runs once for every line of the file.
    if len(line) > 1 and line[0] == "%" and line[1] in _TAG_CHARS and (len(line) == 2 or line[2] in " \t"):
        return line[1], line[3:].strip()
    return None


def is_cnki(record: TaggedRecord) -> str | None:
    """None when the record says it comes from CNKI (``%W CNKI`` or a cnki.net link), else the reason."""
    provider = " ".join(record.all("W", "U"))
    if "cnki" in provider.casefold():
        return None
    found = f"%W {record.first('W')}" if record.first("W") else "no %W line"
    return f"not a CNKI export: EndNote record at line {record.line} has {found} (expected '%W CNKI')"


FORMAT = TagFormat("endnote", match_tag, ("0",), _KEYS, check=is_cnki)
