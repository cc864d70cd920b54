"""The plugin manager: loads the ``zhiku.plugins`` entry points, honours enable/disable, lists plugins.

Built-in plugins (the importers, OAI-PMH) are entry points of the ``zhiku`` distribution itself, so they
load through exactly the path a third-party plugin takes. The enabled/disabled choice lives in the
database (``PluginSetting``); ``ZHIKU_PLUGINS`` (comma-separated names) further limits what loads, and
``ZHIKU_TRACE_HOOKS=1`` prints every hook call.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from importlib import metadata

import pluggy
import sqlalchemy as sa
from flask import current_app

from . import hookspecs
from .extensions import db
from .importers import Importer
from .models import PluginSetting

ENTRY_POINT_GROUP = "zhiku.plugins"


class PluginError(Exception):
    """An unknown plugin name, or a plugin that fails to load."""


@dataclass
class PluginInfo:
    name: str
    distribution: str
    version: str
    module: object | None
    enabled: bool
    hooks: list[str] = field(default_factory=list)
    error: str | None = None


def _hook_names(module) -> list[str]:
    return sorted(name for name in dir(module)
                  if name.startswith("zhiku_") and hasattr(getattr(module, name), "zhiku_impl"))


def _disabled_names() -> set[str]:
    """Names an admin disabled; empty before ``zhiku init`` created the table."""
    if not sa.inspect(db.engine).has_table(PluginSetting.__tablename__):
        return set()
    rows = db.session.execute(sa.select(PluginSetting.name).where(PluginSetting.enabled.is_(False)))
    return set(rows.scalars())


class PluginRegistry:
    """Holds the pluggy PluginManager of one application and what was found installed."""

    def __init__(self, allow: list[str] | None = None, trace: bool = False):
        self.manager = pluggy.PluginManager("zhiku")
        self.manager.add_hookspecs(hookspecs)
        self.allow = set(allow) if allow else None
        self.plugins: dict[str, PluginInfo] = {}
        if trace:
            self.manager.trace.root.setwriter(lambda message: sys.stderr.write(message))
            self.manager.enable_tracing()

    @property
    def hook(self):
        return self.manager.hook

    def load(self, disabled: set[str]) -> None:
        """Discover every installed plugin and register the enabled ones."""
        for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
            if self.allow is not None and entry_point.name not in self.allow:
                continue
            dist = entry_point.dist
            info = PluginInfo(name=entry_point.name, distribution=dist.name if dist else "?",
                              version=dist.version if dist else "?", module=None,
                              enabled=entry_point.name not in disabled)
            try:
                info.module = entry_point.load()
                info.hooks = _hook_names(info.module)
            except Exception as exc:  # a broken third-party plugin must not take the repository down
                info.error = f"{type(exc).__name__}: {exc}"
                info.enabled = False
            self.plugins[info.name] = info
            if info.enabled:
                self.manager.register(info.module, name=info.name)

    def info(self, name: str) -> PluginInfo:
        try:
            return self.plugins[name]
        except KeyError:
            known = ", ".join(sorted(self.plugins)) or "none"
            raise PluginError(f"unknown plugin {name!r} (installed: {known})") from None

    def set_enabled(self, name: str, enabled: bool) -> PluginInfo:
        """Persist the choice and apply it to this process; other processes see it when they start."""
        info = self.info(name)
        if info.error:
            raise PluginError(f"plugin {name!r} cannot be enabled: {info.error}")
        setting = db.session.get(PluginSetting, name) or PluginSetting(name=name)
        setting.enabled = enabled
        db.session.add(setting)
        db.session.commit()
        if enabled and not self.manager.is_registered(info.module):
            self.manager.register(info.module, name=name)
        elif not enabled and self.manager.is_registered(info.module):
            self.manager.unregister(info.module)
        info.enabled = enabled
        return info

    def importers(self) -> dict[str, Importer]:
        """Every importer offered by the enabled plugins, by name."""
        found: dict[str, Importer] = {}
        for batch in self.hook.zhiku_importers():
            for importer in batch or ():
                if importer.name in found:
                    raise PluginError(f"two plugins provide an importer named {importer.name!r}")
                found[importer.name] = importer
        return found

    def importer(self, name: str) -> Importer:
        importers = self.importers()
        try:
            return importers[name]
        except KeyError:
            known = ", ".join(sorted(importers)) or "none"
            raise PluginError(f"unknown source {name!r} (available: {known})") from None


def init_app(app) -> None:
    """Create the application's plugin registry and register the enabled plugins."""
    allow = app.config.get("ZHIKU_PLUGINS")
    if isinstance(allow, str):
        allow = [n.strip() for n in allow.split(",") if n.strip()]
    registry = PluginRegistry(allow=allow, trace=os.environ.get("ZHIKU_TRACE_HOOKS") == "1")
    with app.app_context():
        registry.load(_disabled_names())
    app.extensions["zhiku.plugins"] = registry


def plugins(app=None) -> PluginRegistry:
    """The plugin registry of *app* (default: the current application)."""
    return (app or current_app).extensions["zhiku.plugins"]
