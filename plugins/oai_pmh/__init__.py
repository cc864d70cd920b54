"""OAI-PMH 2.0 for Zhiku: the provider (a blueprint at /oai) and the harvester (the importer "oai").

Registered like any other plugin (entry point ``oai_pmh``). Hooks: ``zhiku_blueprints`` (the provider),
``zhiku_metadata_formats`` (oai_dc, oai_etdms, mods), ``zhiku_importers`` (the harvester) and
``zhiku_register_commands`` (``zhiku oai ...``: harvest sources, harvests, collections).
"""
from __future__ import annotations

from repository.hookspecs import hookimpl


@hookimpl
def zhiku_blueprints(app):
    from .provider import bp

    return [bp]


@hookimpl
def zhiku_metadata_formats():
    from .formats import builtin_formats

    return builtin_formats()


@hookimpl
def zhiku_importers():
    from .harvester import OaiImporter

    return [OaiImporter()]


@hookimpl
def zhiku_register_commands(cli):
    from .cli import oai_group

    cli.add_command(oai_group)
