"""Fit the dedup scorer's logistic coefficients on the DBLP-ACM train split; pick a threshold on valid.

    python -m bench.dedup_train [--write]

Trains on ``train`` only (each pair also with the year, the venue or the authors blanked on one side, so
the model learns what a missing field means, and at a small weight as a sloppy record without a year and
with another record's venue), reports F1 on ``valid`` over a range of thresholds, and with
``--write`` stores the coefficients and the F1-best valid threshold (``benchmark_threshold``) in repository/dedup/model.json,
keeping its ``evidence`` section (fixed log-odds for fields the benchmark lacks). The test split is never
read here.
"""
from __future__ import annotations

import argparse
import json
import random
from dataclasses import replace

import numpy as np
from sklearn.linear_model import LogisticRegression

from repository.dedup.scoring import FEATURES, MODEL_PATH, features

from .dedup_data import load

DEFAULT_EVIDENCE = {"pages_agree": 3.0, "pages_conflict": -8.0, "citation_agree": 8.0, "issn_agree": 1.0,
                    "issn_conflict": -1.5, "volume_conflict": -3.0, "conference_vs_journal": -4.0}


#: Fields blanked on one side of every train pair, each in a copy of its own: records in the wild (Scholar,
#: OAI feeds, CNKI theses) often lack them, and the model must learn what their absence means.
MISSING = ("years", "venues", "authors")
#: Weight of one more copy of each train pair, a sloppy record: no year and another record's venue (citations
#: and scraped pages garble both). Small, so that it teaches only what a venue mismatch means without a year;
#: chosen on the valid splits of DBLP-ACM and DBLP-Scholar.
SLOPPY_WEIGHT = 0.1


def _variants(right, venues: list[str], rng: random.Random) -> list[tuple[object, float]]:
    """The train copies of a pair's right side, with their sample weights."""
    blanked = [(replace(right, **{name: []}), 1.0) for name in MISSING]
    return [(right, 1.0), *blanked, (replace(right, years=[], venues=[rng.choice(venues)]), SLOPPY_WEIGHT)]


def matrix(dataset, split: str, augment: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels and sample weights of a split's pairs (with the train copies when *augment*)."""
    rows, labels, weights = [], [], []
    venues = sorted({venue for profile in dataset.right.values() for venue in profile.venues})
    rng = random.Random(0)
    for pair in dataset.splits[split]:
        left, right = dataset.left[pair.left], dataset.right[pair.right]
        for variant, weight in _variants(right, venues, rng) if augment else [(right, 1.0)]:
            values = features(left, variant)
            rows.append([values[name] for name in FEATURES])
            labels.append(pair.label)
            weights.append(weight)
    return np.array(rows), np.array(labels), np.array(weights)


def f1_at(probabilities: np.ndarray, labels: np.ndarray, threshold: float) -> tuple[float, float, float]:
    predicted = probabilities >= threshold
    tp = int((predicted & (labels == 1)).sum())
    precision = tp / max(int(predicted.sum()), 1)
    recall = tp / max(int((labels == 1).sum()), 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="store the fitted model in model.json")
    parser.add_argument("--C", type=float, default=100.0, help="inverse regularization strength")
    args = parser.parse_args(argv)

    dataset = load("DBLP-ACM")
    x_train, y_train, weights = matrix(dataset, "train", augment=True)
    x_valid, y_valid, _ = matrix(dataset, "valid")
    model = LogisticRegression(C=args.C, max_iter=5000).fit(x_train, y_train, sample_weight=weights)
    valid_p = model.predict_proba(x_valid)[:, 1]
    thresholds = [round(t, 2) for t in np.arange(0.05, 0.96, 0.05)]
    results = {t: f1_at(valid_p, y_valid, t) for t in thresholds}
    best = max(thresholds, key=lambda t: (round(results[t][2], 4), -abs(t - 0.5)))
    print(f"trained on {len(y_train)} train pairs; valid: {len(y_valid)} pairs")
    for t in thresholds:
        p, r, f = results[t]
        print(f"  threshold {t:.2f}: P={p:.4f} R={r:.4f} F1={f:.4f}{'  <- best' if t == best else ''}")
    for name, weight in zip(FEATURES, model.coef_[0]):
        print(f"  {name:16s} {weight:+.3f}")
    if args.write:
        current = json.loads(MODEL_PATH.read_text(encoding="utf-8")) if MODEL_PATH.exists() else {}
        data = {
            "trained_on": "DBLP-ACM structured train split (threshold chosen on valid)",
            "intercept": round(float(model.intercept_[0]), 4),
            "coefficients": {n: round(float(w), 4) for n, w in zip(FEATURES, model.coef_[0])},
            "benchmark_threshold": best,
            "evidence": current.get("evidence", DEFAULT_EVIDENCE),
        }
        MODEL_PATH.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH}")


if __name__ == "__main__":
    main()
