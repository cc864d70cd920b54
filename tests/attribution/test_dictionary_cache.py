"""Values kept per dictionary version: built once, rebuilt after the dictionaries change, forgotten on request."""
import sqlalchemy as sa

from repository.attribution.cache import cached_per_version, invalidate
from repository.extensions import db
from repository.models import OrgUnit


class Builds:
    """A value builder that counts its calls."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"value {self.calls}"


def add_unit(name: str) -> None:
    db.session.add(OrgUnit(level="school", name_zh=name))
    db.session.commit()


def test_value_is_built_once_while_the_version_stays(app):
    app.config["ZHIKU_ATTRIBUTION_RECHECK_SECONDS"] = 0
    build = Builds()
    assert cached_per_version("test.value", build) == "value 1"
    assert cached_per_version("test.value", build) == "value 1"
    assert build.calls == 1


def test_value_is_rebuilt_after_the_dictionaries_changed(app):
    app.config["ZHIKU_ATTRIBUTION_RECHECK_SECONDS"] = 0
    build = Builds()
    cached_per_version("test.value", build)
    add_unit("化工学院")
    assert cached_per_version("test.value", build) == "value 2"


def test_version_is_not_checked_again_within_the_recheck_interval(app):
    app.config["ZHIKU_ATTRIBUTION_RECHECK_SECONDS"] = 3600
    build = Builds()
    cached_per_version("test.value", build)
    add_unit("化工学院")
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert cached_per_version("test.value", build) == "value 1"
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert statements == []


def test_invalidate_forgets_one_value_or_all(app):
    app.config["ZHIKU_ATTRIBUTION_RECHECK_SECONDS"] = 3600
    first, second = Builds(), Builds()
    cached_per_version("test.first", first)
    cached_per_version("test.second", second)
    invalidate("test.first")
    assert cached_per_version("test.first", first) == "value 2"
    assert cached_per_version("test.second", second) == "value 1"
    invalidate()
    assert cached_per_version("test.second", second) == "value 2"
