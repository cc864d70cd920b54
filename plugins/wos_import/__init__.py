"""Web of Science importer: plain-text (tagged) and tab-delimited exports, every vintage.

Registered through the ``zhiku.plugins`` entry point ``wos_import = plugins.wos_import``. The importer
streams the file (one record in memory at a time), maps each record to the canonical ImportRecord and
yields a ``RecordError`` (file, line, reason) for a record it cannot use. See docs/importers/wos.md.
"""
from __future__ import annotations

import itertools
import os
from typing import Iterator

from repository.hookspecs import hookimpl
from repository.importers import ImporterError, ParsedRecord, RecordError

from . import plaintext, tabdelimited
from .mapping import MappingError, map_record
from .reading import Block, UndecodableLine, detect_encoding, iter_blocks, looks_binary

_HEAD = 65536


class WosImporter:
    """Importer of Web of Science (Core Collection and other WoS-platform databases) export files."""

    name = "wos"
    label = "Web of Science"

    def sniff(self, location: str, head: bytes) -> bool:
        """True when *head* (the file's first bytes) opens a WoS plain-text or tab-delimited export."""
        encoding = detect_encoding(head)
        if encoding is None:
            return False
        text = head[encoding.bom:].decode(encoding.codec, "replace")
        first = _first_text_line(text)
        return first is not None and _format_of(first) is not None

    def parse(self, location: str) -> Iterator[ParsedRecord | RecordError]:
        """Yield a ParsedRecord per record and a RecordError per unusable one.

        Raises ImporterError when the file is not a WoS export (binary, undecodable, another format).
        """
        file = os.fspath(location)
        try:
            with open(file, "rb") as stream:
                head = stream.read(_HEAD)
        except OSError as exc:
            raise ImporterError(file, f"cannot read the file: {exc.strerror or exc}") from None
        encoding = detect_encoding(head)
        if encoding is None:
            raise ImporterError(file, "binary file (NUL bytes), not a Web of Science export")
        blocks = iter_blocks(file, encoding)
        opening: list[Block] = []
        first = None
        for block in blocks:
            opening.append(block)
            first = _first_line(block)
            if first is not None:
                break
        if first is None:
            raise ImporterError(file, "empty file, not a Web of Science export")
        number, text = first
        if isinstance(text, UndecodableLine) or looks_binary(text):
            raise ImporterError(file, f"not {encoding.codec.upper()} text, not a Web of Science export",
                                line=number)
        reader = _format_of(text)
        if reader is None:
            raise ImporterError(
                file, "not a Web of Science export: the first line is neither an FN header, a PT field "
                      "nor a tab-delimited header of WoS field tags", line=number)
        for item in reader(file, itertools.chain(opening, blocks)):
            if isinstance(item, RecordError):
                yield item
                continue
            try:
                data = map_record(item.fields, item.raw)
            except MappingError as exc:
                yield RecordError(file, item.line, str(exc), source_id=_ut(item.fields))
            except Exception as exc:  # a mapping bug must cost one record, not the batch
                yield RecordError(file, item.line, f"could not map the record ({type(exc).__name__}: {exc})",
                                  source_id=_ut(item.fields))
            else:
                yield ParsedRecord(data=data, file=file, line=item.line)


def _first_line(block: Block) -> tuple[int, str] | None:
    """The number and text of the block's first line that is not blank."""
    text = block.text
    begin = len(text) - len(text.lstrip())
    if begin == len(text):
        return None
    begin = text.rfind("\n", 0, begin) + 1
    number = block.line + text.count("\n", 0, begin)
    line = text[begin:text.index("\n", begin)]
    return number, UndecodableLine(line) if number in block.bad else line


def _first_text_line(text: str) -> str | None:
    for line in text.replace("\r", "\n").split("\n"):
        if line.strip():
            return line
    return None


def _format_of(first_line: str):
    if plaintext.is_plaintext(first_line):
        return plaintext.read_records
    if tabdelimited.header_tags(first_line) is not None:
        return tabdelimited.read_records
    return None


def _ut(fields) -> str | None:
    value = fields.get("UT")
    return value.strip() or None if isinstance(value, str) else None


@hookimpl
def zhiku_importers():
    """The Web of Science importer."""
    return [WosImporter()]
