"""Reading a WoS export as blocks of numbered text lines, lazily, whatever its encoding and line endings.

Web of Science writes UTF-8 (with or without BOM) or, for the Windows tab-delimited export, UTF-16 LE with
BOM; Mac exports end lines with a bare CR. The encoding is decided from the first bytes alone (BOM, or the
NUL pattern of BOM-less UTF-16), so no guessing library is needed. The file is decoded a megabyte at a time
and handed on as one string of whole lines, so that parsers can scan it with C-speed string methods
instead of a Python loop per line. UTF-8 is decoded line by line where a block does not decode at once:
a file that mixes encodings then costs the records on the bad lines, not the whole file.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Iterator

from repository.importers import ImporterError

_CHUNK = 1 << 20
_BARE_CR = re.compile(rb"\r(?!\n)")


@dataclass(frozen=True)
class Encoding:
    """How a file is encoded: codec name and the length of its byte-order mark."""

    codec: str
    bom: int


class UndecodableLine(str):
    """A line whose bytes are not valid in the file's encoding; its text is decoded with replacement."""

    __slots__ = ()


def detect_encoding(head: bytes) -> Encoding | None:
    """Return the encoding of a file starting with *head*, or None when it looks binary."""
    if head.startswith(codecs.BOM_UTF8):
        return Encoding("utf-8", 3)
    if head.startswith(codecs.BOM_UTF32_LE) or head.startswith(codecs.BOM_UTF32_BE):
        return None
    if head.startswith(codecs.BOM_UTF16_LE):
        return Encoding("utf-16-le", 2)
    if head.startswith(codecs.BOM_UTF16_BE):
        return Encoding("utf-16-be", 2)
    sample = head[:4096]
    if b"\x00" not in sample:
        return Encoding("utf-8", 0)
    # BOM-less UTF-16 of mostly ASCII text: every other byte is NUL.
    even = sample[0::2]
    odd = sample[1::2]
    if odd and odd.count(0) > 0.9 * len(odd) and even.count(0) == 0:
        return Encoding("utf-16-le", 0)
    if even and even.count(0) > 0.9 * len(even) and odd.count(0) == 0:
        return Encoding("utf-16-be", 0)
    return None


def looks_binary(text: str) -> bool:
    """True when decoded *text* holds control characters that no export contains."""
    return any(ord(c) < 32 and c not in "\t\r\n\x0b\x0c" for c in text)


@dataclass(frozen=True)
class Block:
    """Consecutive whole lines of a file, normalized to ``"\\n"`` line endings.

    ``line`` is the number of the first line; ``text`` holds the lines, each followed by ``"\\n"``; ``bad``
    the numbers of the lines whose bytes are not valid in the file's encoding (decoded with replacement).
    """

    line: int
    text: str
    bad: frozenset[int] = frozenset()

    def lines(self) -> Iterator[tuple[int, str]]:
        """``(line_number, text)`` for each line; an undecodable line is an :class:`UndecodableLine`."""
        bad = self.bad
        for number, line in enumerate(self.text.split("\n")[:-1], start=self.line):
            yield number, UndecodableLine(line) if bad and number in bad else line


def iter_blocks(location: str, encoding: Encoding) -> Iterator[Block]:
    """Yield the lines of *location* in :class:`Block` s of about a megabyte, in order, lazily.

    Lines end at CR, LF or CRLF. Raises :class:`ImporterError` when a UTF-16 file does not decode (its
    alignment is lost).
    """
    with open(location, "rb") as stream:
        stream.read(encoding.bom)
        texts = _utf8_texts(stream) if encoding.codec == "utf-8" else _utf16_texts(location, stream, encoding.codec)
        number = 1
        for text, bad in texts:
            yield Block(number, text, frozenset(number + offset for offset in bad))
            number += text.count("\n")


def _normalize(text: str) -> str:
    # str.splitlines would also split at U+2028, \x1c... which may occur inside a field.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _utf8_texts(stream) -> Iterator[tuple[str, list[int]]]:
    """Per read: the text of the whole lines read, and the offsets of its lines that are not UTF-8."""
    carry = b""
    skip_lf = False
    while True:
        chunk = stream.read(_CHUNK)
        at_end = not chunk
        if skip_lf and chunk.startswith(b"\n"):
            chunk = chunk[1:]
        skip_lf = False
        data = carry + chunk
        if at_end:
            if data:
                yield _decode_utf8(data + b"\n")
            return
        cut = max(data.rfind(b"\n"), data.rfind(b"\r"))
        if cut < 0:
            carry = data
            continue
        block, carry = data[: cut + 1], data[cut + 1:]
        # a CRLF split across two reads: drop the LF that starts the next read
        skip_lf = block.endswith(b"\r") and not carry
        yield _decode_utf8(block)


def _decode_utf8(data: bytes) -> tuple[str, list[int]]:
    """Decode whole lines; a line with invalid bytes is decoded with replacement and its offset returned,
    so that a file mixing encodings costs the records on those lines, not the whole file."""
    if b"\r" in data:
        # Line ends are normalized before decoding (a CR or LF byte is never part of a longer UTF-8
        # sequence). Windows line ends, the usual case, only need their CRs dropped: a one-byte replace
        # is several times faster than a two-byte one.
        if _BARE_CR.search(data) is None:
            data = data.replace(b"\r", b"")
        else:
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    lines, bad = [], []
    for offset, raw in enumerate(data.split(b"\n")):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(raw.decode("utf-8", "replace"))
            bad.append(offset)
    return "\n".join(lines), bad


def _utf16_texts(location: str, stream, codec: str) -> Iterator[tuple[str, list[int]]]:
    """Like :func:`_utf8_texts` for UTF-16, where a decoding error stops the file instead."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    carry = ""
    offset = 0
    lines = 0
    while True:
        chunk = stream.read(_CHUNK)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise ImporterError(
                location, f"not valid {codec.upper()} near byte {offset + exc.start} (the file mixes encodings)",
                line=lines + 1,
            ) from None
        offset += len(chunk)
        data = carry + text
        if not chunk:
            if data:
                yield _normalize(data) + "\n", []
            return
        cut = max(data.rfind("\n"), data.rfind("\r"))
        if cut < 0 or cut == len(data) - 1 and data.endswith("\r"):
            # keep a trailing CR: the LF of its CRLF may come with the next read
            cut = max(data.rfind("\n", 0, len(data) - 1), data.rfind("\r", 0, len(data) - 1))
            if cut < 0:
                carry = data
                continue
        block, carry = _normalize(data[: cut + 1]), data[cut + 1:]
        lines += block.count("\n")
        yield block, []
