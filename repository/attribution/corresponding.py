"""Corresponding authors onto the Work's author lines.

The importers read the source's own markers into the canonical record's ``is_corresponding``: WoS RP in
its old ("Zhang, S (reprint author), Dalian Univ Technol...") and new ("Zhang, San (corresponding author),
...") forms, several RPs included, WoS EM e-mails matched to their authors, CNKI's ``*`` and
``(通讯作者)``, EI's corresponding-author field. This stage carries those flags onto the author lines by name,
so a Work whose author lines came from another source still gets them, and rows a human decided keep theirs.
"""
from __future__ import annotations

from ..models import Authorship
from .names import name_keys


def flag_corresponding(automatic: list[Authorship], record: dict | None, all_rows: list[Authorship]) -> None:
    """Set ``is_corresponding`` on the *automatic* rows from the record's flagged authors: by position when
    the record's author lines are the Work's (*all_rows*), else by name."""
    if not record or not record.get("authors"):
        return
    flagged = [a for a in record["authors"] if a.get("is_corresponding")]
    same_lines = [a["name"] for a in record["authors"]] == [row.raw_name for row in all_rows]
    for row in automatic:
        if same_lines:
            flag = bool(record["authors"][all_rows.index(row)].get("is_corresponding"))
            if row.is_corresponding != flag:
                row.is_corresponding = flag
            continue
        keys = name_keys(row.raw_name) | (name_keys(row.name_original) if row.name_original else frozenset())
        if not row.is_corresponding and any(
                keys & (name_keys(a["name"]) | name_keys(a.get("name_original") or "")) for a in flagged):
            row.is_corresponding = True
