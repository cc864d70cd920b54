"""CNKI importer: the real corpora, every export format and encoding, and bad input."""
from __future__ import annotations

from pathlib import Path

import pytest

from plugins.cnki_import import CnkiImporter, zhiku_importers
from repository.importers import Importer, ImporterError
from tests.importer_checks import parse_with, valid

FIXTURES = Path(__file__).parent / "fixtures"

# path under corpora/cnki -> record count from SOURCES.md
CORPUS_COUNTS = {
    "cnki2bibtex_CoverAllTest15Entries.net": 15,
    "cnki2bibtex_mixed.net": 12,
    "cnki2bibtex_withLineBreakInAddress.net": 1,
    "cnki2bibtex_ChineseColon.net": 1,
    "cnki2bibtex_LotsOfEnglish.net": 21,
    "cnki2bibtex_Classic5Test.net": 5,
    "mrhelper_demo_cnki_202101.txt": 20,
    "cnkiconverter_demo_endnote.txt": 40,
}


def parse(path: Path):
    return parse_with(CnkiImporter(), path)


def by_title(records):
    return {r.data["title"]: r.data for r in records}


def test_hook_returns_the_importer():
    [importer] = zhiku_importers()
    assert isinstance(importer, Importer)
    assert (importer.name, importer.label) == ("cnki", "CNKI 中国知网")


@pytest.mark.parametrize("name,count", sorted(CORPUS_COUNTS.items()))
def test_corpus_file_parses_completely_and_validates(shared_corpora, name, count):
    path = shared_corpora / "cnki" / name
    assert CnkiImporter().sniff(str(path), path.read_bytes()[:4096])
    records, errors = parse(path)
    assert errors == []
    assert len(records) == count
    for record in records:
        data = valid(record)
        assert data["source"] == "cnki" and data["source_id"]
        assert record.data["raw"].splitlines()[0] == path.read_text("utf-8").splitlines()[record.line - 1].rstrip("\r")


def test_noteexpress_types_and_chinese_text(shared_corpora):
    records, _ = parse(shared_corpora / "cnki" / "cnki2bibtex_CoverAllTest15Entries.net")
    titles = by_title(records)
    phd = titles["云环境下铁路“门到门”货运产品设计优化方法研究"]
    assert phd["type"] == "doctoral_thesis"
    assert phd["thesis"] == {"degree": "doctoral", "supervisor": "何世伟", "institution": "北京交通大学"}
    assert titles["我国铁路客运站建筑空间室内设计方法研究"]["type"] == "master_thesis"
    article = titles["基于灰色关联分析法的铁路物流服务方案评价"]
    assert [a["name"] for a in article["authors"]] == ["唐力", "刘启钢", "孙文桥"]
    assert article["venue"] == {"title": "铁道运输与经济", "issn": "1003-1421", "cn": "11-1949/U"}
    assert article["affiliations"][0]["raw"] == "中国铁道科学研究院 研究生部"
    conference = titles["城市竖向对下凹式立交桥积水风险的影响"]
    assert conference["type"] == "conference_paper"
    assert conference["conference"]["name"] == "2018中国城市规划年会"
    assert titles["坚持在大局下行动"]["type"] == "newspaper_article"
    patent = titles["一种铁路故障检测器清洗装置"]
    assert patent["type"] == "patent" and patent["identifiers"]["patent_number"] == "CN108722921A"
    assert titles["铁路桥涵设计基本规范"]["identifiers"]["standard_number"] == "TB 10002.1-2005"
    assert titles["Making Tracks"]["venue"]["isbn"] == "9780429834646"


def test_noteexpress_full_width_colons_and_translated_title(shared_corpora):
    [record], _ = parse(shared_corpora / "cnki" / "cnki2bibtex_ChineseColon.net")
    data = valid(record)
    assert data["title"] == "软组织肉瘤诊治中国专家共识(2015年版)"
    assert data["title_alt"].startswith("Chinese expert consensus on diagnosis")
    assert data["abstract"].startswith("软组织肉瘤是一类间叶来源的恶性肿瘤")  # "{Abstract}：" full-width colon
    assert data["language"] == "zh" and data["venue"]["issn"] == "0253-3766"
    assert data["affiliations"] == [{"raw": "复旦大学附属肿瘤医院", "country": None}]  # "|JG001257" code dropped


def test_noteexpress_wrapped_address_crlf(shared_corpora):
    [record], _ = parse(shared_corpora / "cnki" / "cnki2bibtex_withLineBreakInAddress.net")
    assert record.data["title"] == "基于公共行政理念的政府公共关系发展历程探析"
    assert record.data["affiliations"][0]["raw"].endswith("湖北武汉430074,湖北武汉430074")


def test_endnote_corpus(shared_corpora):
    records, _ = parse(shared_corpora / "cnki" / "cnkiconverter_demo_endnote.txt")
    titles = by_title(records)
    assert sum(r.data["type"] in ("master_thesis", "doctoral_thesis") for r in records) == 12
    thesis = titles["基于深度学习的语音识别应用研究"]
    assert thesis["type"] == "master_thesis"
    assert thesis["thesis"] == {"degree": "master", "supervisor": "徐蔚然", "institution": "北京邮电大学"}
    assert "\n" in thesis["abstract"]  # paragraphs separated by blank lines stay paragraphs
    article = titles["面向自然语言处理的深度学习研究"]
    assert article["venue"]["cn"] == "11-2109/TP" and article["venue"]["issn"] == "0254-4156"
    assert [k["term"] for k in article["keywords"]][:2] == ["自然语言处理", "深度学习"]


