"""The search page and JSON API: access rules, public works only, clear errors, no server errors."""
import datetime as dt
import json

import pytest
from flask import g

from repository.extensions import db
from repository.models import Authorship, OrgUnit, User, Work
from repository.schemas.search import FacetValueSchema, HitSchema, SearchResponseSchema
from repository.web.access import PUBLIC, rule_for
from search.indexing import update_works
from search.service import get_backend
from tests.contract.conftest import make_elasticsearch_backend

UNREACHABLE = "http://127.0.0.1:9/nowhere"


def add_work(app, title, status="verified", authors=("张三",), unit=None, **fields) -> int:
    with app.app_context():
        work = Work(title=title, status=status, **fields)
        work.set_type(fields.pop("type", "journal_article"))
        work.authorships = [Authorship(position=n, raw_name=name, org_unit=unit and db.session.merge(unit))
                            for n, name in enumerate(authors, start=1)]
        db.session.add(work)
        db.session.commit()
        update_works([work.id])
        return work.id


@pytest.fixture
def site(make_app):
    app = make_app()
    return app, app.test_client()


@pytest.fixture
def works(site):
    app, _client = site
    return {
        "public": add_work(app, "基于深度学习的化工过程故障诊断", year=2023, language="zh", indexed_in=["CSCD"]),
        "english": add_work(app, "Selective hydrogenation catalysts", year=2021, language="en", authors=["Zhang, San"]),
        "candidate": add_work(app, "Unverified 化工 draft", status="candidate"),
        "embargoed": add_work(app, "Embargoed 化工 thesis", embargo_until=dt.date.today() + dt.timedelta(days=9)),
    }


@pytest.mark.parametrize("endpoint", ["search.page", "search.api", "search.suggest"])
def test_search_routes_are_public(app, endpoint):
    with app.test_request_context():
        assert rule_for(endpoint) == PUBLIC


