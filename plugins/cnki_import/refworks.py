"""CNKI RefWorks export (the CiteSpace input format): ``RT Journal Article`` / ``A1 作者;作者`` / ``DS CNKI``.

Tags are two characters and a space; CNKI writes the volume as lower-case ``vo``. Only known tags count
as tags, so an abstract line starting with "In this paper" stays a continuation line.
"""
from __future__ import annotations

import re

from repository.importkit.fields import partial_date
from repository.importkit.tagged import TagFormat

_KEYS = {
    "RT": "type", "A1": "author", "A2": "author", "AU": "author", "AD": "affiliation", "T1": "title",
    "T2": "title_alt", "JF": "venue", "JO": "venue", "YR": "year", "VO": "volume", "vo": "volume",
    "IS": "issue", "OP": "pages", "SP": "pages", "K1": "keyword", "AB": "abstract", "SN": "issn_isbn",
    "CN": "cn", "LA": "language", "DS": "provider", "LK": "link", "UL": "link", "DO": "doi", "PB": "publisher",
    "PP": "place", "A3": "supervisor", "CL": "clc", "NO": "notes", "ID": "filename", "AN": "filename",
    "FD": lambda value: "date" if partial_date(value) else "fund", "FU": "fund", "DB": "database",
}
_OTHER_TAGS = ("SR", "A4", "T3", "ED", "RD", "WP", "U1", "U2", "U3", "U4", "U5", "AV", "OL", "CR")
_TAG = re.compile(r"^(" + "|".join(sorted(set(_KEYS) | set(_OTHER_TAGS))) + r")(?: (.*)|)$")


def match_tag(line: str) -> tuple[str, str] | None:
    match = _TAG.match(line)
    return (match.group(1), (match.group(2) or "").strip()) if match else None


FORMAT = TagFormat("refworks", match_tag, ("RT",), _KEYS)
