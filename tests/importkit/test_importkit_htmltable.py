"""importkit.htmltable: HTML "xls" files recognised by content, decoded after verification, parsed safely."""
from __future__ import annotations

import pytest

from repository.importers import ImporterError
from repository.importkit import htmltable
from repository.importkit.htmltable import html_encoding, is_html, iter_html_rows
from repository.importkit.workbook import HTML, read_table, workbook_kind


def rows_of(tmp_path, html: str, encoding: str = "utf-8"):
    path = tmp_path / "t.xls"
    path.write_bytes(html.encode(encoding))
    rows, how = read_table(str(path), HTML)
    return list(rows), how


@pytest.mark.parametrize("head,expected", [
    (b"<html><body><table>", True),
    (b"\xef\xbb\xbf\r\n  <!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.0//EN\">\n<HTML>", True),
    (b"<table border=1><tr><td>a", True),
    ("<html>".encode("utf-16"), True),
    (b"<?xml version=\"1.0\"?><xml><records><record>", False),  # EndNote XML: not HTML
    ("%0 Journal Article\n%T <html> in a title".encode(), False),
    (b"PK\x03\x04", False),
])
def test_is_html_by_content(head, expected):
    assert is_html(head) is expected


def test_html_kind_is_told_apart_from_workbooks_whatever_the_name():
    assert workbook_kind(b"<html><head><meta charset=gbk></head>") == HTML
    assert workbook_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"<html>") == "xls"


@pytest.mark.parametrize("meta", ['<meta charset=gbk>',
                                  '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'])
def test_the_declared_charset_decides_what_the_bytes_leave_open(tmp_path, meta):
    """English-heavy GBK pages look Korean to the detector (cp949, refused); declared, GBK is tried first,
    verified over the whole file, and the Chinese comes out intact."""
    table = ("<table><tr><td>Title-题名</td><td>Author-作者</td><td>Year-年</td></tr>"
             "<tr><td>Deep learning</td><td>Wang</td><td>2019</td></tr></table>")
    undeclared = tmp_path / "undeclared.xls"
    undeclared.write_bytes(table.encode("gbk"))
    with pytest.raises(ImporterError, match=r"unknown encoding \(detector: cp949\)"):
        html_encoding(str(undeclared))
    rows, how = rows_of(tmp_path, meta + table, "gbk")
    assert how == {"workbook": "html", "encoding": "gb18030"}
    assert rows[0] == (1, ["Title-题名", "Author-作者", "Year-年"])


def test_cells_read_as_a_browser_shows_them(tmp_path):
    rows, _ = rows_of(tmp_path, "<table>\n<tr><th> 题名 </th><td>a\n   b&nbsp;&nbsp;c</td><td>第一行<br>第二行<BR/></td>"
                                "<td>&amp;&#x4e2d;<b>粗</b>体</td><td></td></tr></table>")
    assert rows == [(1, ["题名", "a b c", "第一行\n第二行", "&中粗体", ""])]
    # Found by fuzzing: text lxml accepted while parsing but would refuse to be set (a control character).
    assert rows_of(tmp_path, "<table><tr><td>a<br>\x01b</td></tr></table>")[0] == [(1, ["a\n\x01b"])]


def test_rows_numbered_in_document_order_nested_tables_stay_in_their_cell(tmp_path):
    rows, _ = rows_of(tmp_path, "<p>导出</p><table><tr><td>标题</td></tr></table><table><tr><td>a"
                                "<table><tr><td>inner</td></tr></table></td><td>b</td></tr><tr><td>c<td>d</table>")
    assert rows == [(1, ["标题"]), (2, ["ainner", "b"]), (3, ["c", "d"])]


def test_a_file_ending_inside_a_row_gives_that_row_without_cells(tmp_path):
    rows, _ = rows_of(tmp_path, "<table><tr><td>h</td></tr><tr><td>a</td></tr><tr><td>b</td><td>http://x")
    assert rows == [(1, ["h"]), (2, ["a"]), (3, None)]
    # A file that never closes its rows is not cut short just because its last row is unclosed.
    rows, _ = rows_of(tmp_path, "<table><tr><td>h<tr><td>a<tr><td>b")
    assert rows == [(1, ["h"]), (2, ["a"]), (3, ["b"])]


def test_entities_are_never_expanded_and_nothing_is_fetched(tmp_path):
    page = ('<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY lol "lollollol">]>'
            '<table><tr><td>&xxe;&lol;</td><td><img src="http://127.0.0.1:9/x.png">a</td></tr></table>')
    rows, _ = rows_of(tmp_path, page)
    assert rows == [(1, ["&xxe;&lol;", "a"])]


def test_nesting_deeper_than_the_limit_is_refused_not_silently_cut(tmp_path):
    deep = "<div>" * 300 + "x" + "</div>" * 300
    path = tmp_path / "deep.xls"
    path.write_text(f"<table><tr><td>a</td></tr><tr><td>{deep}</td></tr><tr><td>c</td></tr></table>")
    with pytest.raises(ImporterError, match=r"deep.xls:2: HTML nested deeper than 100 elements"):
        list(iter_html_rows(str(path), html_encoding(str(path))))
    shallow = "<div>" * 90 + "x" + "</div>" * 90
    assert rows_of(tmp_path, f"<table><tr><td>{shallow}</td></tr><tr><td>c</td></tr></table>")[0] == [
        (1, ["x"]), (2, ["c"])]


def test_files_over_the_size_limit_are_refused(tmp_path, monkeypatch):
    path = tmp_path / "big.xls"
    path.write_text("<table><tr><td>" + "题" * 1000 + "</td></tr></table>", encoding="utf-8")
    monkeypatch.setattr(htmltable, "MAX_BYTES", 1024)
    with pytest.raises(ImporterError, match="larger than the limit of 1024 bytes"):
        html_encoding(str(path))


def test_rows_leave_the_tree_once_read(tmp_path):
    """The parse tree keeps only the row being read, not the rows before it."""
    parser = htmltable._parser()
    parser.feed(("<table>" + "<tr><td>题名</td><td>作者</td></tr>" * 500).encode("utf-8"))
    reader = htmltable._RowReader("t.xls")
    rows = list(reader.rows(parser.read_events()))
    root = parser.close()
    assert len(rows) == 500 and rows[-1] == (500, ["题名", "作者"])
    assert len(root.findall(".//tr")) == 1 and len(root.find(".//tr")) == 0
