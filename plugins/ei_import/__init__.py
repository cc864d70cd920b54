"""EI Compendex (Engineering Village) importer plugin: labelled text ("Accession number:"), citation text
and CSV exports.

Registered under the ``zhiku.plugins`` entry point ``ei_import``; the importer's name is ``ei``. The
encoding detection, tag-line splitting, value cleaners and parse loop come from the core import kit,
``repository.importkit``. See docs/importers/ei.md.
"""
from __future__ import annotations

from typing import Iterator

from repository.hookspecs import hookimpl
from repository.importers import ParsedRecord, RecordError
from repository.importkit.driver import parse_file, sniff_format

from . import citation, csvfile, labelled
from .mapping import build_record

FORMATS = (labelled.FORMAT, csvfile.FORMAT, citation.FORMAT)


class EiImporter:
    """Reads Engineering Village exports of Compendex records."""

    name = "ei"
    label = "EI Compendex"

    def sniff(self, location: str, head: bytes) -> bool:
        return sniff_format(FORMATS, head) is not None

    def parse(self, location: str) -> Iterator[ParsedRecord | RecordError]:
        return parse_file(location, FORMATS, lambda fmt, record: build_record(record.fields, record.raw),
                          "an EI Compendex")


@hookimpl
def zhiku_importers():
    return [EiImporter()]
