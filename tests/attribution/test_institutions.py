"""Which institutions a string names, on a small ROR-like reference list: relations between records, namesakes,
campuses, hospitals, ministries, companies and slips."""
import json

import pytest

from repository.attribution.institutions import predict_institutions
from repository.attribution.orgmatch import OrgIndex
from repository.attribution.reference import read_reference

RECORDS = [
    {"id": "CAS", "name_en": "Chinese Academy of Sciences", "types": ["funder", "government"], "acronyms": ["CAS"]},
    {"id": "IOP", "name_en": "Institute of Physics", "types": ["facility"], "parents": ["CAS"]},
    {"id": "GIG", "name_en": "Guangzhou Institute of Geochemistry", "aliases": ["Institute of Geology"],
     "types": ["facility"], "parents": ["CAS"]},
    {"id": "SIBS", "name_en": "Shanghai Institutes for Biological Sciences", "types": ["facility"], "parents": ["CAS"]},
    {"id": "SKLN", "name_en": "State Key Laboratory of Neuroscience", "types": ["facility"], "parents": ["SIBS"]},
    {"id": "CEBSIT", "name_en": "Center for Excellence in Brain Science and Intelligence Technology",
     "types": ["education"], "parents": ["CAS"]},
    {"id": "UCAS", "name_en": "University of Chinese Academy of Sciences", "types": ["education"], "parents": ["CAS"]},
    {"id": "FDU", "name_en": "Fudan University", "types": ["education"], "city": "Shanghai"},
    {"id": "HNU", "name_en": "Hunan Normal University", "types": ["education"]},
    {"id": "LYU", "name_en": "Linyi University", "types": ["education"]},
    {"id": "TJU", "name_en": "Tongji University", "types": ["education"], "city": "Shanghai"},
    {"id": "CSU", "name_en": "Central South University", "types": ["education"], "city": "Changsha"},
    {"id": "XYH", "name_en": "Xiangya Hospital Central South University", "types": ["healthcare"],
     "related": ["CSU"], "city": "Changsha"},
    {"id": "CGMH", "name_en": "Chang Gung Memorial Hospital", "aliases": ["Chang Gung Hospital"], "types": ["funder"],
     "country": "TW"},
    {"id": "PCL", "name_en": "Peng Cheng Laboratory", "types": ["facility"], "city": "Shenzhen"},
    {"id": "LCGMH", "name_en": "Linkou Chang Gung Memorial Hospital", "aliases": ["Chang Gung Memorial Hospital"],
     "types": ["funder", "healthcare"], "parents": ["CGMH"], "country": "TW"},
    {"id": "MOE", "name_en": "Ministry of Education of the People's Republic of China",
     "types": ["funder", "government"], "city": "Beijing", "country": "CN"},
    {"id": "MOE-TW", "name_en": "Ministry of Education", "types": ["funder", "government"], "city": "Taipei",
     "country": "TW"},
    {"id": "NHC", "name_en": "Ministry of Health of the People's Republic of China", "types": ["government"],
     "city": "Beijing", "country": "CN"},
    {"id": "CUG", "name_en": "China University of Geosciences", "types": ["education"], "city": "Wuhan"},
    {"id": "CUGB", "name_en": "China University of Geosciences (Beijing)", "types": ["education"],
     "city": "Beijing"},
    {"id": "ZTE", "name_en": "ZTE (China)", "types": ["company"], "city": "Shenzhen"},
    {"id": "SCH", "name_en": "Shanghai Chest Hospital", "types": ["healthcare"], "city": "Shanghai"},
    {"id": "NTOU", "name_en": "National Taiwan Ocean University", "types": ["education"], "country": "TW"},
    {"id": "SDU", "name_en": "Shandong University", "types": ["education"], "city": "Jinan"},
    {"id": "QILU", "name_en": "Qilu Hospital of Shandong University", "types": ["healthcare"], "city": "Jinan"},
    {"id": "SYSU", "name_en": "Sun Yat-sen University", "types": ["education"], "city": "Guangzhou"},
    {"id": "SYSUCC", "name_en": "Sun Yat-sen University Cancer Center", "types": ["healthcare"],
     "city": "Guangzhou"},
    {"id": "SKLO", "name_en": "State Key Laboratory of Oncology in South China", "types": ["facility"],
     "parents": ["SYSU"]},
    {"id": "ATM", "name_en": "Advanced Technology & Materials (China)", "types": ["company"]},
    {"id": "SWJTU", "name_en": "Southwest Jiaotong University", "types": ["education"], "city": "Chengdu"},
    {"id": "NWAFU", "name_en": "Northwest A&F University", "types": ["education"]},
    {"id": "GFPH", "name_en": "Guangzhou First People's Hospital", "types": ["healthcare"], "city": "Guangzhou"},
    {"id": "SCUT", "name_en": "South China University of Technology", "types": ["education"], "city": "Guangzhou"},
    {"id": "GWCMC", "name_en": "Guangzhou Women and Children's Medical Center", "types": ["healthcare"]},
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    path = tmp_path_factory.mktemp("ror") / "institutions.jsonl"
    path.write_text("".join(json.dumps({"country": "CN", **record}) + "\n" for record in RECORDS), encoding="utf-8")
    return OrgIndex(read_reference(path))


def names(index, text):
    return sorted(predict_institutions(index, text))


def test_a_hospitals_related_university_is_what_it_belongs_to(index):
    hospital = index.dictionary.units["XYH"]
    assert hospital.type == "hospital" and hospital.part_of == ("CSU",)
    assert index.dictionary.units["LCGMH"].type == "hospital"  # a hospital that also funds research


def test_an_affiliated_hospital_is_reported_through_its_university(index):
    assert names(index, "Department of Endocrinology, Xiangya Hospital, Central South University, Changsha") == [
        "CSU"]


def test_a_hospital_the_address_places_under_a_university_is_reported_through_it(index):
    assert names(index, "Department of Neurology, Guangzhou First People's Hospital, School of Medicine, "
                        "South China University of Technology, Guangzhou") == ["SCUT"]
    assert names(index, "Department of Neurology, Guangzhou First People's Hospital, Guangzhou") == ["GFPH"]


def test_a_hospital_is_found_by_its_name_without_the_university(index):
    assert names(index, "National Clinical Research Center for Geriatric Disorders, Xiangya Hospital, Changsha") == [
        "XYH"]


def test_a_laboratory_is_reported_through_an_institution_above_its_parent(index):
    assert names(index, "State Key Laboratory of Neuroscience, Chinese Academy of Sciences, Shanghai") == ["CAS"]


def test_a_centre_is_reported_through_its_academy_but_institutes_and_universities_stand_alone(index):
    assert names(index, "Center for Excellence in Brain Science and Intelligence Technology, "
                        "Chinese Academy of Sciences") == ["CAS"]
    assert names(index, "Institute of Physics, Chinese Academy of Sciences, Beijing") == ["CAS", "IOP"]
    assert names(index, "University of Chinese Academy of Sciences, Chinese Academy of Sciences") == ["CAS", "UCAS"]


def test_a_unit_of_one_institution_named_under_another_is_a_namesake(index):
    assert names(index, "Graduate Institute of Physics, Hunan Normal University, Changsha") == ["HNU"]
    assert names(index, "Institute of Physics, Beijing") == ["IOP"]


def test_a_name_without_a_proper_word_continued_by_and_names_a_longer_name(index):
    assert names(index, "Institute of Geology and Paleontology") == []
    assert names(index, "Institute of Geology") == ["GIG"]


def test_a_branch_listed_under_its_parents_name_gives_way_to_the_parent(index):
    assert names(index, "Bone and Joint Research Center, Chang Gung Memorial Hospital, Taoyuan, Taiwan") == ["CGMH"]
    assert names(index, "Department of Surgery, Linkou Chang Gung Memorial Hospital, Taoyuan, Taiwan") == ["LCGMH"]


def test_a_ministry_without_its_state_is_told_apart_by_place(index):
    assert names(index, "Engineering Research Center of X, Ministry of Education, Beijing, China") == ["MOE"]
    assert names(index, "Department of Higher Education, Ministry of Education, Taipei, Taiwan") == ["MOE-TW"]


def test_a_ministry_without_its_state_is_not_another_countrys(index):
    assert names(index, "Ministry of Health, Department of Ophthalmology, Cairo, Egypt") == []
    assert names(index, "National Center for X, Ministry of Health, Beijing, China") == ["NHC"]


def test_a_supervising_ministry_in_another_address_of_the_string_is_not_reported(index):
    text = ("School of Transportation Engineering, Tongji University, Shanghai 201804, China; "
            "Key Laboratory of Road and Traffic Engineering, Ministry of Education, Shanghai 201804, China")
    assert names(index, text) == ["TJU"]


def test_a_city_after_a_comma_names_a_campus_of_its_own(index):
    assert names(index, "School of Earth Sciences, China University of Geosciences, Beijing, China") == ["CUGB"]
    assert names(index, "School of Earth Sciences, China University of Geosciences, Wuhan, China") == ["CUG"]


def test_a_company_is_found_without_its_country_and_legal_form(index):
    assert names(index, "ZTE Corporation Ltd, Shenzhen, China") == ["ZTE"]


def test_a_slip_is_tolerated_but_another_word_is_another_unit(index):
    assert names(index, "Department of Surgery, Shanghai Chets Hospital, Shanghai") == ["SCH"]
    assert names(index, "Department of Dermatology, Shanghai East Hospital, Tongji University") == ["TJU"]


def test_a_national_university_is_found_without_national(index):
    assert names(index, "Department of Harbor and River Engineering, Taiwan Ocean University, Keelung, Taiwan") == [
        "NTOU"]


def test_a_hospital_named_after_a_university_belongs_to_it(index):
    assert index.part_of["QILU"] == {"SDU"}
    assert names(index, "Department of Orthopaedics, Qilu Hospital, Shandong University, Jinan, China") == ["SDU"]
    assert names(index, "Department of Orthopaedics, Qilu Hospital of Shandong University, Jinan, China") == [
        "QILU"]


def test_a_laboratory_is_reported_through_its_named_host_of_the_same_institution(index):
    assert names(index, "State Key Laboratory of Oncology in South China, Collaborative Innovation Center for "
                        "Cancer Medicine, Sun Yat-sen University Cancer Center") == ["SYSUCC"]


def test_a_name_of_common_words_only_continued_by_of_names_a_longer_name(index):
    assert names(index, "Key Laboratory for Advanced Technology of Materials of Ministry of Education, "
                        "Southwest Jiaotong University, Chengdu") == ["SWJTU"]
    assert names(index, "Advanced Technology & Materials Co., Ltd., Beijing") == ["ATM"]


def test_spelt_out_and_possessive_forms(index):
    assert names(index, "College of Forestry, Northwest Agriculture and Forestry University, Yangling") == ["NWAFU"]
    assert names(index, "Liuzhou Hospital of Guangzhou Women and Childrens Medical Center, Liuzhou") == ["GWCMC"]


def test_pinyin_spaced_otherwise_names_a_unit_of_the_addresss_country(index):
    assert names(index, "Pengcheng Laboratory, Shenzhen, Guangdong, China") == ["PCL"]
    assert names(index, "Department of Surgery, Changgung Hospital, Taoyuan, Taiwan") == ["CGMH"]
    assert names(index, "Department of Ultrasound, Beijing Tsinghua Changgung Hospital, Beijing, China") == []
