"""The harvester: round trip against our own provider over loopback HTTP, incremental state, deletions,
hostile feeds refused with nothing stored, Retry-After, restart after badResumptionToken, Sickle."""
from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from plugins.oai_pmh.client import HarvestError, OaiClient, retry_after_seconds
from plugins.oai_pmh.harvester import OaiImporter
from repository.extensions import db
from repository.ingest.batch import create_batch, run_batch
from repository.importers import ParsedRecord, RecordError
from repository.models import HarvestSource, ImportBatch, SourceRecord, Work, utcnow
from repository.schemas.import_record import validate_import_record

PUBLIC = ["article", "chinese", "thesis", "survivor", "extra8", "extra9", "extra10", "extra11"]


def run_harvest(harvester_app, location):
    with harvester_app.app_context():
        batch = create_batch("oai", [location])
        run_batch(batch.id)
        batch = db.session.get(ImportBatch, batch.id)
        return {"status": batch.status, "new": batch.new, "unchanged": batch.unchanged, "failed": batch.failed,
                "processed": batch.processed, "errors": list(batch.errors)}


def harvested_titles(harvester_app):
    with harvester_app.app_context():
        return sorted(db.session.execute(sa.select(Work.title)).scalars())


def test_round_trip_incremental_and_deletions(live_provider, repository, harvester_app, app):
    url = live_provider.url + "/oai"
    summary = run_harvest(harvester_app, url)
    assert summary["status"] == "finished" and summary["failed"] == 0, summary["errors"]
    assert summary["new"] == len(PUBLIC)
    assert harvested_titles(harvester_app) == sorted(repository[name].title for name in PUBLIC)
    with harvester_app.app_context():
        source = db.session.execute(sa.select(HarvestSource)).scalar_one()
        assert source.status == "ok" and source.last_datestamp and source.deleted_seen == 2
        thesis = db.session.execute(sa.select(Work).filter_by(title=repository["thesis"].title)).scalar_one()
        assert thesis.type == "doctoral_thesis" and thesis.thesis["supervisor"] == "李四"
        article = db.session.execute(sa.select(Work).filter_by(doi="10.5555/oai.0001")).scalar_one()
        assert article.type == "journal_article"
        assert {(i.scheme, i.value) for i in article.identifiers} >= {
            ("oai", f"oai:repo.test.edu.cn:{repository['article'].id}")}

    # nothing changed upstream: the incremental harvest asks from the last responseDate and gets nothing
    assert run_harvest(harvester_app, url)["processed"] == 0

    # a work is withdrawn upstream: the next incremental harvest marks its source record deleted, and the
    # harvested Work, left without a source, becomes a tombstone
    db.session.execute(Work.__table__.update().where(Work.id == repository["survivor"].id)
                       .values(status="withdrawn", updated_at=utcnow(), datestamp=utcnow()))
    db.session.commit()
    with harvester_app.app_context():
        source = db.session.execute(sa.select(HarvestSource)).scalar_one()
        source.last_datestamp = "2024-06-01T00:00:00Z"  # the clock of this test: same second as the change
        db.session.commit()
    run_harvest(harvester_app, url)
    with harvester_app.app_context():
        row = db.session.execute(sa.select(SourceRecord).filter_by(
            source="oai", source_id=f"oai:repo.test.edu.cn:{repository['survivor'].id}", is_current=True)).scalar_one()
        assert row.deleted and row.work.deleted

    # a full re-harvest changes nothing
    summary = run_harvest(harvester_app, url + "?full=1")
    assert summary["new"] == 0 and summary["failed"] == 0


def test_dry_parse_maps_to_valid_canonical_records(live_provider, repository, harvester_app):
    with harvester_app.app_context():
        items = list(OaiImporter().parse(live_provider.url + "/oai?metadataPrefix=oai_etdms"))
        db.session.rollback()
    records = [i for i in items if isinstance(i, ParsedRecord)]
    assert not [i for i in items if isinstance(i, RecordError)]
    assert len(records) == 1
    record, errors = validate_import_record(records[0].data)
    assert not errors
    assert record["type"] == "doctoral_thesis"
    assert record["thesis"] == {"degree": "doctoral", "discipline": "化学工程", "supervisor": "李四",
                                "institution": "大连理工大学"}
    assert record["source"] == "oai" and record["source_id"] == f"oai:repo.test.edu.cn:{repository['thesis'].id}"


