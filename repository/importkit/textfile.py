"""Read an export file as text: detect its encoding, verify it, and stream it as numbered lines.

Chinese exports come in UTF-8 (with or without BOM), GBK/GB18030 and UTF-16. A wrong guess silently
produces mojibake that then lives forever in the repository, so every guess is *verified* over the whole
file before a single record is parsed:

1. a BOM decides (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE), and the file must decode strictly;
2. otherwise strict UTF-8 (plain ASCII is UTF-8);
3. otherwise charset-normalizer is asked about the first bytes; only a GB-family answer (gb2312, gbk,
   gb18030 — read as GB18030, their superset) or a UTF-16 answer is accepted, and only when the whole file
   decodes strictly without replacement, private-use or control characters (and, for GB18030, with CJK).
   When the detector abstains (it does on long, repetitive text), GB18030 is still accepted if, besides
   all that, at least 95% of the non-ASCII characters of the head are everyday (GB2312) Chinese.
   The detector looks for a charset the file declares in its first 8 KB (an HTML ``<meta charset>``) and
   tries it first, so a declaration counts as a guess and is verified like one; it never overrides steps 1
   and 2: bytes that decode strictly as UTF-8 are UTF-8 whatever the file says.

Anything else (Big5, Shift-JIS, Latin-1, binary data) raises :class:`ImporterError` "unknown encoding":
refusing a file is better than importing garbage. A file cut inside a multi-byte character is read up to
the cut and reported as ``truncated`` so that the parser flags its last record.

Both passes read fixed-size chunks, so memory does not grow with the file.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Iterator

from charset_normalizer import from_bytes

from repository.importers import ImporterError

from .fields import CJK

CHUNK = 1 << 20
#: How many bytes the detector looks at; verification always covers the whole file.
DETECT_BYTES = 256 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936"}
_UTF16 = {"utf_16", "utf_16_le", "utf_16_be"}
# What a correct decode of a bibliographic export never contains: C0/C1 controls other than tab and line
# ends, U+FFFD, and the private-use area (where GB18030 puts code points no text uses).
_SUSPECT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff]")
# CRLF, LF, a bare CR (old Mac) — and a run of CRs before LF, which broken Windows tools write.
_NEWLINE = re.compile(r"\r*\n|\r")


@dataclass(frozen=True)
class Encoding:
    """How to read a file: codec name, BOM length to skip, and how it ends: inside a character
    (``truncated``) or inside a line (``open_end``: no line end after the last line)."""

    name: str
    skip: int = 0
    truncated: bool = False
    open_end: bool = False


def _chunks(location: str, skip: int = 0) -> Iterator[bytes]:
    try:
        with open(location, "rb") as handle:
            handle.seek(skip)
            while chunk := handle.read(CHUNK):
                yield chunk
    except OSError as exc:
        raise ImporterError(location, f"cannot read file: {exc.strerror or exc}") from exc


def read_head(location: str, size: int) -> bytes:
    """The first *size* bytes (at most 1 MiB) of *location*; ImporterError when it cannot be read."""
    return next(_chunks(location), b"")[:size]  # size <= CHUNK


def _check(location: str, encoding: str, skip: int, suspect: bool, need_cjk: bool) -> Encoding | None:
    """Decode the whole file strictly; None when it does not decode (or looks wrong, when *suspect*)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    found_cjk, last = False, ""
    try:
        for chunk in _chunks(location, skip):
            text = decoder.decode(chunk, final=False)
            if suspect and _SUSPECT.search(text):
                return None
            found_cjk = found_cjk or bool(CJK.search(text))
            last = text[-1:] or last
    except UnicodeDecodeError:
        return None
    if need_cjk and not found_cjk:
        return None
    return Encoding(encoding, skip, truncated=bool(decoder.getstate()[0]), open_end=last not in ("\r", "\n"))


def _mostly_common_chinese(head: bytes, threshold: float = 0.95) -> bool:
    """True when at least *threshold* of the non-ASCII characters of *head*, read as GB18030, are in GB2312
    (the 7,445 characters of everyday simplified Chinese text)."""
    text = head.decode("gb18030", errors="ignore")
    wide = [char for char in text if ord(char) > 127]
    if not wide:
        return False
    common = 0
    for char in wide:
        try:
            char.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= threshold * len(wide)


def detect(location: str) -> Encoding:
    """Find and verify the encoding of *location*, or raise ImporterError (empty, binary, unknown)."""
    head = read_head(location, DETECT_BYTES)
    if not head.strip():
        raise ImporterError(location, "empty file")
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            found = _check(location, encoding, len(bom), suspect=False, need_cjk=False)
            if found is None:
                raise ImporterError(location, f"not valid {encoding} despite its byte order mark")
            return found
    if b"\x00" not in head:
        found = _check(location, "utf-8", 0, suspect=False, need_cjk=False)
        if found is not None:
            return found
    best = from_bytes(head).best()
    guess = best.encoding if best is not None else None
    candidates = ["gb18030"] if guess in _GB_FAMILY or guess is None else \
        ["utf-16-le", "utf-16-be"] if guess in _UTF16 else []
    for encoding in candidates:
        found = _check(location, encoding, 0, suspect=True, need_cjk=encoding == "gb18030")
        # Without the detector's word (it abstains on long repetitive text), GB18030 must also read the
        # head as common Chinese: Shift-JIS or Big5 read as GB18030 is mostly rare or non-Han characters.
        if found is not None and (guess is not None or _mostly_common_chinese(head)):
            return found
    if b"\x00" in head and guess is None:
        raise ImporterError(location, "binary file, not a text export")
    raise ImporterError(location, f"unknown encoding (detector: {guess or 'no answer'}); "
                                  "save the export as UTF-8 or GBK")


def iter_text(location: str, encoding: Encoding) -> Iterator[str]:
    """Yield the text of a verified file in pieces of about a megabyte (a character cut by the end of a
    truncated file is left out)."""
    decoder = codecs.getincrementaldecoder(encoding.name)("strict")
    for chunk in _chunks(location, encoding.skip):
        yield decoder.decode(chunk, final=False)


def iter_lines(location: str, encoding: Encoding) -> Iterator[str]:
    """Yield the lines of a verified file without line ends; CRLF, LF and a bare CR all end a line
    (never the other Unicode separators, so that line numbers match what editors show)."""
    pending = ""
    for text in iter_text(location, encoding):
        pending += text
        # CRs at the end of the chunk may be the first half of a CRLF: keep them for the next round.
        cut = len(pending.rstrip("\r"))
        lines = _NEWLINE.split(pending[:cut])
        pending = lines.pop() + pending[cut:]
        yield from lines
    if pending:
        lines = _NEWLINE.split(pending)
        if lines[-1] == "":
            lines.pop()
        yield from lines


def head_text(head: bytes) -> str:
    """Best-effort text of a file's first bytes, for sniffing only (never raises)."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return head[len(bom):].decode(encoding, errors="ignore")
    if head.count(b"\x00") > len(head) // 4:
        even_nuls = head[1::2].count(0) > head[0::2].count(0)
        return head.decode("utf-16-le" if even_nuls else "utf-16-be", errors="ignore")
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:
            return head[:exc.start].decode("utf-8", errors="ignore")
    return head.decode("gb18030", errors="ignore")
