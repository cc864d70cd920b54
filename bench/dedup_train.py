"""Fit the dedup scorer's logistic coefficients on the DBLP-ACM train split; pick a threshold on valid.

    python -m bench.dedup_train [--write]

Trains on ``train`` only (each pair also with the year, the venue or the authors blanked on one side, so
the model learns what a missing field means), reports F1 on ``valid`` over a range of thresholds, and with
``--write`` stores the coefficients and the F1-best valid threshold (``benchmark_threshold``) in repository/dedup/model.json,
keeping its ``evidence`` section (fixed log-odds for fields the benchmark lacks). The test split is never
read here.
"""
from __future__ import annotations

import argparse
import json
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


def matrix(dataset, split: str, augment: bool = False) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for pair in dataset.splits[split]:
        left, right = dataset.left[pair.left], dataset.right[pair.right]
        variants = [right] + ([replace(right, **{name: []}) for name in MISSING] if augment else [])
        for variant in variants:
            values = features(left, variant)
            rows.append([values[name] for name in FEATURES])
            labels.append(pair.label)
    return np.array(rows), np.array(labels)


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
    x_train, y_train = matrix(dataset, "train", augment=True)
    x_valid, y_valid = matrix(dataset, "valid")
    model = LogisticRegression(C=args.C, max_iter=2000).fit(x_train, y_train)
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
