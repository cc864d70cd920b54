"""Engineering Village "Detailed"/"Abstract" text output: ``<RECORD 1>`` then ``Accession number: ...``,
``Title: ...``, ``Authors: ...`` lines, one label per line, values wrapping onto following lines.

Records start at ``<RECORD n>``; exports without those markers start each record at ``Accession number:``.
Only known labels count as labels, so an abstract line such as "Results: the ..." stays in the abstract.
"""
from __future__ import annotations

import re

from repository.importkit.tagged import TagFormat

from .mapping import LABELS

_RECORD = re.compile(r"^\s*<RECORD\s+(\d+)>\s*$", re.I)
_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z0-9 /()&-]{1,40}?)\s*:\s?(.*)$")


def match_tag(line: str) -> tuple[str, str] | None:
    if _RECORD.match(line):
        return "<RECORD>", _RECORD.match(line).group(1)
    match = _LABEL.match(line)
    if match and match.group(1).casefold() in LABELS:
        return match.group(1).casefold(), match.group(2).strip()
    return None


FORMAT = TagFormat("labelled", match_tag, ("<RECORD>", "accession number"), LABELS,
                   closing_tags=("database", "compilation and indexing terms, copyright"))
