"""CNKI Excel 题录 exports (.xlsx and .xls): written here with openpyxl and xlwt, in CNKI's own columns."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import xlwt

from plugins.cnki_import import CnkiImporter
from plugins.ei_import import EiImporter
from repository.importers import ImporterError
from tests.importer_checks import parse_with, valid

# The columns of CNKI's 自定义 Excel export, in its order.
HEADER = ["SrcDatabase-来源库", "Title-题名", "Author-作者", "Organ-单位", "Source-文献来源", "Keyword-关键词",
          "Summary-摘要", "PubTime-发表时间", "FirstDuty-第一责任人", "Fund-基金", "Year-年", "Volume-卷",
          "Period-期", "PageCount-页码", "CLC-中图分类号", "ISSN-国际标准刊号", "URL-网址", "DOI-DOI"]
ARTICLE = ["期刊", "基于深度学习的催化剂活性预测", "王小明*;李华;", "大连理工大学化工学院,辽宁大连116024;清华大学化学系,北京100084;",
           "化工学报", "深度学习;催化剂;活性预测;", "本文提出一种基于深度学习的催化剂活性预测方法。", "2019-03-15",
           "王小明", "国家自然科学基金(21576039,21776030);", 2019, 70, "03", "1010-1018", "TQ426;TP183", "0438-1157",
           "https://kns.cnki.net/kcms/detail/detail.aspx?dbcode=CJFD&dbname=CJFDLAST2019&filename=HGSZ201903010",
           "10.11949/j.issn.0438-1157.20181234"]
THESIS = ["硕士", "高速铁路桥梁徐变研究", "张三;", "北京交通大学;", "北京交通大学", "徐变;桥梁;", "研究了高速铁路桥梁的徐变。",
          "2020-06-01", "张三", "", 2020, "", "", "", "U448", "",
          "https://kns.cnki.net/kcms/detail/detail.aspx?dbcode=CMFD&dbname=CMFD202101&filename=1020012345.nh", ""]
UNTITLED = ["期刊", "", "赵六;", "东南大学;", "东南学报", "", "", "2021-01-01", "", "", 2021, 1, 1, "1-5", "", "", "", ""]


def write_xlsx(path, rows, before=()):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (*before, HEADER, *rows):
        sheet.append(list(row))
    book.save(path)
    return path


def write_xls(path, rows):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("题录")
    for r, row in enumerate((HEADER, *rows)):
        for c, value in enumerate(row):
            if value != "":
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def estudy_text(rows) -> str:
    """The same records as CNKI's self-describing text export (SrcDatabase-来源库 first)."""
    return "".join("".join(f"{label}: {value}\r\n" for label, value in zip(HEADER, row)) + "\r\n" for row in rows)


def parse(path):
    return parse_with(CnkiImporter(), path)


def test_xlsx_maps_like_the_self_describing_text_export(tmp_path):
    xlsx = write_xlsx(tmp_path / "CNKI-题录.xlsx", [ARTICLE, THESIS])
    text = tmp_path / "CNKI-题录.txt"
    text.write_text(estudy_text([ARTICLE, THESIS]), encoding="utf-8")
    assert CnkiImporter().sniff(str(xlsx), xlsx.read_bytes()[:8192])
    records, errors = parse(xlsx)
    assert errors == [] and [r.line for r in records] == [2, 3]
    assert records[0].extra == {"format": "excel", "workbook": "xlsx"}
    from_text, _ = parse(text)
    without_raw = lambda items: [{k: v for k, v in r.data.items() if k != "raw"} for r in items]  # noqa: E731
    assert without_raw(records) == without_raw(from_text)

    article, thesis = (valid(r) for r in records)
    assert article["source_id"] == article["identifiers"]["cnki_filename"] == "HGSZ201903010"
    assert article["type"] == "journal_article" and article["title"] == "基于深度学习的催化剂活性预测"
    assert [(a["name"], a["is_corresponding"], a["affiliations"]) for a in article["authors"]] == [
        ("王小明", True, [0]), ("李华", False, [1])]
    assert (article["venue"]["title"], article["venue"]["issn"]) == ("化工学报", "0438-1157")
    assert (article["year"], article["volume"], article["issue"], article["pages"]) == (2019, "70", "3", "1010-1018")
    assert article["published"] == "2019-03-15" and article["doi"] == "10.11949/j.issn.0438-1157.20181234"
    assert article["funding"] == [{"funder": "国家自然科学基金", "grants": ["21576039", "21776030"]}]
    assert [s["term"] for s in article["subjects"]] == ["TQ426", "TP183"]
    assert records[0].data["raw"].splitlines()[:2] == ["SrcDatabase-来源库: 期刊", "Title-题名: 基于深度学习的催化剂活性预测"]
    assert "FirstDuty-第一责任人: 王小明" in records[0].data["raw"]  # columns the mapping does not read stay in raw
    assert thesis["type"] == "master_thesis" and thesis["thesis"]["institution"] == "北京交通大学"
    assert thesis["source_id"] == "1020012345.NH"


