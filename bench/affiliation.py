"""Affiliation -> institution benchmark on real strings (../shared/bench/affiliation).

    python -m bench.affiliation --gold ../shared/bench/affiliation/gold.jsonl [--institutions FILE]
                                [--predictions OUT.jsonl] [--errors N]

Matches every gold string against the reference dictionary (institutions.jsonl next to the gold file unless
given) with Zhiku's matcher and prints accuracy, precision, recall and F1 with the definitions of the
benchmark's score.py (micro precision/recall over ids, exact id-set accuracy), overall and for the S2AFF
subset, plus the speed.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from repository.attribution.institutions import predict_institutions
from repository.attribution.orgmatch import OrgIndex
from repository.attribution.reference import read_reference

PREFIX = "https://ror.org/"


def _norm(identifier: str) -> str:
    return identifier.lower().removeprefix(PREFIX)


def score(rows: list[dict], predictions: dict[str, set[str]], subset: str | None = None) -> dict:
    """score.py's metrics: accuracy (exact set), micro precision and recall over ids, F1."""
    exact = n_pred = n_gold = tp = 0
    count = 0
    for row in rows:
        if subset and not any(subset in s for s in row["sources"]):
            continue
        count += 1
        gold = {_norm(i) for i in row["gold_ids"]}
        pred = {_norm(i) for i in predictions.get(row["gid"], set())}
        correct = len(gold & pred)
        n_pred, n_gold, tp = n_pred + len(pred), n_gold + len(gold), tp + correct
        exact += pred == gold
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"strings": count, "accuracy": exact / count if count else 0.0, "precision": precision,
            "recall": recall, "F1": f1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", required=True, type=Path)
    parser.add_argument("--institutions", type=Path)
    parser.add_argument("--predictions", type=Path, help="also write predictions for score.py")
    parser.add_argument("--errors", type=int, default=0, help="print up to N wrong strings")
    parser.add_argument("--half", choices=["odd", "even"], help="score only odd or even gids (dev/test split)")
    args = parser.parse_args()
    institutions = args.institutions or args.gold.with_name("institutions.jsonl")

    started = time.perf_counter()
    index = OrgIndex(read_reference(institutions))
    built = time.perf_counter() - started
    rows = [json.loads(line) for line in args.gold.open(encoding="utf-8") if line.strip()]
    if args.half:
        rows = [r for r in rows if int(r["gid"].rsplit("-", 1)[1]) % 2 == (args.half == "odd")]
    started = time.perf_counter()
    predictions = {row["gid"]: set(predict_institutions(index, row["affiliation"])) for row in rows}
    elapsed = time.perf_counter() - started

    if args.predictions:
        with args.predictions.open("w", encoding="utf-8") as out:
            for gid, ids in predictions.items():
                out.write(json.dumps({"gid": gid, "pred_ids": sorted(ids)}) + "\n")
    shown = 0
    for row in rows:
        gold = {_norm(i) for i in row["gold_ids"]}
        pred = {_norm(i) for i in predictions[row["gid"]]}
        if gold != pred and shown < args.errors:
            shown += 1
            names = {_norm(k): u.label for k, u in index.dictionary.units.items()}
            print(f"WRONG {row['gid']}: {row['affiliation'][:160]!r}\n   gold={[names.get(g, g) for g in gold]}"
                  f" pred={[names.get(p, p) for p in pred]}")
    print(f"dictionary: {len(index.dictionary.units)} institutions (index built in {built:.2f} s)")
    print(f"matched {len(rows)} strings in {elapsed:.2f} s ({1000 * elapsed / max(1, len(rows)):.3f} ms/string)")
    for label, subset in (("all", None), ("S2AFF subset", "S2AFF")):
        result = score(rows, predictions, subset)
        print(f"{label}: strings={result['strings']} accuracy={result['accuracy']:.4f} "
              f"precision={result['precision']:.4f} recall={result['recall']:.4f} F1={result['F1']:.4f}")


if __name__ == "__main__":
    main()
