"""CNKI (中国知网) importer plugin: RefWorks, EndNote, NoteExpress, E-Study and Excel exports (.xlsx, .xls,
and the HTML tables saved as .xls).

Registered under the ``zhiku.plugins`` entry point ``cnki_import``; the importer's name is ``cnki``.
Modules: one per export format (``refworks``, ``endnote``, ``noteexpress``, ``estudy``, ``excel``) and
``mapping`` (CNKI fields -> ImportRecord). Encoding detection, line reading, tag-line records, workbook
and HTML-table rows, value cleaners and the parse loop come from the core import kit,
``repository.importkit``. See docs/importers/cnki.md.
"""
from __future__ import annotations

from typing import Iterator

from repository.hookspecs import hookimpl
from repository.importers import ParsedRecord, RecordError
from repository.importkit.driver import parse_file, sniff_format
from repository.importkit.textfile import head_text

from . import endnote, estudy, excel, noteexpress, refworks
from .mapping import build_record

FORMATS = (endnote.FORMAT, refworks.FORMAT, noteexpress.FORMAT, estudy.FORMAT, excel.FORMAT)


class CnkiImporter:
    """Reads CNKI exports in any of their text formats and encodings, and their Excel workbooks (real or HTML)."""

    name = "cnki"
    label = "CNKI 中国知网"

    def sniff(self, location: str, head: bytes) -> bool:
        fmt = sniff_format(FORMATS, head, location)
        if fmt is endnote.FORMAT:
            # EndNote is every database's format: claim it only when it says CNKI.
            return "cnki" in head_text(head).casefold()
        return fmt is not None

    def parse(self, location: str) -> Iterator[ParsedRecord | RecordError]:
        return parse_file(location, FORMATS, lambda fmt, record: build_record(fmt.neutral(record), record.raw),
                          "a CNKI")


@hookimpl
def zhiku_importers():
    return [CnkiImporter()]
