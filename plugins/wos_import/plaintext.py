"""The WoS "plain text" (tagged) format: ``FN``/``VR`` header, ``PT`` ... ``ER`` records, ``EF`` at the end.

A field is a two-letter tag, a space and a value; continuation lines are indented (three spaces). Multi-
valued author and address fields carry one item per line. Records are read one at a time, so memory does
not grow with the file.

A line is a *tag line* when it starts with two capitals (the second may be a digit) followed by a space or
by nothing but white space; every other line continues the field above it. The reader finds record
boundaries and fields with regular expressions over a whole block of lines (see ``reading.Block``): most
lines of an export are cited references (CR) and are never looked at one by one.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from repository.importers import RecordError

from .reading import Block
from .tags import LIST_TAGS, MAPPED_TAGS, Fields, SourceRecord

_TAG_END = r"(?: |[^\S\n]*$)"  # after the tag: a space, or only white space up to the end of the line
#: The first line of a record: any tag line but the file's header and trailer lines and a stray ER.
_START = re.compile(rf"^(?!FN|VR|EF|ER)[A-Z][A-Z0-9]{_TAG_END}", re.MULTILINE)
#: The line that closes a record (ER), or one that shows it was cut (the next PT, EF, a new header); the
#: pattern starts at the line break before it, which the regex engine finds much faster than a line start.
_BOUNDARY = re.compile(rf"\n(ER|PT|EF|FN|VR){_TAG_END}", re.MULTILINE)
_FIRST_LINE_BOUNDARY = re.compile(rf"(ER|PT|EF|FN|VR){_TAG_END}", re.MULTILINE)
#: Where a field ends inside a record: before the next tag line.
_FIELD_BREAK = re.compile(rf"\n(?=[A-Z][A-Z0-9]{_TAG_END})", re.MULTILINE)
_TAG_LINE = re.compile(r"[A-Z][A-Z0-9](?: |\s*\Z)")
_UT_LINE = re.compile(rf"^UT(?: ([^\n]*)|[^\S\n]*$)", re.MULTILINE)
_STRAY = "text outside any record (expected a PT line) was skipped"


def is_plaintext(first_line: str) -> bool:
    """True when *first_line* opens a plain-text export (``FN ...`` header, or a bare ``PT`` fragment)."""
    line = first_line.lstrip("\ufeff").rstrip()
    return line.startswith("FN ") or bool(re.fullmatch(r"PT [A-Z]", line))


def read_records(file: str, blocks: Iterable[Block]) -> Iterator[SourceRecord | RecordError]:
    """Yield each ``PT``...``ER`` record of a plain-text export, or a RecordError for a broken one.

    A record whose lines include undecodable bytes, one cut by the next ``PT`` (or ``EF``, or a new
    header) before its ``ER``, and a run of text outside any record are reported with their line numbers.
    """
    parts: list[str] = []  # the open record's lines read so far, from earlier blocks
    start = None  # line number of the open record's first line
    bad_line = None  # first undecodable line of the open record
    stray = None  # first line of a run of text outside any record
    for block in blocks:
        text, line, pos = block.text, block.line, 0  # *line* is the number of the line at *pos*
        search = -1  # the line break after which to look for the open record's end; -1: the block's start
        while True:
            if start is None:
                found = _START.search(text, pos)
                if stray is None:
                    stray = _first_stray(text, pos, found.start() if found else len(text), line)
                if found is None:
                    break
                line += text.count("\n", pos, found.start())
                pos = found.start()
                if stray is not None:
                    yield RecordError(file, stray, _STRAY)
                    stray = None
                start, bad_line, parts = line, None, []
                search = text.index("\n", pos)
            end = _FIRST_LINE_BOUNDARY.match(text) if search < 0 else None
            cut = 0  # where the line that ends the record starts
            if end is None:
                end = _BOUNDARY.search(text, max(search, 0))
                cut = end.start() + 1 if end else len(text)
            end_line = line + text.count("\n", pos, cut)
            if block.bad and bad_line is None:
                bad_line = min((n for n in block.bad if line <= n < end_line), default=None)
            if end is None:
                parts.append(text[pos:])
                break
            eol = text.index("\n", cut)
            tag = end.group(1)
            if tag == "ER":
                parts.append(text[pos:eol])
                yield _close(file, start, "".join(parts), bad_line)
                start, pos, line = None, eol + 1, end_line + 1
                continue
            parts.append(text[pos:cut])
            yield RecordError(file, start, f"truncated record (no ER before line {end_line})",
                              source_id=_first_ut("".join(parts)))
            if tag == "PT":  # it opens the next record
                start, bad_line, parts = end_line, None, []
                pos, line, search = cut, end_line, eol
            else:
                start, pos, line = None, eol + 1, end_line + 1
    if stray is not None:
        yield RecordError(file, stray, _STRAY)
    if start is not None:
        yield RecordError(file, start, "truncated record (no ER before end of file)",
                          source_id=_first_ut("".join(parts)))


def _close(file: str, start: int, raw: str, bad_line: int | None) -> SourceRecord | RecordError:
    if bad_line is not None:
        return RecordError(file, start, f"line {bad_line}: bytes are not valid UTF-8 (the file mixes encodings)",
                           source_id=_first_ut(raw))
    return SourceRecord(start, record_fields(raw), raw)


def _first_stray(text: str, begin: int, end: int, line: int) -> int | None:
    """The number of the first line between *begin* and *end* that is neither blank nor a tag line."""
    gap = text[begin:end]
    if not gap or gap.isspace():
        return None
    for offset, row in enumerate(gap.split("\n")):
        if row.strip() and not _TAG_LINE.match(row):
            return line + offset
    return None


def _first_ut(text: str) -> str | None:
    """The value of the first UT line of a record's text (for the error of a record that is not kept)."""
    found = _UT_LINE.search(text)
    return (found.group(1) or "").strip() if found else None


def record_fields(raw: str) -> Fields:
    """The fields of one record's text (tag line to ``ER``) that the mapping reads."""
    texts: dict[str, str] = {}
    for piece in _FIELD_BREAK.split(raw):
        tag = piece[:2]
        if tag in MAPPED_TAGS:
            # a repeated tag continues the first one, as if its lines were continuation lines
            texts[tag] = f"{texts[tag]}\n{piece[2:]}" if tag in texts else piece[2:]
    fields: Fields = {}
    for tag, value in texts.items():
        if tag in LIST_TAGS:
            items = list(filter(None, map(str.strip, value.split("\n"))))
            fields[tag] = _addresses(items) if tag == "C1" else items
        elif "\n" in value:  # continuation lines: one space between lines, as the value reads
            fields[tag] = " ".join(filter(None, map(str.strip, value.split("\n"))))
        else:
            fields[tag] = value.strip()
    return fields


def _addresses(lines: list[str]) -> list[str]:
    """One item per address: core exports give one line each (ending with "."), but Zoological Record
    wraps long addresses, so a line continues the previous address unless that one ended with "." or
    this one opens an author bracket."""
    items: list[str] = []
    for line in lines:
        if items and not items[-1].endswith(".") and not line.startswith("["):
            items[-1] = f"{items[-1]} {line}"
        else:
            items.append(line)
    return items
