"""Measure the reflection-cue rules on CEReD (reflection-moves-cered): per-label precision/recall.

The rules were written on train and checked on val; only test is the headline. A trained
baseline (naive Bayes on word uni+bigrams, fit on train, threshold chosen on val) is reported
beside them so the choice between rules and a classifier rests on numbers. Writes
benchmarks/results/cues.json. Usage: python benchmarks/bench_cues.py [--split test|val|train]
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import time
from collections import Counter
from pathlib import Path

from reflect_nlp.components import lexicon

ROOT = Path(__file__).resolve().parents[1]
CERED = ROOT.parent / "shared" / "eval" / "reflection-moves-cered"
RESULTS = ROOT / "benchmarks" / "results"

# CEReD label -> our rule. "Difficulties" is how the test split spells Difficulty.
DETECTORS = {
    "Feeling": lexicon.has_feeling,
    "Difficulty": lexicon.has_difficulty,
    "Intention": lexicon.has_intention,
    "Learning": lexicon.has_learning,
}
ALIASES = {"Difficulties": "Difficulty"}


def load(split: str) -> list[tuple[str, str]]:
    """(sentence, label) pairs of one split."""
    path = CERED / f"sentences__en__{split}__sentences.tsv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [(r["sentence"], ALIASES.get(r["y"], r["y"])) for r in rows]


def evaluate(pairs: list[tuple[str, str]], detectors: dict | None = None) -> dict[str, dict[str, float | int | None]]:
    """Per-label precision, recall, F1 and support of each detector (one-vs-rest)."""
    out = {}
    for label, detect in (detectors or DETECTORS).items():
        pred = [detect(s) for s, _ in pairs]
        gold = [y == label for _, y in pairs]
        tp = sum(p and g for p, g in zip(pred, gold))
        fp = sum(p and not g for p, g in zip(pred, gold))
        fn = sum(g and not p for p, g in zip(pred, gold))
        prec = tp / (tp + fp) if tp + fp else None
        rec = tp / (tp + fn) if tp + fn else None
        f1 = 2 * prec * rec / (prec + rec) if prec and rec else 0.0
        out[label] = {"precision": prec, "recall": rec, "f1": f1, "support": tp + fn, "predicted": tp + fp}
    return out


def _tokens(text: str) -> list[str]:
    words = re.findall(r"[a-z']+", text.lower())
    return words + [a + " " + b for a, b in zip(words, words[1:])]


class NaiveBayes:
    """One-vs-rest multinomial naive Bayes on word uni+bigrams: the trained baseline the rules face."""

    def __init__(self, pairs: list[tuple[str, str]], label: str, alpha: float = 0.5) -> None:
        pos, neg = Counter(), Counter()
        for text, y in pairs:
            (pos if y == label else neg).update(_tokens(text))
        vocab = set(pos) | set(neg)
        npos, nneg = sum(pos.values()) + alpha * len(vocab), sum(neg.values()) + alpha * len(vocab)
        self.llr = {w: math.log((pos[w] + alpha) / npos) - math.log((neg[w] + alpha) / nneg) for w in vocab}
        share = sum(y == label for _, y in pairs) / len(pairs)
        self.prior = math.log(share / (1 - share))
        self.threshold = 0.0

    def score(self, text: str) -> float:
        return self.prior + sum(self.llr.get(w, 0.0) for w in _tokens(text))

    def fit_threshold(self, pairs: list[tuple[str, str]], label: str) -> None:
        """Pick the decision threshold with the best F1 on ``pairs`` (the val split)."""
        scored = [(self.score(t), y == label) for t, y in pairs]
        if sum(g for _, g in scored) < 5:
            return  # too few positives to choose on (Intention, Learning): keep the Bayes decision
        best = (-1.0, 0.0)
        for th in sorted({sc for sc, _ in scored}):
            tp = sum(g and sc >= th for sc, g in scored)
            fp = sum(not g and sc >= th for sc, g in scored)
            fn = sum(g and sc < th for sc, g in scored)
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            best = max(best, (f1, th))
        self.threshold = best[1]

    def __call__(self, text: str) -> bool:
        return self.score(text) >= self.threshold


def naive_bayes_detectors() -> dict:
    train, val = load("train"), load("val")
    out = {}
    for label in DETECTORS:
        nb = NaiveBayes(train, label)
        nb.fit_threshold(val, label)
        out[label] = nb
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--split", default="test", choices=["train", "val", "test"])
    args = ap.parse_args(argv)
    if not CERED.exists():
        print(f"skipped: {CERED} not found", file=sys.stderr)
        return 0
    t0 = time.perf_counter()
    pairs = load(args.split)
    res = {
        "dataset": "CEReD en (Štefánik & Nehyba 2021)",
        "split": args.split,
        "n_sentences": len(pairs),
        "method": "rules (reflect_nlp.components.lexicon), written on train, checked on val",
        "labels": evaluate(pairs),
        "baseline_naive_bayes": evaluate(pairs, naive_bayes_detectors()),
        "seconds": round(time.perf_counter() - t0, 2),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "cues.json" if args.split == "test" else f"cues_{args.split}.json"
    (RESULTS / name).write_text(json.dumps(res, indent=2) + "\n")
    fmt = lambda v: "  n/a" if v is None else f"{v:.2f}"  # noqa: E731
    for name in ("labels", "baseline_naive_bayes"):
        for label, m in res[name].items():
            print(f"{name[:8]:8s} {label:11s} P {fmt(m['precision'])} R {fmt(m['recall'])} F1 {m['f1']:.2f} n={m['support']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
