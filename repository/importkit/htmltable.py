"""HTML tables saved under a spreadsheet's name, read as rows: ``(row number, [cell text])``.

CNKI's older KNS platform and several library tools save their "Excel" downloads as an HTML ``<table>``
in a file named .xls (Excel opens it as a sheet). ``is_html`` recognises such a file by its first bytes,
never by its name; ``html_encoding`` finds how it is encoded and ``iter_html_rows`` streams its rows, in
the shape of ``workbook.iter_rows``, so that one ``LabelledTable`` reads workbooks and HTML tables alike.
``head_rows`` reads the rows among the first bytes only, decoded leniently, for sniffing: the whole-file
checks below belong to the parse, which reports them precisely (a text export is sniffed the same way).

Encoding: the import kit's verified detection (``textfile.detect``), whose detector tries the charset the
file declares (``<meta charset="gb2312">``) first; the declaration is then verified over the whole file
like any guess (strict decode, no replacement or control characters), and bytes that are strict UTF-8 are
UTF-8 whatever the file says.

The file is untrusted. lxml's HTML parser (libxml2) gets the verified text re-encoded as UTF-8 (so the
declaration inside cannot change the decoding), never touches the network, keeps libxml2's limits (no
``huge_tree``), drops comments and processing instructions, and expands no entity beyond HTML's named
characters (a DTD's ``<!ENTITY>`` stays literal text). A file larger than ``MAX_BYTES`` (the OAI harvester's
limit for one document) and elements nested deeper than ``MAX_DEPTH`` are refused with ImporterError:
libxml2's HTML parser silently stops reading at depth 256, which would lose every later row.

Memory: each row is dropped from the tree once read (the whole tree would take several times the
file's size), but libxml2's HTML push parser keeps the input it has been fed, so memory still grows by
about the file's size in UTF-8 — bounded by ``MAX_BYTES``, another reason for the limit. (Its XML push
parser does not do this; an HTML table is not XML.)

Rows: every ``<tr>`` of the file in document order, numbered from 1 (a table nested inside a cell is part of
that cell's text); cells are its ``<td>``/``<th>`` children, whitespace collapsed as a browser shows it,
``<br>`` a line break. A row the file ends inside (the file stops before its end, while earlier rows were
closed with ``</tr>``) comes with ``None`` instead of cells.
"""
from __future__ import annotations

import os
import re
from itertools import islice
from typing import Iterable, Iterator

from repository.importers import ImporterError

from .textfile import Encoding, detect, head_text, iter_text

#: Larger files are refused (the same limit as one OAI-PMH response).
MAX_BYTES = 64 * 1024 * 1024
#: Deeper nesting is refused; a CNKI table is about 6 deep, libxml2 gives up silently at 256.
MAX_DEPTH = 100
#: How much of the file sniffing reads: a page saved by Excel has long style sheets before its table.
SNIFF_BYTES = 256 * 1024
#: Characters handed to the parser at a time: the events of one piece are held until its rows are read.
FEED_CHARS = 64 * 1024

_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|table)[\s>/]", re.IGNORECASE)
_ROW_END = re.compile(r"</tr\s*>", re.IGNORECASE)
# Whitespace a browser collapses, with the no-break space of "&nbsp;" cells; U+2028 marks a <br>.
_COLLAPSE = re.compile("[ \t\n\r\f\xa0]+")
_BREAK = "\u2028"


def is_html(head: bytes) -> bool:
    """True when *head* (a file's first bytes) starts an HTML document or a bare ``<table>``."""
    text = head_text(head).lstrip()
    return text.startswith("<") and _HTML_START.search(text) is not None


def html_encoding(location: str) -> Encoding:
    """The verified encoding of the HTML file at *location*; ImporterError when it is too large, empty,
    binary or in an encoding the import kit does not accept."""
    try:
        size = os.path.getsize(location)
    except OSError as exc:
        raise ImporterError(location, f"cannot read file: {exc.strerror or exc}") from exc
    if size > MAX_BYTES:
        raise ImporterError(location, f"HTML table of {size} bytes is larger than the limit of {MAX_BYTES} "
                                      "bytes; export fewer records per file")
    return detect(location)


def _cell_text(cell) -> str:
    from lxml import etree  # imported on first use, as the workbook readers: most imports are text files

    pieces = []
    for event, node in etree.iterwalk(cell, events=("start", "end")):
        if event == "start":
            pieces.append(_BREAK if node.tag == "br" else node.text or "")
        elif node is not cell and node.tail:
            pieces.append(node.tail)
    lines = (line.strip() for line in _COLLAPSE.sub(" ", "".join(pieces)).split(_BREAK))
    return "\n".join(line for line in lines if line)


class _RowReader:
    """Turns the parser's start/end events into rows, keeping count of depth and row numbers."""

    def __init__(self, location: str):
        self.location = location
        self.depth = 0
        self.open_rows = 0  # <tr> elements open now: more than one inside a nested table
        self.number = 0

    def rows(self, events: Iterable, file_ended_inside: bool = False) -> Iterator[tuple[int, "list[str] | None"]]:
        """The rows completed by *events*; with *file_ended_inside*, a row completed here is one the file
        ended inside (the parser closes it only because the input is over)."""
        for event, element in events:
            if event == "start":
                self.depth += 1
                if self.depth > MAX_DEPTH:
                    raise ImporterError(self.location, f"HTML nested deeper than {MAX_DEPTH} elements; refused",
                                        self.number or None)
                if element.tag == "tr":
                    self.open_rows += 1
                    if self.open_rows == 1:
                        self.number += 1
                continue
            self.depth -= 1
            if element.tag != "tr":
                continue
            self.open_rows -= 1
            if self.open_rows:
                continue  # a row of a table inside a cell: its text belongs to that cell
            cells = None if file_ended_inside else [_cell_text(cell) for cell in element if cell.tag in ("td", "th")]
            yield self.number, cells
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]


def _parser():
    from lxml import etree

    return etree.HTMLPullParser(events=("start", "end"), encoding="utf-8", no_network=True, huge_tree=False,
                                remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False)


def head_rows(location: str, head: bytes, count: int) -> list[tuple[int, list[str]]]:
    """The first *count* complete rows among *head*, the first bytes of the HTML file at *location*,
    decoded leniently (for sniffing only)."""
    parser = _parser()
    parser.feed(head_text(head).encode("utf-8"))
    return list(islice(_RowReader(location).rows(parser.read_events()), count))


def iter_html_rows(location: str, encoding: Encoding) -> Iterator[tuple[int, "list[str] | None"]]:
    """The rows of every table of the HTML file at *location*, read with its verified *encoding*."""
    parser = _parser()
    reader = _RowReader(location)
    closes_rows, carry = False, ""
    for text in iter_text(location, encoding):
        closes_rows = closes_rows or _ROW_END.search(carry + text) is not None
        carry = text[-8:]
        for start in range(0, len(text), FEED_CHARS):
            parser.feed(text[start:start + FEED_CHARS].encode("utf-8"))
            yield from reader.rows(parser.read_events())
    parser.close()
    yield from reader.rows(parser.read_events(), file_ended_inside=closes_rows or encoding.truncated)
