"""The WoS "plain text" (tagged) format: ``FN``/``VR`` header, ``PT`` ... ``ER`` records, ``EF`` at the end.

A field is a two-letter tag, a space and a value; continuation lines are indented (three spaces). Multi-
valued author and address fields carry one item per line. Records are read one at a time, so memory does
not grow with the file.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from repository.importers import RecordError

from .reading import UndecodableLine
from .tags import IGNORED_TAGS, LIST_TAGS, Fields, SourceRecord

_TAG_LINE = re.compile(r"([A-Z][A-Z0-9])(?: (.*))?\Z")
_HEADER_TAGS = frozenset({"FN", "VR"})


def is_plaintext(first_line: str) -> bool:
    """True when *first_line* opens a plain-text export (``FN ...`` header, or a bare ``PT`` fragment)."""
    line = first_line.lstrip("\ufeff").rstrip()
    return line.startswith("FN ") or bool(re.fullmatch(r"PT [A-Z]", line))


def read_records(file: str, lines: Iterable[tuple[int, str]]) -> Iterator[SourceRecord | RecordError]:
    """Yield each ``PT``...``ER`` record of a plain-text export, or a RecordError for a broken one."""
    start = None  # line number of the open record's first line
    by_tag: dict[str, list[str]] = {}
    raw: list[str] = []
    tag = None
    bad_line = None  # first undecodable line of the open record
    stray = None  # first line of a run of text outside any record

    def close(reason=None):
        nonlocal start, by_tag, raw, tag, bad_line
        if reason is None and bad_line is not None:
            reason = f"line {bad_line}: bytes are not valid UTF-8 (the file mixes encodings)"
        if reason is None:
            result = SourceRecord(start, _fields(by_tag), "\n".join(raw))
        else:
            ut = by_tag.get("UT")
            result = RecordError(file, start, reason, source_id=ut[0].strip() if ut else None)
        start, by_tag, raw, tag, bad_line = None, {}, [], None, None
        return result

    for number, text in lines:
        if start is not None and text[:1] == " " and type(text) is str:
            # fast path: a continuation line of an open record (most lines of a file)
            raw.append(text)
            if tag is not None and tag not in IGNORED_TAGS:
                value = text.strip()
                if value:
                    by_tag[tag].append(value)
            continue
        match = None if text[:1] in (" ", "\t") else _TAG_LINE.match(text.rstrip())
        if start is None:
            if match is None or match.group(1) in _HEADER_TAGS or match.group(1) == "EF":
                if match is None and text.strip() and stray is None:
                    stray = number
                continue
            if match.group(1) == "ER":
                continue  # an ER with nothing open: nothing to close
            if stray is not None:
                yield RecordError(file, stray, "text outside any record (expected a PT line) was skipped")
                stray = None
            start = number
        elif match is not None:
            name = match.group(1)
            if name == "ER":
                raw.append(text)
                yield close()
                continue
            if name == "PT" or name == "EF" or name in _HEADER_TAGS:
                yield close(f"truncated record (no ER before line {number})")
                if name != "PT":
                    continue
                start = number
        if isinstance(text, UndecodableLine) and bad_line is None:
            bad_line = number
        raw.append(text)
        if match is not None:
            tag = match.group(1)
            if tag not in IGNORED_TAGS:
                by_tag.setdefault(tag, []).append((match.group(2) or "").strip())
        elif text.strip() and tag is not None and tag not in IGNORED_TAGS:
            by_tag[tag].append(text.strip())
    if stray is not None:
        yield RecordError(file, stray, "text outside any record (expected a PT line) was skipped")
    if start is not None:
        yield close("truncated record (no ER before end of file)")


def _fields(by_tag: dict[str, list[str]]) -> Fields:
    fields: Fields = {}
    for tag, values in by_tag.items():
        if tag == "C1":
            fields[tag] = _addresses(values)
        elif tag in LIST_TAGS:
            fields[tag] = [value for value in values if value]
        else:
            fields[tag] = " ".join(value for value in values if value)
    return fields


def _addresses(lines: list[str]) -> list[str]:
    """One item per address: core exports give one line each (ending with "."), but Zoological Record
    wraps long addresses, so a line continues the previous address unless that one ended with "." or
    this one opens an author bracket."""
    items: list[str] = []
    for line in lines:
        if not line:
            continue
        if items and not items[-1].endswith(".") and not line.startswith("["):
            items[-1] = f"{items[-1]} {line}"
        else:
            items.append(line)
    return items
