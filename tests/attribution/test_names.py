import pytest

from repository.attribution.names import chinese_name_keys, latin_name_keys, split_chinese, variant_keys


@pytest.mark.parametrize("written", ["Zhang, San-Feng", "Zhang, Sanfeng", "ZHANG Sanfeng", "Zhang Sanfeng",
                                     "Sanfeng Zhang", "San-Feng Zhang"])
def test_full_forms_in_every_order_meet_the_chinese_name(written):
    keys, initials = latin_name_keys(written)
    assert "zhang|sanfeng" in keys and not initials
    assert keys & chinese_name_keys("张三丰")


@pytest.mark.parametrize("written", ["Zhang SF", "Zhang, S.-F.", "Zhang, S. F.", "S.F. Zhang", "S. F. Zhang"])
def test_initial_forms(written):
    assert latin_name_keys(written) == (frozenset({"zhang|sf"}), True)
    assert "zhang|sf" in chinese_name_keys("张三丰")


def test_a_comma_or_upper_case_surname_fixes_the_order():
    assert latin_name_keys("Zhang, San")[0] == {"zhang|san"}
    assert latin_name_keys("LIU Wei")[0] == {"liu|wei"}
    assert latin_name_keys("Wei ZHANG")[0] == {"zhang|wei"}


def test_compound_and_heteronymous_surnames():
    assert split_chinese("欧阳修") == ("欧阳", "修")
    assert "ouyang|xiu" in chinese_name_keys("欧阳修")
    assert {"shan|tianfang", "zeng|guofan"} <= chinese_name_keys("单田芳") | chinese_name_keys("曾国藩")


def test_u_umlaut_spellings():
    assert {"lu|bu", "lv|bu", "lyu|bu"} <= chinese_name_keys("吕布")


def test_variants_from_the_dictionary_give_their_own_keys():
    assert {"cheung|samfung", "cheung|sf", "cheung|s"} <= variant_keys("Cheung Sam-Fung")
