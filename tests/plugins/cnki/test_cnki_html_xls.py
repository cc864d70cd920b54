"""CNKI "Excel" downloads that are really HTML tables (older KNS platform, library tools): sniffed by content,
decoded with their declared charset verified, mapped exactly like the real workbooks."""
from __future__ import annotations

from pathlib import Path

import pytest

from plugins.cnki_import import CnkiImporter
from plugins.ei_import import EiImporter
from repository.importers import ImporterError
from tests.importer_checks import parse_with, valid
from tests.plugins.cnki.test_cnki_excel import ARTICLE, HEADER, THESIS, UNTITLED, write_xlsx

FIXTURES = Path(__file__).parent / "fixtures"
ENCODED = {"html_xls_gbk.xls": "gb18030", "html_xls_utf8.xls": "utf-8", "html_xls_utf16.xls": "utf-16-le"}


def parse(path):
    return parse_with(CnkiImporter(), path)


def sniffs(path: Path) -> bool:
    return CnkiImporter().sniff(str(path), path.read_bytes()[:8192])


def html_table(rows, charset="utf-8") -> str:
    """*rows* as the HTML table a KNS "Excel" download holds."""
    body = "".join("<tr>" + "".join(f"<td>{value}</td>" for value in row) + "</tr>\n" for row in rows)
    return f'<html><head><meta charset="{charset}"></head><body><table border="1">\n{body}</table></body></html>\n'


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_gbk_utf8_and_utf16_copies_give_identical_records(name):
    path = FIXTURES / name
    assert sniffs(path)
    records, errors = parse(path)
    assert errors == []
    assert [r.extra for r in records] == [{"format": "excel", "workbook": "html", "encoding": ENCODED[name]}] * 3
    reference, _ = parse(FIXTURES / "html_xls_utf8.xls")
    assert [(r.line, r.data) for r in records] == [(r.line, r.data) for r in reference]


def test_html_table_records_carry_the_cnki_fields():
    records, _ = parse(FIXTURES / "html_xls_gbk.xls")
    article, thesis, english = (valid(r) for r in records)
    assert [r.line for r in records] == [2, 3, 4]  # table rows, the header being row 1
    assert article["title"] == "面向复杂工况的锂离子电池健康状态估计" and article["type"] == "journal_article"
    assert article["source_id"] == article["identifiers"]["cnki_filename"] == "CNKX202205020"
    assert [(a["name"], a["is_corresponding"], a["affiliations"]) for a in article["authors"]] == [
        ("周明", True, [0]), ("陈静", False, [1])]
    assert article["affiliations"][1]["raw"] == "清华大学汽车安全与节能国家重点实验室,北京100084"
    assert (article["venue"]["title"], article["year"], article["volume"], article["issue"], article["pages"]) == (
        "储能科学与技术", 2022, "11", "5", "1523-1531")
    assert article["abstract"] == "针对复杂工况下电池老化差异大的问题,提出一种迁移学习方法。\n实验表明误差低于2%&具有泛化能力。"
    assert [k["term"] for k in article["keywords"]] == ["锂离子电池", "健康状态", "迁移学习"]
    assert article["funding"][1] == {"funder": "辽宁省自然科学基金", "grants": ["2021-MS-110"]}
    assert article["doi"] == "10.19799/j.cnki.2095-4239.2022.0012" and article["published"] == "2022-05-10"
    # Columns the mapping does not read stay in raw, under the label the file gives them.
    assert "第一责任人: 周明" in records[0].data["raw"] and "专辑/专题: 工程科技Ⅱ辑" in records[0].data["raw"]
    assert thesis["type"] == "master_thesis" and thesis["title"] == "城市地下综合管廊火灾烟气蔓延特性研究"
    assert thesis["thesis"]["institution"] == "东南大学" and "funding" not in records[1].data  # "&nbsp;" is empty
    assert english["title"] == "Thermal runaway of lithium-ion cells under overcharge" and english["language"] == "en"


def test_html_table_maps_exactly_like_the_real_workbook(tmp_path):
    """One column mapping: the same rows as a .xlsx and as an HTML "xls" give the same records, raw included."""
    rows = [HEADER, ARTICLE, UNTITLED, THESIS]
    html = tmp_path / "CNKI-题录.xls"
    html.write_text(html_table(rows), encoding="utf-8")
    from_html, html_errors = parse(html)
    from_xlsx, xlsx_errors = parse(write_xlsx(tmp_path / "CNKI-题录.xlsx", [ARTICLE, UNTITLED, THESIS]))
    assert [(r.line, r.data) for r in from_html] == [(r.line, r.data) for r in from_xlsx]
    assert [(e.line, e.reason) for e in html_errors] == [(e.line, e.reason) for e in xlsx_errors] == [
        (3, "record has no title")]
    assert from_html[0].data["title"] == "基于深度学习的催化剂活性预测"


