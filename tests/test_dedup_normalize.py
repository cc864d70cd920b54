"""Normalization, names, pages and blocking keys: every spelling of one thing folds to one form."""
import pytest

from repository.dedup.blocking import blocking_keys
from repository.dedup.normalize import bare_title, fold, name_keys, page_marks
from repository.dedup.profile import record_profile


@pytest.mark.parametrize("variant", [
    "Effect of α-Al<sub>2</sub>O<sub>3</sub> on TGF-β1 signalling",
    "Effect of alpha-Al2O3 on TGF-beta1 signalling",
    "EFFECT OF ALPHA-AL2O3 ON TGF-BETA1 SIGNALLING",
    "Effect of <mml:math><mml:mi>α</mml:mi></mml:math>-Al$_{2}$O$_{3}$ on TGF-&beta;1 signalling",
    "Effect of Α-Ａｌ２Ｏ３ on TGF－β１ signalling",  # capital alpha, full-width letters, digits, hyphen
    "Effect of 𝛼-Al₂O₃ on TGF-β1 signalling.",  # mathematical italic alpha, subscript digits
])
def test_title_spellings_fold_to_one_form(variant):
    assert fold(variant) == "effect of alpha al2o3 on tgf beta1 signalling"


def test_full_width_punctuation_traditional_chinese_and_accents():
    assert fold("基於深度學習的催化劑活性預測（綜述）") == fold("基于深度学习的催化剂活性预测(综述)")
    assert fold("Étude   des “réseaux” — Müller") == "etude des reseaux muller"
    assert fold(None) == "" and fold("<i></i>") == ""


@pytest.mark.parametrize("name, original", [
    ("Zhang, S.", None), ("Zhang, San", None), ("Zhang San", None), ("San Zhang", None), ("张三", None),
    ("張三", None), ("Zhang, S", "张三"), ("ZHANG San-Feng", None),
])
def test_name_spellings_share_a_key(name, original):
    assert "zhang s" in name_keys(name, original)


def test_compound_and_special_reading_surnames():
    assert name_keys("欧阳修") == ("ouyang x",)
    assert name_keys("单田芳") == ("shan t",)
    assert "li s" not in name_keys("Zhang, San")


@pytest.mark.parametrize("title, bare", [
    ("Data access (tutorial session)", "data access"),
    ("Tutorial: Data access", "data access"),
    ("Foundations of statistical NLP - book review", "foundations of statistical nlp"),
    ("Information visualization, guest editors' foreword", "information visualization"),
    ("Et tu, XML? The downfall of the relational empire (Abstract)", "et tu xml the downfall of the relational empire"),
    ("Effective memory use in a media server [extended version]", "effective memory use in a media server"),
])
def test_catalogue_notes_about_the_kind_of_item_leave_the_bare_title(title, bare):
    assert bare_title(title) == bare


@pytest.mark.parametrize("title", [
    "Keynote address",  # nothing but a note
    "Panel data models: a review",  # the words belong to the title
    "Modelling of fixed-bed reactors (part II)",
    "A review of catalyst design",
    "基于深度学习的催化剂活性预测（综述）",
])
def test_titles_without_a_catalogue_note_have_no_bare_form(title):
    assert bare_title(title) == ""


def test_a_profile_keeps_the_bare_title_as_one_more_variant():
    profile = record_profile({"title": "Data access (tutorial session)", "type": "conference_paper"})
    assert profile.titles == ["data access tutorial session", "data access"]


def test_pages_and_article_numbers_are_marks_of_one_kind():
    assert page_marks("103456", None) == page_marks(None, "103456") == ("103456",)
    assert page_marks("e0123-e0130", None) == ("e0123",)
    assert page_marks("0021-0030", "A12") == ("21", "a12")


def test_a_translated_title_shares_blocking_keys_with_the_original_english_title():
    cnki = record_profile({"title": "基于深度学习的催化剂活性预测",
                           "title_alt": "Catalyst activity prediction based on deep learning",
                           "authors": [{"name": "王小明"}], "year": 2019, "type": "journal_article"})
    ei = record_profile({"title": "Catalyst Activity Prediction Based on Deep-Learning",
                         "authors": [{"name": "Wang, Xiaoming"}], "year": 2019, "type": "journal_article"})
    assert set(blocking_keys(cnki)) & set(blocking_keys(ei)) >= {"p:catalyst activity prediction",
                                                                   "a:wang:2019"}