def test_page_finds_public_works_only(site, works):
    _app, client = site
    response = client.get("/search?q=化工&lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "基于深度学习的化工过程故障诊断" in page and "1 work found" in page
    assert "Unverified" not in page and "Embargoed" not in page
    assert 'href="/works/%d"' % works["public"] in page


def test_page_in_chinese_with_facets(site, works):
    _app, client = site
    page = client.get("/search?q=zhang+san&lang=zh").get_data(as_text=True)
    assert "搜索" in page and "共找到 2 项成果" in page
    assert "年份" in page and "期刊论文" in page and "中文" in page


def test_api_answers_json_with_labelled_facets(site, works):
    _app, client = site
    data = client.get("/api/search?q=zhangsan&lang=en").get_json()
    assert data["total"] == 2 and {hit["id"] for hit in data["hits"]} == {works["public"], works["english"]}
    assert {"value": "zh", "count": 1, "label": "Chinese", "parent": None} in data["facets"]["language"]
    assert data["facets"]["type"] == [{"value": "journal_article", "count": 2, "label": "Journal article",
                                       "parent": None}]
    assert data["hits"][0]["url"].startswith("/works/")
    only = client.get("/api/search?q=zhangsan&language=en").get_json()
    assert [hit["id"] for hit in only["hits"]] == [works["english"]]


def test_api_pages_with_a_cursor(site):
    app, client = site
    created = {add_work(app, f"Graphene study {n}", year=2000 + n) for n in range(5)}
    seen, url = [], "/api/search?q=graphene&size=2&sort=year_desc"
    while url:
        data = client.get(url).get_json()
        seen += [hit["id"] for hit in data["hits"]]
        url = f"/api/search?q=graphene&size=2&sort=year_desc&cursor={data['next_cursor']}" if data["next_cursor"] else None
    assert sorted(seen) == sorted(created) and len(seen) == 5


def test_unit_facet_is_a_tree(site):
    app, client = site
    with app.app_context():
        school = OrgUnit(level="institution", name_zh="大连理工大学")
        dept = OrgUnit(level="school", name_zh="化工学院", parent=school)
        db.session.add_all([school, dept])
        db.session.commit()
        school_id, dept_id = school.id, dept.id
    add_work(app, "Zeolite membranes", unit=dept)
    units = client.get("/api/search?q=zeolite").get_json()["facets"]["unit"]
    assert {"value": str(dept_id), "count": 1, "label": "化工学院", "parent": str(school_id)} in units
    filtered = client.get(f"/api/search?unit={school_id}").get_json()
    assert filtered["total"] == 1
    with app.app_context():
        db.session.get(OrgUnit, dept_id).name_zh = "化工海洋与生命学院"
        db.session.commit()
    units = client.get("/api/search?q=zeolite").get_json()["facets"]["unit"]
    assert {"value": str(dept_id), "count": 1, "label": "化工海洋与生命学院", "parent": str(school_id)} in units


@pytest.mark.parametrize("q, message", [('"unclosed', "quotation mark at position 1 is not closed"),
                                        ("year:2030..2020", "runs backwards")])
def test_invalid_query_is_a_clear_400(site, q, message):
    _app, client = site
    page = client.get("/search", query_string={"q": q, "lang": "en"})
    assert page.status_code == 400 and message in page.get_data(as_text=True)
    api = client.get("/api/search", query_string={"q": q, "lang": "en"})
    assert api.status_code == 400
    assert api.get_json()["error"] == "invalid_query" and message in api.get_json()["message"]


@pytest.mark.parametrize("args", [{"sort": "random"}, {"cursor": "garbage"}, {"page": "100000"}])
def test_invalid_parameters_are_a_400(site, args):
    _app, client = site
    response = client.get("/api/search", query_string={"q": "x", **args})
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_request"


def test_invalid_query_message_is_translated(site):
    _app, client = site
    page = client.get("/search", query_string={"q": "(a", "lang": "zh"}).get_data(as_text=True)
    assert "第 1 个字符处的括号没有闭合" in page


def test_search_unavailable_is_a_clear_503(make_app):
    app = make_app(ZHIKU_SEARCH_URL=UNREACHABLE)
    client = app.test_client()
    page = client.get("/search?q=x&lang=en")
    assert page.status_code == 503 and "Search is unavailable right now" in page.get_data(as_text=True)
    api = client.get("/api/search?q=x")
    assert api.status_code == 503 and api.get_json()["error"] == "search_unavailable"
    assert client.get("/api/search/suggest?q=x").status_code == 503
    assert "搜索服务暂时不可用" in client.get("/search?q=x&lang=zh").get_data(as_text=True)


def test_suggest_by_pinyin(site, works):
    _app, client = site
    # the candidate and the embargoed work by 张三 are not counted
    assert client.get("/api/search/suggest?q=zhang").get_json() == [{"text": "Zhang, San", "count": 1},
                                                                     {"text": "张三", "count": 1}]


def test_curators_also_find_works_that_are_not_public(make_app):
    app = make_app()
    candidate = add_work(app, "Unverified 化工 draft", status="candidate")
    curator = User(username="c", roles=["curator"], active=True)
    app.before_request(lambda: setattr(g, "user", curator))
    data = app.test_client().get("/api/search?q=化工").get_json()
    assert [hit["id"] for hit in data["hits"]] == [candidate]


def test_page_pages_and_keeps_the_query(site):
    app, client = site
    for n in range(25):
        add_work(app, f"Perovskite film {n}", year=2000 + n)
    first = client.get("/search?q=perovskite&sort=year_desc&lang=en").get_data(as_text=True)
    assert "25 works found" in first and "Page 1 of 2" in first and "Perovskite film 24" in first
    assert "page=2" in first and "q=perovskite" in first
    second = client.get("/search?q=perovskite&sort=year_desc&page=2&lang=en").get_data(as_text=True)
    assert "Perovskite film 0" in second and "Perovskite film 24" not in second


@pytest.fixture(params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.services)])
def any_site(request, make_app):
    """The site on each search backend (Elasticsearch indices on a prefix of this test only)."""
    if request.param == "embedded":
        app = make_app()
    else:
        _backend, url = make_elasticsearch_backend()
        app = make_app(ZHIKU_SEARCH_URL=url)
    yield app, app.test_client()
    with app.app_context():
        get_backend().drop()


@pytest.mark.parametrize("url", [
    "/api/search?q=zhangsan", "/api/search?q=化工&sort=year_desc", "/api/search?sort=year_asc&size=1",
    "/api/search?type=journal_article&year=2023&language=zh", "/api/search?q=nothing+matches+this"])
def test_api_answer_is_exactly_what_the_schema_dumps(any_site, url):
    app, client = any_site
    with app.app_context():
        school = OrgUnit(level="institution", name_zh="大连理工大学")
        db.session.add(school)
        db.session.commit()
    add_work(app, "基于深度学习的化工过程故障诊断", year=2023, language="zh", indexed_in=["CSCD"], unit=school)
    add_work(app, "Selective hydrogenation catalysts", year=2021, language="en", authors=["Zhang, San"])
    with app.app_context():
        get_backend().refresh()
    data = client.get(url).get_json()
    # compared as JSON text, so that an int where the schema has a float (1 vs 1.0) counts as a difference
    assert json.dumps(SearchResponseSchema().dump(data), sort_keys=True) == json.dumps(data, sort_keys=True)
    assert set(data) == set(SearchResponseSchema().fields)
    assert all(set(hit) == set(HitSchema().fields) for hit in data["hits"])
    assert all(set(value) == set(FacetValueSchema().fields) for values in data["facets"].values() for value in values)


def test_labels_follow_each_request_language(site, works):
    _app, client = site
    for lang, chinese, article in [("en", "Chinese", "Journal article"), ("zh", "中文", "期刊论文"),
                                   ("en", "Chinese", "Journal article")]:
        data = client.get(f"/api/search?q=化工&lang={lang}").get_json()
        assert [v["label"] for v in data["facets"]["language"]] == [chinese]
        assert data["hits"][0]["type_label"] == article
