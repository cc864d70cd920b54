"""Engineering Village "Citation" text output (Compendex)::

     2.  Experimental Study of the Adsorption of an Ionic Liquid onto Bacterial and Mineral Surfaces
    Gorman-Lewis, Drew J. (Civ. Eng. ..., United States)  Fein, Jeremy B. Source: Environmental Science and
    Technology, v 38, n 8, p 2491-2495, April 15, 2004
    Database: Compendex

A record is a numbered title line, an author line (authors separated by two spaces, the first author's
affiliation in parentheses) ending in ``Source:`` and the citation, and a ``Database:`` line that closes
it; a record without its ``Database:`` line is a truncated record. The citation is turned into the same
labels as the labelled output, so that one mapping serves both.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from repository.importkit.tagged import TRUNCATED, TaggedRecord, join_wrapped

_NUMBERED = re.compile(r"^\s*(\d{1,7})\.(?:\s+(.*))?$")
_DATABASE = re.compile(r"^\s*Database:\s*(.*)$")
_SOURCE = re.compile(r"(?:^|\s)Source:\s*")
_PART = re.compile(r"^(v|n|p)\s+(\S.*)$")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DATE_ONLY = re.compile(r"^(?:[A-Za-z]+\.?(?:/[A-Za-z]+)?\s+)?(?:\d{1,2}(?:-\d{1,2})?,?\s*)?(?:(?:1[89]|20)\d\d)?$")


def split_authors(text: str) -> list[tuple[str, str | None]]:
    """"Name (affiliation)  Name2  Name3" -> [(name, affiliation or None)], splitting on runs of two or
    more spaces outside parentheses."""
    items, depth, current, spaces = [], 0, [], 0
    for char in text + "  ":
        if char == " " and depth == 0:
            spaces += 1
            if spaces >= 2 and current:
                items.append("".join(current).strip())
                current = []
            continue
        if spaces == 1 and current:
            current.append(" ")
        spaces = 0
        depth = depth + 1 if char == "(" else max(depth - 1, 0) if char == ")" else depth
        current.append(char)
    out = []
    for item in items:
        match = re.match(r"^(.*?)\s*\((.*)\)\s*$", item)
        out.append((match.group(1).strip(), match.group(2).strip()) if match else (item, None))
    return [(name, affiliation) for name, affiliation in out if name]


def parse_source(text: str) -> list[tuple[str, str]]:
    """"Journal, v 38, n 8, p 2491-2495, April 15, 2004, Conference" -> labelled fields.

    The source title runs up to the first ``v``/``n``/``p`` part (titles contain commas and years:
    "ICACT 2006 - Proceedings"); without such parts, up to the first part that is only a date.
    """
    parts = [part.strip() for part in text.split(", ")]
    index = next((i for i, part in enumerate(parts) if _PART.match(part)), None)
    if index is None:
        index = next((i for i, part in enumerate(parts) if i and _DATE_ONLY.match(part)), len(parts))
    fields = [("source title", ", ".join(parts[:index]))]
    names = {"v": "volume", "n": "issue", "p": "pages"}
    while index < len(parts) and _PART.match(parts[index]):
        match = _PART.match(parts[index])
        fields.append((names[match.group(1)], match.group(2)))
        index += 1
    date: list[str] = []
    while index < len(parts) and len(date) < 2 and not _YEAR.search(" ".join(date)):
        if date and not _DATE_ONLY.match(parts[index]):
            break
        date.append(parts[index])
        index += 1
    if date:
        fields.append(("issue date", ", ".join(date)))
    if index < len(parts):
        fields.append(("conference name", ", ".join(parts[index:])))
    return fields


def _record(number: int, lines: list[str]) -> TaggedRecord:
    record = TaggedRecord(number, raw_lines=list(lines))
    match = _NUMBERED.match(lines[0])
    record.fields.append(("title", (match.group(2) or "").strip() if match else lines[0].strip()))
    body, database = [], None
    for line in lines[1:]:
        found = _DATABASE.match(line)
        if found:
            database = found.group(1).strip()
        elif line.strip():
            body.append(line)
    text = join_wrapped(body)
    parts = _SOURCE.split(text, maxsplit=1)
    authors_text, source = (parts[0], parts[1]) if len(parts) == 2 else (text, "")
    authors = split_authors(authors_text)
    names = []
    affiliations = [affiliation for _, affiliation in authors if affiliation]
    for name, affiliation in authors:
        marker = f" ({affiliations.index(affiliation) + 1})" if affiliation else ""
        names.append(name + marker)
    if names:
        record.fields.append(("authors", "; ".join(names)))
    if affiliations:
        record.fields.append(("author affiliation", "; ".join(f"({i}) {a}" for i, a in enumerate(affiliations, 1))))
    if source:
        record.fields.extend(parse_source(source))
    if database is not None:
        record.fields.append(("database", database))
    else:
        record.error = TRUNCATED
    return record


class CitationFormat:
    """The citation output as a format for ``repository.importkit.driver``."""

    name = "citation"
    check = None

    def looks_like(self, lines: list[str]) -> bool:
        first = next((line for line in lines if line.strip()), "")
        return bool(_NUMBERED.match(first)) and any(_DATABASE.match(line) or "Source:" in line for line in lines)

    def records(self, lines: Iterable[str], ending) -> Iterator[TaggedRecord]:
        current: list[str] = []
        start = 0
        closed = True
        for number, line in enumerate(lines, start=1):
            if closed and _NUMBERED.match(line):
                if current:
                    yield _record(start, current)
                current, start, closed = [line], number, False
            elif current:
                current.append(line)
                closed = closed or bool(_DATABASE.match(line))
        if current:
            record = _record(start, current)
            if ending.truncated:
                record.error = TRUNCATED
            yield record


FORMAT = CitationFormat()