def test_xls_gives_the_same_records_as_xlsx(tmp_path):
    xlsx, _ = parse(write_xlsx(tmp_path / "a.xlsx", [ARTICLE, THESIS]))
    xls_path = write_xls(tmp_path / "a.xls", [ARTICLE, THESIS])
    assert CnkiImporter().sniff(str(xls_path), xls_path.read_bytes()[:8192])
    xls, errors = parse(xls_path)
    assert errors == [] and xls[0].extra == {"format": "excel", "workbook": "xls"}
    assert [(r.line, r.data) for r in xls] == [(r.line, r.data) for r in xlsx]


def test_header_after_a_title_row_bad_rows_reported_good_rows_imported(tmp_path):
    path = write_xlsx(tmp_path / "b.xlsx", [ARTICLE, [], UNTITLED, HEADER, THESIS], before=[["中国知网 文献导出"], []])
    records, errors = parse(path)
    assert [r.data["title"] for r in records] == ["基于深度学习的催化剂活性预测", "高速铁路桥梁徐变研究"]
    assert [r.line for r in records] == [4, 8]  # the repeated header row (7) and the empty row (5) are skipped
    assert [str(e) for e in errors] == [f"{path}:6: record has no title"]


def test_date_and_number_cells_read_as_excel_shows_them(tmp_path):
    row = list(ARTICLE)
    row[HEADER.index("PubTime-发表时间")] = dt.datetime(2019, 3, 15)
    row[HEADER.index("Year-年")] = 2019.0
    [record], _ = parse(write_xlsx(tmp_path / "c.xlsx", [row]))
    assert record.data["published"] == "2019-03-15" and record.data["year"] == 2019
    assert "Year-年: 2019\n" in record.data["raw"]


def test_workbook_of_another_source_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Name", "Department", "Phone"])
    book.active.append(["王伟", "化工学院", "0411-1234"])
    path = tmp_path / "staff.xlsx"
    book.save(path)
    assert not CnkiImporter().sniff(str(path), path.read_bytes()[:8192])
    with pytest.raises(ImporterError, match=r"staff.xlsx:1: not a CNKI export: no header row .* \.xlsx workbook"):
        parse(path)


def test_ei_importer_does_not_claim_a_cnki_workbook(tmp_path):
    path = write_xlsx(tmp_path / "d.xlsx", [ARTICLE])
    assert not EiImporter().sniff(str(path), path.read_bytes()[:8192])


@pytest.mark.parametrize("suffix", ["xlsx", "xls"])
def test_damaged_workbook_is_an_importer_error(tmp_path, suffix):
    good = tmp_path / f"good.{suffix}"
    (write_xlsx if suffix == "xlsx" else write_xls)(good, [ARTICLE, THESIS])
    damaged = tmp_path / f"damaged.{suffix}"
    damaged.write_bytes(good.read_bytes()[:len(good.read_bytes()) // 2])
    assert not CnkiImporter().sniff(str(damaged), damaged.read_bytes()[:8192])
    with pytest.raises(ImporterError, match=rf"damaged.{suffix}:1: damaged or unreadable \.{suffix} workbook"):
        parse(damaged)

