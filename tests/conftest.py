"""Shared pytest fixtures: a fresh application and database per test, the real servers, the corpora.

The database is SQLite in a temporary folder unless ZHIKU_TEST_DATABASE_URL names a PostgreSQL
database (CI's second pass); then each test gets an emptied schema. Servers (PostgreSQL, Redis) skip
the tests that need them when absent, and fail them when REQUIRE_SERVICES=1.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

SHARED = Path(__file__).resolve().parents[2] / "shared"
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def service_unavailable(reason: str):
    """Skip locally, fail in CI: a missing server must never turn into a silent skip there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """The real export files in ../shared/corpora; skips only when ../shared is absent."""
    corpora = SHARED / "corpora"
    if not corpora.is_dir():
        pytest.skip("../shared/corpora is absent")
    return corpora


def _empty_postgres(url: str) -> None:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    except sa.exc.OperationalError as exc:
        service_unavailable(f"PostgreSQL at {url} is not reachable: {exc.orig}")
    finally:
        engine.dispose()


@pytest.fixture
def database_url(tmp_path) -> str:
    """A fresh, empty database for one test."""
    url = os.environ.get("ZHIKU_TEST_DATABASE_URL")
    if url:
        _empty_postgres(url)
        return url
    return f"sqlite:///{tmp_path / 'zhiku.db'}"


@pytest.fixture
def instance_dir(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "instance"
    monkeypatch.setenv("ZHIKU_INSTANCE_PATH", str(path))
    for key in ("ZHIKU_DATABASE_URL", "ZHIKU_REDIS_URL", "ZHIKU_SEARCH_URL", "ZHIKU_PLUGINS"):
        monkeypatch.delenv(key, raising=False)
    return path


@pytest.fixture
def make_app(instance_dir, database_url):
    """Build an application on the test database, schema created by the real migrations."""
    from flask_migrate import upgrade

    from repository.app import create_app
    from repository.extensions import db

    created = []

    def build(**config):
        app = create_app({"TESTING": True, "ZHIKU_DATABASE_URL": database_url, "WTF_CSRF_ENABLED": False,
                          "SECRET_KEY": "test", **config})
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
        created.append(app)
        return app

    yield build
    for app in created:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def redis_url() -> str:
    """A real Redis server (ZHIKU_TEST_REDIS_URL, default redis://127.0.0.1:6379/15)."""
    from redis import Redis
    from redis.exceptions import RedisError

    url = os.environ.get("ZHIKU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    connection = Redis.from_url(url, socket_connect_timeout=2)
    try:
        connection.ping()
    except RedisError as exc:
        service_unavailable(f"Redis at {url} is not reachable: {exc}")
    connection.flushdb()
    return url
