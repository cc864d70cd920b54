"""The parse loop of a file importer: from a path to ``ParsedRecord``/``RecordError`` items.

read (encoding detected and verified) -> recognise the format from the first lines -> split records ->
flag a truncated last record -> map -> yield ``ParsedRecord`` or ``RecordError(file, line, reason)``.
Only a file that is unusable as a whole raises ``ImporterError``.
"""
from __future__ import annotations

from itertools import chain, islice
from typing import Callable, Iterator, Protocol, Sequence

from repository.importers import ImporterError, ParsedRecord, RecordError

from .textfile import detect, head_text, iter_lines

#: A format must show its record start within this many lines (headers and banners come before it).
HEAD_LINES = 40


class Format(Protocol):
    """What the loop needs from a format (``tagged.TagFormat`` is one; EI's citation text another)."""

    name: str
    check: Callable | None

    def looks_like(self, lines: list[str]) -> bool: ...

    def records(self, lines, ending) -> Iterator: ...


def sniff_format(formats: Sequence[Format], head: bytes) -> Format | None:
    """The first format that recognises the first lines of *head* (decoded leniently), or None."""
    lines = head_text(head).splitlines()[:HEAD_LINES]
    return next((fmt for fmt in formats if fmt.looks_like(lines)), None)


def parse_file(location: str, formats: Sequence[Format], build: Callable[[Format, object], dict],
               label: str) -> Iterator[ParsedRecord | RecordError]:
    """Parse *location* with whichever of *formats* recognises it; *build* maps one record to a dict."""
    encoding = detect(location)
    lines = iter_lines(location, encoding)
    head = list(islice(lines, HEAD_LINES))
    fmt = next((f for f in formats if f.looks_like(head)), None)
    if fmt is None:
        raise ImporterError(location, f"not {label} export: no record start in the first {HEAD_LINES} lines")
    first = True
    for record in fmt.records(chain(head, lines), encoding):
        if first and fmt.check is not None:
            reason = fmt.check(record)
            if reason:
                raise ImporterError(location, reason, record.line)
        first = False
        if record.error:
            yield RecordError(location, record.line, record.error)
            continue
        data = build(fmt, record)
        if not data.get("title"):
            yield RecordError(location, record.line, "record has no title", data.get("source_id"))
            continue
        yield ParsedRecord(data, location, record.line, extra={"format": fmt.name, "encoding": encoding.name})
