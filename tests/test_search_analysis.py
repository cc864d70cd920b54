"""The shared analysis: CJK bigrams, English stems, pinyin name forms."""
import pytest

from search.analysis import name_query_tokens, name_tokens, normalize, text_tokens


def test_cjk_runs_become_overlapping_bigrams():
    assert text_tokens("化工过程") == ["化工", "工过", "过程"]
    assert text_tokens("催化") == ["催化"]
    assert text_tokens("剂") == ["剂"]


def test_mixed_text_keeps_order_and_stems_english_only():
    assert text_tokens("CO2加氢 over In2O3 Catalysts") == ["co2", "加氢", "over", "in2o3", "catalyst"]


def test_full_width_forms_fold_to_half_width():
    assert normalize("ＣＯ２") == "co2"
    assert text_tokens("ＤＮＡ测序") == ["dna", "测序"]


@pytest.mark.parametrize("word, stem", [("catalysts", "catalyst"), ("learning", "learn"), ("learns", "learn"),
                                        ("hydrogenated", "hydrogen"), ("frameworks", "framework")])
def test_english_stems(word, stem):
    assert text_tokens(word) == [stem]


@pytest.mark.parametrize("name, expected", [
    ("张三", {"张三", "zhang", "san", "zhangsan", "sanzhang"}),
    ("Zhang, San", {"zhang", "san", "zhangsan", "sanzhang"}),
    ("李晓明", {"李晓", "晓明", "li", "xiao", "ming", "xiaoming", "lixiaoming", "xiaomingli"}),
    ("Li, Xiao-Ming", {"li", "xiao", "ming", "xiaoming", "lixiaoming", "xiaomingli"}),
    ("Xiaoming Li", {"xiaoming", "li", "xiaomingli", "lixiaoming"}),
])
def test_name_forms(name, expected):
    assert set(name_tokens(name)) == expected


def test_compound_and_special_family_names():
    assert {"ouyang", "ouyangxiu", "xiuouyang"} <= set(name_tokens("欧阳修"))
    assert "zengguofan" in name_tokens("曾国藩")  # 曾 as a family name reads zeng, not ceng
    assert "shantianfang" in name_tokens("单田芳")


@pytest.mark.parametrize("query, tokens", [("zhang san", ["zhangsan"]), ("San Zhang", ["sanzhang"]),
                                           ("zhangsan", ["zhangsan"]), ("李晓明", ["李晓", "晓明"])])
def test_name_queries_meet_indexed_forms(query, tokens):
    assert name_query_tokens(query) == tokens
    assert set(tokens) <= set(name_tokens("李晓明")) | set(name_tokens("张三"))
