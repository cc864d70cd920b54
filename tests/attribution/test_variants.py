from repository.attribution.text import name_key
from repository.attribution.variants import other_forms, short_names, stateless_form, written_forms


def test_a_bracketed_country_and_a_ministrys_state_are_dropped():
    assert written_forms("ZTE (China)") == ("ZTE (China)", "ZTE")
    assert written_forms("China University of Mining and Technology (Beijing)") == (
        "China University of Mining and Technology (Beijing)",)
    assert stateless_form("Ministry of Education of the People's Republic of China") == "Ministry of Education"
    assert stateless_form("Ocean University of China") is None


def test_a_and_f_is_spelt_out():
    assert written_forms("Zhejiang A & F University")[1] == (
        "Zhejiang Agriculture and Forestry University")


def test_universities_in_other_word_orders():
    assert "univ fudan" in other_forms(name_key("Fudan University"))
    assert name_key("Huazhong Science & Technology University") in other_forms(
        name_key("Huazhong University of Science and Technology"))


def test_a_national_qualifier_may_be_left_out_while_a_proper_word_remains():
    assert name_key("Taiwan Ocean University") in other_forms(name_key("National Taiwan Ocean University"))
    assert name_key("PLA General Hospital") in other_forms(name_key("Chinese PLA General Hospital"))
    assert name_key("University of Defense Technology") not in other_forms(
        name_key("National University of Defense Technology"))


def test_a_hospitals_short_name_needs_a_chinese_proper_name():
    owner = {name_key("Central South University")}
    assert short_names(name_key("Xiangya Hospital Central South University"), owner) == ("xiangya hosp",)
    assert short_names(name_key("First Affiliated Hospital of Zhengzhou University"),
                       {name_key("Zhengzhou University")}) == ()
    assert short_names(name_key("Renmin Hospital of Wuhan University"), {name_key("Wuhan University")}) == ()
    assert short_names(name_key("Eye Hospital of Wenzhou Medical University"),
                       {name_key("Wenzhou Medical University")}) == ()
