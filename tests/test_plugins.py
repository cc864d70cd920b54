"""The plugin manager: entry-point loading, listing, enable/disable persisted in the database."""
import json
import sys
import textwrap

import pytest

from repository.plugins import PluginError, plugins

BUILT_INS = {"canonical", "wos_import", "cnki_import", "ei_import", "oai_pmh"}


@pytest.fixture
def installed_plugin(tmp_path, monkeypatch):
    """A real distribution on sys.path with a `zhiku.plugins` entry point, as pip would install it."""
    site = tmp_path / "site"
    (site / "zhiku_hello").mkdir(parents=True)
    (site / "zhiku_hello" / "__init__.py").write_text(textwrap.dedent('''
        from repository.hookspecs import hookimpl
        from repository.importers import ParsedRecord

        class HelloImporter:
            name = "hello"
            label = "Hello"
            def sniff(self, location, head):
                return head.startswith(b"hello")
            def parse(self, location):
                yield ParsedRecord(data={}, file=location, line=1)

        @hookimpl
        def zhiku_importers():
            return [HelloImporter()]
    '''))
    dist = site / "zhiku_hello-1.2.3.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: zhiku-hello\nVersion: 1.2.3\n")
    (dist / "entry_points.txt").write_text("[zhiku.plugins]\nhello = zhiku_hello\n")
    monkeypatch.syspath_prepend(str(site))
    yield "hello"
    sys.modules.pop("zhiku_hello", None)


def test_built_in_plugins_load_through_entry_points(app):
    registry = plugins()
    assert BUILT_INS <= set(registry.plugins)
    for name in BUILT_INS:
        info = registry.plugins[name]
        assert info.enabled and info.error is None, (name, info.error)
        assert info.distribution == "zhiku"
    assert "zhiku_importers" in registry.plugins["canonical"].hooks


def test_a_third_party_plugin_is_loaded_listed_and_used(make_app, installed_plugin):
    app = make_app()
    with app.app_context():
        info = plugins().info("hello")
        assert (info.version, info.distribution, info.hooks) == ("1.2.3", "zhiku-hello", ["zhiku_importers"])
        assert plugins().importer("hello").label == "Hello"


def test_disable_is_persisted_and_applied(make_app, installed_plugin):
    app = make_app()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["plugins", "disable", "hello"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with pytest.raises(PluginError, match="unknown source 'hello'"):
            plugins().importer("hello")
    # a new process (a new app) sees the choice stored in the database
    again = make_app()
    with again.app_context():
        assert plugins().info("hello").enabled is False
        assert not plugins().manager.is_registered(plugins().info("hello").module)
    assert again.test_cli_runner().invoke(args=["plugins", "enable", "hello"]).exit_code == 0
    with make_app().app_context():
        assert plugins().importer("hello").name == "hello"


def test_plugins_list_shows_name_version_hooks_enabled(runner):
    result = runner.invoke(args=["plugins", "list"])
    assert result.exit_code == 0
    header, *rows = result.output.splitlines()
    assert header.split() == ["NAME", "VERSION", "ENABLED", "HOOKS"]
    names = {row.split()[0] for row in rows}
    assert BUILT_INS <= names
    listed = json.loads(runner.invoke(args=["plugins", "list", "--json"]).output)
    canonical = next(p for p in listed if p["name"] == "canonical")
    assert canonical["enabled"] is True and canonical["hooks"] == ["zhiku_importers"]


def test_unknown_plugin_name_is_a_clear_error(runner):
    result = runner.invoke(args=["plugins", "disable", "nosuch"])
    assert result.exit_code == 1
    assert "error: unknown plugin 'nosuch' (installed: " in result.output


def test_allow_list_limits_what_loads(make_app):
    app = make_app(ZHIKU_PLUGINS="canonical")
    with app.app_context():
        assert set(plugins().plugins) == {"canonical"}


def test_a_broken_plugin_is_reported_not_fatal(make_app, tmp_path, monkeypatch):
    site = tmp_path / "broken"
    (site / "zhiku_broken").mkdir(parents=True)
    (site / "zhiku_broken" / "__init__.py").write_text("raise ImportError('needs libfoo')\n")
    dist = site / "zhiku_broken-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: zhiku-broken\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[zhiku.plugins]\nbroken = zhiku_broken\n")
    monkeypatch.syspath_prepend(str(site))
    app = make_app()
    with app.app_context():
        info = plugins().info("broken")
        assert info.enabled is False and info.error == "ImportError: needs libfoo"
        with pytest.raises(PluginError, match="cannot be enabled"):
            plugins().set_enabled("broken", True)


def test_the_documented_example_plugin_works(make_app, tmp_path, monkeypatch):
    """docs/example_plugin, registered through a real entry point, imports its format."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "docs" / "example_plugin"
    dist = tmp_path / "zhiku_titles-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: zhiku-titles\nVersion: 0.1.0\n")
    (dist / "entry_points.txt").write_text((example / "setup.cfg").read_text().split("[options.entry_points]")[1]
                                           .replace("zhiku.plugins =", "[zhiku.plugins]"))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(example))
    titles = tmp_path / "list.txt"
    titles.write_text("2021\tA study of things\nnot a year\n", encoding="utf-8")
    app = make_app()
    result = app.test_cli_runner().invoke(args=["import", "titles", str(titles)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{titles}:2: expected YEAR<TAB>TITLE"
    assert "1 new" in result.stdout
    sys.modules.pop("zhiku_titles", None)
