"""Fixtures of the OAI-PMH tests: fresh applications on temporary SQLite databases, a small repository
(org-unit tree, a collection, public / embargoed / candidate / withdrawn / merged works), and a real
loopback HTTP server around an application for harvesting tests (no other network)."""
from __future__ import annotations

import datetime as dt

import pytest

from oai_helpers import LiveServer, add_work, make_app
from repository.extensions import db
from repository.models import Collection, OrgUnit, Venue, Work, utcnow


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIKU_INSTANCE_PATH", str(tmp_path / "instance"))
    application = make_app(tmp_path / "provider.db", ZHIKU_OAI_PAGE_SIZE=3,
                           ZHIKU_REPOSITORY_ID="repo.test.edu.cn")
    with application.app_context():
        yield application


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def repository(app):
    """A small repository; returns a dict of its objects by name. Datestamps are one minute apart."""
    dut = OrgUnit(code="DUT", level="institution", name_zh="大连理工大学", name_en="Dalian University of Technology")
    chem = OrgUnit(code="DUT-CHEM", level="school", name_zh="化工学院", name_en="School of Chemical Engineering",
                   parent=dut)
    lab = OrgUnit(code="DUT-CHEM-SKL", level="lab", name_zh="精细化工国家重点实验室", parent=chem)
    odd = OrgUnit(code="计算机 学院", level="school", name_zh="计算机学院", parent=dut)
    db.session.add_all([dut, chem, lab, odd])
    venue = Venue(title="Journal of Catalysis", title_key="journal of catalysis", issn="0021-9517",
                  publisher="Elsevier")
    base = dt.datetime(2024, 1, 1, 8, 0, 0, 123456, tzinfo=dt.timezone.utc)
    at = lambda i: base + dt.timedelta(minutes=i)  # noqa: E731
    objects = {"dut": dut, "chem": chem, "lab": lab, "odd": odd}
    objects["article"] = add_work("Selective hydrogenation of CO2", language="en", moment=at(0), venue=venue,
                                  year=2023, published="2023-03", volume="419", issue="2", pages="88-97",
                                  doi="10.5555/oai.0001", abstract="Indium oxide converts CO2.",
                                  keywords=[{"term": "methanol", "scheme": "author", "lang": "en"}],
                                  units=[("Zhang, San", lab), ("Smith, John", None)])
    objects["article"].authorships[0].name_original = "张三"
    objects["chinese"] = add_work("基于深度学习的故障诊断", language="zh", title_alt="Fault diagnosis by deep learning",
                                  abstract="提出一种方法。", abstract_alt="A method is proposed.", moment=at(1),
                                  keywords=[{"term": "故障诊断", "scheme": "author", "lang": "zh"}],
                                  units=[("王芳", odd)])
    objects["thesis"] = add_work("金属有机框架材料的设计合成", type_="doctoral_thesis", language="zh", moment=at(2),
                                 year=2021, thesis={"degree": "doctoral", "discipline": "化学工程",
                                                    "supervisor": "李四", "institution": "大连理工大学"},
                                 units=[("陈静", chem)])
    objects["candidate"] = add_work("Unverified candidate", status="candidate", moment=at(3))
    objects["embargoed"] = add_work("Embargoed work", moment=at(4),
                                    embargo_until=(utcnow() + dt.timedelta(days=30)).date())
    objects["withdrawn"] = add_work("Withdrawn work", status="withdrawn", moment=at(5), units=[("X", chem)])
    objects["survivor"] = add_work("Survivor of a merge", moment=at(6))
    objects["merged"] = add_work("Merged-away duplicate", moment=at(7), deleted=True,
                                 merged_into_id=objects["survivor"].id)
    for i in range(8, 12):
        objects[f"extra{i}"] = add_work(f"Extra article {i}", moment=at(i), year=2020)
    collection = Collection(spec="catalysis", name_zh="催化专题", name_en="Catalysis")
    collection.works.append(objects["article"])
    collection.works.append(objects["thesis"])
    db.session.add(collection)
    db.session.commit()
    objects["collection"] = collection
    # every flush that changes a Work gives it a new datestamp; put the intended ones back
    for i, name in enumerate(["article", "chinese", "thesis", "candidate", "embargoed", "withdrawn", "survivor",
                              "merged", "extra8", "extra9", "extra10", "extra11"]):
        db.session.execute(Work.__table__.update().where(Work.id == objects[name].id).values(updated_at=at(i), datestamp=at(i)))
    db.session.commit()
    db.session.expire_all()
    return objects


@pytest.fixture
def live_provider(app, repository):
    server = LiveServer(app)
    yield server
    server.stop()


@pytest.fixture
def harvester_app(tmp_path):
    """A second, empty Zhiku instance that harvests (used inside its own app context)."""
    return make_app(tmp_path / "harvester.db")
