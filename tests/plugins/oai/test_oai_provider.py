"""The provider: verbs, error semantics, visibility, tombstones, sets, tokens, POST."""
from __future__ import annotations

import datetime as dt

from lxml import etree

from plugins.oai_pmh.tokens import ListPosition, TokenCodec

from oai_helpers import NS, add_work, error_code, harvest, oai

ID = "oai:repo.test.edu.cn:{}"


def ids(items):
    return [h.findtext("oai:identifier", namespaces=NS) if h.tag.endswith("header")
            else h.findtext("oai:header/oai:identifier", namespaces=NS) for h in items]


def test_identify(client, repository):
    root = oai(client, verb="Identify")
    identify = root.find("oai:Identify", NS)
    assert identify.findtext("oai:baseURL", namespaces=NS) == "http://localhost/oai"
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("oai:earliestDatestamp", namespaces=NS) == "2024-01-01T08:00:00Z"
    assert root.find("oai:request", NS).attrib == {"verb": "Identify"}


def test_only_public_works_and_tombstones_are_exposed(client, repository):
    headers, pages = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc")
    listed = ids(headers)
    assert len(listed) == len(set(listed))
    expected_public = ["article", "chinese", "thesis", "survivor", "extra8", "extra9", "extra10", "extra11"]
    expected_deleted = ["withdrawn", "merged"]
    assert sorted(listed) == sorted(ID.format(repository[n].id) for n in expected_public + expected_deleted)
    deleted = {h.findtext("oai:identifier", namespaces=NS) for h in headers if h.get("status") == "deleted"}
    assert deleted == {ID.format(repository[n].id) for n in expected_deleted}
    for name in ("candidate", "embargoed"):
        root = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=ID.format(repository[name].id))
        assert error_code(root) == "idDoesNotExist"
    # keyset pages of 3, with a constant completeListSize and a correct cursor
    assert len(pages) == 4
    for number, page in enumerate(pages):
        token = page.find(".//oai:resumptionToken", NS)
        assert token.get("completeListSize") == "10"
        assert token.get("cursor") == str(number * 3)
    assert pages[-1].find(".//oai:resumptionToken", NS).text is None


def test_deleted_record_has_no_metadata(client, repository):
    root = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=ID.format(repository["merged"].id))
    record = root.find("oai:GetRecord/oai:record", NS)
    assert record.find("oai:header", NS).get("status") == "deleted"
    assert record.find("oai:metadata", NS) is None


