"""The importer "oai": harvest an OAI-PMH repository into the ingest pipeline.

``zhiku import oai URL [--prefix P] [--set S] [--from DATE] [--until DATE] [--full]``: the options are
declared to ``zhiku import`` (``IMPORTER_OPTIONS``) and travel as the query string of the location the
batch records (the base URL itself never has one), so a location typed with the query string
(``metadataPrefix``, ``set``, ``from``, ``until``, ``full=1``) works too. Without ``from`` the harvest is
incremental: it starts from the responseDate of the last harvest of the same (base URL, prefix, set) that read its list to the end, kept
in a ``HarvestSource`` row (created on the first harvest). Records become canonical records with source
"oai" and source_id = the OAI identifier (qualified with the host when it is not an ``oai:`` identifier).

Deleted records go to the pipeline as withdrawals (``ParsedRecord.deleted``): the current SourceRecord of
the identifier is marked deleted and its Work recomputed from the sources that remain.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import time
import urllib.parse
from dataclasses import dataclass
from typing import Iterator

import sqlalchemy as sa
from flask import current_app, has_app_context

from repository.extensions import db
from repository.importers import ImporterError, ImporterOption, ParsedRecord, RecordError
from repository.models import HarvestSource, utcnow

from .client import N, HarvestError, OaiClient
from .mapping import SUPPORTED_PREFIXES, map_record

log = logging.getLogger(__name__)

_OAI_IDENTIFIER = re.compile(r"^oai:[A-Za-z][A-Za-z0-9\-]*(\.[A-Za-z][A-Za-z0-9\-]*)+:\S+$")
_OPTIONS = {"metadataPrefix", "prefix", "set", "from", "until", "full"}
_DATE_FORMATS = {10: "%Y-%m-%d", 20: "%Y-%m-%dT%H:%M:%SZ"}

#: The options of ``zhiku import oai``; each is also accepted in the URL's query string.
IMPORTER_OPTIONS = (
    ImporterOption("prefix", "Metadata format to harvest (default oai_dc).", "PREFIX", choices=SUPPORTED_PREFIXES),
    ImporterOption("set", "Harvest only this set (setSpec).", "SETSPEC"),
    ImporterOption("from", "Harvest records changed on or after DATE (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ) "
                           "instead of since the last harvest.", "DATE"),
    ImporterOption("until", "Harvest records changed up to DATE (same forms as --from).", "DATE"),
    ImporterOption("full", "Harvest everything, ignoring the date of the last harvest.", flag=True),
)


def _check_date(location: str, name: str, value: str | None) -> None:
    if value is None:
        return
    try:
        dt.datetime.strptime(value, _DATE_FORMATS[len(value)])
    except (KeyError, ValueError):
        raise ImporterError(location, f"{name} {value!r} is not an OAI-PMH date "
                                      f"(YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)") from None


@dataclass
class HarvestOptions:
    """What one harvest asks for; it travels as the query string of the importer's location."""

    base_url: str
    prefix: str = "oai_dc"
    set_spec: str | None = None
    from_: str | None = None
    until: str | None = None
    full: bool = False

    @classmethod
    def from_location(cls, location: str) -> "HarvestOptions":
        """Read a location: the base URL, with the options (if any) in its query string."""
        parts = urllib.parse.urlsplit(location)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ImporterError(location, "the oai importer takes an http(s) OAI-PMH base URL")
        query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        unknown = sorted(set(query) - _OPTIONS)
        if unknown:
            raise ImporterError(location, f"unknown harvest option(s) {', '.join(unknown)} "
                                          f"(known: {', '.join(sorted(_OPTIONS))})")
        one = {k: v[-1] for k, v in query.items()}
        base_url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        options = cls(base_url=base_url, prefix=one.get("metadataPrefix") or one.get("prefix") or "oai_dc",
                      set_spec=one.get("set") or None, from_=one.get("from") or None,
                      until=one.get("until") or None, full=one.get("full", "") in ("1", "true", "yes"))
        options.check(location)
        return options

    def check(self, location: str) -> None:
        """Raise ImporterError when these options cannot make a harvest."""
        if self.prefix not in SUPPORTED_PREFIXES:
            raise ImporterError(location, f"cannot map metadataPrefix {self.prefix!r} "
                                          f"(supported: {', '.join(SUPPORTED_PREFIXES)})")
        _check_date(location, "from", self.from_)
        _check_date(location, "until", self.until)
        if self.from_ and self.until and len(self.from_) != len(self.until):
            raise ImporterError(location, "from and until must have the same granularity")
        if self.from_ and self.until and self.from_ > self.until:
            raise ImporterError(location, f"from {self.from_} is later than until {self.until}")

    def with_values(self, location: str, values: dict) -> "HarvestOptions":
        """These options with the command-line *values* (by option name) added; a clash is an error."""
        fields = {"prefix": "prefix", "set": "set_spec", "from": "from_", "until": "until", "full": "full"}
        defaults = HarvestOptions(self.base_url)
        merged = dataclasses.replace(self)
        for name, value in values.items():
            attribute = fields[name]
            present = getattr(self, attribute)
            if present != getattr(defaults, attribute) and present != value:
                raise ImporterError(location, f"--{name} {value} contradicts {name} {present} in the URL; "
                                              f"give it once")
            setattr(merged, attribute, value)
        merged.check(location)
        return merged

    def location(self) -> str:
        """The importer location that asks for these options."""
        query = {"metadataPrefix": self.prefix, "set": self.set_spec, "from": self.from_, "until": self.until,
                 "full": "1" if self.full else None}
        query = {k: v for k, v in query.items() if v}
        return self.base_url + ("?" + urllib.parse.urlencode(query) if query else "")


