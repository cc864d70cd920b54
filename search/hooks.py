"""The built-in ``search`` plugin: the two backends, index updates on pipeline events, ``zhiku reindex``.

Registered as the ``search`` entry point of ``zhiku.plugins``, exactly like a third-party plugin.
"""
from __future__ import annotations

from repository.hookspecs import hookimpl


def _elasticsearch(url, app):
    from .elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend.from_url(url, app)


def _embedded(url, app):
    from .embedded import EmbeddedBackend

    return EmbeddedBackend.from_url(url, app)


@hookimpl
def zhiku_search_backends():
    return {"embedded": _embedded, "http": _elasticsearch, "https": _elasticsearch}


@hookimpl
def zhiku_works_saved(work_ids, created_ids):
    from .indexing import schedule_update

    schedule_update(work_ids)


@hookimpl
def zhiku_works_deleted(work_ids):
    from .indexing import schedule_update

    schedule_update(work_ids)


@hookimpl
def zhiku_register_commands(cli):
    from .cli import reindex_command

    cli.add_command(reindex_command)
