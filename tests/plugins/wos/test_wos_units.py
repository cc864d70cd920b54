"""The small pieces: dates, names, codes, funding, and the plugin registration."""
from __future__ import annotations

import pluggy
import pytest

import plugins.wos_import as wos_import
from plugins.wos_import import WosImporter
from plugins.wos_import.codes import editions, language_code, work_type
from plugins.wos_import.dates import partial_date
from plugins.wos_import.mapping import _funding
from plugins.wos_import.names import best, name_key
from repository import hookspecs
from repository.importers import Importer


@pytest.mark.parametrize("pd,py,expected", [
    ("JAN 15", "2021", "2021-01-15"),
    ("JAN-FEB", "2010", "2010-01"),
    ("SPR", "2018", "2018"),
    ("FAL 2006", "2006", "2006"),
    ("Aug 1 2019", "2019", "2019-08-01"),
    ("19 July, 2002", "2002", "2002-07-19"),
    ("Aug., 1997", "1997", "1997-08"),
    ("2015-07", "2015", "2015-07"),
    ("Apr-Jun 2001(2002)", "2001", "2001-04"),
    ("FEB 30", "1990", "1990-02"),
    ("DEC 3 2015", None, "2015-12-03"),
    ("", "1999", "1999"),
    ("Sept 9", "2020", "2020-09-09"),
    ("nonsense", None, None),
])
def test_partial_dates(pd, py, expected):
    assert partial_date(pd, int(py) if py else None) == expected


@pytest.mark.parametrize("dt,pt,expected", [
    ("Article", "J", "journal_article"),
    ("Article; Proceedings Paper", "J", "journal_article"),
    ("Proceedings Paper", "S", "conference_paper"),
    ("Review; Early Access", "J", "review"),
    ("Early Access", "J", "journal_article"),
    ("Book Chapter Meeting", "B", "book_chapter"),
    ("Editorial Material", "J", "editorial"),
    ("Letter", "J", "letter"),
    ("Meeting Abstract", "J", "meeting_abstract"),
    ("Correction", "J", "correction"),
    ("Something New", "J", "journal_article"),
    (None, "B", "book"),
    (None, None, "other"),
])
def test_document_types(dt, pt, expected):
    assert work_type(dt, pt) == expected


def test_languages_and_editions():
    assert language_code("English") == "en" and language_code("Chinese") == "zh"
    assert language_code("Netherlandish") == "nl" and language_code("Klingon") is None
    assert editions("Science Citation Index Expanded (SCI-EXPANDED); Arts &amp; Humanities (A&HCI)") == ["SCIE", "AHCI"]
    assert editions("Emerging Sources Citation Index (ESCI)") == ["ESCI"]
    assert editions("Social Sciences Citation Index") == ["SSCI"]


def test_name_matching_across_forms():
    authors = [(name_key("Owen-Smith, Jason"), name_key("Owen-Smith, J")), (name_key("Powell, Walter W."),)]
    assert best("OWEN SMITH, J", authors) == ([0], 2)
    assert best("Powell, Walter", authors)[0] == [1]
    assert best("Zhang, W", authors) == ([], 0)
    assert name_key("Thompson, Frank R., III") == name_key("Thompson, Frank R.")
    assert name_key("Müller, Jean-Pierre").initials == "JP"


def test_funding_forms():
    assert _funding("NSFC [1, 2]; MOST; [orphan grant]; Fund A [x] [y]") == [
        {"funder": "NSFC", "grants": ["1", "2"]}, {"funder": "MOST", "grants": []},
        {"funder": "Fund A", "grants": ["x", "y"]}]


def test_plugin_registers_the_importer_through_the_hook():
    manager = pluggy.PluginManager("zhiku")
    manager.add_hookspecs(hookspecs)
    manager.register(wos_import)
    importers = [imp for result in manager.hook.zhiku_importers() for imp in result]
    assert len(importers) == 1
    importer = importers[0]
    assert isinstance(importer, WosImporter) and isinstance(importer, Importer)
    assert (importer.name, importer.label) == ("wos", "Web of Science")
