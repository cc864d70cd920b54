"""Helpers of the OAI-PMH tests (imported by conftest.py and the test modules)."""
from __future__ import annotations

import threading
from pathlib import Path

import flask_migrate
from lxml import etree
from werkzeug.serving import make_server

from repository.app import create_app
from repository.extensions import db
from repository.models import Authorship, Work

SHARED_OAI = Path(__file__).resolve().parents[4] / "shared" / "tools" / "oai"
OAI = "http://www.openarchives.org/OAI/2.0/"
NS = {"oai": OAI, "dc": "http://purl.org/dc/elements/1.1/", "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
      "mods": "http://www.loc.gov/mods/v3", "etdms": "http://www.ndltd.org/standards/metadata/etdms/1.1/"}


def make_app(path: Path, **config):
    settings = {"ZHIKU_DATABASE_URL": f"sqlite:///{path}", "TESTING": True, "SECRET_KEY": "test-secret",
                "ZHIKU_OAI_HARVEST_BACKOFF": 0, "ZHIKU_OAI_HARVEST_RETRIES": 1}
    settings.update(config)
    app = create_app(settings)
    with app.app_context():
        flask_migrate.upgrade(directory=app.extensions["migrate"].directory)
    return app


def add_work(title, *, type_="journal_article", status="verified", units=(), moment=None, **fields) -> Work:
    work = Work(title=title, status=status, **fields)
    work.set_type(type_)
    if moment is not None:
        work.created_at = work.updated_at = work.datestamp = moment
    for position, (name, unit) in enumerate(units, start=1):
        work.authorships.append(Authorship(position=position, raw_name=name, org_unit=unit))
    db.session.add(work)
    db.session.flush()
    return work


def oai(client, method="get", **params):
    """Send an OAI request; return the parsed response root."""
    if method == "post":
        response = client.post("/oai", data=params)
    else:
        response = client.get("/oai", query_string=params)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/xml")
    return etree.fromstring(response.data)


def error_code(root) -> str | None:
    error = root.find("oai:error", NS)
    return error.get("code") if error is not None else None


def harvest(client, verb="ListIdentifiers", **params):
    """Follow every resumption token; return (items, pages)."""
    items, pages = [], []
    root = oai(client, verb=verb, **params)
    while True:
        pages.append(root)
        listing = root.find(f"oai:{verb}", NS)
        assert listing is not None, etree.tostring(root)
        items.extend(listing.findall("oai:header" if verb == "ListIdentifiers" else "oai:record", NS))
        token = listing.find("oai:resumptionToken", NS)
        if token is None or not token.text:
            return items, pages
        root = oai(client, verb=verb, resumptionToken=token.text)


class LiveServer:
    """An application served over HTTP on 127.0.0.1 in a thread."""

    def __init__(self, application):
        self.server = make_server("127.0.0.1", 0, application, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def stop(self):
        self.server.shutdown()
        self.thread.join(5)