# --- hostile and flaky servers ----------------------------------------------------------------------------

IDENTIFY = b"""<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2024-01-01T00:00:00Z</responseDate><request verb="Identify">http://x/oai</request><Identify>
<repositoryName>x</repositoryName><baseURL>http://x/oai</baseURL><protocolVersion>2.0</protocolVersion>
<adminEmail>a@x.org</adminEmail><earliestDatestamp>2000-01-01</earliestDatestamp>
<deletedRecord>no</deletedRecord><granularity>YYYY-MM-DD</granularity></Identify></OAI-PMH>"""


def page(records: int, token: str | None, start: int = 0) -> bytes:
    items = "".join(
        f"<record><header><identifier>oai:x.org:{i}</identifier><datestamp>2024-01-01</datestamp></header>"
        f"<metadata><oai_dc:dc xmlns:oai_dc='http://www.openarchives.org/OAI/2.0/oai_dc/' "
        f"xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:title>Title {i}</dc:title>"
        f"<dc:type>info:eu-repo/semantics/article</dc:type></oai_dc:dc></metadata></record>"
        for i in range(start, start + records))
    resumption = f"<resumptionToken>{token}</resumptionToken>" if token else "<resumptionToken/>"
    return (f'<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
            f"<responseDate>2024-01-01T00:00:00Z</responseDate><request>http://x/oai</request>"
            f"<ListRecords>{items}{resumption}</ListRecords></OAI-PMH>").encode()


BAD_TOKEN = (b'<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>'
             b'2024-01-01T00:00:00Z</responseDate><request>http://x/oai</request>'
             b'<error code="badResumptionToken">expired</error></OAI-PMH>')


class FakeRepository:
    """A scripted OAI server on 127.0.0.1: ``answer(params) -> (status, headers, body)``."""

    def __init__(self, answer):
        self.requests = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                params = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                fake.requests.append(params)
                status, headers, body = answer(params)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/xml")
                if "Content-Length" not in headers and isinstance(body, bytes):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if callable(body):
                    body(self.wfile)
                else:
                    self.wfile.write(body)

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/oai"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_repository():
    servers = []

    def start(answer):
        servers.append(FakeRepository(answer))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _endless(wfile):
    try:
        for _ in range(4096):  # up to 256 MiB, far past the limit; the client hangs up first
            wfile.write(b"<x>" + b"a" * 65533 + b"</x>")
    except (BrokenPipeError, ConnectionResetError):
        pass


