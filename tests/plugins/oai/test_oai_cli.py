"""``zhiku oai``: collections become sets; harvest sources are harvested incrementally."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
import sqlalchemy as sa

from oai_helpers import NS, harvest
from repository.extensions import db
from repository.models import HarvestSource, Work

ZHIKU = os.path.join(os.path.dirname(sys.executable), "zhiku")


def test_collection_commands_make_a_set(app, client, repository):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["oai", "collection", "add", "theme", "--name-zh", "主题", "--name-en", "Theme"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["oai", "collection", "add", "bad spec"]).exit_code == 1
    before = db.session.get(Work, repository["chinese"].id).datestamp
    result = runner.invoke(args=["oai", "collection", "assign", "theme", str(repository["chinese"].id)])
    assert result.exit_code == 0 and "1 works added" in result.output
    db.session.expire_all()
    assert db.session.get(Work, repository["chinese"].id).datestamp > before  # harvesters see the change
    headers, _ = harvest(client, metadataPrefix="oai_dc", set="collection:theme")
    assert [h.findtext("oai:identifier", namespaces=NS) for h in headers] == \
        [f"oai:repo.test.edu.cn:{repository['chinese'].id}"]


def test_sources_add_and_harvest(live_provider, harvester_app):
    # with_appcontext reuses the current app: push the harvester's (the provider's is pushed by its fixture)
    context = harvester_app.app_context()
    context.push()
    runner = harvester_app.test_cli_runner()
    url = live_provider.url + "/oai"
    result = runner.invoke(args=["oai", "add", url, "--prefix", "oai_etdms", "--name", "theses"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["oai", "harvest"])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output
    try:
        source = db.session.execute(sa.select(HarvestSource)).scalar_one()
        assert source.status == "ok" and source.last_batch_id and source.last_datestamp
        assert "ok" in runner.invoke(args=["oai", "sources"]).output
    finally:
        context.pop()


# --- zhiku import oai URL [--prefix P] [--set S] [--from DATE] ----------------------------------------------

def harvester_invoke(harvester_app, *args):
    """Run `zhiku ...` in the harvester instance (its own app context, the provider's stays pushed)."""
    context = harvester_app.app_context()
    context.push()
    try:
        result = harvester_app.test_cli_runner().invoke(args=list(args))
        titles = sorted(db.session.execute(sa.select(Work.title)).scalars())
    finally:
        context.pop()
    return result, titles


def test_import_oai_takes_prefix_set_and_from_as_options(live_provider, harvester_app, repository):
    url = live_provider.url + "/oai"
    result, titles = harvester_invoke(harvester_app, "import", "oai", url, "--prefix", "oai_etdms",
                                      "--set", "unit:DUT", "--no-progress")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "batch 1: 1 new, 0 updated, 0 merged, 0 unchanged, 0 failed"
    assert titles == [repository["thesis"].title]
    with harvester_app.app_context():
        source = db.session.execute(sa.select(HarvestSource)).scalar_one()
        assert (source.metadata_prefix, source.set_spec) == ("oai_etdms", "unit:DUT")

    # --from overrides the incremental state: only the works stamped from 08:08 on (extra8..extra11)
    result, titles = harvester_invoke(harvester_app, "import", "oai", url, "--from", "2024-01-01T08:08:00Z")
    assert result.exit_code == 0, result.output
    assert "4 new" in result.stdout
    assert titles == sorted([repository["thesis"].title] + [f"Extra article {i}" for i in range(8, 12)])


def test_import_oai_dry_run_with_options_and_the_query_string_form(live_provider, harvester_app, repository):
    url = live_provider.url + "/oai"
    by_option, _ = harvester_invoke(harvester_app, "import", "oai", url, "--set", "collection:catalysis",
                                    "--dry-run")
    by_query, titles = harvester_invoke(harvester_app, "import", "oai", url + "?set=collection:catalysis",
                                        "--dry-run")
    assert by_option.exit_code == by_query.exit_code == 0, by_option.output + by_query.output
    assert by_option.stdout == by_query.stdout
    assert sorted(json.loads(line)["title"] for line in by_option.stdout.splitlines()) == \
        sorted([repository["article"].title, repository["thesis"].title])
    assert titles == []  # a dry run stores nothing


@pytest.mark.parametrize("args, reason", [
    (["--from", "yesterday"], "from 'yesterday' is not an OAI-PMH date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)"),
    (["--from", "2024-02-30"], "from '2024-02-30' is not an OAI-PMH date"),
    (["--from", "2024-01-01", "--until", "2024-02-01T00:00:00Z"], "from and until must have the same granularity"),
    (["--from", "2024-03-01", "--until", "2024-02-01"], "from 2024-03-01 is later than until 2024-02-01"),
])
def test_import_oai_refuses_bad_options_naming_the_url(harvester_app, args, reason):
    url = "http://127.0.0.1:9/oai"
    result, _ = harvester_invoke(harvester_app, "import", "oai", url, *args)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {url}:1: {reason}")


def test_import_oai_refuses_an_option_contradicting_the_url(harvester_app):
    url = "http://127.0.0.1:9/oai?set=a"
    result, _ = harvester_invoke(harvester_app, "import", "oai", url, "--set", "b")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {url}:1: --set b contradicts set a in the URL; give it once"


def test_import_oai_rejects_an_unknown_prefix_and_shows_its_options(harvester_app):
    result, _ = harvester_invoke(harvester_app, "import", "oai", "http://127.0.0.1:9/oai", "--prefix", "marc21")
    assert result.exit_code == 2 and "'marc21' is not one of 'oai_dc', 'oai_etdms'" in result.stderr
    help_text, _ = harvester_invoke(harvester_app, "import", "oai", "--help")
    for option in ("--prefix [oai_dc|oai_etdms]", "--set SETSPEC", "--from DATE", "--until DATE", "--full",
                   "--dry-run"):
        assert option in help_text.stdout


# --- zhiku oai harvest: reported like zhiku import, also when a worker runs it --------------------------------

def test_harvest_of_an_unknown_source_is_an_error(app):
    result = app.test_cli_runner().invoke(args=["oai", "harvest", "42"])
    assert result.exit_code == 1 and result.stderr.strip() == "error: no harvest source 42"


@pytest.mark.services
def test_oai_harvest_follows_the_batch_in_a_real_worker(live_provider, make_app, redis_url, database_url):
    make_app()  # the harvester's schema, on the test database the worker also uses
    env = {**os.environ, "ZHIKU_DATABASE_URL": database_url, "ZHIKU_REDIS_URL": redis_url}
    url = live_provider.url + "/oai"
    added = subprocess.run([ZHIKU, "oai", "add", url], env=env, capture_output=True, text=True, timeout=60)
    assert added.returncode == 0, added.stderr
    worker = subprocess.Popen([ZHIKU, "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        done = subprocess.run([ZHIKU, "oai", "harvest"], env=env, capture_output=True, text=True, timeout=120)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert done.returncode == 0, done.stderr
    # the two deleted records of the feed were never harvested here: withdrawing them changes nothing
    assert done.stdout.strip() == f"source 1 ({url}): batch 1: 8 new, 0 updated, 0 merged, 2 unchanged, 0 failed"


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1:9/oai?set=theses", "give the base URL without a query string"),
    ("ftp://127.0.0.1/oai", "the oai importer takes an http(s) OAI-PMH base URL"),
])
def test_a_harvest_source_is_a_plain_base_url(app, url, reason):
    result = app.test_cli_runner().invoke(args=["oai", "add", url])
    assert result.exit_code == 1 and reason in result.stderr
    assert db.session.execute(sa.select(HarvestSource)).first() is None
