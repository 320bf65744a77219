"""A learned entry tone (issue 14), measured beside the shipped one; not used by the package.

Ridge regression on each entry's tone features (the shipped model's late mood and verdict, its
tone, the mean VADER score of the last third) plus the mean word vector of the last third and of
the whole entry (``components/learned.py``'s vectors). Trained on ``data/train/entries.jsonl``
only (toned entries the project wrote itself); the penalty is chosen by 5-fold cross-validation
there. Pearson r with the readers' tone (data/eval/tone.csv) per split, with a 95% interval
(Fisher z), against the shipped tone. Writes benchmarks/results/tone_learned.json.

Usage: python benchmarks/bench_tone_learned.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import bench_sentiment as B  # noqa: E402
from eval_splits import TUNING, UNSEEN  # noqa: E402

ENTRIES = ROOT / "data" / "train" / "entries.jsonl"
PENALTIES = (1.0, 10.0, 100.0, 1000.0)


def features(doc, wv) -> np.ndarray:
    from reflect_nlp.components import sentiment

    f = sentiment.tone_features(doc)
    rows = sentiment.sentence_rows(doc)
    sents = list(doc.sents)
    late = sents[len(sents) * 2 // 3:] or sents

    def mean_vec(spans):
        return np.mean([wv.sentence(s)[:wv.dims] for s in spans], axis=0) if spans else np.zeros(wv.dims)

    vader_late = float(np.mean([r["vader"] for r in rows[len(rows) * 2 // 3:]])) if rows else 0.0
    return np.concatenate([[f["mood"], f["verdict"], sentiment.weighted_tone(doc), vader_late], mean_vec(late), mean_vec(sents)])


def ridge(X: np.ndarray, y: np.ndarray, lam: float):
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = (X - mu) / sd
    w = np.linalg.solve(Z.T @ Z + lam * np.eye(Z.shape[1]), Z.T @ (y - y.mean()))
    return lambda Q: ((Q - mu) / sd) @ w + y.mean()


def interval(x: np.ndarray, y: np.ndarray) -> dict:
    r = float(np.corrcoef(x, y)[0, 1])
    n = len(x)
    if n < 4:
        return {"n": n, "r": round(r, 3), "ci95": None}
    z, half = np.arctanh(np.clip(r, -0.9999, 0.9999)), 1.96 / np.sqrt(n - 3)
    return {"n": n, "r": round(r, 3), "ci95": [round(float(np.tanh(z - half)), 2), round(float(np.tanh(z + half)), 2)]}


def main() -> None:
    from reflect_nlp import build_pipeline
    from reflect_nlp.components import sentiment
    from reflect_nlp.components.learned import load_word_vectors

    nlp, wv = build_pipeline(), load_word_vectors()
    train = [json.loads(line) for line in ENTRIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    X = np.array([features(d, wv) for d in nlp.pipe([r["text"] for r in train], batch_size=32)])
    y = np.array([r["tone"] for r in train])
    order = np.random.default_rng(0).permutation(len(y))
    cv = {}
    for lam in PENALTIES:
        pred = np.zeros_like(y)
        for k in range(5):
            te = order[k::5]
            pred[te] = ridge(X[np.setdiff1d(order, te)], y[np.setdiff1d(order, te)], lam)(X[te])
        cv[lam] = round(float(np.corrcoef(pred, y)[0, 1]), 3)
    lam = max(cv, key=cv.get)
    model = ridge(X, y, lam)
    labels = B.load_tone_labels()
    docs = list(nlp.pipe([B.doc_text(r["doc"]) for r in labels], batch_size=8))
    T = np.array([features(d, wv) for d in docs])
    learned = model(T)
    shipped = np.array([sentiment.weighted_tone(d) for d in docs])
    gold = np.array([float(r["tone"]) for r in labels])
    res = {"benchmark": "tone_learned", "trained_on": f"{ENTRIES.relative_to(ROOT)} ({len(y)} entries)",
           "training_cv_r_by_penalty": cv, "penalty": lam, "splits": {}}
    for split in (*TUNING, *UNSEEN, "+".join(UNSEEN)):
        mask = np.array([r["split"] in split.split("+") for r in labels])
        if mask.sum():
            res["splits"][split] = {"learned": interval(learned[mask], gold[mask]), "shipped": interval(shipped[mask], gold[mask]),
                                    "tuned_on_by_shipped": split in TUNING}
    out = HERE / "results" / "tone_learned.json"
    out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    for split, e in res["splits"].items():
        print(f"{split}: learned r={e['learned']['r']} {e['learned']['ci95']} | shipped r={e['shipped']['r']} {e['shipped']['ci95']} (n={e['learned']['n']})")


if __name__ == "__main__":
    main()