HOSTILE = {
    "xxe": (200, {}, b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                     b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">&x;</OAI-PMH>'),
    "billion-laughs": (200, {}, b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
                                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                                b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">&c;</OAI-PMH>'),
    "declared-huge": (200, {"Content-Length": str(1 << 30)}, b""),
    "streamed-huge": (200, {"Content-Length": str(1 << 28)}, _endless),
    "undeclared-huge": (200, {"Connection": "close", "Content-Length": ""}, _endless),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_feed_is_refused_and_nothing_is_stored(kind, fake_repository, harvester_app):
    def answer(params):
        if params.get("verb") == "Identify":
            return 200, {}, IDENTIFY
        status, headers, body = HOSTILE[kind]
        return status, {k: v for k, v in headers.items() if v}, body

    server = fake_repository(answer)
    harvester_app.config["ZHIKU_OAI_HARVEST_MAX_BYTES"] = 1 << 20
    summary = run_harvest(harvester_app, server.url)
    assert summary["failed"] == 1 and summary["new"] == 0
    assert "refused" in summary["errors"][0], summary["errors"]
    with harvester_app.app_context():
        assert db.session.execute(sa.select(sa.func.count(SourceRecord.id))).scalar() == 0
        assert db.session.execute(sa.select(sa.func.count(Work.id))).scalar() == 0
        assert db.session.execute(sa.select(HarvestSource.status)).scalar() == "failed"


def test_503_retry_after_is_honoured(fake_repository):
    calls = {"n": 0}

    def answer(params):
        calls["n"] += 1
        if calls["n"] == 1:
            return 503, {"Retry-After": "7"}, b"busy"
        return 200, {}, IDENTIFY

    server = fake_repository(answer)
    slept = []
    client = OaiClient(server.url, backoff=0.01, retries=3, sleep=slept.append)
    assert client.identify()["granularity"] == "YYYY-MM-DD"
    assert slept == [7.0]


def test_restart_after_bad_resumption_token(fake_repository, harvester_app):
    state = {"refused": False}

    def answer(params):
        if params.get("verb") == "Identify":
            return 200, {}, IDENTIFY
        if params.get("resumptionToken") == "t1":
            if not state["refused"]:
                state["refused"] = True
                return 200, {}, BAD_TOKEN
            return 200, {}, page(2, None, start=2)
        return 200, {}, page(2, "t1")

    server = fake_repository(answer)
    summary = run_harvest(harvester_app, server.url)
    assert summary["status"] == "finished" and summary["failed"] == 0
    assert summary["new"] == 4 and summary["unchanged"] == 2  # the first page came twice
    assert harvested_titles(harvester_app) == [f"Title {i}" for i in range(4)]
    assert [r.get("resumptionToken") for r in server.requests[1:]] == [None, "t1", None, "t1"]


def test_a_record_that_cannot_be_read_is_fetched_again_by_the_next_incremental_harvest(fake_repository,
                                                                                      harvester_app):
    # three records; the first, stamped earlier than the others, has no title and cannot be read
    body = page(3, None).replace(b"<dc:title>Title 0</dc:title>", b"").replace(
        b"2024-01-01</datestamp></header><metadata><oai_dc:dc", b"2023-05-01</datestamp></header><metadata><oai_dc:dc", 1)

    def answer(params):
        return 200, {}, IDENTIFY if params.get("verb") == "Identify" else body

    server = fake_repository(answer)
    summary = run_harvest(harvester_app, server.url)
    assert (summary["new"], summary["failed"]) == (2, 1) and "oai:x.org:0" in summary["errors"][0]
    with harvester_app.app_context():
        source = db.session.execute(sa.select(HarvestSource)).scalar_one()
        assert source.last_datestamp == "2023-05-01"  # not the response date: the failed record comes back
    run_harvest(harvester_app, server.url)
    assert server.requests[-1].get("from") == "2023-05-01"


def test_unreachable_repository_is_a_clear_error(harvester_app):
    summary = run_harvest(harvester_app, "http://127.0.0.1:9/oai")
    assert summary["failed"] == 1 and "gave up after" in summary["errors"][0]


def test_sickle_harvests_every_public_work_once(live_provider, repository):
    sickle = pytest.importorskip("sickle")
    harvester = sickle.Sickle(live_provider.url + "/oai", max_retries=0)
    records = list(harvester.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    identifiers = [r.header.identifier for r in records]
    assert len(identifiers) == len(set(identifiers)) == 10
    deleted = {r.header.identifier for r in records if r.deleted}
    assert deleted == {f"oai:repo.test.edu.cn:{repository[n].id}" for n in ("withdrawn", "merged")}
    titles = sorted(r.metadata["title"][0] for r in records if not r.deleted)
    assert titles == sorted(repository[n].title for n in PUBLIC)


def test_transient_failures_are_retried_with_exponential_backoff(fake_repository):
    answers = iter([(500, {}, b"oops"), (502, {}, b"gateway"), (429, {}, b"slow down"), (200, {}, IDENTIFY)])
    server = fake_repository(lambda params: next(answers))
    slept = []
    client = OaiClient(server.url, backoff=0.5, retries=3, sleep=slept.append)
    assert client.identify()["granularity"] == "YYYY-MM-DD"
    assert slept == [0.5, 1.0, 2.0]


def test_permanent_failures_and_too_long_waits_are_not_retried(fake_repository):
    server = fake_repository(lambda params: (404, {}, b"not here"))
    slept = []
    with pytest.raises(HarvestError, match="HTTP 404"):
        OaiClient(server.url, backoff=0.5, retries=3, sleep=slept.append).identify()
    server = fake_repository(lambda params: (503, {"Retry-After": "86400"}, b"maintenance"))
    with pytest.raises(HarvestError, match="retry after 86400 s, more than the 600 s"):
        OaiClient(server.url, backoff=0.5, retries=3, max_wait=600, sleep=slept.append).identify()
    assert slept == []


def test_retry_after_as_an_http_date():
    now = dt.datetime(2024, 5, 1, 12, 0, 0, tzinfo=dt.timezone.utc)
    assert retry_after_seconds("Wed, 01 May 2024 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Wed, 01 May 2024 11:00:00 GMT", now) == 0.0  # already past: no wait
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds("soon", now) is None
