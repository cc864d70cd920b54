"""Configuration: defaults, then ``instance/zhiku.cfg``, then ``ZHIKU_*`` environment variables.

The environment wins so that CI and operators can point one installation at the real servers without
editing files. Secrets (SECRET_KEY) come from the environment or the instance file, never from the repo;
when neither sets one, ``zhiku init`` writes a random key into the instance file.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import orjson
from flask import Config

ENV_PREFIX = "ZHIKU_"

DEFAULTS = {
    "DATABASE_URL": None,  # default: sqlite:///<instance>/zhiku.db
    "SEARCH_URL": "embedded",
    "REDIS_URL": None,  # unset: jobs run inline
    "SECRET_KEY": None,
    "REPOSITORY_NAME": "Zhiku",
    "REPOSITORY_ID": "zhiku.example.edu.cn",
    "IMPORT_COMMIT_EVERY": 200,
    "IMPORT_MAX_ERRORS_KEPT": 1000,
    # Per-field source trust, highest first; used by the merge stage when a Work has several sources.
    "SOURCE_PRIORITY": ["manual", "wos", "ei", "cnki", "oai", "demo"],
    # Fields whose trust order differs from SOURCE_PRIORITY: {"field": ["source", ...]}; unlisted sources
    # come after the listed ones in SOURCE_PRIORITY order.
    "FIELD_SOURCE_PRIORITY": {"title_alt": ["cnki"], "abstract_alt": ["cnki"], "funding_text": ["cnki"]},
    # Dedup: a record joins a Work automatically at or above MERGE; from REVIEW up a curator decides.
    "DEDUP_MERGE_THRESHOLD": 0.95,
    "DEDUP_REVIEW_THRESHOLD": 0.5,
    "DEDUP_MAX_BLOCK": 50,  # blocking keys shared by more Works than this are ignored
    "PLUGINS": None,  # comma-separated allow-list of plugin names; None loads every installed plugin
    "LANGUAGES": ["zh", "en"],
    "BABEL_DEFAULT_LOCALE": "zh",
    # Attribution: links at or above ACCEPT are taken automatically; those between QUEUE and ACCEPT become
    # curation tasks; the dictionary index is re-checked for changes every RECHECK_SECONDS.
    "ATTRIBUTION_ACCEPT": 0.9,
    "ATTRIBUTION_QUEUE": 0.3,
    "ATTRIBUTION_RECHECK_SECONDS": 5.0,
}

_JSON_KEYS = {"SOURCE_PRIORITY", "LANGUAGES", "FIELD_SOURCE_PRIORITY"}
_INT_KEYS = {"IMPORT_COMMIT_EVERY", "IMPORT_MAX_ERRORS_KEPT", "DEDUP_MAX_BLOCK"}
_FLOAT_KEYS = {"ATTRIBUTION_ACCEPT", "ATTRIBUTION_QUEUE", "ATTRIBUTION_RECHECK_SECONDS", "DEDUP_MERGE_THRESHOLD",
               "DEDUP_REVIEW_THRESHOLD"}


def instance_path() -> Path:
    """The instance folder: ZHIKU_INSTANCE_PATH, else ./instance (so several instances can run side by side)."""
    return Path(os.environ.get("ZHIKU_INSTANCE_PATH") or Path.cwd() / "instance").resolve()


def _from_environment() -> dict:
    values = {}
    for key in DEFAULTS:
        raw = os.environ.get(ENV_PREFIX + key)
        if raw is None or raw == "":
            continue
        if key in _JSON_KEYS:
            is_json = raw.startswith(("[", "{"))
            values[key] = json.loads(raw) if is_json else [v.strip() for v in raw.split(",") if v.strip()]
        elif key in _INT_KEYS:
            values[key] = int(raw)
        elif key in _FLOAT_KEYS:
            values[key] = float(raw)
        else:
            values[key] = raw
    return values


def load_config(app, overrides: dict | None = None) -> None:
    """Fill ``app.config`` in order: defaults, instance/zhiku.cfg, environment, *overrides* (tests)."""
    app.config.update({"ZHIKU_" + k: v for k, v in DEFAULTS.items()})
    cfg_file = Path(app.instance_path) / "zhiku.cfg"
    if cfg_file.exists():
        from_file = Config(app.instance_path)
        from_file.from_pyfile(str(cfg_file))
        # The file may name Zhiku's settings with or without the ZHIKU_ prefix (REPOSITORY_ID = ...).
        app.config.update({("ZHIKU_" + k if k in DEFAULTS else k): v for k, v in from_file.items()})
    app.config.update({"ZHIKU_" + k: v for k, v in _from_environment().items()})
    if overrides:
        app.config.update(overrides)

    database_url = app.config["ZHIKU_DATABASE_URL"] or f"sqlite:///{Path(app.instance_path) / 'zhiku.db'}"
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    app.config["ZHIKU_DATABASE_URL"] = database_url
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    # JSON columns are read back with orjson (several times faster: imports read source records and dedup
    # profiles by the thousand); they are still written by the json module, so stored values keep their form.
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True, "json_deserializer": orjson.loads})
    app.config["SECRET_KEY"] = app.config.get("ZHIKU_SECRET_KEY") or app.config.get("SECRET_KEY")
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["ZHIKU_BABEL_DEFAULT_LOCALE"]
