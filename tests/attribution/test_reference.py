"""The real reference list of Chinese institutions, and the matching rules it needs."""
import json

import pytest

from repository.attribution.engine import Attributor
from repository.attribution.institutions import predict_institutions
from repository.attribution.reference import ReferenceError, read_reference
from repository.attribution.text import tokens


@pytest.fixture(scope="module")
def reference(reference_institutions):
    return Attributor(read_reference(reference_institutions))


@pytest.mark.parametrize("text, name", [
    ("Dalian Univ Technol, Sch Chem Engn, Dalian 116024, Peoples R China", "大连理工大学"),
    ("大连理工大学化工学院,辽宁大连116024", "大连理工大学"),
    ("School of Materials, Sun Yat-sen Univeristy, Shenzhen, Guangdong, China", "中山大学"),
    ("Department of Computing, University of Fudan, Shanghai, China", "复旦大学"),
    ("School of Information EngineeringNanchang UniversityNanchang330031People's Republic of China", "南昌大学"),
])
def test_real_strings_find_their_institution(reference, text, name):
    (key,) = predict_institutions(reference.orgs, text)
    assert reference.dictionary.units[key].name_zh == name


def test_a_supervising_ministry_is_not_the_authors_institution(reference):
    text = ("Key Laboratory of Analytical Chemistry for Life Science (Ministry of Education of China), "
            "Department of Chemistry, Nanjing University, Nanjing 210093, China")
    assert [reference.dictionary.units[k].name_zh for k in predict_institutions(reference.orgs, text)] == ["南京大学"]


def test_a_state_key_laboratory_is_reported_through_its_university(reference):
    text = "State Key Laboratory of Solidification Processing, Northwestern Polytechnical University, Xi'an, China"
    assert [reference.dictionary.units[k].name_zh for k in predict_institutions(reference.orgs, text)] == ["西北工业大学"]


def test_same_name_told_apart_by_place(reference):
    shenyang = predict_institutions(reference.orgs, "Shengjing Hospital, China Medical University, Shenyang, China")
    taichung = predict_institutions(reference.orgs, "College of Medicine, China Medical University, Taichung, Taiwan")
    assert reference.dictionary.units[shenyang[0]].country == "CN"
    assert reference.dictionary.units[taichung[0]].country == "TW"


def test_typo_words_fold_to_their_abbreviation():
    assert tokens("Sun Yat-sen Univeristy Hosptial Labortaory") == ("sun", "yat", "sen", "univ", "hosp", "lab")
    assert tokens("Medicinal Chemistry") == ("medicinal", "chem")  # another word, not a typo of "medical"


def test_a_broken_reference_line_names_file_and_line(tmp_path):
    path = tmp_path / "institutions.jsonl"
    path.write_text(json.dumps({"id": "https://ror.org/1", "name_en": "A"}) + "\n{broken\n", encoding="utf-8")
    with pytest.raises(ReferenceError, match=r"institutions.jsonl:2: not an institution record"):
        read_reference(path)
