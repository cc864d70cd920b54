from repository.attribution.parse import parse_affiliations


def test_wos_c1_groups_give_authors_parts_city_postcode_and_country():
    first, second = parse_affiliations(
        "[Zhang, San; Li, Si] Dalian Univ Technol, Sch Chem Engn, Dalian 116024, Peoples R China; "
        "[Wang, Wu] Tsinghua Univ, Dept Chem, Beijing 100084, Peoples R China.")
    assert first.authors == ("Zhang, San", "Li, Si")
    assert first.parts == ("Dalian Univ Technol", "Sch Chem Engn")
    assert (first.city, first.postcode, first.country) == ("Dalian", "116024", "CN")
    assert second.authors == ("Wang, Wu",) and second.parts == ("Tsinghua Univ", "Dept Chem")


def test_cnki_unit_keeps_the_joined_names_and_reads_province_city_postcode():
    (address,) = parse_affiliations("大连理工大学化工学院,辽宁大连116024")
    assert address.parts == ("大连理工大学化工学院",)
    assert (address.city, address.postcode) == ("辽宁大连", "116024")


def test_cnki_semicolon_list_gives_one_address_each():
    addresses = parse_affiliations("大连理工大学化工学院,辽宁大连116024;清华大学化学系,北京100084")
    assert [a.parts for a in addresses] == [("大连理工大学化工学院",), ("清华大学化学系",)]


def test_ei_numbered_affiliations():
    addresses = parse_affiliations("(1) School of Chemical Engineering, Dalian University of Technology, Dalian "
                                   "116024, China; (2) Tsinghua University, Beijing, China")
    assert [a.parts[-1] for a in addresses] == ["Dalian University of Technology", "Beijing"]
    assert addresses[0].postcode == "116024"


def test_a_whole_address_in_brackets_is_not_an_author_group():
    (address,) = parse_affiliations("[Peking Univ., Beijing, China]")
    assert address.parts == ("Peking Univ", "Beijing") and address.authors == ()


def test_address_without_commas_keeps_its_org_text():
    (address,) = parse_affiliations("University of Chinese Academy of Sciences Beijing 100049 China")
    assert address.postcode == "100049"
    assert address.parts == ("University of Chinese Academy of Sciences Beijing",)


def test_words_glued_by_a_lost_line_break_are_split_but_known_camel_case_names_stay_whole():
    (glued,) = parse_affiliations("School of Information EngineeringNanchang University, Nanchang")
    assert glued.parts == ("School of Information Engineering Nanchang University", "Nanchang")
    (known,) = parse_affiliations("School of Creativity and Arts, ShanghaiTech University, Shanghai",
                                  known_words={"shanghaitech"})
    assert known.parts == ("School of Creativity and Arts", "ShanghaiTech University", "Shanghai")


def test_a_footnote_number_glued_to_a_name_is_dropped():
    (address,) = parse_affiliations("1Ningbo University, Chemistry Department, Ningbo, Zhejiang, 315211 P. R. China")
    assert address.parts[:2] == ("Ningbo University", "Chemistry Department")
    assert address.country == "CN"


def test_units_joined_by_a_slash_are_parts_of_their_own_but_words_are_not():
    (units,) = parse_affiliations("Department of Pathology, Nanfang Hospital/School of Basic Medical Sciences, "
                                  "Southern Medical University")
    assert units.parts == ("Department of Pathology", "Nanfang Hospital", "School of Basic Medical Sciences",
                           "Southern Medical University")
    (words,) = parse_affiliations("National Key Laboratory of Micro/Nano Fabrication, IDG/McGovern Institute")
    assert words.parts == ("National Key Laboratory of Micro/Nano Fabrication", "IDG/McGovern Institute")
