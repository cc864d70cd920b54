"""The importer "oai": harvest an OAI-PMH repository into the ingest pipeline.

``zhiku import oai URL`` where URL is the base URL, optionally with harvest options in its query string
(the base URL itself never has one): ``metadataPrefix`` (oai_dc, the default, or oai_etdms), ``set``,
``from``, ``until`` and ``full=1``. Without ``from`` the harvest is incremental: it starts from the
responseDate of the last harvest of the same (base URL, prefix, set) that read its list to the end, kept
in a ``HarvestSource`` row (created on the first harvest). Records become canonical records with source
"oai" and source_id = the OAI identifier (qualified with the host when it is not an ``oai:`` identifier).

Deleted records go to the pipeline as withdrawals (``ParsedRecord.deleted``): the current SourceRecord of
the identifier is marked deleted and its Work recomputed from the sources that remain.
"""
from __future__ import annotations

import logging
import re
import time
import urllib.parse
from dataclasses import dataclass
from typing import Iterator

import sqlalchemy as sa
from flask import current_app, has_app_context

from repository.extensions import db
from repository.importers import ImporterError, ParsedRecord, RecordError
from repository.models import HarvestSource, utcnow

from .client import N, HarvestError, OaiClient
from .mapping import SUPPORTED_PREFIXES, map_record

log = logging.getLogger(__name__)

_OAI_IDENTIFIER = re.compile(r"^oai:[A-Za-z][A-Za-z0-9\-]*(\.[A-Za-z][A-Za-z0-9\-]*)+:\S+$")
_OPTIONS = {"metadataPrefix", "prefix", "set", "from", "until", "full"}


@dataclass
class HarvestOptions:
    base_url: str
    prefix: str = "oai_dc"
    set_spec: str | None = None
    from_: str | None = None
    until: str | None = None
    full: bool = False

    @classmethod
    def from_location(cls, location: str) -> "HarvestOptions":
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
        if options.prefix not in SUPPORTED_PREFIXES:
            raise ImporterError(location, f"cannot map metadataPrefix {options.prefix!r} "
                                          f"(supported: {', '.join(SUPPORTED_PREFIXES)})")
        return options

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

    def __init__(self, sleep=time.sleep):
        self.sleep = sleep

    def sniff(self, location: str, head: bytes) -> bool:
        return False  # harvests URLs only; files are never this importer's

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
            if not options.until:  # a window ending in the past is not "everything up to now"
                source.last_datestamp = _stamp(info["response_date"], info["granularity"]) or source.last_datestamp
            source.last_harvest_at = utcnow()
            source.status = "ok"
            source.message = f"{seen} records read, {deleted} deleted" + (f" (from {from_})" if from_ else "")
            source.records_seen = (source.records_seen or 0) + seen
            source.deleted_seen = (source.deleted_seen or 0) + deleted
