"""The importer contract: what an importer plugin returns from the ``zhiku_importers`` hook.

An importer turns one location (a file path, or a URL for harvesters) into canonical records, one at a time.
It never raises for bad input: it yields a :class:`RecordError` naming the file, the line and the reason,
and goes on with the next record. Only an :class:`ImporterError` (the whole location is unusable: not
this format, unreadable, unknown encoding) stops the location.

An importer may also declare command-line options of its own (:class:`ImporterOption`, see
:class:`ConfigurableImporter`): ``zhiku import NAME PATH... --OPTION VALUE`` parses them and hands the
values to the importer, which folds them into the location it will be asked to parse.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, Protocol, Sequence, runtime_checkable

#: Options of ``zhiku import`` itself; an importer cannot declare these names.
RESERVED_OPTION_NAMES = frozenset({"dry-run", "format", "progress", "no-progress", "help"})
_OPTION_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


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


@dataclass(frozen=True)
class ImporterOption:
    """One command-line option an importer declares: ``zhiku import NAME PATH... --NAME VALUE``.

    ``name`` is the long option without its dashes (``set`` gives ``--set``) and the key of its value in
    what ``with_options`` receives; lower-case words joined by hyphens, none of ``RESERVED_OPTION_NAMES``.
    ``help`` is the line shown by ``zhiku import NAME --help``; ``metavar`` names the value there.
    ``choices`` limits the value to a fixed vocabulary; ``flag`` makes a switch without a value (True
    when given).
    """

    name: str
    help: str
    metavar: str = "VALUE"
    choices: tuple[str, ...] = ()
    flag: bool = False

    def __post_init__(self):
        if not _OPTION_NAME.match(self.name) or self.name in RESERVED_OPTION_NAMES:
            raise ValueError(f"importer option name {self.name!r} is not allowed (lower-case words joined by "
                             f"hyphens, not one of {', '.join(sorted(RESERVED_OPTION_NAMES))})")


@runtime_checkable
class ConfigurableImporter(Importer, Protocol):
    """An importer with command-line options of its own (the harvester ``oai``: ``--set``, ``--from``...).

    ``options`` declares them. ``zhiku import`` parses them and calls ``with_options`` once per location;
    the location it returns is what the import batch records and what ``parse`` receives, in this process
    or in a worker, now or when the batch is run again. So the options must travel inside that location
    (a harvester puts them in the URL's query string), and ``with_options`` must give the same text for
    the same input.
    """

    options: Sequence[ImporterOption]

    def with_options(self, location: str, values: dict[str, str | bool]) -> str:
        """Return *location* carrying *values* (the options the user gave, by name; absent ones left out).

        Raise ImporterError naming the location and the reason when a value is invalid or the values do
        not go together.
        """


def importer_options(importer: Importer) -> Sequence[ImporterOption]:
    """The command-line options *importer* declares (none for a plain importer)."""
    return importer.options if isinstance(importer, ConfigurableImporter) else ()


def apply_options(importer: Importer, locations: Sequence[str], values: dict[str, str | bool]) -> list[str]:
    """The locations to import: each of *locations* with *values* folded in by the importer.

    Raises ImporterError when the importer refuses a value; returns *locations* as they are when no option
    was given.
    """
    if not values:
        return list(locations)
    if not isinstance(importer, ConfigurableImporter):
        raise ImporterError(locations[0] if locations else "-", f"the {importer.label} importer takes no options")
    return [importer.with_options(location, values) for location in locations]
