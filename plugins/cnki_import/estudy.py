"""CNKI E-Study (知网研学) and "self-describing" exports: ``DataType: 1`` / ``Title-题名: ...`` / ``SrcDatabase-来源库: 期刊``.

Each tag names itself twice, ``English-中文``; the Chinese label is the more specific one (``Page-页码``
and ``PageCount-页数`` share the English stem across versions), so it decides and the English one is the
fallback. Records start at ``DataType`` or, in the 自定义 export, at ``SrcDatabase-来源库`` — whichever
the file uses first — and follow each other without blank lines. The Excel exports (workbooks and HTML
tables) have the same labels as column headers; ``label_tag`` reads them for ``excel``.
"""
from __future__ import annotations

import re

from repository.importkit.fields import CJK
from repository.importkit.tagged import TagFormat

#: Chinese labels (and the few names CNKI writes the same in both languages) -> neutral keys.
LABELS = {
    "DataType": "data_type", "题名": "title", "英文篇名": "title_alt", "作者": "author", "机构": "affiliation",
    "单位": "affiliation", "作者单位": "affiliation", "刊名": "venue", "文献来源": "venue", "来源": "venue",
    "年": "year", "出版时间": "date", "发表时间": "date", "出版日期": "date", "关键词": "keyword",
    "英文关键词": "keyword_alt", "摘要": "abstract", "英文摘要": "abstract_alt", "期": "issue", "卷": "volume",
    "页码": "pages", "来源库": "database", "来源数据库": "database", "链接": "link", "网址": "link",
    "基金": "fund", "中图分类号": "clc", "分类号": "clc", "国际标准刊号": "issn", "ISSN": "issn",
    "国内统一刊号": "cn", "CN": "cn", "DOI": "doi", "导师": "supervisor", "学位": "degree",
    "学位授予单位": "publisher", "专业": "discipline", "学科专业名称": "discipline", "语种": "language",
    "文件名": "filename", "FileName": "filename", "出版单位": "publisher", "会议名称": "conference",
    "会议地点": "place", "论文集名称": "proceedings", "主办单位": "sponsor", "专利号": "call_number",
    "申请人": "sponsor",
}
#: English stems, used only when the Chinese label is unknown.
STEMS = {
    "Title": "title", "Author": "author", "Organ": "affiliation", "Source": "venue", "Year": "year",
    "PubTime": "date", "Keyword": "keyword", "Summary": "abstract", "Period": "issue", "Roll": "volume",
    "Volume": "volume", "Page": "pages", "SrcDatabase": "database", "Link": "link", "URL": "link",
    "Fund": "fund", "CLC": "clc", "Tutor": "supervisor", "Degree": "degree",
}
KEYS = {**LABELS, **STEMS}
_TAG = re.compile(r"^(?:(DataType)|([A-Za-z][A-Za-z]*)-([^:：\s][^:：]{0,15}))\s*[:：]\s?(.*)$")
# A column label's parts: "Title-题名", "题名/Title", "题名／Title".
_LABEL_PARTS = re.compile(r"\s*[-/／]\s*")


def _tag(english: str, chinese: str) -> str:
    chinese = chinese.strip()
    return chinese if chinese in KEYS else english


def match_tag(line: str) -> tuple[str, str] | None:
    """``Title-题名: value`` -> (tag, value); ``DataType: 1`` -> ("DataType", "1")."""
    match = _TAG.match(line)
    if not match:
        return None
    data_type, english, chinese, value = match.groups()
    if data_type:
        return "DataType", value.strip()
    return _tag(english, chinese), value.strip()


def label_tag(label: str) -> str | None:
    """The tag of an Excel column label, or None when it names a field the mapping does not read.

    CNKI and the tools that re-save its downloads write a label as ``Title-题名``, ``题名/Title`` or
    ``题名`` alone: a known Chinese label decides, a known English stem of a two-part label is the fallback
    (``Summary-内容摘要``). A bare English word is not taken: "Title", "Year", "Source" would make any
    other database's table look like a CNKI one.
    """
    parts = [part for part in _LABEL_PARTS.split(label.strip().rstrip(":：")) if part]
    if not 1 <= len(parts) <= 2:
        return None
    by_script = sorted(parts, key=lambda part: not CJK.search(part))  # the Chinese part first
    tag = next((part for part in by_script if part in LABELS), None)
    if tag is None and len(parts) == 2:
        tag = next((part for part in parts if part in STEMS), None)
    return tag


FORMAT = TagFormat("estudy", match_tag, ("DataType", "来源库", "来源数据库"), KEYS)
