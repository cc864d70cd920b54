import pytest

from repository.attribution.text import differ_by_slips, followed_by, kind_word, name_key, tokens


def test_british_spellings_share_the_american_key():
    assert tokens("Nanjing Institute of Geology and Palaeontology") == tokens(
        "Nanjing Institute of Geology and Paleontology")
    assert name_key("Department of Paediatrics and Haematology") == name_key("Department of Pediatrics and Hematology")
    assert name_key("Commonwealth Scientific and Industrial Research Organisation") == name_key(
        "Commonwealth Scientific and Industrial Research Organization")
    assert tokens("isotope") == ("isotope",)


def test_a_companys_legal_form_is_not_part_of_its_key():
    assert name_key("ZTE Corporation Ltd") == name_key("ZTE") == "zte"
    assert name_key("China Coal Technology & Engineering Group Co., Ltd.") == "china coal technol engn group"


def test_short_forms_of_common_words_fold_like_the_words():
    assert name_key("The Hong Kong Uni. of Sci. and Tech.") == name_key(
        "Hong Kong University of Science and Technology")
    assert name_key("Coll. of Inf. Sci. & Eng.") == name_key("College of Information Science and Engineering")


@pytest.mark.parametrize("written, name", [
    ("beijing jiao tong univ", "beijing jiaotong univ"),          # spacing
    ("northwestern poly technol univ", "northwestern polytech univ"),
    ("inst autom", "inst automat"),                                 # a shortened word
    ("dalain univ technol", "dalian univ technol"),                 # one slip
    ("state key lab cellular stress biol", "state key lab cell stress biol"),
])
def test_slips(written, name):
    assert differ_by_slips(written, name)


@pytest.mark.parametrize("written, name", [
    ("shanghai east hosp", "shanghai chest hosp"),                  # another word
    ("tianjin first ctr hosp", "tianjin fourth ctr hosp"),
    ("china railway 16th bureau group", "china railway 18th bureau group"),  # another number
    ("guangdong acad med sci", "guangdong acad sci"),               # a word more
])
def test_not_slips(written, name):
    assert not differ_by_slips(written, name)


def test_followed_by_a_word_that_joins_more_to_the_name():
    assert followed_by("Institute of Geology and Paleontology", 2)
    assert not followed_by("Institute of Geology, Chinese Academy of Sciences", 2)
    assert not followed_by("Institute of Geology", 2)


def test_web_of_science_abbreviations_meet_the_full_words():
    assert name_key("N Carolina State Univ") == name_key("North Carolina State University")
    assert name_key("SW Jiaotong Univ") == name_key("Southwest Jiaotong University")
    assert name_key("China Univ Geosci") == name_key("China University of Geosciences")
    assert name_key("Inst Oceanol") == name_key("Institute of Oceanology")
    assert name_key("Dept Pharmacol") == name_key("Department of Pharmacology")
    assert name_key("China Pharmaceut Univ") == name_key("China Pharmaceutical University")
    assert name_key("US Forest Serv, Rocky Mt Res Stn") == name_key(
        "US Forest Service, Rocky Mountain Research Station")


def test_the_kind_of_a_unit_is_its_first_kind_word():
    assert kind_word("Shanghai Medical College of Fudan University") == "coll"
    assert kind_word("University of Chinese Academy of Sciences") == "univ"
    assert kind_word("Peng Cheng") is None