def test_broken_file_errors_name_file_and_row_good_rows_imported():
    path = FIXTURES / "html_xls_broken.xls"
    records, errors = parse(path)
    assert [(r.line, r.data["title"]) for r in records] == [(3, "钢筋混凝土梁抗剪性能研究")]
    assert [str(e) for e in errors] == [f"{path}:2: record has no title",
                                        f"{path}:4: truncated record (the file ends inside it)"]


def test_html_that_is_not_a_cnki_table_is_refused_clearly():
    path = FIXTURES / "html_not_cnki.html"
    assert not sniffs(path)
    with pytest.raises(ImporterError, match=r"html_not_cnki.html:1: not a CNKI export: no header row of its "
                                            r"columns in the first 10 rows of the HTML file"):
        parse(path)


def test_english_only_columns_are_not_a_cnki_header(tmp_path):
    """Another database's table ("Title", "Year", "Source"...) is not claimed as CNKI's."""
    path = tmp_path / "scopus.xls"
    path.write_text(html_table([["Authors", "Title", "Year", "Source", "Volume", "DOI", "Link"],
                                ["Wang X.", "Deep catalysts", "2019", "Nature", "5", "10.1/x", "https://x"]]))
    assert not sniffs(path)
    with pytest.raises(ImporterError, match="not a CNKI export"):
        parse(path)


def test_header_labels_in_every_shape_map_alike(tmp_path):
    """"Title-题名", "题名/Title" and "题名" are the same column."""
    shapes = [["来源库", "Title-题名", "作者/Author", "Year-年"], ["SrcDatabase-来源库", "题名/Title", "作者", "年/Year"]]
    data = []
    for number, header in enumerate(shapes):
        path = tmp_path / f"{number}.xls"
        path.write_text(html_table([header, ["期刊", "高速铁路桥梁徐变研究", "张三", "2020"]]))
        [record], _ = parse(path)
        data.append({k: v for k, v in record.data.items() if k != "raw"})
    assert data[0] == data[1] and data[0]["title"] == "高速铁路桥梁徐变研究" and data[0]["year"] == 2020


def test_declared_gbk_is_verified_against_the_bytes(tmp_path):
    """A re-saved file that still declares gb2312 but is UTF-8 is read as UTF-8: the bytes win."""
    path = tmp_path / "resaved.xls"
    path.write_bytes(html_table([HEADER, ARTICLE], charset="gb2312").encode("utf-8"))
    [record], _ = parse(path)
    assert record.extra["encoding"] == "utf-8" and record.data["title"] == "基于深度学习的催化剂活性预测"


def test_big5_declaring_gbk_is_refused_not_garbled(tmp_path):
    path = tmp_path / "big5.xls"
    rows = [["SrcDatabase-來源庫", "題名/Title", "作者/Author", "單位/Organ"],
            ["期刊", "高速鐵路橋梁徐變研究與應用", "張三;李四", "國立臺灣大學土木工程學系"]]
    path.write_bytes(html_table(rows, charset="gbk").encode("big5"))
    with pytest.raises(ImporterError, match="unknown encoding"):
        parse(path)


def test_ei_importer_does_not_claim_an_html_xls():
    assert not EiImporter().sniff(str(FIXTURES / "html_xls_utf8.xls"), (FIXTURES / "html_xls_utf8.xls").read_bytes())


def test_sniffing_reads_the_first_rows_and_parsing_says_what_is_wrong(monkeypatch):
    """A CNKI table is recognised from its first bytes; a whole-file problem (here: over the size limit) is
    then reported by the parse in its own words, not as "not a CNKI file"."""
    from repository.importkit import htmltable

    path = FIXTURES / "html_xls_utf8.xls"
    monkeypatch.setattr(htmltable, "MAX_BYTES", 1024)
    assert sniffs(path)
    with pytest.raises(ImporterError, match=r"html_xls_utf8.xls:1: HTML table of \d+ bytes is larger than the "
                                            r"limit of 1024 bytes"):
        parse(path)


def test_a_page_saved_by_excel_with_a_long_style_sheet_is_recognised(tmp_path):
    path = tmp_path / "saved-as-web-page.xls"
    style = "<style>" + "".join(f".xl{n} {{mso-number-format:\"\\@\";}}\n" for n in range(3000)) + "</style>"
    path.write_text(html_table([HEADER, ARTICLE]).replace("<head>", "<head>" + style), encoding="utf-8")
    assert path.stat().st_size > 64 * 1024 and sniffs(path)
    [record], errors = parse(path)
    assert errors == [] and record.data["title"] == "基于深度学习的催化剂活性预测"
