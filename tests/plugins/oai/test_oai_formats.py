"""The metadata formats: oai_dc valid against the official schema, ETD-MS for theses, MODS with zh/en."""
from __future__ import annotations

import pytest
from lxml import etree

from oai_helpers import NS, SHARED_OAI, error_code, harvest, oai

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ID = "oai:repo.test.edu.cn:{}"


class _LocalSchemas(etree.Resolver):
    def resolve(self, url, _id, context):
        return self.resolve_filename(str(SHARED_OAI / "schemas" / url.rsplit("/", 1)[-1]), context)


@pytest.fixture(scope="module")
def oai_dc_schema():
    if not (SHARED_OAI / "schemas" / "oai_dc.xsd").is_file():
        pytest.skip("../shared/tools/oai/schemas is absent")
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(SHARED_OAI / "schemas" / "oai_dc.xsd"), parser))


@pytest.fixture(scope="module")
def oai_pmh_schema():
    """OAI-PMH.xsd with the schemas of the content it validates strictly here: oai_dc and oai-identifier.

    Only formats whose official schema is at hand offline are validated: ../shared/tools/oai/schemas holds
    OAI-PMH, oai_dc, oai-identifier, simple DC and xml.xsd; no maintained source offers the ETD-MS 1.1 or
    MODS 3.7 schemas offline, so oai_etdms and mods are checked by content (below), not by XSD.
    """
    if not (SHARED_OAI / "schemas" / "OAI-PMH.xsd").is_file():
        pytest.skip("../shared/tools/oai/schemas is absent")
    driver = b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="http://www.openarchives.org/OAI/2.0/" schemaLocation="OAI-PMH.xsd"/>
      <xs:import namespace="http://www.openarchives.org/OAI/2.0/oai_dc/" schemaLocation="oai_dc.xsd"/>
      <xs:import namespace="http://www.openarchives.org/OAI/2.0/oai-identifier" schemaLocation="oai-identifier.xsd"/>
    </xs:schema>"""
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.fromstring(driver, parser, base_url=str(SHARED_OAI / "schemas") + "/"))


def test_whole_responses_are_valid_oai_pmh(client, repository, oai_pmh_schema):
    """Every verb's envelope (and the oai_dc and oai-identifier content in it), errors included."""
    requests = [{"verb": "Identify"}, {"verb": "ListMetadataFormats"}, {"verb": "ListSets"},
                {"verb": "ListIdentifiers", "metadataPrefix": "mods"}, {"verb": "Nonsense"},
                {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": ID.format(repository["article"].id)},
                {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": ID.format(repository["merged"].id)},
                {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:elsewhere:1"},
                {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "type:patent"}]
    for params in requests:
        oai_pmh_schema.assertValid(oai(client, **params))
    _, pages = harvest(client, "ListRecords", metadataPrefix="oai_dc")
    for page in pages:
        oai_pmh_schema.assertValid(page)
    broken = oai(client, verb="Identify")  # the schema is strict: a response without its date is refused
    broken.remove(broken.find("oai:responseDate", NS))
    assert not oai_pmh_schema.validate(broken)


def record(client, prefix, work):
    root = oai(client, verb="GetRecord", metadataPrefix=prefix, identifier=ID.format(work.id))
    assert error_code(root) is None, etree.tostring(root)
    return root.find("oai:GetRecord/oai:record/oai:metadata", NS)[0]


def test_every_oai_dc_record_is_schema_valid(client, repository, oai_dc_schema):
    records, _ = harvest(client, "ListRecords", metadataPrefix="oai_dc")
    for item in records:
        metadata = item.find("oai:metadata", NS)
        if metadata is not None:
            oai_dc_schema.assertValid(etree.fromstring(etree.tostring(metadata[0])))


def test_oai_dc_content_with_languages(client, repository):
    dc = record(client, "oai_dc", repository["chinese"])
    titles = [(t.text, t.get(XML_LANG)) for t in dc.iterfind("dc:title", NS)]
    assert titles == [("基于深度学习的故障诊断", "zh"), ("Fault diagnosis by deep learning", "en")]
    descriptions = [(t.text, t.get(XML_LANG)) for t in dc.iterfind("dc:description", NS)]
    assert descriptions == [("提出一种方法。", "zh"), ("A method is proposed.", "en")]
    assert [(s.text, s.get(XML_LANG)) for s in dc.iterfind("dc:subject", NS)] == [("故障诊断", "zh")]
    assert dc.findtext("dc:language", namespaces=NS) == "zh"
    article = record(client, "oai_dc", repository["article"])
    assert "https://doi.org/10.5555/oai.0001" in [i.text for i in article.iterfind("dc:identifier", NS)]
    assert article.findtext("dc:source", namespaces=NS) == "Journal of Catalysis, 2023, 419(2): 88-97"
    assert [t.text for t in article.iterfind("dc:type", NS)] == ["info:eu-repo/semantics/article", "Journal article"]
    assert not [e for e in article if not (e.text or "").strip()], "no empty elements"


def test_etdms_only_for_theses(client, repository):
    thesis = record(client, "oai_etdms", repository["thesis"])
    assert thesis.tag == "{http://www.ndltd.org/standards/metadata/etdms/1.1/}thesis"
    degree = thesis.find("etdms:degree", NS)
    assert degree.findtext("etdms:level", namespaces=NS) == "2"
    assert degree.findtext("etdms:discipline", namespaces=NS) == "化学工程"
    assert degree.findtext("etdms:grantor", namespaces=NS) == "大连理工大学"
    assert thesis.find("etdms:contributor", NS).get("role") == "advisor"
    order = [etree.QName(e).localname for e in thesis]
    assert order.index("title") < order.index("creator") < order.index("date") < order.index("degree")
    root = oai(client, verb="GetRecord", metadataPrefix="oai_etdms", identifier=ID.format(repository["article"].id))
    assert error_code(root) == "cannotDisseminateFormat"
    listed, _ = harvest(client, "ListIdentifiers", metadataPrefix="oai_etdms")
    assert [h.findtext("oai:identifier", namespaces=NS) for h in listed] == [ID.format(repository["thesis"].id)]


def test_mods_parallel_names_and_host_journal(client, repository):
    mods = record(client, "mods", repository["article"])
    names = mods.findall("mods:name", NS)
    assert names[0].findtext("mods:namePart", namespaces=NS) == "Zhang, San"
    assert names[1].findtext("mods:namePart", namespaces=NS) == "张三"
    assert names[0].get("altRepGroup") == names[1].get("altRepGroup") is not None
    assert names[1].get(XML_LANG) == "zh"
    host = mods.find("mods:relatedItem[@type='host']", NS)
    assert host.findtext("mods:titleInfo/mods:title", namespaces=NS) == "Journal of Catalysis"
    assert host.findtext("mods:identifier[@type='issn']", namespaces=NS) == "0021-9517"
    assert host.findtext("mods:part/mods:extent/mods:start", namespaces=NS) == "88"
    assert mods.findtext("mods:identifier[@type='doi']", namespaces=NS) == "10.5555/oai.0001"
    assert mods.findtext("mods:recordInfo/mods:recordIdentifier", namespaces=NS) == ID.format(repository["article"].id)
    chinese = record(client, "mods", repository["chinese"])
    titles = chinese.findall("mods:titleInfo", NS)
    assert titles[0].get(XML_LANG) == "zh" and titles[1].get("type") == "translated"
    assert titles[1].get(XML_LANG) == "en"
