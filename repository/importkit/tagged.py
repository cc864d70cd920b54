"""Tag-line records: the shape of RefWorks, EndNote, NoteExpress, E-Study, EI's labelled text and the like.

Each of those formats is a sequence of lines ``TAG value``; a line without a tag continues the previous
field (CNKI wraps long addresses and abstracts, EndNote abstracts even contain blank lines); a record
starts at the format's start tag. A format module supplies only ``match_tag(line) -> (tag, value) | None``
and its start tags; splitting, continuation, raw text, line numbers and truncation live here, once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .fields import FieldValues

TRUNCATED = "truncated record (the file ends inside it)"

MatchTag = Callable[[str], "tuple[str, str] | None"]

# Joining wrapped lines: no space after CJK text or full-width punctuation, none before those or before
# closing punctuation; a space between Latin words.
_TIGHT_END = re.compile("[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_TIGHT_START = re.compile("[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef,;:.)\\]）】]")


@dataclass
class TaggedRecord:
    """One record: its first line (1-based), its (tag, value) fields in order, and its raw text.

    ``error`` is set when the record cannot be imported for a reason found while splitting (truncated,
    malformed); the parse loop reports it instead of mapping the record.
    """

    line: int
    fields: list[tuple[str, str]] = field(default_factory=list)
    raw_lines: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def raw(self) -> str:
        return "\n".join(self.raw_lines).strip("\n")

    @property
    def tags(self) -> set[str]:
        return {tag for tag, _ in self.fields}

    def first(self, *tags: str) -> str | None:
        """The first non-empty value of any of *tags*, in field order."""
        for tag, value in self.fields:
            if tag in tags and value:
                return value
        return None

    def all(self, *tags: str) -> list[str]:
        """Every non-empty value of *tags*, in field order."""
        return [value for tag, value in self.fields if tag in tags and value]


def join_wrapped(lines: list[str]) -> str:
    """Join a field's physical lines: blank lines separate paragraphs ("\\n"), wrapped lines are joined
    with a space between Latin words and with nothing next to CJK text or punctuation."""
    paragraphs, current = [], ""
    for line in lines:
        piece = line.strip()
        if not piece:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        if current and not (_TIGHT_END.match(current[-1]) or _TIGHT_START.match(piece[0])):
            current += " "
        current += piece
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


def _field_value(lines: list[str]) -> str:
    # Most fields are one line, and join_wrapped of one line is that line stripped.
    return lines[0].strip() if len(lines) == 1 else join_wrapped(lines)


def _finish(record: TaggedRecord, fields: list[tuple[str, list[str]]]) -> TaggedRecord:
    record.fields = [(tag, _field_value(lines)) for tag, lines in fields]
    raw = record.raw_lines
    while raw and not raw[-1].strip():
        raw.pop()
    return record


def read_records(lines: Iterable[str], match_tag: MatchTag, start_tags: Iterable[str]) -> Iterator[TaggedRecord]:
    """Split *lines* into records.

    The first line whose tag is one of *start_tags* fixes the separator for the whole file (E-Study files
    start records with ``DataType`` or with ``SrcDatabase``, and the other tag then occurs inside records).
    Lines before the first record (headers, banners) are ignored.
    """
    start_tags = set(start_tags)
    separator: str | None = None
    record: TaggedRecord | None = None
    fields: list[tuple[str, list[str]]] = []  # the current record's fields as (tag, physical lines)
    field_lines: list[str] | None = None  # the physical lines of the field being read
    for number, line in enumerate(lines, start=1):
        tagged = match_tag(line)
        if tagged is None:
            if record is not None:
                record.raw_lines.append(line)
                if field_lines is not None:
                    field_lines.append(line)
            continue
        tag, value = tagged
        if separator is None and tag in start_tags:
            separator = tag
        if tag == separator:
            if record is not None:
                yield _finish(record, fields)
            record, fields = TaggedRecord(number), []
        elif record is None:
            continue
        record.raw_lines.append(line)
        field_lines = [value]
        fields.append((tag, field_lines))
    if record is not None:
        yield _finish(record, fields)


def mark_truncated(records: Iterable[TaggedRecord], ending, closing_tags: Iterable[str] = ()) -> Iterator[TaggedRecord]:
    """Flag the last record as truncated when the file was cut short.

    Evidence of a cut (*ending* is the file's ``textfile.Encoding``): the file stops inside a multi-byte
    character; or it stops inside a line *and* the last record lacks the tag every earlier record ended
    with (EndNote's ``%W``, E-Study's ``Link``). A complete file ends with a line end, or its last record
    is complete, so a hand-made last record without the usual closing tag is not flagged. *closing_tags*
    are interchangeable closing tags (a NoteExpress patent ends with ``SrcDatabase``, a journal article
    with ``Database Provider``).
    """
    closing_tags = set(closing_tags)
    common: str | None = None
    earlier = 0
    previous: TaggedRecord | None = None
    for record in records:
        if previous is not None:
            tag = previous.fields[-1][0] if previous.fields else None
            common = tag if earlier == 0 or tag == common else None
            earlier += 1
            yield previous
        previous = record
    if previous is None:
        return
    if common is not None and ending.open_end:
        accepted = closing_tags if common in closing_tags else {common}
        if not accepted & previous.tags:
            previous.error = TRUNCATED
    if ending.truncated:
        previous.error = TRUNCATED
    yield previous


@dataclass(frozen=True)
class TagFormat:
    """A tag-line export format: how to recognise a tag, where records start, and what each tag means.

    ``keys`` maps a tag to the mapping's neutral key, or to a function of the value that returns one (a
    RefWorks ``FD`` holds a date or a fund statement). ``check`` inspects the first record and returns a
    reason when the file, though in this syntax, is not a file this importer should read.
    """

    name: str
    match_tag: MatchTag
    start_tags: tuple[str, ...]
    keys: dict
    closing_tags: tuple[str, ...] = ()
    check: Callable[[TaggedRecord], "str | None"] | None = None

    def looks_like(self, lines: list[str]) -> bool:
        """True when one of the first non-blank *lines* opens a record of this format."""
        tagged = (self.match_tag(line) for line in lines if line.strip())
        return any(tag is not None and tag[0] in self.start_tags for tag in tagged)

    def records(self, lines: Iterable[str], ending) -> Iterator[TaggedRecord]:
        return mark_truncated(read_records(lines, self.match_tag, self.start_tags), ending, self.closing_tags)

    def neutral(self, record: TaggedRecord) -> FieldValues:
        """The record's values grouped by neutral key, in order; unknown tags are left out (kept in raw)."""
        return neutral_values(record, self.keys)


def neutral_values(record: TaggedRecord, keys: dict) -> FieldValues:
    """*record*'s values grouped by the neutral key *keys* gives each tag (a key, or a function of the
    value that returns one), in field order; tags without a key are left out (they stay in ``raw``)."""
    out = FieldValues()
    for tag, value in record.fields:
        rule = keys.get(tag)
        if rule is None:
            continue
        key = rule if rule.__class__ is str else rule(value)
        if key:
            out.setdefault(key, []).append(value)
    return out
