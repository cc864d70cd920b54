"""Search documents for the contract suite, in the shape ``search.document.build_document`` returns."""
from __future__ import annotations

import datetime as dt

BLANK = {
    "title": "", "title_alt": None, "abstract": "", "keywords": [], "authors": [], "author_names": [],
    "units": [], "unit_ids": [], "venue": None, "venue_title": None, "doi": None, "ids": [], "year": None,
    "type": "journal_article", "sources": ["wos"], "indexed_in": [], "jcr_quartile": None, "language": "en",
    "status": "verified", "public": True, "embargo_until": None,
}


def document(work_id: int, **fields) -> dict:
    """A complete document; ``authors`` given as display names also fill ``author_names``."""
    data = {**BLANK, "id": work_id, **fields}
    if "authors" in fields and "author_names" not in fields:
        data["author_names"] = [[name] for name in fields["authors"]]
    return data


FUTURE = (dt.date.today() + dt.timedelta(days=60)).isoformat()

CORPUS = [
    document(1, title="基于深度学习的化工过程故障诊断方法研究",
             title_alt="Fault diagnosis of chemical processes based on deep learning",
             authors=["王芳", "张三"], author_names=[["王芳"], ["张三"]], year=2023, language="zh",
             sources=["cnki"], indexed_in=["CSCD", "北大核心"], unit_ids=["1", "2"],
             units=["大连理工大学", "化工学院"], keywords=["故障诊断", "深度学习"], venue="化工学报", venue_title="化工学报"),
    document(2, title="Selective hydrogenation of CO2 over In2O3 catalysts",
             authors=["张三", "Li, Si"], author_names=[["Zhang, San", "张三"], ["Li, Si"]], year=2022,
             sources=["wos"], indexed_in=["EI", "SCIE"], jcr_quartile="Q1", unit_ids=["1", "3"],
             units=["大连理工大学", "Dalian University of Technology"], doi="10.5555/test.0001",
             ids=["10.5555/test.0001", "doi:10.5555/test.0001", "wos:000000000000001", "wos_ut:wos:000000000000001"],
             abstract="Methanol synthesis from CO2 with indium oxide.", venue="Journal of Catalysis",
             venue_title="Journal of Catalysis"),
    document(3, title="A catalyst for methanol synthesis", authors=["Li, Si"], year=2021, sources=["ei"],
             indexed_in=["EI"], type="conference_paper", keywords=["methanol"]),
    document(4, title="金属有机框架材料的设计合成及其气体吸附性能研究", authors=["陈静"], year=2024,
             language="zh", type="doctoral_thesis", sources=["cnki"], unit_ids=["1", "2"],
             units=["大连理工大学", "化工学院"]),
    document(5, title="Deep reinforcement learning for process control", authors=["Wang, Fang"], year=2020,
             type="conference_paper", sources=["wos", "ei"], indexed_in=["EI"],
             abstract="A controller that learns; no catalyst is involved here."),
    document(6, title="一种用于二氧化碳加氢制甲醇的催化剂及其制备方法", authors=["张三", "陈静"], year=2023,
             language="zh", type="patent", sources=["cnki"]),
    document(7, title="Unverified catalyst draft", authors=["Zhang, San"], year=2023, status="candidate",
             public=False),
    document(8, title="Embargoed thesis on catalysts", authors=["Li, Si"], year=2024, type="master_thesis",
             embargo_until=FUTURE),
]

PUBLIC_IDS = {1, 2, 3, 4, 5, 6}
