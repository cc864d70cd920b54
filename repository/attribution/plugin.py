"""The built-in ``attribution`` plugin: the attribution stage and the ``zhiku dict`` / ``zhiku match`` commands.

Registered through the ``zhiku.plugins`` entry point like any other plugin, so an admin can disable it or a
third-party matcher can replace it.
"""
from __future__ import annotations

from flask import current_app

from ..hookspecs import hookimpl
from .apply import attribute_work
from .cache import current_attributor


@hookimpl
def zhiku_attribute_work(work, record, session):
    """Link author lines to people and units of the repository's dictionaries; queue uncertain links."""
    config = current_app.config
    attribute_work(work, record, current_attributor(), float(config["ZHIKU_ATTRIBUTION_ACCEPT"]),
                   float(config["ZHIKU_ATTRIBUTION_QUEUE"]))


@hookimpl
def zhiku_register_commands(cli):
    """Add ``zhiku dict import|export``, ``zhiku match affiliation`` and ``zhiku attribute``."""
    from .commands import attribute_command, dict_group, match_group

    cli.add_command(dict_group)
    cli.add_command(match_group)
    cli.add_command(attribute_command)
