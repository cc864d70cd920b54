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


def test_a_hospitals_related_university_is_what_it_belongs_to(index):
    hospital = index.dictionary.units["XYH"]
    assert hospital.type == "hospital" and hospital.part_of == ("CSU",)
    assert index.dictionary.units["LCGMH"].type == "hospital"  # a hospital that also funds research
    assert index.part_of["QILU"] == {"SDU"}  # named after the university


CASES = [
    # an affiliated hospital is reported through its university: related in ROR, named in the hospital's
    # name, or placed under it by the address; alone it is found by its name without the university
    ("hospital through university", "Department of Endocrinology, Xiangya Hospital, Central South University, "
                                    "Changsha", ["CSU"]),
    ("hospital named after university", "Department of Orthopaedics, Qilu Hospital, Shandong University, Jinan",
     ["SDU"]),
    ("hospital whose name names the university", "Department of Orthopaedics, Qilu Hospital of Shandong "
                                                 "University, Jinan, China", ["QILU"]),
    ("hospital under a university in the address", "Department of Neurology, Guangzhou First People's Hospital, "
                                                   "School of Medicine, South China University of Technology",
     ["SCUT"]),
    ("hospital alone", "Department of Neurology, Guangzhou First People's Hospital, Guangzhou", ["GFPH"]),
    ("hospital short name", "National Clinical Research Center for Geriatric Disorders, Xiangya Hospital, "
                            "Changsha", ["XYH"]),
    # laboratories and centres are reported through an institution above them or a named host
    ("lab through grandparent", "State Key Laboratory of Neuroscience, Chinese Academy of Sciences, Shanghai",
     ["CAS"]),
    ("centre through academy", "Center for Excellence in Brain Science and Intelligence Technology, Chinese "
                               "Academy of Sciences", ["CAS"]),
    ("lab through named host", "State Key Laboratory of Oncology in South China, Collaborative Innovation Center "
                               "for Cancer Medicine, Sun Yat-sen University Cancer Center", ["SYSUCC"]),
    # research institutes and universities stand alone
    ("institute stands alone", "Institute of Physics, Chinese Academy of Sciences, Beijing", ["CAS", "IOP"]),
    ("university stands alone", "University of Chinese Academy of Sciences, Chinese Academy of Sciences",
     ["CAS", "UCAS"]),
    # namesakes
    ("unit named under another institution", "Graduate Institute of Physics, Hunan Normal University, Changsha",
     ["HNU"]),
    ("unit named alone", "Institute of Physics, Beijing", ["IOP"]),
    ("generic name continued by and", "Institute of Geology and Paleontology", []),
    ("generic name alone", "Institute of Geology", ["GIG"]),
    ("common words continued by of", "Key Laboratory for Advanced Technology of Materials of Ministry of "
                                     "Education, Southwest Jiaotong University, Chengdu", ["SWJTU"]),
    ("common-word company name", "Advanced Technology & Materials Co., Ltd., Beijing", ["ATM"]),
    ("branch under its parent's name", "Bone and Joint Research Center, Chang Gung Memorial Hospital, Taoyuan, "
                                       "Taiwan", ["CGMH"]),
    ("branch by its own name", "Department of Surgery, Linkou Chang Gung Memorial Hospital, Taoyuan, Taiwan",
     ["LCGMH"]),
    ("campus after a comma", "School of Earth Sciences, China University of Geosciences, Beijing, China",
     ["CUGB"]),
    ("main campus", "School of Earth Sciences, China University of Geosciences, Wuhan, China", ["CUG"]),
    # ministries
    ("ministry in its country", "Engineering Research Center of X, Ministry of Education, Beijing, China",
     ["MOE"]),
    ("namesake ministry in its country", "Department of Higher Education, Ministry of Education, Taipei, Taiwan",
     ["MOE-TW"]),
    ("ministry of another country", "Ministry of Health, Department of Ophthalmology, Cairo, Egypt", []),
    ("ministry without its state", "National Center for X, Ministry of Health, Beijing, China", ["NHC"]),
    ("supervising ministry in another address", "School of Transportation Engineering, Tongji University, "
                                                "Shanghai 201804, China; Key Laboratory of Road and Traffic "
                                                "Engineering, Ministry of Education, Shanghai 201804, China",
     ["TJU"]),
    # other forms of names
    ("company without country and legal form", "ZTE Corporation Ltd, Shenzhen, China", ["ZTE"]),
    ("without National", "Department of Harbor and River Engineering, Taiwan Ocean University, Keelung, Taiwan",
     ["NTOU"]),
    ("A&F spelt out", "College of Forestry, Northwest Agriculture and Forestry University, Yangling", ["NWAFU"]),
    ("possessive", "Liuzhou Hospital of Guangzhou Women and Childrens Medical Center, Liuzhou", ["GWCMC"]),
    ("pinyin spaced otherwise", "Pengcheng Laboratory, Shenzhen, Guangdong, China", ["PCL"]),
    ("pinyin spaced otherwise in Taiwan", "Department of Surgery, Changgung Hospital, Taoyuan, Taiwan", ["CGMH"]),
    ("pinyin spaced otherwise, other country", "Department of Ultrasound, Beijing Tsinghua Changgung Hospital, "
                                               "Beijing, China", []),
    # slips only
    ("a slip", "Department of Surgery, Shanghai Chets Hospital, Shanghai", ["SCH"]),
    ("another word", "Department of Dermatology, Shanghai East Hospital, Tongji University", ["TJU"]),
]


@pytest.mark.parametrize("text, expected", [pytest.param(text, expected, id=rule) for rule, text, expected in CASES])
def test_institutions_a_string_names(index, text, expected):
    assert sorted(predict_institutions(index, text)) == expected
