"""The importer contract: what an importer plugin returns from the ``zhiku_importers`` hook.

An importer turns one location (a file path, or a URL for harvesters) into canonical records, one at a time.
It never raises for bad input: it yields a :class:`RecordError` naming the file, the line and the reason,
and goes on with the next record. Only an :class:`ImporterError` (the whole location is unusable: not
this format, unreadable, unknown encoding) stops the location.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Protocol, runtime_checkable


@dataclass(frozen=True)
class RecordError:
    """One record that could not be imported, reported as ``file:line: reason``."""

    file: str
    line: int | None
    reason: str
    source_id: str | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line if self.line is not None else '-'}: {self.reason}"


@dataclass
class ParsedRecord:
    """A record as parsed from its source, not yet validated against the ImportRecord schema.

    ``data`` holds the canonical fields (see ``repository.schemas.import_record``); ``line`` is the
    1-based line where the record starts in ``file``. A record its source has withdrawn (an OAI-PMH
    deleted record) has ``deleted`` set and needs only ``source`` and ``source_id`` in ``data``.
    """

    data: dict
    file: str
    line: int | None = None
    extra: dict = field(default_factory=dict)
    deleted: bool = False


class ImporterError(Exception):
    """The whole location cannot be read by this importer (wrong format, unreadable, bad encoding)."""

    def __init__(self, file: str, reason: str, line: int | None = None):
        super().__init__(f"{file}:{line if line is not None else 1}: {reason}")
        self.file = file
        self.line = line if line is not None else 1
        self.reason = reason

    def as_record_error(self) -> RecordError:
        return RecordError(self.file, self.line, self.reason)


@runtime_checkable
class Importer(Protocol):
    """An importer of one source.

    ``name`` is the SOURCE argument of ``zhiku import`` (``wos``, ``cnki``, ``ei``, ``oai``...) and the
    ``source`` of the records it yields; ``label`` is shown to users.
    """

    name: str
    label: str

    def sniff(self, location: str, head: bytes) -> bool:
        """Return True when *location* (whose first bytes are *head*) is in this importer's format."""

    def parse(self, location: str) -> Iterator[ParsedRecord | RecordError]:
        """Yield parsed records and per-record errors; raise ImporterError if the location is unusable."""
