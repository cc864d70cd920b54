"""Why the affiliation benchmark's wrong ids are wrong, and how its gold sets label two levels of one hierarchy.

    python -m bench.affiliation_errors --gold ../shared/bench/affiliation/gold.jsonl [--half odd|even] [--list]

Part 1 counts, over the strings that name both a unit and an institution it belongs to (ROR parents, a
hospital's related university, a hospital named after a university), which of the two the gold set lists:
the unit only, the institution only, both, or neither. Where the same kind of string is labelled every way,
no rule can satisfy all of the gold (and the matcher reports what is most often right).

Part 2 puts every false positive and false negative of Zhiku's matcher into one class:
two levels named and the gold lists another level; a record of the same name; a gold id that no name or
alias of it names in the string (world knowledge, or a label error); a gold id named but missed by the
matcher; named but left out by a rule; an id the string names that the gold leaves out; a similar-name
match. --list prints the gids of each class.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from repository.attribution.institutions import predict_institutions, stands_alone
from repository.attribution.orgmatch import OrgIndex
from repository.attribution.reference import read_reference
from repository.attribution.text import name_key, tokens


def related(index: OrgIndex, a: str, b: str) -> bool:
    """Whether one of two units belongs to the other (directly or through others)."""
    return b in index.part_of.get(a, ()) or a in index.part_of.get(b, ())


def pair_kind(index: OrgIndex, unit: str, above: str) -> str:
    """The kind of a (unit, institution above it) pair, as the gold conventions differ by kind."""
    units = index.dictionary.units
    if units[unit].type == "hospital":
        if units[above].type == "hospital":
            return "hospital / its hospital group"
        return "affiliated hospital / university"
    if stands_alone(units[unit]):
        return "research institute or university / its academy or parent"
    return "laboratory or centre / its host"


def named_units(index: OrgIndex, text: str) -> tuple[set[str], set[str]]:
    """(units named by their own name, units found in any way) in *text*."""
    hits = [hit for address in index.addresses(text) for hit in index.hits(address)]
    return {hit.unit for hit in hits if hit.how == "name"}, {hit.unit for hit in hits}


def conventions(index: OrgIndex, rows: list[dict]) -> dict[str, Counter]:
    """Per pair kind, how often the gold lists the unit, the institution above it, both or neither."""
    found: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        named, _ = named_units(index, row["affiliation"])
        gold = set(row["gold_ids"])
        for unit in named:
            for above in index.part_of.get(unit, ()):
                if above in named:
                    label = {(True, True): "both", (True, False): "unit only", (False, True): "institution only",
                             (False, False): "neither"}[(unit in gold, above in gold)]
                    found[pair_kind(index, unit, above)][label] += 1
    return found


def error_class(index: OrgIndex, row: dict, wrong: str, false_positive: bool, predicted: set[str]) -> str:
    """The class of one wrong id of one string (see the module docstring)."""
    gold = set(row["gold_ids"])
    units = index.dictionary.units
    levels = [other for other in (gold | predicted) - {wrong} if related(index, wrong, other)]
    if levels:
        unit, above = (wrong, levels[0]) if levels[0] in index.part_of.get(wrong, ()) else (levels[0], wrong)
        return f"two levels named, gold lists another: {pair_kind(index, unit, above)}"
    named, found = named_units(index, row["affiliation"])
    if false_positive:
        if any(units[other].name_en == units[wrong].name_en for other in gold - predicted):
            return "a record of the same name"
        return "named in the string, not in the gold" if wrong in named else "matched by a similar name or acronym"
    if wrong in found:
        return "named, left out by a rule"
    text = " %s " % " ".join(tokens(row["affiliation"]))
    names = (units[wrong].name_en, units[wrong].name_zh, *units[wrong].aliases)
    if any(name and len(name_key(name)) > 2 and f" {name_key(name)} " in text for name in names):
        return "named, missed by the matcher"
    return "not named in the string (world knowledge or label error)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", required=True, type=Path)
    parser.add_argument("--institutions", type=Path)
    parser.add_argument("--half", choices=["odd", "even"])
    parser.add_argument("--list", action="store_true", help="print the gids of each error class")
    args = parser.parse_args()
    index = OrgIndex(read_reference(args.institutions or args.gold.with_name("institutions.jsonl")))
    rows = [json.loads(line) for line in args.gold.open(encoding="utf-8") if line.strip()]
    if args.half:
        rows = [r for r in rows if int(r["gid"].rsplit("-", 1)[1]) % 2 == (args.half == "odd")]

    print(f"== how the gold labels strings that name a unit and an institution above it ({len(rows)} strings)")
    for kind, counts in sorted(conventions(index, rows).items()):
        print(f"{kind}: " + ", ".join(f"{label} {counts[label]}"
                                      for label in ("unit only", "institution only", "both", "neither")))

    classes: dict[tuple[str, str], list[str]] = defaultdict(list)
    correct = 0
    for row in rows:
        predicted = set(predict_institutions(index, row["affiliation"]))
        gold = set(row["gold_ids"])
        correct += len(predicted & gold)
        for kind, wrong_ids in (("FP", predicted - gold), ("FN", gold - predicted)):
            for wrong in sorted(wrong_ids):
                classes[(kind, error_class(index, row, wrong, kind == "FP", predicted))].append(row["gid"])
    print("== the matcher's wrong ids by class")
    for kind in ("FP", "FN"):
        total = sum(len(gids) for (k, _), gids in classes.items() if k == kind)
        print(f"{kind} {total}")
        for (k, label), gids in sorted(classes.items(), key=lambda item: -len(item[1])):
            if k == kind:
                print(f"  {len(gids):4d}  {label}" + (f"\n        {' '.join(gids)}" if args.list else ""))
    counts = {kind: sum(len(gids) for (k, label), gids in classes.items() if k == kind
                        and not label.startswith("two levels")) for kind in ("FP", "FN")}
    print("not counting the two-level disagreements: " + scores(correct, counts["FP"], counts["FN"]))


def scores(correct: int, false_positives: int, false_negatives: int) -> str:
    precision = correct / (correct + false_positives)
    recall = correct / (correct + false_negatives)
    return f"precision={precision:.4f} recall={recall:.4f} F1={2 * precision * recall / (precision + recall):.4f}"


if __name__ == "__main__":
    main()
