from repository.attribution.people import AuthorLine

C1 = "Dalian Univ Technol, Sch Chem Engn, Dalian 116024, Peoples R China"


def line(attributor, name, affiliation=C1):
    return attributor.match_line(name, affiliation)


def test_full_name_in_the_persons_unit_is_linked_confidently(attributor):
    for name in ("Zhang, San", "San Zhang", "ZHANG San"):
        result = line(attributor, name)
        assert (result.person, result.unit) == ("200301", "DUT-CHE") and result.confidence >= 0.9, name


def test_chinese_characters_with_a_cnki_unit(attributor):
    result = line(attributor, "张三", "大连理工大学化工学院,辽宁大连116024")
    assert result.person == "200301" and result.confidence >= 0.9


def test_one_initial_shared_by_two_people_of_the_unit_is_uncertain(attributor):
    result = line(attributor, "Zhang S")
    assert result.confidence < 0.9 and "2 people fit" in result.reason
    assert {c.person for c in result.candidates} == {"200301", "200303"}


def test_initials_tell_people_apart(attributor):
    assert line(attributor, "Zhang SF").person == "200303"


def test_wade_giles_or_cantonese_variant_from_the_dictionary(attributor):
    result = line(attributor, "Cheung, Sam-Fung", "State Key Lab Fine Chem, Dalian Univ Technol, Dalian")
    assert result.person == "200303" and result.unit == "DUT-FCL" and result.confidence >= 0.9


def test_compound_surname_and_umlaut(attributor):
    assert line(attributor, "Ouyang, Xiu", "Dalian Univ Technol, Sch Chem, Dalian").person == "200304"
    assert line(attributor, "Lu, Bu").person == "200305"


def test_another_institution_is_never_linked_to_our_people(attributor):
    result = line(attributor, "Zhang, San", "Harvard Univ, Dept Chem, Cambridge, MA 02138 USA")
    assert result.person is None and result.candidates == ()
    assert line(attributor, "Zhang, San", "Tsinghua Univ, Dept Chem, Beijing").person is None


def test_orcid_and_email_decide_whatever_the_affiliation(attributor):
    people = attributor.people
    by_orcid = people.candidates(AuthorLine(name="Lee, S", orcid="https://orcid.org/0000-0002-1825-0097"), None)
    assert by_orcid[0].person == "200302" and by_orcid[0].confidence >= 0.99
    by_email = people.candidates(AuthorLine(name="Zhang, S", email="ZhangSan@dlut.edu.cn"), None)
    assert by_email[0].person == "200301"


def test_no_affiliation_is_never_enough_to_accept(attributor):
    result = line(attributor, "张三", None)
    assert result.person == "200301" and result.confidence < 0.9


def test_two_authors_of_one_work_never_become_the_same_person(attributor):
    results = attributor.attribute([AuthorLine("Zhang, San", affiliation=C1), AuthorLine("Zhang, S", affiliation=C1)])
    assert results[0].person == "200301"
    assert results[1].person != "200301"


def test_the_c1_group_naming_the_author_is_used(attributor):
    text = ("[Li, Si] Tsinghua Univ, Beijing, Peoples R China; [Zhang, San] Dalian Univ Technol, Sch Chem Engn, "
            "Dalian 116024, Peoples R China")
    assert line(attributor, "Zhang, San", text).person == "200301"
    assert line(attributor, "Li, Si", text).institution == "THU"


def test_earlier_co_authorship_breaks_a_tie(tmp_path):
    from repository.attribution.dictfiles import load_dictionary_files
    from repository.attribution.engine import Attributor

    from .dictionaries import dictionary_files

    files = load_dictionary_files(*dictionary_files(tmp_path))
    lines = [AuthorLine("Li, Si", affiliation="Dalian Univ Technol, Sch Chem, Dalian"),
             AuthorLine("Zhang S", affiliation=C1)]
    tied = Attributor(files.dictionary).attribute(lines)[1]
    assert tied.confidence < 0.9 and "2 people fit" in tied.reason
    settled = Attributor(files.dictionary, coauthors={"200302": {"200303"}, "200303": {"200302"}}).attribute(lines)[1]
    assert settled.person == "200303" and "co-author" in settled.reason
    assert settled.confidence > tied.confidence
