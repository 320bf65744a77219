"""Measure the reflection-cue rules on CEReD (reflection-moves-cered): per-label precision/recall.

The rules were written on train and checked on val; only test is the headline. Writes
benchmarks/results/cues.json. Usage: python benchmarks/bench_cues.py [--split test|val|train]
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
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


def evaluate(pairs: list[tuple[str, str]]) -> dict[str, dict[str, float | int | None]]:
    """Per-label precision, recall, F1 and support of each detector (one-vs-rest)."""
    out = {}
    for label, detect in DETECTORS.items():
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
        "seconds": round(time.perf_counter() - t0, 2),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "cues.json" if args.split == "test" else f"cues_{args.split}.json"
    (RESULTS / name).write_text(json.dumps(res, indent=2) + "\n")
    for label, m in res["labels"].items():
        fmt = lambda v: "  n/a" if v is None else f"{v:.2f}"  # noqa: E731
        print(f"{label:11s} P {fmt(m['precision'])} R {fmt(m['recall'])} F1 {m['f1']:.2f} n={m['support']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
