"""Pair scoring and clustering on the hard cases: spelling differences merge, different works stay apart."""
import pytest

from repository.dedup.clustering import cluster
from repository.dedup.profile import combine, record_profile
from repository.dedup.scoring import score_pair

MERGE, REVIEW = 0.95, 0.5


def paper(**changes) -> dict:
    data = {"title": "Selective hydrogenation of CO2 to methanol over In2O3 catalysts",
            "authors": [{"name": "Zhang, San"}, {"name": "Li, Si"}, {"name": "Wang, Wu"}],
            "venue": {"title": "Journal of Catalysis", "issn": "0021-9517"}, "year": 2021, "volume": "395",
            "pages": "120-131", "type": "journal_article"}
    data.update(changes)
    return data


def score(left: dict, right: dict):
    return score_pair(record_profile(left), record_profile(right))


@pytest.mark.parametrize("other", [
    paper(title="SELECTIVE HYDROGENATION OF CO<sub>2</sub> TO METHANOL OVER In<sub>2</sub>O<sub>3</sub> CATALYSTS"),
    paper(authors=[{"name": "Zhang, S."}, {"name": "Li, S."}, {"name": "Wang, W."}], venue={"title": "J CATAL"}),
    paper(authors=[{"name": "张三"}, {"name": "李四"}, {"name": "王五"}]),
    paper(pages=None, article_number="120", venue={"title": "J. Catal.", "issn": "0021-9517"}),
    paper(title="Selective hydrogenation of CO₂ to methanol over In₂O₃ catalysts", year=2020),  # early access
])
def test_descriptions_of_one_paper_merge(other):
    result = score(paper(), other)
    assert result.probability >= MERGE, result.evidence()


def test_greek_letters_spelled_either_way_merge():
    left = paper(title="Role of the α-helix in β-amyloid aggregation")
    right = paper(title="Role of the alpha-helix in beta-amyloid aggregation")
    assert score(left, right).probability >= MERGE


def test_editorials_with_the_same_title_stay_apart():
    left = paper(title="Editorial", type="editorial", authors=[{"name": "Smith, J."}], pages="1", volume="12",
                 year=2019)
    right = paper(title="Editorial", type="editorial", authors=[{"name": "Brown, K."}], pages="1", volume="14",
                  year=2021)
    assert score(left, right).probability < REVIEW


def test_an_erratum_never_merges_with_the_paper_it_corrects():
    erratum = paper(type="correction", pages="500")
    result = score(paper(), erratum)
    assert result.probability == 0 and result.veto.startswith("different types")


def test_a_conference_paper_and_its_journal_extension_stay_apart():
    conference = paper(type="conference_paper", year=2019, venue={"title": "Proceedings of ICCAT 2019"},
                       volume=None, pages="33-40")
    assert score(paper(), conference).probability < MERGE


def test_different_dois_settle_a_pair_whatever_the_titles_say():
    result = score(paper(doi="10.5555/one"), paper(doi="10.5555/two"))
    assert (result.probability, result.veto) == (0, "different doi")


def test_conflicting_first_pages_keep_part_one_and_part_two_apart():
    first = paper(title="Modelling of fixed-bed reactors, part I", pages="1-20")
    second = paper(title="Modelling of fixed-bed reactors, part II", pages="21-40")
    assert score(first, second).probability < REVIEW


def test_a_work_profile_matches_through_any_of_its_titles():
    cnki = record_profile(paper(title="基于深度学习的催化剂活性预测", title_alt="Catalyst activity prediction based on deep learning",
                                authors=[{"name": "王小明"}], venue={"title": "化工学报", "issn": "0438-1157"}))
    wos = record_profile(paper(title="Prediction of Catalyst Activity Based on Deep Learning",
                               authors=[{"name": "Wang, XM"}], venue={"title": "CIESC JOURNAL", "issn": "0438-1157"}))
    assert score_pair(combine([cnki]), wos).probability >= MERGE


def test_clustering_follows_strong_links_but_never_joins_a_pair_kept_apart():
    pairs = [(1, 2, 0.99), (2, 3, 0.98), (4, 5, 0.97), (3, 6, 0.96)]
    assert cluster(pairs) == [[1, 2, 3, 6], [4, 5]]
    assert cluster(pairs, {frozenset((1, 3))}) == [[1, 2], [3, 6], [4, 5]]


def test_one_talk_described_with_different_catalogue_notes_is_found():
    talk = dict(authors=[{"name": "Deshpande, Anand"}, {"name": "Blakeley, José A."}], year=2000, volume=None,
                pages=None, venue={"title": "SIGMOD Conference"}, type="conference_paper")
    panel = score(paper(title="Application servers: born-again TP monitors for the web? (panel abstract)", **talk),
                  paper(title="Application servers (panel session): born-again TP monitors for the web", **talk))
    tutorial = score(paper(title="Tutorial: Data access", **talk), paper(title="Data access (tutorial session)", **talk))
    assert panel.probability >= MERGE and tutorial.probability >= REVIEW


def test_a_record_without_a_year_may_name_another_venue_but_one_with_a_year_may_not():
    article = paper(title="Adaptive query processing for data streams", volume=None, pages=None,
                    authors=[{"name": "Chen, Wei"}, {"name": "Liu, Yang"}, {"name": "Sun, Jia"}],
                    venue={"title": "Information Systems"}, year=2019)
    citation = article | {"authors": [{"name": "W Chen"}, {"name": "Y Liu"}, {"name": "J Sun"}],
                          "venue": {"title": "Technical report CS-2018-07"}, "year": None}
    assert REVIEW <= score(article, citation).probability < MERGE
    assert score(article, citation | {"year": 2019}).probability < REVIEW


def test_chinese_titles_numbered_differently_stay_apart_even_at_the_same_place():
    first = paper(title="基于有限元的混凝土结构模型研究（第1部分）", authors=[{"name": "李敏"}, {"name": "张静"}],
                  venue={"title": "土木工程学报", "issn": "1000-131X"}, language="zh")
    assert score(first, dict(first)).probability >= MERGE
    assert score(first, first | {"title": "基于有限元的混凝土结构模型研究（第2部分）"}).probability < REVIEW
    assert score(first, first | {"title": "基于有限元的混凝土结构模型研究第12号"}).probability < REVIEW
