"""The other ways a dictionary name is written, so that the name index finds them too.

A name as the dictionary gives it is not always the name an affiliation uses: ROR adds a country to company
names ("ZTE (China)"), ministries are named without their state at home, universities are written in other
word orders ("University of Fudan", "Huazhong Science and Technology University") and without a national
qualifier ("Taiwan Ocean University"), and an affiliated hospital is named without its university ("Xiangya
Hospital" for "Xiangya Hospital Central South University"). ``written_forms`` gives the forms that are the
name itself, ``stateless_form`` one that names a ministry only in its own country; ``other_forms`` and
``short_names`` give keys that the index uses only while no other unit has them as a name.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .abbreviations import ORG_WORDS
from .parse import COUNTRIES
from .text import fold

_A_AND_F = re.compile(r"\bA\s*&\s*F\b")
_TRAILING_BRACKET = re.compile(r"\s*\(([^()]*)\)\s*$")
_OF_THE_STATE = re.compile(r"\s+of the (?:People.s )?Republic of China\s*$", re.IGNORECASE)
#: Every syllable of Mandarin pinyin (without tones; ü as u).
PINYIN_SYLLABLES = frozenset("""
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cen ceng
cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu
cuan cui cun cuo da dai dan dang dao de den deng di dian diao die ding diu dong dou du duan dui dun duo e ei en
eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan
guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian
jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke ken keng kong kou ku kua kuai kuan
kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan
lue lun luo ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne
nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nue nun nuo o ou pa pai pan pang pao pei pen
peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran
rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang
shao she shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai
tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi
xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan
yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhen zheng zhi zhong zhou zhu zhua
zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo""".split())
#: Pinyin words that are common nouns in hospital names ("Renmin Hospital" is any city's People's Hospital).
_GENERIC_PINYIN = frozenset({"renmin", "zhongyi", "fuyou", "shiyan"})


def written_forms(name: str) -> tuple[str, ...]:
    """The name, and without a bracketed country at its end ("ZTE (China)": ROR writes companies so, and a
    parsed address carries a bracketed country as its own part), or with the agriculture and forestry
    universities' "A&F" spelt out."""
    if _A_AND_F.search(name):
        return name, _A_AND_F.sub("Agriculture and Forestry", name)
    found = _TRAILING_BRACKET.search(name)
    if found and fold(found.group(1)) in COUNTRIES:
        return name, name[:found.start()]
    return (name,)


def stateless_form(name: str) -> str | None:
    """A government body's name without its "of the People's Republic of China": at home a ministry is
    "Ministry of Education", which names it only in an address of its country."""
    found = _OF_THE_STATE.search(name)
    return name[:found.start()] if found else None


def other_forms(key: str) -> tuple[str, ...]:
    """Other ways of writing a name's key: a university's other word order ("fudan univ" is also "univ fudan",
    University of Fudan; "huazhong univ sci technol" also "huazhong sci technol univ", Science and Technology
    University), and a name without its leading national qualifier ("National Taiwan Ocean University" is
    often "Taiwan Ocean University", "Chinese PLA General Hospital" "PLA General Hospital") while a proper
    word remains."""
    words = key.split(" ")
    forms = []
    if len(words) == 2 and words[1] == "univ":
        forms.append(f"univ {words[0]}")
    if "univ" in words[1:-1]:
        forms.append(" ".join(word for word in words if word != "univ") + " univ")
    rest = words[1:] if words[0] == "natl" else words[1:] if words[:2] == ["chinese", "pla"] else None
    if rest and len(rest) > 1 and any(word not in ORG_WORDS for word in rest):
        forms.append(" ".join(rest))
    return tuple(forms)


def short_names(key: str, owner_keys: set[str]) -> tuple[str, ...]:
    """A hospital's name without the name of the university it belongs to ("xiangya hosp" from "xiangya hosp
    ctr south univ", owner "ctr south univ"), when what remains is a hospital with a Chinese proper name
    (not "First Affiliated Hospital", "Renmin Hospital" or "Eye Hospital")."""
    words = key.split(" ")
    found = []
    for owner in owner_keys:
        owner_words = owner.split(" ")
        for start in range(len(words) - len(owner_words) + 1):
            if words[start:start + len(owner_words)] == owner_words:
                rest = words[:start] + words[start + len(owner_words):]
                if "hosp" in rest and len(rest) > 1 and any(_is_proper_pinyin(word) for word in rest):
                    found.append(" ".join(rest))
    return tuple(found)


def _is_proper_pinyin(word: str) -> bool:
    return len(word) >= 5 and word not in _GENERIC_PINYIN and _syllables(word) >= 2


@lru_cache(maxsize=50_000)
def _syllables(word: str) -> int:
    """How many pinyin syllables *word* is made of (0 when it is not pinyin)."""
    if not word:
        return 0
    best = 0
    for end in range(min(6, len(word)), 0, -1):
        if word[:end] in PINYIN_SYLLABLES:
            rest = _syllables(word[end:]) if end < len(word) else 0
            if end == len(word) or rest:
                best = max(best, 1 + rest)
    return best
