"""The dedup scorer and blocking on the public DBLP-ACM (or DBLP-Scholar) matching benchmark.

    python -m bench.dedup_dblp_acm --split test --out PRED.csv [--dataset DBLP-ACM|DBLP-Scholar]

Scores every pair of the split with the repository's own profile + scorer (repository/dedup), predicts a
match at the threshold chosen on the valid split (model.json's ``benchmark_threshold`` for DBLP-ACM, which
the model was trained for; for DBLP-Scholar the F1-best threshold on its valid split), writes
``ltable_id,rtable_id,label`` predictions, and prints the benchmark's own score.py output next to the
published results. Then it runs the repository's blocking over the tables and reports pair completeness
(share of all known matches that share a blocking key) and reduction ratio (share of the cross product
never compared). DBLP-Scholar's Scholar table is incomplete (see the benchmark README), so its blocking
numbers cover the Scholar records present in its valid and test splits only.
"""
from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import time
from collections import defaultdict

from repository.config import DEFAULTS
from repository.dedup.blocking import blocking_keys
from repository.dedup.scoring import default_model, score_pair, worth_scoring

from .dedup_data import SCORER, load

PUBLISHED = {
    "DBLP-ACM": "Magellan 98.4, DeepMatcher 98.4, Ditto 98.99 (F1 %, structured test split)",
    "DBLP-Scholar": "Magellan 92.3, DeepMatcher 94.7, Ditto 95.6 (F1 %, structured test split)",
}


def probability(left, right) -> float:
    """What the repository's ranking does with a pair: screened by worth_scoring, then scored."""
    return score_pair(left, right).probability if worth_scoring(left, right) else 0.0


def _f1(pairs, probabilities, threshold) -> float:
    tp = sum(1 for p, q in zip(pairs, probabilities) if p.label and q >= threshold)
    predicted = sum(1 for q in probabilities if q >= threshold)
    positives = sum(p.label for p in pairs)
    return 2 * tp / max(predicted + positives, 1)


def _threshold(dataset) -> float:
    if dataset.name == "DBLP-ACM":
        return default_model().benchmark_threshold
    pairs = dataset.splits["valid"]
    probabilities = [probability(dataset.left[p.left], dataset.right[p.right]) for p in pairs]
    return max((t / 100 for t in range(5, 100, 5)), key=lambda t: _f1(pairs, probabilities, t))


def blocking_quality(dataset, max_block: int) -> tuple[float, float, int]:
    """(pair completeness, reduction ratio, candidate pairs) of the blocking over both tables."""
    blocks: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for side, table in ((0, dataset.left), (1, dataset.right)):
        for record_id, profile in table.items():
            for key in blocking_keys(profile):
                blocks[key][side].append(record_id)
    candidates = set()
    for left, right in blocks.values():
        if len(left) + len(right) <= max_block:
            candidates.update((a, b) for a in left for b in right)
    matches = {(p.left, p.right) for split in dataset.splits.values() for p in split if p.label}
    completeness = len(matches & candidates) / len(matches)
    reduction = 1 - len(candidates) / (len(dataset.left) * len(dataset.right))
    return completeness, reduction, len(candidates)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="DBLP-ACM", choices=["DBLP-ACM", "DBLP-Scholar"])
    parser.add_argument("--split", default="test", choices=["valid", "test"])
    parser.add_argument("--out", required=True, help="predictions CSV to write")
    args = parser.parse_args(argv)

    started = time.process_time()
    dataset = load(args.dataset)
    threshold = _threshold(dataset)
    pairs = dataset.splits[args.split]
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ltable_id", "rtable_id", "label"])
        for pair in pairs:
            match = probability(dataset.left[pair.left], dataset.right[pair.right]) >= threshold
            writer.writerow([pair.left, pair.right, int(match)])
    cpu = time.process_time() - started
    print(f"{args.dataset} {args.split}: {len(pairs)} pairs scored at threshold {threshold:.2f} "
          f"(chosen on valid) in {cpu:.1f} s CPU")
    scored = subprocess.run([sys.executable, str(SCORER), args.out, str(dataset.split_path(args.split))],
                            capture_output=True, text=True, check=True)
    print(scored.stdout.strip())
    print(f"published: {PUBLISHED[args.dataset]}")
    max_block = DEFAULTS["DEDUP_MAX_BLOCK"]
    completeness, reduction, compared = blocking_quality(dataset, max_block)
    print(f"blocking over {len(dataset.left)} x {len(dataset.right)} records (blocks up to {max_block}): "
          f"pair completeness {completeness:.4f}, reduction ratio {reduction:.4f} ({compared} candidate pairs)")


if __name__ == "__main__":
    main()
