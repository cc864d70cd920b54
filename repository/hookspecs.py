"""Every extension point of Zhiku, one documented function each.

Plugins implement these with ``@hookimpl`` (``from repository.hookspecs import hookimpl``) and register
under the entry-point group ``zhiku.plugins``. The built-in importers and the OAI-PMH plugin use exactly
the same hooks, so a third-party plugin is never second-class. Hooks are grouped by lifecycle phase:
application start-up, import, the ingest pipeline's stages, and events after a commit.
"""
from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("zhiku")
hookimpl = pluggy.HookimplMarker("zhiku")


# --- application start-up ------------------------------------------------------------------------------

@hookspec
def zhiku_blueprints(app):
    """Return a list of Flask blueprints to register on *app*.

    Every view of a plugin blueprint must carry an access rule (``repository.web.access.public`` or
    ``roles_required``); a view without one answers 403, so a forgotten rule is never an open door.

    :param app: the Flask application being created.
    """


@hookspec
def zhiku_register_commands(cli):
    """Add click commands to the ``zhiku`` command line.

    :param cli: the application's click group (``app.cli``); call ``cli.add_command(...)``.
    """


@hookspec
def zhiku_search_backends():
    """Return ``{scheme: factory}``: search backends by the scheme of ``ZHIKU_SEARCH_URL``.

    ``factory(url, app)`` returns a ``search.backend.SearchBackend``. The built-in ``search`` plugin
    provides ``embedded`` (SQLite FTS5 in the instance folder; also chosen when the URL is empty) and
    ``http``/``https`` (Elasticsearch). Two plugins offering the same scheme is an error.
    """


# --- import ---------------------------------------------------------------------------------------------

@hookspec
def zhiku_importers():
    """Return a list of importers (objects following ``repository.importers.Importer``).

    Each importer has a unique ``name`` (the SOURCE of ``zhiku import SOURCE PATH``), sniffs its own
    files and yields canonical records or per-record errors; it never raises for one bad record.
    """


# --- the ingest pipeline --------------------------------------------------------------------------------

@hookspec(firstresult=True)
def zhiku_resolve_work(record, session):
    """Find the existing Work a newly seen canonical record describes, when identifiers did not.

    Called only when no exact identifier (DOI, WoS UT, EI accession, CNKI filename, ISBN, PMID) matched
    and the core's dedup scorer found no Work at or above ``ZHIKU_DEDUP_MERGE_THRESHOLD``.
    The first non-None answer wins.

    :param record: the validated canonical record (dict).
    :param session: the SQLAlchemy session of the running batch.
    :return: a ``Work`` to attach the record to, or None.
    """


@hookspec
def zhiku_attribute_work(work, record, session):
    """Link the Work's authorships to people and org units and flag corresponding authors.

    Called after merge for every created or changed Work. Implementations must leave authorships whose
    status is ``confirmed``, ``rejected`` or ``manual`` alone: those are human decisions.

    :param work: the Work, with its authorships loaded.
    :param record: the canonical record that caused this change.
    :param session: the SQLAlchemy session of the running batch.
    """


@hookspec
def zhiku_enrich_work(work, record, session):
    """Add derived tags to a Work (indexed-in lists, JCR quartile, subjects) from reference lists.

    :param work: the Work after attribution.
    :param record: the canonical record that caused this change.
    :param session: the SQLAlchemy session of the running batch.
    """


# --- events, fired after the change is committed --------------------------------------------------------

@hookspec
def zhiku_works_saved(work_ids, created_ids):
    """Works were created or changed and the change is committed (reindex them, update feeds...).

    Called once per commit with all the Works it saved (an import commits a chunk of records at a time),
    so a listener can do its work in bulk.

    :param work_ids: ids of the Works saved, in the order they were saved, each once.
    :param created_ids: the subset of *work_ids* that are new Works.
    """


@hookspec
def zhiku_works_deleted(work_ids):
    """Works were withdrawn or deleted and the change is committed.

    :param work_ids: the Works' ids; the rows still exist with ``deleted`` set (OAI tombstones).
    """


@hookspec
def zhiku_works_merged(survivor_id, merged_ids):
    """Works were merged into one and the change is committed.

    Called once per survivor. The same commit also fires ``zhiku_works_saved`` with the survivors and
    ``zhiku_works_deleted`` with the merged-away Works (once each, for all the merges of the commit), so a
    listener that only keeps a copy of the Works up to date (a search index, a feed) needs those two alone.

    :param survivor_id: the id of the Work that carries on.
    :param merged_ids: ids of the Works merged away (now tombstones pointing to the survivor).
    """


@hookspec
def zhiku_import_finished(batch_id):
    """An import batch finished (successfully or not) and its counts are committed.

    :param batch_id: the ImportBatch id.
    """


# --- metadata formats (OAI-PMH) -------------------------------------------------------------------------

@hookspec
def zhiku_metadata_formats():
    """Return a list of metadata formats the OAI-PMH provider disseminates Works in.

    A format is any object with these attributes (``plugins.oai_pmh.formats.MetadataFormat`` is one):

    - ``prefix``: the metadataPrefix (``oai_dc``, ``oai_etdms``, ``mods``...), unique across plugins;
    - ``schema``: the URL of its XML schema; ``namespace``: its XML namespace URI;
    - ``kinds``: the Work kinds it describes (``("thesis",)``), or None for every kind;
    - ``write(work, context)``: return an lxml element holding the Work's metadata (the single child of
      the OAI ``metadata`` element). ``context`` gives ``oai_identifier(work)``, ``work_url(work)`` and
      ``repository_name``. It is called only for public Works of one of ``kinds``, never for tombstones.
    """
