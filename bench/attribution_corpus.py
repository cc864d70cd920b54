"""Attribution on the real WoS and CNKI exports of ../shared/corpora: how many author lines get a unit, how surely.

    python -m bench.attribution_corpus [--corpora ../shared/corpora] [--reference institutions.jsonl]

Reads every WoS and CNKI file with the built-in importers, builds an org dictionary from the institutions
the records name (the first part of each address is an institution, a department-like second part its unit;
CNKI's joined "大学"+"学院" split at the institution's end), then matches every author line against it and
prints, per source, the author lines with an affiliation, those given an institution, those given a unit
below it, and the confidence distribution. With --reference it also matches the lines against the reference
dictionary of Chinese institutions (ROR) and reports how many get an institution there.
"""
from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from pathlib import Path

from repository.attribution.dictionary import Dictionary, UnitEntry
from repository.attribution.engine import Attributor
from repository.attribution.parse import parse_affiliations
from repository.attribution.reference import read_reference
from repository.attribution.text import has_cjk, name_key
from repository.ingest.batch import read_location
from repository.importers import ParsedRecord

_UNIT_WORDS = re.compile(r"\b(Dept|Sch|Coll|Lab|Inst|Ctr|Fac|Div|Key Lab|Department|School|College|Laboratory|"
                         r"Institute|Center|Centre|Faculty|Division)\b")
_CJK_INSTITUTION = re.compile(r"^(.+?(?:大学|研究院|科学院|研究所|医院|公司|学院|中心))(.*)$")
BUCKETS = ((0.9, "≥0.90"), (0.7, "0.70–0.89"), (0.5, "0.50–0.69"), (0.0, "<0.50"))


def author_lines(corpora: Path):
    """(source, author name, affiliation text) of every author line of the WoS and CNKI files."""
    from plugins.cnki_import import CnkiImporter
    from plugins.wos_import import WosImporter

    for source, importer in (("wos", WosImporter()), ("cnki", CnkiImporter())):
        for path in sorted((corpora / source).iterdir()):
            for item in read_location(importer, str(path)):
                if not isinstance(item, ParsedRecord):
                    continue
                raws = [a["raw"] for a in item.data.get("affiliations", [])]
                for author in item.data.get("authors", []):
                    text = "; ".join(raws[i] for i in author.get("affiliations", []) if i < len(raws))
                    yield source, author["name"], text


def build_dictionary(lines) -> Dictionary:
    """Institutions and department-like units named by the affiliations of *lines*."""
    dictionary = Dictionary()
    institutions: dict[str, str] = {}
    for _, _, text in lines:
        for address in parse_affiliations(text):
            if not address.parts:
                continue
            first, rest = address.parts[0], address.parts[1:]
            if has_cjk(first):
                found = _CJK_INSTITUTION.match(first)
                if not found:
                    continue
                first, rest = found.group(1), ((found.group(2),) if found.group(2) else ())
            key = institutions.setdefault(name_key(first), f"I{len(institutions) + 1}")
            if key not in dictionary.units:
                dictionary.units[key] = UnitEntry(key=key, type="institution", **_names(first))
            if rest and (has_cjk(rest[0]) or _UNIT_WORDS.search(rest[0])):
                unit_key = f"{key}/{name_key(rest[0])}"
                dictionary.units.setdefault(unit_key, UnitEntry(key=unit_key, type="department", parent=key,
                                                                **_names(rest[0])))
    return dictionary


def _names(text: str) -> dict:
    return {"name_zh": text} if has_cjk(text) else {"name_en": text}


def report(label: str, lines, attributor: Attributor) -> None:
    by_source: dict[str, Counter] = {}
    started = time.perf_counter()
    for source, name, text in lines:
        counts = by_source.setdefault(source, Counter())
        counts["lines"] += 1
        if not text:
            continue
        counts["with affiliation"] += 1
        match = attributor.org_for(name, text)
        if match.institution is None:
            continue
        counts["institution"] += 1
        if match.unit != match.institution:
            counts["unit below the institution"] += 1
        counts[next(b for limit, b in BUCKETS if match.confidence >= limit)] += 1
    elapsed = time.perf_counter() - started
    print(f"== {label} ({len(attributor.dictionary.units)} units; {1000 * elapsed / max(1, len(lines)):.3f} ms/line)")
    for source, counts in by_source.items():
        with_affiliation = counts["with affiliation"] or 1
        print(f"{source}: {counts['lines']} author lines, {counts['with affiliation']} with an affiliation; "
              f"institution {counts['institution']} ({100 * counts['institution'] / with_affiliation:.1f}%), "
              f"unit below it {counts['unit below the institution']} "
              f"({100 * counts['unit below the institution'] / with_affiliation:.1f}%)")
        print("   confidence of the institution/unit link: " + ", ".join(
            f"{bucket} {counts[bucket]}" for _, bucket in BUCKETS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).resolve().parents[2] / "shared"
    parser.add_argument("--corpora", type=Path, default=here / "corpora")
    parser.add_argument("--reference", type=Path, default=here / "bench" / "affiliation" / "institutions.jsonl")
    args = parser.parse_args()
    lines = list(author_lines(args.corpora))
    report("dictionary built from the corpora's institutions", lines, Attributor(build_dictionary(lines)))
    if args.reference and args.reference.exists():
        report("reference dictionary of Chinese institutions (ROR)", lines, Attributor(read_reference(args.reference)))


if __name__ == "__main__":
    main()
