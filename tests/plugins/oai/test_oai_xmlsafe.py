"""Hardened parsing: XXE, entity expansion, oversized and malformed documents are refused."""
from __future__ import annotations

import io

import pytest

from plugins.oai_pmh.xmlsafe import UnsafeXMLError, parse_xml, read_limited

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><x>&xxe;</x></OAI-PMH>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">&lol4;</OAI-PMH>"""


def test_xxe_is_refused():
    with pytest.raises(UnsafeXMLError, match="DTD"):
        parse_xml(XXE)


def test_billion_laughs_is_refused():
    with pytest.raises(UnsafeXMLError, match="DTD"):
        parse_xml(LAUGHS)


def test_a_dtd_hidden_after_a_long_prolog_is_still_refused():
    padded = b'<?xml version="1.0"?>\n' + b"<!--" + b" " * 70000 + b"-->\n" + XXE.split(b"\n", 1)[1]
    with pytest.raises(UnsafeXMLError):
        parse_xml(padded)


def test_oversized_documents_are_refused_while_reading():
    stream = io.BytesIO(b"<a>" + b"x" * 5000 + b"</a>")
    with pytest.raises(UnsafeXMLError, match="limit"):
        read_limited(stream, max_bytes=1000, chunk=256)
    with pytest.raises(UnsafeXMLError, match="exceeds"):
        parse_xml(b"<a>" + b"x" * 5000 + b"</a>", max_bytes=1000)


def test_too_deep_documents_are_refused():
    deep = b"<a>" * 5000 + b"</a>" * 5000
    with pytest.raises(UnsafeXMLError):
        parse_xml(deep)


def test_malformed_and_fine_documents():
    with pytest.raises(UnsafeXMLError, match="well-formed"):
        parse_xml(b"<a><b></a>")
    assert parse_xml("<a>知库</a>".encode()).text == "知库"
