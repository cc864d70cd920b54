"""Web layer: core blueprints, plugin blueprints, access control, locale selection."""
from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_babel import get_locale

from ..plugins import plugins
from . import access, public, search
from .labels import source_label, work_type_label


def select_locale() -> str:
    """?lang=, then the lang cookie, then the browser's Accept-Language, then the default (zh)."""
    if not has_request_context():  # the CLI and jobs render messages too
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["ZHIKU_LANGUAGES"]
    for candidate in (request.args.get("lang"), request.cookies.get("lang")):
        if candidate in languages:
            return candidate
    for tag, _quality in request.accept_languages:  # sorted by quality; "zh-CN" and "en-US" count as zh, en
        primary = tag.split("-")[0].lower()
        if primary in languages:
            return primary
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app) -> None:
    """Register the core and plugin blueprints and the deny-by-default access check."""
    app.register_blueprint(public.bp)
    app.register_blueprint(search.bp)
    for blueprints in plugins(app).hook.zhiku_blueprints(app=app):
        for blueprint in blueprints or ():
            app.register_blueprint(blueprint)
    app.before_request(access.enforce)
    app.jinja_env.globals.update(work_type_label=work_type_label, source_label=source_label, get_locale=get_locale)
