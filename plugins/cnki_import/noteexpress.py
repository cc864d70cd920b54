"""CNKI NoteExpress export: ``{Reference Type}: Journal Article`` / ``{Title}: ...`` / ``{Database Provider}: CNKI``.

CNKI's NoteExpress files are not always tidy: the colon may be full-width (``{Abstract}：``), the space
after it may be missing, a tag may carry a stray comma (``{Subsidiary Author,}``), and a value may wrap to
the next line. Theses carry the advisor in ``{Tertiary Author}`` and 博士/硕士 in ``{Type of Work}``;
patents their number in ``{Type of Work}`` and ``{Notes}``; journals their CN number in ``{Notes}``.
"""
from __future__ import annotations

import re

from repository.importkit.tagged import TagFormat

_KEYS = {
    "Reference Type": "type", "Title": "title", "Translated Title": "title_alt", "Author": "author",
    "Author Address": "affiliation", "Journal": "venue", "Year": "year", "Date": "date", "Volume": "volume",
    "Issue": "issue", "Pages": "pages", "Keywords": "keyword", "Translated Keywords": "keyword_alt",
    "Abstract": "abstract", "Translated Abstract": "abstract_alt", "ISBN/ISSN": "issn_isbn", "ISBN": "isbn",
    "图书印刷版ISBN": "isbn", "ISSN": "issn", "Notes": "notes", "Database Provider": "provider",
    "Tertiary Author": "supervisor", "Publisher": "publisher", "Type of Work": "work_kind",
    "Secondary Title": "conference", "Tertiary Title": "proceedings", "Place Published": "place",
    "Subsidiary Author": "sponsor", "SrcDatabase": "database", "URL": "link", "Language": "language",
    "DOI": "doi", "Fund": "fund", "基金": "fund", "CLC": "clc", "中图分类号": "clc", "Call Number": "call_number",
    "CNKI FileName": "filename", "Degree": "degree", "Discipline": "discipline", "专业": "discipline",
}
_TAG = re.compile(r"^\{([^{}]{1,40})\}\s*[:：]\s?(.*)$")


def match_tag(line: str) -> tuple[str, str] | None:
    match = _TAG.match(line)
    if not match:
        return None
    return match.group(1).strip().rstrip(",，").strip(), match.group(2).strip()


FORMAT = TagFormat("noteexpress", match_tag, ("Reference Type",), _KEYS,
                   closing_tags=("Database Provider", "SrcDatabase", "Language"))
