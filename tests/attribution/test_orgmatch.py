import pytest


@pytest.mark.parametrize("text, unit", [
    ("Dalian Univ Technol, Sch Chem Engn, Dalian 116024, Peoples R China", "DUT-CHE"),
    ("School of Chemical Engineering, Dalian University of Technology, Dalian 116024, China", "DUT-CHE"),
    ("大连理工大学化工学院,辽宁大连116024", "DUT-CHE"),
    ("DUT, Coll Chem", "DUT-CHEM"),
    ("State Key Lab Fine Chem, Dalian Univ Technol, Dalian, Peoples R China", "DUT-FCL"),
    ("大连理工大学精细化工国家重点实验室", "DUT-FCL"),
])
def test_every_spelling_of_a_unit_finds_it(attributor, text, unit):
    match = attributor.orgs.match(text)
    assert (match.institution, match.unit) == ("DUT", unit)
    assert match.confidence >= 0.9


def test_a_known_institution_with_an_unknown_department_is_not_given_a_wrong_one(attributor):
    match = attributor.orgs.match("Dalian Univ Technol, Sch Phys, Dalian 116024, Peoples R China")
    assert (match.institution, match.unit) == ("DUT", "DUT")
    assert "unit unknown" in match.reason and match.confidence >= 0.9


def test_a_merged_unit_resolves_to_its_successor_after_it_closed(attributor):
    match = attributor.orgs.match("Dalian Univ Technol, Dept Chem Engn, Dalian, Peoples R China", 2010)
    assert match.unit == "DUT-CHE" and "merged into DUT-CHE" in match.reason
    assert attributor.orgs.match("Dalian Univ Technol, Dept Chem Engn, Dalian", 1990).unit == "DUT-OLD"


def test_a_former_name_finds_the_institution(attributor):
    match = attributor.orgs.match("大连工学院化工系")
    assert match.institution == "DUT" and match.unit == "DUT-CHE"


def test_a_typo_in_the_institution_is_tolerated_with_less_confidence(attributor):
    match = attributor.orgs.match("Dalain Univ Technol, Sch Chem Engn, Dalian, Peoples R China")
    assert (match.institution, match.unit) == ("DUT", "DUT-CHE")
    assert 0.5 < match.confidence < 0.9


def test_another_place_is_not_a_typo(attributor):
    assert attributor.orgs.match("Dalian Maritime Univ, Sch Chem, Dalian").institution is None


def test_an_unknown_institution_matches_nothing(attributor):
    match = attributor.orgs.match("Harvard Univ, Dept Chem, Cambridge, MA 02138 USA")
    assert (match.institution, match.unit, match.confidence) == (None, None, 0.0)


def test_a_unit_name_alone_implies_its_institution_only_weakly(attributor):
    match = attributor.orgs.match("State Key Laboratory of Fine Chemicals, Dalian, China")
    assert match.institution == "DUT" and match.confidence < 0.9


def test_of_two_institutions_named_the_one_the_other_names_belong_to_wins():
    from repository.attribution.dictionary import Dictionary, UnitEntry
    from repository.attribution.orgmatch import OrgIndex

    units = [UnitEntry("COL", "institution", name_en="University of Cologne"),
             UnitEntry("COL-PSY", "department", parent="COL", name_en="Department of Psychology"),
             UnitEntry("PSY", "institution", name_en="Department of Psychology")]
    index = OrgIndex(Dictionary(units={u.key: u for u in units}))
    match = index.match("Univ Cologne, Dept Psychol, D-50969 Cologne, Germany")
    assert (match.institution, match.unit) == ("COL", "COL-PSY") and match.confidence >= 0.9
