"""CNKI Excel "题录" exports: a header row of field labels, then one record per row.

Three kinds of file carry them: .xlsx and .xls workbooks, and the HTML tables that CNKI's older KNS
platform and several library tools save under a .xls name (``repository.importkit.htmltable``). The
columns are those of the self-describing text export (``SrcDatabase-来源库``, ``Title-题名``,
``Author-作者``, ``Organ-单位``, ``Source-文献来源``, ``Keyword-关键词``, ``Summary-摘要``,
``PubTime-发表时间``, ``FirstDuty-第一责任人``, ``Fund-基金``, ``Year-年``, ``Volume-卷``, ``Period-期``,
``PageCount-页码``, ``CLC-中图分类号``, ``ISSN-国际标准刊号``, ``URL-网址``, ``DOI-DOI``...), also written
``题名/Title`` or ``题名``; ``estudy.label_tag`` reads every shape, so a column means what the same label
means in ``estudy`` and the records map identically whatever the file. Reading the file and finding the
header row is the import kit's (``repository.importkit.workbook``).
"""
from __future__ import annotations

from repository.importkit.workbook import LabelledTable

from . import estudy

FORMAT = LabelledTable("excel", estudy.label_tag, estudy.KEYS)
