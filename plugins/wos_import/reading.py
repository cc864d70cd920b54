"""Reading a WoS export as numbered text lines, lazily, whatever its encoding and line endings.

Web of Science writes UTF-8 (with or without BOM) or, for the Windows tab-delimited export, UTF-16 LE with
BOM; Mac exports end lines with a bare CR. The encoding is decided from the first bytes alone (BOM, or the
NUL pattern of BOM-less UTF-16), so no guessing library is needed. UTF-8 is decoded line by line where a
block does not decode at once: a file that mixes encodings then costs the records on the bad lines, not the
whole file.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Iterator

from repository.importers import ImporterError

_CHUNK = 1 << 20


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


def iter_lines(location: str, encoding: Encoding) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` for every line of *location* (1-based, without line ending).

    Lines end at CR, LF or CRLF. A UTF-8 line with invalid bytes is yielded as :class:`UndecodableLine`.
    Raises :class:`ImporterError` when a UTF-16 file does not decode (its alignment is lost).
    """
    with open(location, "rb") as stream:
        stream.read(encoding.bom)
        if encoding.codec == "utf-8":
            yield from _utf8_lines(location, stream)
        else:
            yield from _utf16_lines(location, stream, encoding.codec)


def _split(text: str) -> list[str]:
    # str.splitlines would also split at U+2028, \x1c... which may occur inside a field.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _utf8_lines(location: str, stream) -> Iterator[tuple[int, str]]:
    number = 0
    carry = b""
    skip_lf = False
    while True:
        chunk = stream.read(_CHUNK)
        if skip_lf and chunk.startswith(b"\n"):
            chunk = chunk[1:]
        skip_lf = False
        data = carry + chunk
        if not chunk:
            if data:
                number += 1
                yield number, _decode_line(data)
            return
        cut = max(data.rfind(b"\n"), data.rfind(b"\r"))
        if cut < 0:
            carry = data
            continue
        block, carry = data[: cut + 1], data[cut + 1:]
        # a CRLF split across two reads: drop the LF that starts the next read
        skip_lf = block.endswith(b"\r") and not carry
        try:
            lines = _split(block.decode("utf-8"))
        except UnicodeDecodeError:
            lines = [_decode_line(raw) for raw in _split_bytes(block)]
        for line in lines[:-1]:  # the block ends with a line ending: the last item is empty
            number += 1
            yield number, line


def _split_bytes(block: bytes) -> list[bytes]:
    return block.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return UndecodableLine(raw.decode("utf-8", "replace"))


def _utf16_lines(location: str, stream, codec: str) -> Iterator[tuple[int, str]]:
    decoder = codecs.getincrementaldecoder(codec)("strict")
    number = 0
    carry = ""
    offset = 0
    while True:
        chunk = stream.read(_CHUNK)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise ImporterError(
                location, f"not valid {codec.upper()} near byte {offset + exc.start} (the file mixes encodings)",
                line=number + 1,
            ) from None
        offset += len(chunk)
        data = carry + text
        if not chunk:
            if data:
                for line in _split(data):
                    number += 1
                    yield number, line
            return
        cut = max(data.rfind("\n"), data.rfind("\r"))
        if cut < 0 or cut == len(data) - 1 and data.endswith("\r"):
            # keep a trailing CR: the LF of its CRLF may come with the next read
            cut = max(data.rfind("\n", 0, len(data) - 1), data.rfind("\r", 0, len(data) - 1))
            if cut < 0:
                carry = data
                continue
        block, carry = data[: cut + 1], data[cut + 1:]
        for line in _split(block)[:-1]:
            number += 1
            yield number, line
