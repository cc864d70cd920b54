"""Serialize verb results as OAI-PMH 2.0 XML, streamed record by record with lxml's incremental writer."""
from __future__ import annotations

import datetime as dt
import io
import re
from typing import Iterator

from lxml import etree

from . import queries
from .formats.base import XSI
from .verbs import ErrorResult, FormatsResult, IdentifyResult, RecordsResult, SetsResult

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_ID = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_ID_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_REPOSITORY_ID = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")


def _e(tag: str, text: str | None = None, **attrib) -> etree._Element:
    # written on its own by the incremental writer, so it declares the OAI namespace as default itself
    element = etree.Element(f"{{{OAI}}}{tag}", {k: v for k, v in attrib.items() if v is not None},
                            nsmap={None: OAI})
    if text is not None:
        element.text = text
    return element


def _sub(parent, tag: str, text: str | None = None, **attrib) -> etree._Element:
    element = etree.SubElement(parent, f"{{{OAI}}}{tag}", {k: v for k, v in attrib.items() if v is not None})
    if text is not None:
        element.text = text
    return element


class Site:
    """What the envelope needs to know about this repository and request."""

    def __init__(self, base_url: str, name: str, admin_email: str, repository_id: str, context):
        self.base_url = base_url
        self.name = name
        self.admin_email = admin_email
        self.repository_id = repository_id
        self.context = context  # FormatContext for the metadata writers


def render(result, site: Site, now: dt.datetime) -> Iterator[bytes]:
    """Yield the response body in chunks: the envelope, then one chunk per record."""
    buffer = io.BytesIO()

    def drain() -> bytes:
        data = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return data

    with etree.xmlfile(buffer, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI},
                        attrib={f"{{{XSI}}}schemaLocation": f"{OAI} {OAI_SCHEMA}"}):
            xf.write(_e("responseDate", queries.datestamp(now)))
            xf.write(_e("request", site.base_url, **(result.echo or {})))
            if isinstance(result, ErrorResult):
                for error in result.errors:
                    xf.write(_e("error", error.message, code=error.code))
            elif isinstance(result, IdentifyResult):
                xf.write(_identify(result, site))
            elif isinstance(result, FormatsResult):
                xf.write(_formats(result))
            elif isinstance(result, SetsResult):
                xf.write(_sets(result))
            else:
                with xf.element(f"{{{OAI}}}{result.verb}"):
                    for work in result.works:
                        xf.write(_record(result, work, site))
                        xf.flush()
                        yield drain()
                    if result.token_present:
                        xf.write(_e("resumptionToken", result.token or None,
                                    completeListSize=str(result.complete_list_size),
                                    cursor=str(result.cursor),
                                    expirationDate=queries.datestamp(result.expiration)
                                    if result.expiration else None))
    yield drain()


def _identify(result: IdentifyResult, site: Site) -> etree._Element:
    identify = _e("Identify")
    _sub(identify, "repositoryName", site.name)
    _sub(identify, "baseURL", site.base_url)
    _sub(identify, "protocolVersion", "2.0")
    _sub(identify, "adminEmail", site.admin_email)
    _sub(identify, "earliestDatestamp", result.earliest)
    _sub(identify, "deletedRecord", "persistent")
    _sub(identify, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    if _REPOSITORY_ID.match(site.repository_id):
        description = _sub(identify, "description")
        oai_id = etree.SubElement(description, f"{{{OAI_ID}}}oai-identifier", nsmap={None: OAI_ID})
        oai_id.set(f"{{{XSI}}}schemaLocation", f"{OAI_ID} {OAI_ID_SCHEMA}")
        for tag, text in (("scheme", "oai"), ("repositoryIdentifier", site.repository_id), ("delimiter", ":"),
                          ("sampleIdentifier", f"oai:{site.repository_id}:1")):
            etree.SubElement(oai_id, f"{{{OAI_ID}}}{tag}").text = text
    return identify


def _formats(result: FormatsResult) -> etree._Element:
    element = _e("ListMetadataFormats")
    for metadata_format in result.formats:
        entry = _sub(element, "metadataFormat")
        _sub(entry, "metadataPrefix", metadata_format.prefix)
        _sub(entry, "schema", metadata_format.schema)
        _sub(entry, "metadataNamespace", metadata_format.namespace)
    return element


def _sets(result: SetsResult) -> etree._Element:
    element = _e("ListSets")
    for oai_set in result.sets:
        entry = _sub(element, "set")
        _sub(entry, "setSpec", oai_set.spec)
        _sub(entry, "setName", oai_set.name)
        if oai_set.name_zh or oai_set.name_en or oai_set.description:
            description = _sub(entry, "setDescription")
            dc = etree.SubElement(description, f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
            dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
            for lang, name in (("zh", oai_set.name_zh), ("en", oai_set.name_en)):
                if name:
                    title = etree.SubElement(dc, f"{{{DC}}}title")
                    title.text = name
                    title.set(XML_LANG, lang)
            if oai_set.description:
                etree.SubElement(dc, f"{{{DC}}}description").text = oai_set.description
    return element


def header(work, set_specs: list[str], site: Site) -> etree._Element:
    element = _e("header", status="deleted" if queries.is_tombstone(work) else None)
    _sub(element, "identifier", site.context.oai_identifier(work))
    _sub(element, "datestamp", queries.datestamp(work.datestamp))
    for spec in set_specs:
        _sub(element, "setSpec", spec)
    return element


def _record(result: RecordsResult, work, site: Site) -> etree._Element:
    head = header(work, result.set_specs.get(work.id, []), site)
    if not result.with_metadata:
        return head
    record = _e("record")
    record.append(head)
    if not queries.is_tombstone(work):
        metadata = _sub(record, "metadata")
        metadata.append(result.format.write(work, site.context))
    return record
