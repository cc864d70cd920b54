"""The application factory."""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask

from . import plugins, web
from .config import instance_path, load_config
from .extensions import babel, csrf, db, migrate
from .web.json_provider import OrjsonProvider

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR.parent / "templates"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"


def create_app(config: dict | None = None) -> Flask:
    """Create a Zhiku application.

    :param config: settings that override everything else (tests use it for a temporary database).
    """
    app = Flask(__name__, instance_path=str(instance_path()), instance_relative_config=True,
                template_folder=str(TEMPLATES_DIR), static_folder=str(PACKAGE_DIR / "static"))
    app.json = OrjsonProvider(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    load_config(app, config)
    if not app.config.get("SECRET_KEY"):
        # Sessions then last only as long as this process; `zhiku init` writes a lasting key.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        app.config["ZHIKU_TEMPORARY_SECRET_KEY"] = True

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    babel.init_app(app, locale_selector=web.select_locale,
                   default_translation_directories=str(PACKAGE_DIR / "translations"))
    csrf.init_app(app)
    plugins.init_app(app)
    web.init_app(app)

    from . import cli

    cli.init_app(app)
    return app
