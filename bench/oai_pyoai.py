"""pyoai's OAI-PMH server (PyPI ``pyoai``, module ``oaipmh.server``) over Zhiku's database, for comparison.

pyoai's ``BatchingServer`` hands its backend a ``cursor`` and a ``batch_size`` and puts the cursor in its
resumption token, so a backend pages with OFFSET: that is the design being compared with Zhiku's keyset
tokens. The backend selects exactly what Zhiku's provider exposes (the same SQL condition and order, the
same columns and authorships) and pyoai serializes oai_dc with its own writer.

pyoai 2.5.0, its newest release, decodes resumption tokens with ``cgi.parse_qs``, which Python 3.8
removed; :func:`make_server` restores the alias it was (``urllib.parse.parse_qs``), without which no
pyoai harvest gets past its first page on a current Python.
"""
from __future__ import annotations

import cgi
import datetime as dt
import urllib.parse

import sqlalchemy as sa
from oaipmh import common, error, metadata, server

from plugins.oai_pmh import queries
from repository.extensions import db
from repository.models import Authorship, Work

UTC = dt.timezone.utc
OAI_DC = ("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/")


def _naive(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)  # pyoai only takes naive UTC datetimes


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None else None


class ZhikuBackend:
    """pyoai's IBatchingOAIPMH interface over the works Zhiku exposes."""

    def __init__(self, repository_id: str):
        self.repository_id = repository_id

    def identify(self):
        return common.Identify(repositoryName="Zhiku via pyoai", baseURL="http://localhost/pyoai",
                               protocolVersion="2.0", adminEmails=["bench@example.edu.cn"],
                               earliestDatestamp=dt.datetime(2020, 1, 1), deletedRecord="persistent",
                               granularity="YYYY-MM-DDThh:mm:ssZ", compression=["identity"])

    def listMetadataFormats(self, identifier=None):  # noqa: N802 (pyoai's names)
        return [OAI_DC]

    def listSets(self, cursor=0, batch_size=10):  # noqa: N802
        raise error.NoSetHierarchyError("the benchmark compares unselective harvests")

    def getRecord(self, metadataPrefix, identifier):  # noqa: N802, N803
        prefix = f"oai:{self.repository_id}:"
        local = identifier[len(prefix):] if identifier.startswith(prefix) else ""
        works = self._works(Work.id == int(local), 0, 1) if local.isdigit() else []
        if not works:
            raise error.IdDoesNotExistError(identifier)
        return self._records(works)[0]

    def listIdentifiers(self, metadataPrefix, set=None, from_=None, until=None, cursor=0,  # noqa: A002, N802, N803
                        batch_size=10):
        works = self._works(queries.list_condition(None, None, _aware(from_), _aware(until)), cursor, batch_size)
        if not works and cursor == 0:
            raise error.NoRecordsMatchError("no records match the request")
        return [self._header(work) for work in works]

    def listRecords(self, metadataPrefix, set=None, from_=None, until=None, cursor=0,  # noqa: A002, N802, N803
                    batch_size=10):
        works = self._works(queries.list_condition(None, None, _aware(from_), _aware(until)), cursor, batch_size)
        if not works and cursor == 0:
            raise error.NoRecordsMatchError("no records match the request")
        return self._records(works)

    @staticmethod
    def _works(condition, cursor: int, size: int) -> list:
        query = (sa.select(Work).where(condition).order_by(Work.datestamp, Work.id).offset(int(cursor))
                 .limit(int(size)))
        return list(db.session.execute(query).scalars())

    def _header(self, work) -> common.Header:
        return common.Header(None, f"oai:{self.repository_id}:{work.id}", _naive(work.datestamp),
                             [f"type:{work.type}"], queries.is_tombstone(work))

    def _records(self, works) -> list:
        names: dict[int, list[str]] = {work.id: [] for work in works}
        rows = db.session.execute(sa.select(Authorship.work_id, Authorship.raw_name)
                                  .where(Authorship.work_id.in_(list(names))).order_by(Authorship.position))
        for work_id, name in rows:
            names[work_id].append(name)
        records = []
        for work in works:
            fields = {"title": [t for t in (work.title, work.title_alt) if t], "creator": names[work.id],
                      "subject": [k["term"] for k in work.keywords or []],
                      "description": [work.abstract] if work.abstract else [],
                      "date": [str(work.year)] if work.year else [], "type": ["info:eu-repo/semantics/article"],
                      "language": [work.language] if work.language else [],
                      "identifier": [f"http://localhost/works/{work.id}"]}
            records.append((self._header(work), common.Metadata(None, fields), None))
        return records


def make_server(repository_id: str, page_size: int) -> server.BatchingServer:
    """pyoai's BatchingServer over :class:`ZhikuBackend`, serializing oai_dc with pyoai's writer."""
    if not hasattr(cgi, "parse_qs"):
        cgi.parse_qs = urllib.parse.parse_qs
    registry = metadata.MetadataRegistry()
    registry.registerWriter("oai_dc", server.oai_dc_writer)
    return server.BatchingServer(ZhikuBackend(repository_id), registry, resumption_batch_size=page_size)


def token_at(page_number: int, page_size: int, prefix: str = "oai_dc") -> str:
    """The resumption token pyoai gives a harvester for page *page_number* (1-based) of ListRecords."""
    return server.encodeResumptionToken({"metadataPrefix": prefix, "batch_size": page_size + 1},
                                        (page_number - 1) * page_size)
