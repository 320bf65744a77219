"""Sentiment benchmarks: stock backends vs human ratings, and entry tone vs reader labels.

1. VADER ground truth (Hutto & Gilbert 2014): Pearson r of each backend's whole-snippet score
   with the human mean rating, per domain (tweets / movie / amazon / nyt).
2. data/eval/tone.csv: Pearson r of the entry ``tone`` (and of the plain-mean TextBlob / VADER
   baselines) with the reader's tone, on dev (used for tuning) and test (the headline).

Writes benchmarks/results/sentiment.json. ``--tune`` grid-searches ToneWeights on dev only.
Usage: python benchmarks/bench_sentiment.py [--tune]
"""
from __future__ import annotations

import argparse
import csv
import functools
import itertools
import json
import re
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from reflect_nlp.components import sentiment

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"
GROUND_TRUTH = SHARED / "sentiment-vader-groundtruth"
WRITEUPS = SHARED / "interview-writeups"
TONE_CSV = ROOT / "data" / "eval" / "tone.csv"
RESULTS = ROOT / "benchmarks" / "results"
DOMAINS = {
    "tweets": "tweets_GroundTruth.txt",
    "movie": "movieReviewSnippets_GroundTruth.txt",
    "amazon": "amazonReviewSnippets_GroundTruth.txt",
    "nyt": "nytEditorialSnippets_GroundTruth.txt",
}


def pearson(x, y) -> float | None:
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 3 or x.std() == 0 or y.std() == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def read_ground_truth(path: Path) -> list[tuple[float, str]]:
    """(mean rating, text) rows. CRLF, no final newline, maybe a BOM: utf-8-sig + splitlines."""
    rows = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if line.strip():
            _id, mean, text = line.split("\t", 2)
            rows.append((float(mean), text))
    return rows


def ground_truth_correlations() -> dict[str, dict[str, float | int | None]]:
    backends = [sentiment.get_backend(name) for name in sentiment.BACKENDS]
    out = {}
    for domain, fname in DOMAINS.items():
        rows = read_ground_truth(GROUND_TRUTH / fname)
        human = [m for m, _ in rows]
        out[domain] = {"n": len(rows)}
        for b in backends:
            out[domain][b.name] = pearson(human, [b.score(t)[b.main] for _, t in rows])
    return out


_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)\n.*?\n\1\n", re.S)


def doc_text(doc_id: str) -> str:
    """The text a user would feed in for one tone.csv document (see data/eval/LABELLING.md)."""
    from reflect_nlp import load_journal

    name, _, line = doc_id.partition(":")
    if name.endswith(".jsonl"):
        with open(WRITEUPS / name, encoding="utf-8") as f:
            return json.loads(f.readlines()[int(line) - 1])["story"]
    if not name.startswith("samples/"):
        # Blog posts: drop the YAML/TOML front matter ourselves so the numbers do not move with ingest.
        return _FRONT_MATTER.sub("", (WRITEUPS / name).read_text(encoding="utf-8"), count=1)
    refls = load_journal(ROOT / "data" / name).reflections
    if line:
        refls = [r for r in refls if r.line == int(line)] or refls
    return "\n\n".join(r.text for r in refls)


def load_tone_labels() -> list[dict[str, str]]:
    with open(TONE_CSV, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def tone_scores(docs, weights: sentiment.ToneWeights) -> list[dict[str, float]]:
    """Entry tone and plain means of already processed docs, re-weighted with ``weights``."""
    comp = sentiment.SentimentComponent(weights)
    for backend in (comp.textblob, comp.vader, comp.tone_vader):  # --tune re-scores the same sentences many times
        backend.score = functools.lru_cache(maxsize=None)(backend.score)
    out = []
    for doc in docs:
        comp(doc)
        rows = sentiment.sentence_rows(doc)
        out.append(sentiment.entry_tone(doc, rows))
    return out


def tone_correlations(labels, scores) -> dict[str, dict[str, float | int | None]]:
    res = {}
    for split in ("dev", "test"):
        idx = [i for i, r in enumerate(labels) if r["split"] == split]
        human = [float(labels[i]["tone"]) for i in idx]
        res[split] = {"n": len(idx)}
        for key in ("tone", "polarity_mean", "vader_mean"):
            res[split][key] = pearson(human, [scores[i][key] or 0.0 for i in idx])
        res[split]["tone_ci95"] = bootstrap_ci(human, [scores[i]["tone"] or 0.0 for i in idx])
    return res


def bootstrap_ci(x, y, *, n: int = 2000, seed: int = 0) -> list[float] | None:
    """95% percentile bootstrap interval of Pearson r: with ~46 documents it is wide."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 3:
        return None
    rng = np.random.default_rng(seed)
    rs = [pearson(x[i], y[i]) for i in rng.integers(0, len(x), size=(n, len(x)))]
    rs = [r for r in rs if r is not None]
    return [round(float(np.percentile(rs, 2.5)), 3), round(float(np.percentile(rs, 97.5)), 3)]


def tune(labels, docs) -> tuple[sentiment.ToneWeights, float]:
    """Grid search on the dev split only; returns the best weights and their dev r."""
    dev = [i for i, r in enumerate(labels) if r["split"] == "dev"]
    human = [float(labels[i]["tone"]) for i in dev]
    dev_docs = [docs[i] for i in dev]
    grid = {
        "base": [0.05, 0.2],
        "evaluative": [0.5, 1.0, 2.0],
        "outcome": [1.0, 3.0, 5.0],
        "closing": [0.0, 1.0, 2.0],
        "outcome_share": [0.5, 0.8],
        "superseded": [0.1, 0.3, 0.6],
    }
    best, best_r = sentiment.DEFAULT_WEIGHTS, -2.0
    for combo in itertools.product(*grid.values()):
        w = replace(sentiment.DEFAULT_WEIGHTS, **dict(zip(grid, combo)))
        r = pearson(human, [s["tone"] for s in tone_scores(dev_docs, w)]) or -2.0
        if r > best_r:
            best, best_r = w, r
    return best, best_r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tune", action="store_true", help="grid-search ToneWeights on the dev split")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    res: dict = {"backends": sorted(sentiment.BACKENDS), "weights": asdict(sentiment.DEFAULT_WEIGHTS)}
    if GROUND_TRUTH.exists():
        res["ground_truth_pearson_r"] = ground_truth_correlations()
    if TONE_CSV.exists() and WRITEUPS.exists():
        from reflect_nlp import build_pipeline

        nlp = build_pipeline()
        labels = load_tone_labels()
        docs = list(nlp.pipe(doc_text(r["doc"]) for r in labels))
        if args.tune:
            best, r = tune(labels, docs)
            print(f"best dev r {r:.3f} with {asdict(best)}")
            res["tuned_on_dev"] = {"weights": asdict(best), "dev_r": r}
        res["tone_pearson_r"] = tone_correlations(labels, tone_scores(docs, sentiment.DEFAULT_WEIGHTS))
    res["seconds"] = round(time.perf_counter() - t0, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "sentiment.json").write_text(json.dumps(res, indent=2) + "\n")
    print(json.dumps({k: v for k, v in res.items() if k != "weights"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
