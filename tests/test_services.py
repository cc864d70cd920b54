"""The real servers that scripts/services start answer the clients Zhiku uses.

These tests exist so that CI proves PostgreSQL, Redis and Elasticsearch are really up and usable;
the database and job tests exercise PostgreSQL and Redis further, the search contract tests Elasticsearch.
"""
import os
import uuid

import pytest

from tests.conftest import service_unavailable

pytestmark = pytest.mark.services


@pytest.fixture
def elasticsearch():
    from elasticsearch import Elasticsearch
    from elasticsearch.exceptions import ConnectionError as ESConnectionError

    url = os.environ.get("ZHIKU_TEST_ELASTICSEARCH_URL", "http://127.0.0.1:9200")
    client = Elasticsearch(url, request_timeout=10)
    try:
        # this distribution answers 405 to GET /, so ping() cannot be used
        client.cluster.health(wait_for_status="yellow", timeout="5s")
    except ESConnectionError as exc:
        service_unavailable(f"Elasticsearch at {url} is not reachable: {exc}")
    yield client
    client.close()


def test_elasticsearch_indexes_and_finds_chinese_text(elasticsearch):
    index = f"zhiku-smoke-{uuid.uuid4().hex[:8]}"
    try:
        elasticsearch.index(index=index, id="1", document={"title": "大连理工大学化工学院"}, refresh=True)
        hits = elasticsearch.search(index=index, query={"match_phrase": {"title": "化工"}})["hits"]["hits"]
        assert [hit["_id"] for hit in hits] == ["1"]
    finally:
        elasticsearch.indices.delete(index=index, ignore_unavailable=True)


def test_redis_answers(redis_url):
    from redis import Redis

    assert Redis.from_url(redis_url).ping() is True
