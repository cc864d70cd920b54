"""Search backends for the contract suite: embedded always, Elasticsearch when the server answers.

Each test gets empty backends; Elasticsearch indices carry a prefix unique to this test session and
test, and only those are deleted afterwards.
"""
from __future__ import annotations

import itertools
import os
import uuid

import pytest

from tests.conftest import service_unavailable

SESSION = uuid.uuid4().hex[:8]
_counter = itertools.count()


def elasticsearch_url() -> str:
    return os.environ.get("ZHIKU_TEST_ELASTICSEARCH_URL", "http://127.0.0.1:9200")


def elasticsearch_prefix() -> str:
    """An index prefix no other test, session or engineer uses."""
    return f"zhiku-test-{SESSION}-{next(_counter)}"


def make_elasticsearch_backend():
    """An ElasticsearchBackend on a fresh prefix; skip (or fail under REQUIRE_SERVICES=1) when down."""
    from elasticsearch.exceptions import ConnectionError as ESConnectionError

    from search.elasticsearch import ElasticsearchBackend

    url = f"{elasticsearch_url()}/{elasticsearch_prefix()}"
    backend = ElasticsearchBackend.from_url(url)
    try:
        backend.client.cluster.health(wait_for_status="yellow", timeout="5s")
    except ESConnectionError as exc:
        service_unavailable(f"Elasticsearch at {elasticsearch_url()} is not reachable: {exc}")
    return backend, url


@pytest.fixture(params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.services)])
def backend(request, tmp_path):
    """An empty search backend of each kind."""
    if request.param == "embedded":
        from search.embedded import EmbeddedBackend

        created = EmbeddedBackend(tmp_path / "search")
    else:
        created, _url = make_elasticsearch_backend()
    yield created
    created.drop()
