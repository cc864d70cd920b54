"""Public pages, deny-by-default access rules, and the language switch."""
import datetime as dt
import re

import pytest
import sqlalchemy as sa
from flask import Blueprint

from repository.extensions import db
from repository.hookspecs import hookimpl
from repository.ingest.batch import create_batch, run_batch
from repository.models import FieldOverride, Work
from repository.web.access import ACCESS_ATTRIBUTE, public, roles_required
from tests.factories import record, write_jsonl


@pytest.fixture
def site(make_app):
    """An app and a client with no app context held open: each request gets its own, as in production
    (Flask-Babel caches the locale on the app context)."""
    app = make_app()
    return app, app.test_client()


def add_work(app, title, status="verified", **fields) -> int:
    with app.app_context():
        work = Work(title=title, status=status, **fields)
        work.set_type("journal_article")
        db.session.add(work)
        db.session.commit()
        return work.id


def test_every_route_has_an_access_rule(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        assert getattr(view, ACCESS_ATTRIBUTE, None), f"{rule.rule} ({rule.endpoint}) has no access rule"


def test_home_lists_only_published_works(site):
    app, client = site
    add_work(app, "Published paper")
    add_work(app, "Unverified candidate", status="candidate")
    add_work(app, "Withdrawn paper", deleted=True)
    add_work(app, "Embargoed thesis", embargo_until=dt.date.today() + dt.timedelta(days=30))
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "Published paper" in page and "1 published work" in page
    for hidden in ("Unverified candidate", "Withdrawn paper", "Embargoed thesis"):
        assert hidden not in page


def test_work_page_shows_a_published_work_and_hides_others(site):
    app, client = site
    shown = add_work(app, "有机框架材料", language="zh", title_alt="Organic frameworks")
    hidden = add_work(app, "Draft", status="candidate")
    page = client.get(f"/works/{shown}?lang=zh").get_data(as_text=True)
    assert "有机框架材料" in page and "期刊论文" in page
    assert "Journal article" in client.get(f"/works/{shown}?lang=en").get_data(as_text=True)
    assert client.get(f"/works/{hidden}").status_code == 404


def test_work_page_names_the_source_of_each_value(site, tmp_path):
    app, client = site
    wos = record()
    cnki = record(source="cnki", source_id="CJFD2020-ABCD", title="二氧化碳在氧化铟上的选择加氢",
                  title_alt="Selective hydrogenation of CO2 over In2O3", language="zh", volume="9",
                  identifiers={"cnki_filename": "CJFD2020-ABCD"})
    with app.app_context():
        run_batch(create_batch("canonical", [str(write_jsonl(tmp_path / "both.jsonl", [wos, cnki]))]).id)
        work = db.session.execute(sa.select(Work)).scalar_one()
        work.status = "verified"
        db.session.add(FieldOverride(work=work, field="pages", value="101-110", reason="typo in both sources"))
        db.session.commit()
        work_id = work.id
    page = client.get(f"/works/{work_id}?lang=en").get_data(as_text=True)
    rows = dict(re.findall(r"<tr><td>([^<]+)</td><td>(.+?)</td></tr>", page))
    assert rows["Title"] == "Web of Science <code>WOS:000000000000001</code>"
    assert rows["Other-language title"] == "CNKI <code>CJFD2020-ABCD</code>"  # ZHIKU_FIELD_SOURCE_PRIORITY
    assert rows["Pages"] == "a correction by a curator or the author"
    assert "Web of Science <code>WOS:000000000000001</code></li>" in page and "CNKI <code>CJFD2020-ABCD</code></li>" in page
    chinese = client.get(f"/works/{work_id}?lang=zh").get_data(as_text=True)
    assert "每项数据的来源" in chinese
    single = add_work(app, "One source only")
    assert "Where each value comes from" not in client.get(f"/works/{single}?lang=en").get_data(as_text=True)


def test_language_follows_query_cookie_and_browser(site):
    app, client = site
    add_work(app, "Paper")
    assert "成果" in client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert ">Works<" in client.get("/", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    response = client.get("/lang/en?next=/works/1")
    assert response.status_code == 302 and response.headers["Location"] == "/works/1"
    assert "lang=en" in response.headers["Set-Cookie"]
    assert ">Works<" in client.get("/", headers={"Accept-Language": "zh"}).get_data(as_text=True)


def test_language_switch_refuses_open_redirects_and_unknown_languages(client):
    assert client.get("/lang/en?next=https://evil.example/").headers["Location"] == "/"
    assert client.get("/lang/en?next=//evil.example/").headers["Location"] == "/"
    assert client.get("/lang/fr").status_code == 404


class GuardedPlugin:
    @hookimpl
    def zhiku_blueprints(self, app):
        bp = Blueprint("guarded", __name__)
        bp.add_url_rule("/forgotten", "forgotten", lambda: "secret")
        bp.add_url_rule("/curators", "curators", roles_required("curator")(lambda: "curators only"))
        bp.add_url_rule("/hello", "hello", public(lambda: "hello"))
        return [bp]


@pytest.fixture
def guarded_client(make_app, monkeypatch):
    from repository import plugins as plugin_module

    original = plugin_module.PluginRegistry.load

    def load(self, disabled):
        original(self, disabled)
        self.manager.register(GuardedPlugin(), name="guarded")

    monkeypatch.setattr(plugin_module.PluginRegistry, "load", load)
    app = make_app()
    return app.test_client()


def test_plugin_views_are_denied_unless_they_declare_a_rule(guarded_client):
    assert guarded_client.get("/forgotten").status_code == 403
    assert guarded_client.get("/curators").status_code == 401
    assert guarded_client.get("/hello").get_data(as_text=True) == "hello"
