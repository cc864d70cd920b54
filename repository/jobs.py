"""Background jobs: rq queues when ZHIKU_REDIS_URL is set, inline execution otherwise.

A job is any importable module-level function. With Redis it runs in a ``zhiku worker`` process, inside
an application context of its own; without Redis it runs at once in the caller's process.
"""
from __future__ import annotations

import importlib

from flask import current_app, has_app_context

QUEUE_NAME = "zhiku"
JOB_TIMEOUT = 24 * 3600  # a 100,000-record import may take hours on a small machine


def redis_connection(url: str | None = None):
    """A Redis client for *url* (default: the application's ZHIKU_REDIS_URL), or None."""
    from redis import Redis

    url = url or current_app.config.get("ZHIKU_REDIS_URL")
    return Redis.from_url(url) if url else None


def queue(connection=None):
    from rq import Queue

    return Queue(QUEUE_NAME, connection=connection or redis_connection())


def enqueue(func, *args, **kwargs) -> str | None:
    """Run ``func(*args, **kwargs)`` as a job; return the rq job id, or None when it ran inline.

    Keyword arguments that are callables (progress callbacks) only make sense inline and are dropped
    when the job goes to a worker.
    """
    if not current_app.config.get("ZHIKU_REDIS_URL"):
        func(*args, **kwargs)
        return None
    portable = {k: v for k, v in kwargs.items() if not callable(v)}
    job = queue().enqueue(run_in_app, f"{func.__module__}:{func.__qualname__}", args, portable,
                          job_timeout=JOB_TIMEOUT, result_ttl=7 * 24 * 3600, failure_ttl=30 * 24 * 3600)
    return job.id


def run_in_app(target: str, args: tuple, kwargs: dict):
    """Entry point of every rq job: resolve *target* ("module:function") and call it in an app context."""
    module_name, _, func_name = target.partition(":")
    func = getattr(importlib.import_module(module_name), func_name)
    if has_app_context():
        from .extensions import db

        # The worker forked us: connections inherited from the parent must not be shared with it.
        db.engine.dispose(close=False)
        return func(*args, **kwargs)
    from .app import create_app

    with create_app().app_context():
        return func(*args, **kwargs)


def run_worker(burst: bool = False) -> bool:
    """Run an rq worker on the zhiku queue in the current app context; return True if it did work."""
    from rq import Worker

    connection = redis_connection()
    if connection is None:
        raise RuntimeError("ZHIKU_REDIS_URL is not set: jobs run inline and no worker is needed")
    worker = Worker([queue(connection)], connection=connection)
    return worker.work(burst=burst)
