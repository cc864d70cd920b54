"""Affiliation -> institution -> most specific unit, with a confidence and a reason.

An in-memory index of every name, alias, former name and acronym of every unit, keyed by
``text.name_key``. An address's parts are scanned for every dictionary name they contain (token n-grams for
Latin text, substrings for Chinese); the institution comes first, from its own names (a unit's name implies
its institution only weakly), then the deepest unit of that institution named in the address. A known
institution whose unit is not in the dictionary gives ``unit = institution`` and the reason
"institution, unit unknown", never a guessed department. Parts that name nothing exactly are compared
with rapidfuzz to tolerate typos (slips only: another word or number is another unit). The index also holds
the other forms of the names (``variants``); a unit known to belong elsewhere (``part_of``) that the address
places under another institution is a namesake, not that unit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .abbreviations import GENERIC_HEADS, ORG_WORDS
from .dictionary import Dictionary, UnitEntry
from .parse import Address, parse_affiliations
from .text import differ_by_slips, fold, followed_by, has_cjk, kind_word, name_key, tokens
from .variants import other_forms, short_names, stateless_form, written_forms

#: Confidence of an institution named by its own name / alias, a former name, an acronym, or implied by a unit.
NAME, FORMER, ACRONYM, IMPLIED = 0.98, 0.9, 0.85, 0.7
#: How a ministry is found by its name without its state, and a name by its words spaced otherwise: weaker
#: evidence, taken only from an address of the unit's own country.
STATELESS, RESPACED = "name without its state", "name spaced otherwise"
#: A name found inside a longer part ("Tongji University School of Medicine") is a little less certain.
INSIDE = 0.97
FUZZY_MIN = 90
#: Units whose own name says which institution they belong to (a school's name does not: every university
#: has a "School of Chemistry").
IMPLYING_TYPES = {"lab", "institute", "center", "hospital"}
_INSTITUTION_WORDS = {"univ", "大学", "inst", "acad", "研究院", "研究所", "科学院"}
#: Words of the government bodies that supervise laboratories rather than employ authors.
SUPERVISING_WORDS = {"minist", "commission", "administration", "bureau", "committee"}
_MAX_CJK = 40


@dataclass(frozen=True)
class Hit:
    """A dictionary name found in an address."""

    unit: str
    weight: float
    part: int
    start: int
    end: int
    how: str


@dataclass(frozen=True)
class OrgMatch:
    """The answer for one address (or one line): ids of the dictionary, confidence 0-1, short reason."""

    institution: str | None
    unit: str | None
    confidence: float
    reason: str
    candidates: tuple[str, ...] = ()
    address: Address | None = field(default=None, compare=False)


NO_MATCH = OrgMatch(None, None, 0.0, "no institution found")


class OrgIndex:
    """Every unit name of a Dictionary, ready for matching (build once, match many)."""

    def __init__(self, dictionary: Dictionary):
        self.dictionary = dictionary
        self.names: dict[str, list[tuple[str, float, str]]] = {}
        self.acronyms: dict[str, list[str]] = {}
        self.depth = {key: len(dictionary.lineage(key)) for key in dictionary.units}
        self.institution = {key: dictionary.institution_of(key) for key in dictionary.units}
        self.part_of = {key: dictionary.belongs_to(key) for key, unit in dictionary.units.items() if unit.part_of}
        for key, universities in _named_universities(dictionary).items():
            self.part_of[key] = self.part_of.get(key, set()) | universities
        self.max_tokens = 1
        self.words: set[str] = set()  # the folded Latin words of every name, kept whole when parsing
        derived: dict[str, list[tuple[str, float, str]]] = {}
        for unit in dictionary.units.values():
            self._add_unit(unit, derived)
        # "University of Fudan", "Taiwan Ocean University", "Xiangya Hospital": other forms of one unit's name,
        # unless they name something else
        for key, entries in derived.items():
            if len({entry[0] for entry in entries}) == 1:
                self.names.setdefault(key, entries)
        self.cities = {fold(u.city) for u in dictionary.units.values() if u.city}
        # "Shengjing Hospital" / "Sheng Jing Hospital", "Pengcheng" / "Peng Cheng": pinyin is spaced either way
        self._compact: dict[str, str] = {}
        self._fuzzy_keys: dict[str, list[str]] = {}  # first word -> keys, for typo-tolerant lookups
        for key in self.names:
            if not has_cjk(key) and " " in key:
                self._compact.setdefault(key.replace(" ", ""), key)
                self._fuzzy_keys.setdefault(key.split(" ", 1)[0], []).append(key)
        self._first_words = list(self._fuzzy_keys)
        self.match_text = lru_cache(maxsize=100_000)(self._match_text)

    def _add_unit(self, unit: UnitEntry, derived: dict[str, list[tuple[str, float, str]]]) -> None:
        owners = {name_key(name) for key in self.part_of.get(unit.key, ()) if unit.type == "hospital"
                  for name in (self.dictionary.units[key].name_en, *self.dictionary.units[key].aliases)
                  if name and not has_cjk(name)}
        for weight, how, names in ((NAME, "name", (unit.name_zh, unit.name_en) + unit.aliases),
                                   (FORMER, "former name", unit.former_names)):
            for name in (form for name in names if name for form in written_forms(name)):
                key = name_key(name)
                if not key or len(key) < 2:
                    continue
                _add(self.names, key, (unit.key, weight, how))
                if not has_cjk(key):
                    self.words.update(fold(name).split())
                    self.max_tokens = max(self.max_tokens, key.count(" ") + 1)
                    for form in other_forms(key) + short_names(key, owners):
                        _add(derived, form, (unit.key, weight, how))
        if unit.type == "government":
            for name in filter(None, (stateless_form(name) for name in (unit.name_en, *unit.aliases) if name)):
                _add(self.names, name_key(name), (unit.key, NAME, STATELESS))
        for acronym in unit.acronyms:
            if len(acronym) >= 3:
                self.acronyms.setdefault(acronym.upper(), []).append(unit.key)

    # --- finding names in parts -------------------------------------------------------------------------

    def _hits_in_part(self, index: int, part: str) -> list[Hit]:
        if has_cjk(part):
            text = fold(part).replace(" ", "")
            found = [(i, j) for i in range(len(text)) for j in range(min(len(text), i + _MAX_CJK), i + 1, -1)
                     if text[i:j] in self.names]
            words, whole = text, (0, len(text))
            key_of = lambda i, j: text[i:j]  # noqa: E731
        else:
            words = tokens(part)
            found = [(i, j) for i in range(len(words)) for j in range(min(len(words), i + self.max_tokens), i, -1)
                     if self._latin_key(words[i:j]) and (j - i > 1 or len(words) == 1)]
            whole = (0, len(words))
            key_of = lambda i, j: self._latin_key(words[i:j])  # noqa: E731
        hits = []
        cjk = has_cjk(part)
        for i, j in _maximal(found):
            # Chinese writes the levels without separators (大连理工大学化工学院): no penalty for a name inside
            inside = (i, j) != whole and not cjk
            # an institution called just "Institute of Geology" is not named by "Institute of Geology and
            # Paleontology": a name without a proper word of its own, continued by "and", names a longer name
            generic = words[i] in GENERIC_HEADS or all(word in ORG_WORDS for word in words[i:j])
            continued = inside and generic and followed_by(part, j)
            respaced = not cjk and " ".join(words[i:j]) not in self.names
            for unit, weight, how in self.names[key_of(i, j)]:
                if continued and self.institution[unit] == unit:
                    continue
                weight = weight * INSIDE if inside else weight
                hits.append(Hit(unit, weight, index, i, j, RESPACED if respaced else how))
        if not hits and not has_cjk(part):
            upper = part.strip().upper()
            if upper == part.strip() and upper in self.acronyms:
                hits = [Hit(u, ACRONYM, index, 0, 1, "acronym") for u in self.acronyms[upper]]
        return hits

    def _latin_key(self, words: tuple[str, ...]) -> str | None:
        """The name key these words are, spaced as written or otherwise (None: no name)."""
        key = " ".join(words)
        return key if key in self.names else self._compact.get(key.replace(" ", ""))

    def _fuzzy_hits(self, index: int, part: str) -> list[Hit]:
        key = name_key(part)
        if has_cjk(key) or " " not in key or not self._fuzzy_keys:
            return []
        # the first word (mostly a place) may differ by one slip: "Cixi People's Hospital" is not "Cixian ..."
        first_words = process.extract(key.split(" ", 1)[0], self._first_words, scorer=OSA.distance,
                                      score_cutoff=1, limit=None)
        choices = [candidate for word, _, _ in first_words for candidate in self._fuzzy_keys[word]]
        similar = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=None)
        best = next(((name, score) for name, score, _ in similar if differ_by_slips(key, name)), None)
        if not best:
            return []
        return [Hit(unit, weight * best[1] / 100 * 0.92, index, 0, 1, "similar name")
                for unit, weight, _ in self.names[best[0]]]

    def hits(self, address: Address) -> list[Hit]:
        """Every dictionary name the address names: within a part, across neighbouring parts (a name written
        with a comma, "Institute of Semiconductors, Chinese Academy of Sciences"), or similar to a part. A name
        whose last part is a city ("China University of Geosciences, Beijing") is a campus of its own, not the
        institution its first part names."""
        across = []
        parts = address.parts
        for width in (2, 3):
            for index in range(len(parts) - width + 1):
                joined = " ".join(parts[index:index + width])
                if has_cjk(joined):
                    continue
                key = name_key(joined)
                for unit, weight, how in self.names.get(key, ()):
                    across.append(Hit(unit, weight, index, 0, width, how))
        covered = {index for hit in across if fold(parts[hit.part + hit.end - 1]) in self.cities
                   for index in range(hit.part, hit.part + hit.end)}
        found = []
        for index, part in enumerate(parts):
            if index in covered:
                continue
            part_hits = self._hits_in_part(index, part)
            if not part_hits and fold(part) not in self.cities:
                part_hits = self._fuzzy_hits(index, part)
            found.extend(part_hits)
        found = [hit for hit in found + across
                 if hit.how not in (STATELESS, RESPACED) or self._in_its_country(hit.unit, address)]
        return self._same_words(found, address)

    def _same_words(self, hits: list[Hit], address: Address) -> list[Hit]:
        """Of several units found by the same words, keep those the address's place agrees with; a unit that
        shares a name with a unit it is part of (a branch listed under its parent's name) gives way to it."""
        groups: dict[tuple[int, int, int], list[Hit]] = {}
        for hit in hits:
            groups.setdefault((hit.part, hit.start, hit.end), []).append(hit)
        kept = []
        for group in groups.values():
            if len(group) > 1:
                units = {hit.unit for hit in group}
                group = [hit for hit in group if not units & self.part_of.get(hit.unit, set())]
                best = max(self._locality(hit.unit, address) for hit in group)
                group = [hit for hit in group if self._locality(hit.unit, address) == best]
            kept.extend(group)
        return kept

    # --- deciding -------------------------------------------------------------------------------------

    def institutions(self, address: Address, hits: list[Hit] | None = None) -> dict[str, tuple[float, str]]:
        """Institution key -> (confidence, how) for every institution the address names (*hits*: its names,
        when the caller found them already)."""
        scores: dict[str, tuple[float, str]] = {}
        hits = self.hits(address) if hits is None else hits
        named = {hit.part for hit in hits if self.institution[hit.unit] == hit.unit}
        # "Dalian Maritime Univ, Sch Chem": an unknown university's school is not ours
        other_institution = any(i not in named and _looks_like_institution(p) for i, p in enumerate(address.parts))
        namesakes = self._namesakes(hits)
        for hit in hits:
            if hit.unit in namesakes:
                continue
            top = self.institution[hit.unit]
            unit = self.dictionary.units[hit.unit]
            if top == hit.unit:
                weight, how = hit.weight, hit.how
            elif unit.type in IMPLYING_TYPES and not other_institution:
                weight, how = IMPLIED * hit.weight, "its unit's name"
            else:
                continue
            if unit.inactive:
                weight *= 0.9
            if weight > scores.get(top, (0.0, ""))[0]:
                scores[top] = (weight, how)
        # "Key Laboratory of X, Ministry of Education, Y University": the ministry supervises the laboratory,
        # the university employs the author
        if any(not self.supervising(key) for key in scores):
            scores = {key: value for key, value in scores.items() if not self.supervising(key)}
        return scores

    def hospitals_under(self, address: Address, hits: list[Hit] | None = None) -> dict[str, set[str]]:
        """Hospital -> the universities the address names after it: "Guangzhou First People's Hospital, School
        of Medicine, South China University of Technology" is that university's affiliated hospital."""
        hits = self.hits(address) if hits is None else hits
        units = self.dictionary.units
        return {hit.unit: {other.unit for other in hits if other.part > hit.part and _is_university(units[other.unit])}
                for hit in hits if units[hit.unit].type == "hospital"}

    def _namesakes(self, hits: list[Hit]) -> set[str]:
        """Units known to be part of other institutions (``part_of``) that the address places under a
        different, unrelated one: "Institute of Physics, Hunan Normal University" is not the Institute of
        Physics of the Chinese Academy of Sciences when the academy is not named. A unit of the same
        institution (a sibling) or a supervising ministry does not make it one."""
        named = {hit.unit for hit in hits}
        found = set()
        for hit in hits:
            belongs_to = self.part_of.get(hit.unit)
            if not belongs_to or belongs_to & named:
                continue
            if any(other.part > hit.part and other.unit != hit.unit and not self.supervising(other.unit)
                   and not ({other.unit} | self.part_of.get(other.unit, set())) & (belongs_to | {hit.unit})
                   for other in hits):
                found.add(hit.unit)
        return found

    def supervising(self, key: str) -> bool:
        """Whether unit *key* is a government body that supervises laboratories rather than employs authors."""
        unit = self.dictionary.units[key]
        return unit.type == "government" and bool(
            SUPERVISING_WORDS.intersection(tokens(unit.name_en or "")) or "部" in (unit.name_zh or ""))

    def match_address(self, address: Address, year: int | None = None) -> OrgMatch:
        """The institution and most specific unit of one address."""
        hits = self.hits(address)
        scores = self.institutions(address, hits)
        if not scores:
            return OrgMatch(None, None, 0.0, "no institution found", address=address)
        # of institutions named equally surely, the one more of the address's names belong to (its units), then
        # the one the address's place agrees with
        support: dict[str, int] = {}
        for hit in hits:
            support[self.institution[hit.unit]] = support.get(self.institution[hit.unit], 0) + 1
        evidence = {key: (support.get(key, 0), self._locality(key, address)) for key in scores}
        ranked = sorted(scores.items(), key=lambda item: (-item[1][0], [-e for e in evidence[item[0]]], item[0]))
        institution, (confidence, how) = ranked[0]
        rivals = [key for key, (score, _) in ranked[1:]
                  if score >= confidence - 0.02 and evidence[key] == evidence[institution]]
        candidates = (institution, *rivals)
        if rivals:
            confidence *= 0.6
            how = "ambiguous: several institutions"
        unit, unit_confidence, unit_reason = self._unit_within(institution, hits, year)
        reason = f"institution by {how}; {unit_reason}"
        return OrgMatch(institution, unit, round(confidence * unit_confidence, 3), reason, candidates, address)

    def _in_its_country(self, key: str, address: Address) -> bool:
        unit = self.dictionary.units[key]
        return bool(unit.country and address.country == unit.country or self._locality(key, address) == 2)

    def _locality(self, key: str, address: Address) -> int:
        """2 when the unit's city is in the address, 1 when its country agrees, else 0."""
        unit = self.dictionary.units[self.institution.get(key, key)]
        if unit.city and fold(unit.city) in fold(address.raw):
            return 2
        if unit.country is None or unit.country == (address.country or "CN"):
            return 1
        return 0

    def _unit_within(self, institution: str, hits: list[Hit], year: int | None) -> tuple[str, float, str]:
        best = None
        for hit in hits:
            if hit.unit == institution or self.institution[hit.unit] != institution:
                continue
            rank = (self.depth[hit.unit], hit.weight)
            if best is None or rank > best[0]:
                best = (rank, hit)
        if best is None:
            return institution, 1.0, "unit unknown"
        hit = best[1]
        unit, reason = self._current(hit.unit, year)
        return unit, min(1.0, hit.weight / NAME), reason or f"unit by {hit.how}"

    def _current(self, key: str, year: int | None) -> tuple[str, str | None]:
        """Follow merged_into for a unit that no longer existed in *year* (or at all, without a year)."""
        unit, seen = self.dictionary.units[key], {key}
        reason = None
        while unit.merged_into and unit.merged_into in self.dictionary.units and unit.merged_into not in seen:
            if year is not None and (unit.valid_to is None or year <= unit.valid_to.year):
                break
            reason = f"unit {unit.key} merged into {unit.merged_into}"
            seen.add(unit.merged_into)
            unit = self.dictionary.units[unit.merged_into]
        return unit.key, reason

    def addresses(self, text: str) -> list[Address]:
        """The addresses of *text*, parsed with this dictionary's words kept whole."""
        return parse_affiliations(text, self.words)

    def _match_text(self, text: str, year: int | None = None) -> tuple[OrgMatch, ...]:
        return tuple(self.match_address(address, year) for address in self.addresses(text))

    def match(self, text: str, year: int | None = None) -> OrgMatch:
        """The best match among the addresses of *text* (cached per string)."""
        matches = self.match_text(text, year)
        return max(matches, key=lambda m: m.confidence, default=NO_MATCH)


def _named_universities(dictionary: Dictionary) -> dict[str, set[str]]:
    """Hospital -> the universities its own name names ("Qilu Hospital of Shandong University"): a hospital
    named after a university is its affiliated hospital, whether or not the dictionary says so."""
    universities: dict[str, set[str]] = {}
    for unit in dictionary.units.values():
        if _is_university(unit):
            for name in (unit.name_en, *unit.aliases):
                if name and not has_cjk(name) and " " in name_key(name):
                    universities.setdefault(name_key(name), set()).add(unit.key)
    found: dict[str, set[str]] = {}
    for unit in dictionary.units.values():
        if unit.type != "hospital":
            continue
        for name in (unit.name_en, *unit.aliases):
            words = name_key(name).split(" ") if name and not has_cjk(name) else []
            for start in range(len(words)):
                for end in range(start + 2, len(words) + 1):
                    found.setdefault(unit.key, set()).update(universities.get(" ".join(words[start:end]), ()))
    return {key: keys - {key} for key, keys in found.items() if keys - {key}}


def _is_university(unit: UnitEntry) -> bool:
    """A university or college at the top of the dictionary (what an affiliated hospital belongs to)."""
    if unit.type != "institution" or unit.parent:
        return False
    if unit.name_en:
        return kind_word(unit.name_en) in ("univ", "coll")
    return (unit.name_zh or "").endswith(("大学", "学院"))


def _add(index: dict[str, list[tuple[str, float, str]]], key: str, entry: tuple[str, float, str]) -> None:
    bucket = index.setdefault(key, [])
    if not any(other[0] == entry[0] for other in bucket):
        bucket.append(entry)


def _looks_like_institution(part: str) -> bool:
    if has_cjk(part):
        return any(word in part for word in _INSTITUTION_WORDS)
    return bool(_INSTITUTION_WORDS.intersection(tokens(part)))


def _maximal(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest spans first, leftmost on ties; a span overlapping a kept one is dropped."""
    spans = sorted(set(spans), key=lambda s: (s[0] - s[1], s[0]))
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if not any(start < b and a < end for a, b in kept):
            kept.append((start, end))
    return kept