def source_id_for(identifier: str, base_url: str) -> str:
    """The canonical source_id of a harvested record: its OAI identifier, host-qualified when not ``oai:``."""
    if _OAI_IDENTIFIER.match(identifier):
        return identifier
    return f"{urllib.parse.urlsplit(base_url).netloc}:{identifier}"


def _stamp(response_date: str | None, granularity: str) -> str | None:
    """A responseDate as a ``from`` argument in the repository's granularity."""
    if not response_date:
        return None
    return response_date[:10] if granularity == "YYYY-MM-DD" else response_date[:19] + "Z"


def find_source(options: HarvestOptions) -> HarvestSource | None:
    query = sa.select(HarvestSource).where(HarvestSource.base_url == options.base_url,
                                           HarvestSource.metadata_prefix == options.prefix)
    query = query.where(HarvestSource.set_spec.is_(None) if options.set_spec is None
                        else HarvestSource.set_spec == options.set_spec)
    return db.session.execute(query.order_by(HarvestSource.id).limit(1)).scalar_one_or_none()


def _client_settings() -> dict:
    if not has_app_context():
        return {}
    config = current_app.config
    settings = {"timeout": config.get("ZHIKU_OAI_HARVEST_TIMEOUT", 60),
                "retries": config.get("ZHIKU_OAI_HARVEST_RETRIES", 5),
                "backoff": config.get("ZHIKU_OAI_HARVEST_BACKOFF", 2.0),
                "max_wait": config.get("ZHIKU_OAI_HARVEST_MAX_WAIT", 600)}
    if config.get("ZHIKU_OAI_HARVEST_MAX_BYTES"):
        settings["max_bytes"] = int(config["ZHIKU_OAI_HARVEST_MAX_BYTES"])
    return settings


class OaiImporter:
    """Harvests ListRecords (oai_dc or oai_etdms) from an OAI-PMH base URL."""

    name = "oai"
    label = "OAI-PMH harvest"
    options = IMPORTER_OPTIONS

    def __init__(self, sleep=time.sleep):
        self.sleep = sleep

    def sniff(self, location: str, head: bytes) -> bool:
        return False  # harvests URLs only; files are never this importer's

    def with_options(self, location: str, values: dict) -> str:
        """The base URL *location* with ``--prefix/--set/--from/--until/--full`` in its query string."""
        return HarvestOptions.from_location(location).with_values(location, values).location()

    def parse(self, location: str) -> Iterator[ParsedRecord | RecordError]:
        options = HarvestOptions.from_location(location)
        try:
            client = OaiClient(options.base_url, sleep=self.sleep, **_client_settings())
        except HarvestError as exc:
            raise ImporterError(location, str(exc)) from None
        stateful = has_app_context() and sa.inspect(db.engine).has_table(HarvestSource.__tablename__)
        source = find_source(options) if stateful else None
        if stateful and source is None:
            source = HarvestSource(base_url=options.base_url, metadata_prefix=options.prefix,
                                   set_spec=options.set_spec, status="new", records_seen=0, deleted_seen=0)
            db.session.add(source)
        from_ = options.from_ or (None if options.full or source is None else source.last_datestamp)
        seen = deleted = 0
        failed_since = None  # the earliest datestamp of a record that could not be read: the next harvest starts there
        try:
            info = client.identify()
            if from_ and info["granularity"] == "YYYY-MM-DD":
                from_ = from_[:10]
            if source is not None:
                source.status, source.message = "running", None
            for page, element in client.list_records(options.prefix, options.set_spec, from_, options.until):
                seen += 1
                header = element.find("oai:header", N)
                identifier = (header.findtext("oai:identifier", "", N) if header is not None else "").strip()
                if not identifier:
                    yield RecordError(options.base_url, seen, "record without a header identifier")
                    continue
                source_id = source_id_for(identifier, options.base_url)
                if len(source_id) > 255:
                    yield RecordError(options.base_url, seen, f"{identifier}: identifier longer than 255 characters")
                    continue
                if header.get("status") == "deleted":
                    deleted += 1
                    yield ParsedRecord(data={"source": "oai", "source_id": source_id}, file=options.base_url,
                                       line=seen, deleted=True)
                    continue
                try:
                    data = map_record(element, options.prefix, source_id)
                except ValueError as exc:
                    stamp = header.findtext("oai:datestamp", "", N).strip()
                    if stamp and (failed_since is None or stamp < failed_since):
                        failed_since = stamp
                    yield RecordError(options.base_url, seen, f"{identifier}: {exc}", source_id)
                    continue
                yield ParsedRecord(data=data, file=options.base_url, line=seen,
                                   extra={"oai_identifier": identifier,
                                          "datestamp": header.findtext("oai:datestamp", "", N)})
        except HarvestError as exc:
            if source is not None:
                source.status, source.message = "failed", str(exc)
            raise ImporterError(options.base_url, str(exc)) from None
        if source is not None:
            if failed_since is not None:  # incremental harvests come back for the records that failed
                source.last_datestamp = failed_since
            elif not options.until:  # a window ending in the past is not "everything up to now"
                source.last_datestamp = _stamp(info["response_date"], info["granularity"]) or source.last_datestamp
            source.last_harvest_at = utcnow()
            source.status = "ok"
            source.message = f"{seen} records read, {deleted} deleted" + (f" (from {from_})" if from_ else "")
            source.records_seen = (source.records_seen or 0) + seen
            source.deleted_seen = (source.deleted_seen or 0) + deleted