def test_estudy_corpus_filenames(shared_corpora):
    records, _ = parse(shared_corpora / "cnki" / "mrhelper_demo_cnki_202101.txt")
    first = records[0].data
    assert first["title"] == "1例卡培他滨与苯妥英钠相互作用致乳腺癌合并癫痫患者小脑功能障碍的病例分析"
    assert first["source_id"] == first["identifiers"]["cnki_filename"] == "ZNYX202101034"
    assert first["published"] == "2021-01-18" and first["volume"] == "19" and first["issue"] == "1"
    assert len({r.data["source_id"] for r in records}) == 20


def test_gbk_utf8_and_bom_give_identical_records():
    outputs = []
    for name in ("refworks_utf8.txt", "refworks_utf8_bom.txt", "refworks_gbk.txt"):
        records, errors = parse(FIXTURES / name)
        assert errors == [] and len(records) == 3
        outputs.append([(r.line, r.data) for r in records])
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[2][0][1]["title"] == "基于深度学习的催化剂活性预测"


def test_refworks_mapping():
    records, _ = parse(FIXTURES / "refworks_utf8.txt")
    article, thesis, english = (valid(r) for r in records)
    assert article["source_id"] == "HGSZ201903010"
    assert article["authors"][0]["is_corresponding"] and article["authors"][0]["name"] == "王小明"
    assert [a["affiliations"] for a in article["authors"]] == [[0], [1]]
    assert article["funding"] == [{"funder": "国家自然科学基金", "grants": ["21576039", "21776030"]},
                                  {"funder": "辽宁省自然科学基金", "grants": ["2019-MS-050"]}]
    assert [s["term"] for s in article["subjects"] if s["scheme"] == "clc"] == ["TQ426", "TP183"]
    assert article["doi"] == "10.11949/j.issn.0438-1157.20181234"
    assert article["abstract"] == "本文提出一种基于深度学习的催化剂活性预测方法,在三个数据集上验证了其有效性。"
    assert thesis["type"] == "doctoral_thesis" and thesis["thesis"]["supervisor"] == "赵国藩"
    # invalid ISSN and DOI are cleaned away, the record stays
    assert english["language"] == "en" and english.get("doi") is None
    assert english["venue"]["issn"] is None
    assert english["abstract"] == "In this paper we study hydrogen storage. In addition, adsorption is modelled."


def test_utf16_endnote_with_crlf():
    records, errors = parse(FIXTURES / "endnote_utf16.txt")
    assert errors == [] and [r.line for r in records] == [1, 19]
    assert records[0].data["abstract"] == "分析了城市污水处理厂的能耗构成。\n提出了节能措施。"
    assert records[1].data["type"] == "master_thesis"


def test_estudy_custom_export_in_gb18030():
    records, errors = parse(FIXTURES / "estudy_custom_gb18030.txt")
    assert errors == []
    thesis, article = (valid(r) for r in records)
    assert thesis["type"] == "master_thesis"
    assert thesis["thesis"]["discipline"] == "材料加工工程" and thesis["thesis"]["supervisor"] == "高洪明"
    assert thesis["funding"] == [{"funder": "国家重点研发计划", "grants": ["2018YFB1107900"]}]
    assert article["venue"]["issn"] == "0253-360X" and article["venue"]["cn"] == "23-1178/TG"
    assert article["authors"][0]["is_corresponding"]


def test_missing_title_is_reported_and_others_imported():
    records, errors = parse(FIXTURES / "noteexpress_missing_title.net")
    assert [r.data["title"] for r in records] == ["高速铁路桥梁徐变研究", "智能建造技术进展"]
    assert [str(e) for e in errors] == [f"{FIXTURES / 'noteexpress_missing_title.net'}:8: record has no title"]


def test_truncated_file_reports_last_record():
    records, errors = parse(FIXTURES / "estudy_truncated.txt")
    assert len(records) == 2
    assert [(e.line, e.reason) for e in errors] == [(23, "truncated record (the file ends inside it)")]


def test_endnote_not_from_cnki_is_refused():
    path = FIXTURES / "endnote_not_cnki.txt"
    assert not CnkiImporter().sniff(str(path), path.read_bytes())
    with pytest.raises(ImporterError, match="not a CNKI export"):
        parse(path)


@pytest.mark.parametrize("name,reason", [("noteexpress_big5.net", "unknown encoding"),
                                         ("binary.bin", "binary file")])
def test_unusable_files_raise_importer_error(name, reason):
    with pytest.raises(ImporterError, match=reason):
        parse(FIXTURES / name)


def test_stable_fingerprint_across_formats(tmp_path):
    noteexpress = tmp_path / "one.net"
    noteexpress.write_text("{Reference Type}: Journal Article\n{Title}: 测试题名\n{Author}: 张三\n"
                           "{Journal}: 测试学报\n{Year}: 2020\n", encoding="utf-8")
    endnote = tmp_path / "one.txt"
    endnote.write_text("%0 Journal Article\r\n%A 张三\r\n%T 测试题名\r\n%J 测试学报\r\n%D 2020\r\n%W CNKI\r\n",
                       encoding="gbk")
    [a], _ = parse(noteexpress)
    [b], _ = parse(endnote)
    assert a.data["source_id"] == b.data["source_id"] and a.data["source_id"].startswith("fp:")
