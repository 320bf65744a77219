"""Inter-annotator agreement on the test splits (test, test3, test4) of the evaluation set.

Annotator 1: data/eval/weak_spots.jsonl and data/eval/tone.csv. Annotator 2 labelled the same
test, test3 and test4 documents independently (data/eval/annotator2/). Weak spots are compared at the
document x category level, as the weak-spot benchmark scores them: micro precision, recall
and F1 of annotator 2 taking annotator 1 as reference (F1 is symmetric), and Cohen's kappa per
category over the test documents (None when both annotators use a single value for every
document, where kappa is undefined). Tone: Pearson r, mean absolute difference and the share of
documents within 0.1 / 0.2.

Writes benchmarks/results/agreement.json. Usage: python benchmarks/bench_agreement.py
"""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "data" / "eval"
RESULTS = ROOT / "benchmarks" / "results"
CATEGORIES = [
    "mind_blank", "nerves", "knowledge_gap", "problem_solving", "time_management",
    "communication", "behavioral_answers", "preparation", "self_presentation", "rapport",
    "questions_for_interviewer", "logistics", "compensation", "follow_up",
]


def load_labels(path: Path, split: str) -> dict[str, set[str]]:
    """Return doc -> set of categories for one split."""
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {r["doc"]: {lab["category"] for lab in r["labels"]} for r in rows if r["split"] == split}


def load_tone(path: Path, split: str) -> dict[str, float]:
    """Return doc -> tone for one split."""
    with open(path, newline="", encoding="utf-8") as fh:
        return {r["doc"]: float(r["tone"]) for r in csv.DictReader(fh) if r["split"] == split}


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson correlation, or None if either side is constant."""
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else None


def cohen_kappa(a: list[bool], b: list[bool]) -> float | None:
    """Cohen's kappa for two binary raters, None when chance agreement is 1."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    pa, pb = sum(a) / n, sum(b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall and F1 with their counts."""
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def weak_spot_agreement(a1: dict[str, set[str]], a2: dict[str, set[str]]) -> dict:
    """Document x category agreement of annotator 2 against annotator 1."""
    docs = sorted(a1)
    per_cat, disagreements = {}, []
    tp = fp = fn = 0
    for cat in CATEGORIES:
        x = [cat in a1[d] for d in docs]
        y = [cat in a2[d] for d in docs]
        c_tp = sum(i and j for i, j in zip(x, y))
        c_fp = sum(j and not i for i, j in zip(x, y))
        c_fn = sum(i and not j for i, j in zip(x, y))
        tp, fp, fn = tp + c_tp, fp + c_fp, fn + c_fn
        if any(x) or any(y):
            per_cat[cat] = {**prf(c_tp, c_fp, c_fn), "kappa": cohen_kappa(x, y)}
        for d, i, j in zip(docs, x, y):
            if i != j:
                disagreements.append({"doc": d, "category": cat, "annotator1": i, "annotator2": j})
    cells1 = [c in a1[d] for d in docs for c in CATEGORIES]
    cells2 = [c in a2[d] for d in docs for c in CATEGORIES]
    return {
        "micro": prf(tp, fp, fn),
        "pooled_kappa": cohen_kappa(cells1, cells2),
        "positives": {"annotator1": sum(cells1), "annotator2": sum(cells2)},
        "docs_with_identical_label_sets": sum(a1[d] == a2[d] for d in docs),
        "per_category": per_cat,
        "disagreements": disagreements,
    }


def tone_agreement(t1: dict[str, float], t2: dict[str, float]) -> dict:
    """Correlation and closeness of the two tone scores."""
    docs = sorted(t1)
    xs, ys = [t1[d] for d in docs], [t2[d] for d in docs]
    diffs = [abs(x - y) for x, y in zip(xs, ys)]
    eps = 1e-9  # tones are multiples of 0.1 stored as floats
    by_gap = sorted(zip(docs, xs, ys), key=lambda t: -abs(t[1] - t[2]))
    return {
        "pearson_r": pearson(xs, ys),
        "mean_abs_diff": sum(diffs) / len(diffs),
        "within_0.1": sum(d <= 0.1 + eps for d in diffs) / len(diffs),
        "within_0.2": sum(d <= 0.2 + eps for d in diffs) / len(diffs),
        "same_sign_or_zero": sum(x * y >= 0 for x, y in zip(xs, ys)) / len(xs),
        "largest_gaps": [{"doc": d, "annotator1": x, "annotator2": y}
                         for d, x, y in by_gap[:8] if abs(x - y) > 0.2 + eps],
    }


SPLITS = ("test", "test3", "test4")  # the splits both annotators labelled


def agreement(split: str) -> dict:
    a1 = load_labels(EVAL / "weak_spots.jsonl", split)
    a2 = load_labels(EVAL / "annotator2" / "weak_spots.jsonl", split)
    t1 = load_tone(EVAL / "tone.csv", split)
    t2 = load_tone(EVAL / "annotator2" / "tone.csv", split)
    if set(a1) != set(a2) or set(t1) != set(t2):
        raise SystemExit(f"annotators cover different {split} documents")
    return {"documents": len(a1), "weak_spots": weak_spot_agreement(a1, a2), "tone": tone_agreement(t1, t2)}


def main() -> dict:
    """Compute agreement per split and write it to benchmarks/results/agreement.json."""
    result = {split: agreement(split) for split in SPLITS}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "agreement.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    for split, r in main().items():
        ws, tone = r["weak_spots"], r["tone"]
        m = ws["micro"]
        print(f"{split}: {r['documents']} docs; weak spots micro P={m['precision']:.3f} R={m['recall']:.3f} "
              f"F1={m['f1']:.3f} (tp={m['tp']} fp={m['fp']} fn={m['fn']}), pooled kappa={ws['pooled_kappa']:.3f}")
        print(f"  tone Pearson r={tone['pearson_r']:.3f}, mean |diff|={tone['mean_abs_diff']:.3f}, "
              f"within 0.2: {tone['within_0.2']:.0%}")
        for d in ws["disagreements"]:
            print("  disagree:", d)
        for g in tone["largest_gaps"]:
            print("  tone gap:", g)