def test_errors(client, repository):
    assert error_code(oai(client)) == "badVerb"
    assert error_code(oai(client, verb="Frobnicate")) == "badVerb"
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc", bogus="1")
    assert error_code(root) == "badArgument"
    assert root.find("oai:request", NS).attrib == {}
    assert error_code(oai(client, verb="ListRecords")) == "badArgument"
    assert error_code(oai(client, verb="GetRecord", identifier=ID.format(1))) == "badArgument"
    assert error_code(oai(client, verb="ListRecords", metadataPrefix="nope")) == "cannotDisseminateFormat"
    assert error_code(oai(client, verb="ListRecords", metadataPrefix="oai_dc", resumptionToken="x")) == "badArgument"
    assert error_code(oai(client, verb="ListRecords", resumptionToken="garbage")) == "badResumptionToken"
    assert error_code(oai(client, verb="ListSets", resumptionToken="garbage")) == "badResumptionToken"
    assert error_code(oai(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2024-01-01"},
                          until="2024-01-02T00:00:00Z")) == "badArgument"
    assert error_code(oai(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2024-13-45"})) \
        == "badArgument"
    assert error_code(oai(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2999-01-01"})) \
        == "noRecordsMatch"
    assert error_code(oai(client, verb="ListRecords", metadataPrefix="oai_dc", set="type:nothing")) \
        == "noRecordsMatch"
    assert error_code(oai(client, verb="ListRecords", metadataPrefix="oai_dc", set="bad set")) == "badArgument"
    assert error_code(oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:other:1")) \
        == "idDoesNotExist"
    assert error_code(oai(client, verb="ListMetadataFormats", identifier="oai:repo.test.edu.cn:999999")) \
        == "idDoesNotExist"
    response = client.get("/oai?verb=Identify&verb=Identify")
    assert error_code(etree.fromstring(response.data)) == "badVerb"
    response = client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc")
    assert error_code(etree.fromstring(response.data)) == "badArgument"
    # a non-argument error echoes the request
    root = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:other:1")
    assert root.find("oai:request", NS).attrib == {"verb": "GetRecord", "metadataPrefix": "oai_dc",
                                                   "identifier": "oai:other:1"}
    assert root.find("oai:GetRecord", NS) is None


def test_selective_by_date(client, repository):
    everything = ids(harvest(client, metadataPrefix="oai_dc")[0])
    after = ids(harvest(client, metadataPrefix="oai_dc", **{"from": "2024-01-01T08:05:00Z"})[0])
    before = ids(harvest(client, metadataPrefix="oai_dc", until="2024-01-01T08:04:59Z")[0])
    assert sorted(after + before) == sorted(everything)
    assert ID.format(repository["withdrawn"].id) in after
    # seconds granularity: until the second of a datestamp includes the record despite its microseconds
    assert ID.format(repository["article"].id) in ids(harvest(client, metadataPrefix="oai_dc",
                                                               until="2024-01-01T08:00:00Z")[0])
    assert ids(harvest(client, metadataPrefix="oai_dc", **{"from": "2024-01-01"}, until="2024-01-01")[0]) == everything


def test_sets(client, repository):
    root = oai(client, verb="ListSets")
    specs = [s.findtext("oai:setSpec", namespaces=NS) for s in root.iterfind(".//oai:set", NS)]
    odd = f"u{repository['odd'].id}"
    for spec in ("type", "type:journal_article", "type:doctoral_thesis", "unit", "unit:DUT", "unit:DUT:DUT-CHEM",
                 "unit:DUT:DUT-CHEM:DUT-CHEM-SKL", f"unit:DUT:{odd}", "collection", "collection:catalysis"):
        assert spec in specs
    assert len(specs) == len(set(specs))
    # a work attributed to the lab is in the lab's set and every ancestor's, all listed in its header
    root = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=ID.format(repository["article"].id))
    header_specs = [s.text for s in root.iterfind(".//oai:header/oai:setSpec", NS)]
    assert header_specs == sorted(["collection:catalysis", "type:journal_article", "unit:DUT", "unit:DUT:DUT-CHEM",
                                   "unit:DUT:DUT-CHEM:DUT-CHEM-SKL"])
    chem = ids(harvest(client, metadataPrefix="oai_dc", set="unit:DUT:DUT-CHEM")[0])
    assert sorted(chem) == sorted(ID.format(repository[n].id) for n in ("article", "thesis", "withdrawn"))
    assert ids(harvest(client, metadataPrefix="oai_dc", set="unit:DUT:DUT-CHEM:DUT-CHEM-SKL")[0]) == \
        [ID.format(repository["article"].id)]
    assert sorted(ids(harvest(client, metadataPrefix="oai_dc", set="collection:catalysis")[0])) == \
        sorted(ID.format(repository[n].id) for n in ("article", "thesis"))
    assert ids(harvest(client, metadataPrefix="oai_dc", set="type:doctoral_thesis")[0]) == \
        [ID.format(repository["thesis"].id)]
    assert error_code(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="unit:NOPE")) \
        == "noRecordsMatch"


def test_tokens_are_signed_bound_to_their_verb_and_expire(app, client, repository):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.findtext(".//oai:resumptionToken", namespaces=NS)
    assert token
    assert error_code(oai(client, verb="ListIdentifiers", resumptionToken=token[:-2] + "xx")) == "badResumptionToken"
    assert error_code(oai(client, verb="ListRecords", resumptionToken=token)) == "badResumptionToken"
    forged = TokenCodec("another-secret").issue(ListPosition("ListIdentifiers", "oai_dc", None, None, None, 10, 3))
    assert error_code(oai(client, verb="ListIdentifiers", resumptionToken=forged)) == "badResumptionToken"
    # the same token gives the same page twice
    first = ids(oai(client, verb="ListIdentifiers", resumptionToken=token).iterfind(".//oai:header", NS))
    second = ids(oai(client, verb="ListIdentifiers", resumptionToken=token).iterfind(".//oai:header", NS))
    assert first == second and len(first) == 3
    expiration = root.find(".//oai:resumptionToken", NS).get("expirationDate")
    assert dt.datetime.strptime(expiration, "%Y-%m-%dT%H:%M:%SZ")
    app.config["ZHIKU_OAI_TOKEN_TTL"] = -1
    assert error_code(oai(client, verb="ListIdentifiers", resumptionToken=token)) == "badResumptionToken"


def test_token_position_is_a_keyset_not_an_offset(client, repository, app):
    """A work changed during a harvest moves to the end of the list; nothing already listed shifts."""
    from repository.extensions import db
    from repository.models import Work

    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    page1 = ids(root.iterfind(".//oai:header", NS))
    token = root.findtext(".//oai:resumptionToken", namespaces=NS)
    db.session.get(Work, repository["article"].id).pages = "88-98"
    db.session.commit()
    rest = []
    while token:
        root = oai(client, verb="ListIdentifiers", resumptionToken=token)
        rest += ids(root.iterfind(".//oai:header", NS))
        token = root.findtext(".//oai:resumptionToken", namespaces=NS)
    assert set(page1) | set(rest) == set(ids(harvest(client, metadataPrefix="oai_dc")[0]))
    assert rest[-1] == ID.format(repository["article"].id)


def test_post_equals_get(client, repository):
    get = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    post = oai(client, method="post", verb="ListRecords", metadataPrefix="oai_dc")
    assert ids(get.iterfind(".//oai:record", NS)) == ids(post.iterfind(".//oai:record", NS))
    assert error_code(oai(client, method="post")) == "badVerb"


def test_list_metadata_formats(client, repository):
    root = oai(client, verb="ListMetadataFormats")
    prefixes = [p.text for p in root.iterfind(".//oai:metadataPrefix", NS)]
    assert prefixes == ["oai_dc", "oai_etdms", "mods"]
    article = oai(client, verb="ListMetadataFormats", identifier=ID.format(repository["article"].id))
    assert [p.text for p in article.iterfind(".//oai:metadataPrefix", NS)] == ["oai_dc", "mods"]
    thesis = oai(client, verb="ListMetadataFormats", identifier=ID.format(repository["thesis"].id))
    assert "oai_etdms" in [p.text for p in thesis.iterfind(".//oai:metadataPrefix", NS)]


def changed_since(client, since, **params):
    """Identifiers and datestamps of an incremental harvest from *since*."""
    if error_code(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": since}, **params)):
        return []
    headers, _ = harvest(client, metadataPrefix="oai_dc", **{"from": since}, **params)
    return [(h.findtext("oai:identifier", namespaces=NS), h.findtext("oai:datestamp", namespaces=NS))
            for h in headers]


def test_a_work_whose_embargo_ends_reaches_incremental_harvesters(client, repository, monkeypatch):
    from repository.extensions import db
    from repository.models import utcnow

    release_day = utcnow().date() + dt.timedelta(days=1)
    work = add_work("Released tomorrow", embargo_until=release_day,  # last edited long before the harvest
                    moment=dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc))
    db.session.commit()
    headers, pages = harvest(client, metadataPrefix="oai_dc")
    assert ID.format(work.id) not in ids(headers)
    last_harvest = pages[0].findtext("oai:responseDate", namespaces=NS)

    # the day comes; nothing was written since, and the next incremental harvest receives the record
    release = dt.datetime.combine(release_day, dt.time(9, 30), tzinfo=dt.timezone.utc)
    monkeypatch.setattr("repository.web.public.utcnow", lambda: release)
    assert changed_since(client, last_harvest) == [(ID.format(work.id), f"{release_day}T00:00:00Z")]


def test_an_attribution_reaches_incremental_harvesters_of_the_unit_set(client, repository):
    from repository.extensions import db
    from repository.models import Authorship

    _, pages = harvest(client, metadataPrefix="oai_dc")
    last_harvest = pages[0].findtext("oai:responseDate", namespaces=NS)
    assert changed_since(client, last_harvest) == []
    extra = repository["extra8"]
    db.session.add(Authorship(work_id=extra.id, position=1, raw_name="Zhou, Wu", org_unit=repository["chem"]))
    db.session.commit()
    assert [i for i, _ in changed_since(client, last_harvest, set="unit:DUT:DUT-CHEM")] == [ID.format(extra.id)]


def test_works_sharing_a_datestamp_across_pages_arrive_once(client, app):
    from repository.extensions import db

    moment = dt.datetime(2025, 5, 5, 5, 5, 5, 555555, tzinfo=dt.timezone.utc)
    works = [add_work(f"Same moment {i}", moment=moment) for i in range(7)]  # page size 3: pages split them
    db.session.commit()
    headers, pages = harvest(client, metadataPrefix="oai_dc")
    assert ids(headers) == [ID.format(w.id) for w in works] and len(pages) == 3


def test_a_merge_keeps_the_survivors_identifier_and_tells_harvesters_the_other_is_deleted(client, repository):
    from repository.dedup import curation

    survivor, other = repository["extra8"].id, repository["extra9"].id
    _, pages = harvest(client, metadataPrefix="oai_dc")
    last_harvest = pages[0].findtext("oai:responseDate", namespaces=NS)
    curation.merge(survivor, other, "curator")
    changed = dict(changed_since(client, last_harvest))
    assert set(changed) == {ID.format(survivor), ID.format(other)}  # both records changed for harvesters
    kept = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=ID.format(survivor))
    assert kept.find(".//oai:header", NS).get("status") is None
    gone = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=ID.format(other))
    assert gone.find(".//oai:header", NS).get("status") == "deleted"


def test_no_metadata_formats_for_an_item_no_offered_format_describes(app, repository):
    from plugins.oai_pmh.formats import builtin_formats
    from plugins.oai_pmh.list_sizes import ListSizes
    from plugins.oai_pmh.verbs import ErrorResult, Verbs

    theses_only = {f.prefix: f for f in builtin_formats() if f.prefix == "oai_etdms"}
    verbs = Verbs(theses_only, TokenCodec("key"), "repo.test.edu.cn", 3, ListSizes())
    article = ID.format(repository["article"].id)
    result = verbs.handle({"verb": ["ListMetadataFormats"], "identifier": [article]})
    assert isinstance(result, ErrorResult) and [e.code for e in result.errors] == ["noMetadataFormats"]
    assert result.echo == {"verb": "ListMetadataFormats", "identifier": article}
