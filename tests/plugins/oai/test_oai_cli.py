"""``zhiku oai``: collections become sets; harvest sources are harvested incrementally."""
from __future__ import annotations

import sqlalchemy as sa

from oai_helpers import NS, harvest
from repository.extensions import db
from repository.models import HarvestSource, Work


def test_collection_commands_make_a_set(app, client, repository):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["oai", "collection", "add", "theme", "--name-zh", "主题", "--name-en", "Theme"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["oai", "collection", "add", "bad spec"]).exit_code == 1
    before = db.session.get(Work, repository["chinese"].id).updated_at
    result = runner.invoke(args=["oai", "collection", "assign", "theme", str(repository["chinese"].id)])
    assert result.exit_code == 0 and "1 works added" in result.output
    db.session.expire_all()
    assert db.session.get(Work, repository["chinese"].id).updated_at > before  # harvesters see the change
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
