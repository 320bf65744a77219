"""Build the training corpus from parts/ and train the learned reader (issue 14).

    python data/train/train.py build        # parts/*.jsonl -> sentences.jsonl, entries.jsonl (checked)
    python data/train/train.py cv           # 5-fold cross-validation on the corpus: choose l2 and features
    python data/train/train.py fit --dense  # choose the threshold by cross-validation over the training
                                            # documents, train on all of it, write the model file

The model is a one-vs-rest logistic regression (numpy, full-batch Adam) over hashed lemma and
lemma-pair features plus the sentence's mean word vectors (``--dense``; the vectors come from
``distill.py``); see ``components/learned.py``. The shipped model: ``fit --dense --l2 1e-4``.
The unseen splits (test, test4) are never read here.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
SENTENCES, ENTRIES = HERE / "sentences.jsonl", HERE / "entries.jsonl"
CATEGORIES = ["mind_blank", "nerves", "knowledge_gap", "problem_solving", "time_management", "communication",
              "behavioral_answers", "preparation", "self_presentation", "rapport", "questions_for_interviewer",
              "logistics", "compensation", "follow_up"]


# ---------------------------------------------------------------- corpus

def build() -> None:
    """Merge parts/ into sentences.jsonl and entries.jsonl; stop on a bad line, drop repeated
    standalone sentences (a document keeps all of its sentences, headings included)."""
    seen, sents, entries, doc_text, doc_tone = set(), [], [], {}, {}
    for part in sorted((HERE / "parts").glob("*.jsonl")):
        for n, line in enumerate(part.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise SystemExit(f"{part}:{n}: not JSON ({e})")
            if "tone" in row:
                tone = float(row["tone"])
                if not -1.0 <= tone <= 1.0:
                    raise SystemExit(f"{part}:{n}: tone {tone} outside -1..1")
                if "doc" in row:  # the tone of a whole document written sentence by sentence
                    doc_tone[row["doc"]] = (tone, part.name)
                    continue
            text = " ".join(str(row.get("text", "")).split()) if "tone" not in row else str(row.get("text", "")).strip()
            if not text:
                raise SystemExit(f"{part}:{n}: empty text")
            if "tone" in row:
                if text.lower() not in seen:
                    seen.add(text.lower())
                    entries.append({"text": text, "tone": tone, "part": part.name})
                continue
            bad = [c for c in row.get("labels", []) if c not in CATEGORIES]
            if bad:
                raise SystemExit(f"{part}:{n}: unknown categories {bad}")
            if "doc" in row:
                doc_text.setdefault(row["doc"], []).append(text)
            elif text.lower() in seen:
                continue
            seen.add(text.lower())
            sents.append({"text": text, "labels": sorted(set(row["labels"])), "part": part.name,
                          **({"doc": row["doc"]} if "doc" in row else {})})
    for doc, (tone, part) in sorted(doc_tone.items()):
        if doc in doc_text:
            entries.append({"text": " ".join(doc_text[doc]), "tone": tone, "part": part, "doc": doc})
    for path, rows in ((SENTENCES, sents), (ENTRIES, entries)):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    counts = {c: sum(c in r["labels"] for r in sents) for c in CATEGORIES}
    print(f"{len(sents)} sentences ({sum(not r['labels'] for r in sents)} without a label, "
          f"{sum('doc' in r for r in sents)} in {len(doc_text)} documents), {len(entries)} toned entries")
    print(json.dumps(counts))


def load_sentences() -> tuple[list[str], np.ndarray, list[str | None]]:
    """Texts, labels (sentences x CATEGORIES) and the document each sentence belongs to (or None)."""
    rows = [json.loads(line) for line in SENTENCES.read_text(encoding="utf-8").splitlines() if line.strip()]
    y = np.array([[c in r["labels"] for c in CATEGORIES] for r in rows], dtype=np.float32)
    return [r["text"] for r in rows], y, [r.get("doc") for r in rows]


# ---------------------------------------------------------------- features

def pipeline():
    from reflect_nlp import build_pipeline

    nlp = build_pipeline(reader="rules")
    return nlp


def featurize(nlp, texts: list[str]) -> tuple[list[list[int]], np.ndarray]:
    """Each text as one sentence: hashed ids and its word-vector means."""
    from reflect_nlp.components.learned import load_word_vectors, sentence_features

    wv = load_word_vectors()
    feats, vecs = [], []
    with nlp.select_pipes(disable=["reflect_sentiment", "reflect_weak_spots", "reflect_cues"]):
        for doc in nlp.pipe(texts, batch_size=256):
            feats.append(sentence_features(doc))
            vecs.append(wv.sentence(doc))
    return feats, np.stack(vecs)


# ---------------------------------------------------------------- model

def fit(feats: list[list[int]], vecs: np.ndarray, y: np.ndarray, *, l2: float, dense: bool, epochs: int = 300,
        lr: float = 0.05, seed: int = 0) -> dict[str, np.ndarray]:
    """Full-batch Adam on the mean logistic loss + l2 * |W|^2 (bias not penalised)."""
    from reflect_nlp.components.learned import N_BUCKETS

    rng = np.random.default_rng(seed)
    n, c = y.shape
    scale = vecs.std(axis=0).clip(1e-3)  # train on unit-variance vectors; folded back into the weights below
    vecs = vecs / scale
    lengths = np.array([len(f) for f in feats])
    flat = np.concatenate([np.asarray(f, dtype=np.int64) for f in feats])
    rows, inverse = np.unique(flat, return_inverse=True)  # only buckets that occur get weights
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    ws = np.zeros((len(rows), c))
    wd = rng.normal(0, 0.01, (vecs.shape[1], c)) if dense else np.zeros((vecs.shape[1], c))
    b = np.log((y.mean(0) + 1e-3) / (1 - y.mean(0) + 1e-3))
    params = [ws, wd, b]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for t in range(1, epochs + 1):
        gathered = ws[inverse]
        logits = np.add.reduceat(gathered, offsets, axis=0) if len(flat) else np.zeros((n, c))
        logits[lengths == 0] = 0
        logits = logits + (vecs @ wd if dense else 0) + b
        p = 1 / (1 + np.exp(-logits))
        g = (p - y) / n
        spread = np.repeat(g, lengths, axis=0)
        gws = np.stack([np.bincount(inverse, weights=spread[:, j], minlength=len(rows)) for j in range(c)], axis=1)
        grads = [gws + 2 * l2 * ws, (vecs.T @ g + 2 * l2 * wd) if dense else np.zeros_like(wd), g.sum(0)]
        for i, (param, grad) in enumerate(zip(params, grads)):
            m[i] = 0.9 * m[i] + 0.1 * grad
            v[i] = 0.999 * v[i] + 0.001 * grad ** 2
            param -= lr * (m[i] / (1 - 0.9 ** t)) / (np.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8)
    assert N_BUCKETS > rows.max(initial=0)
    return {"rows": rows.astype(np.int32), "sparse": ws.astype(np.float32), "dense": (wd / scale[:, None]).astype(np.float32),
            "bias": b.astype(np.float32)}


def predict(model: dict[str, np.ndarray], feats, vecs) -> np.ndarray:
    from reflect_nlp.components.learned import Reader

    return Reader({**model, "categories": np.array(CATEGORIES), "threshold": np.array(0.5),
                   "meta": np.array("{}")}).predict(feats, vecs)


def prf(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp = float((pred & (y > 0)).sum())
    fp = float((pred & (y == 0)).sum())
    fn = float((~pred & (y > 0)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3)}


def cv(folds: int = 5) -> dict:
    texts, y, _ = load_sentences()
    nlp = pipeline()
    feats, vecs = featurize(nlp, texts)
    order = np.random.default_rng(1).permutation(len(texts))
    out = {}
    for dense in (False, True):
        for l2 in (1e-5, 1e-4, 1e-3):
            preds = np.zeros_like(y)
            for k in range(folds):
                test = order[k::folds]
                train = np.setdiff1d(order, test)
                model = fit([feats[i] for i in train], vecs[train], y[train], l2=l2, dense=dense)
                preds[test] = predict(model, [feats[i] for i in test], vecs[test])
            key = f"dense={dense} l2={l2}"
            out[key] = {t: prf(y, preds >= t) for t in (0.5, 0.7, 0.9)}
            print(key, out[key], flush=True)
    return out


# ---------------------------------------------------------------- threshold on the tuning splits

def tuning_docs(nlp) -> tuple[dict[str, set[str]], dict]:
    """Gold labels and processed docs of the tuning splits only."""
    from bench_weak_spots import LABELS, load_docs
    from eval_splits import TUNING

    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["split"] in TUNING]
    texts, _ = load_docs([r["doc"] for r in rows])
    docs = dict(zip(texts, nlp.pipe(texts.values())))
    gold = {r["doc"]: {lab["category"] for lab in r["labels"]} for r in rows if r["doc"] in docs}
    return gold, docs


def doc_f1(gold: dict[str, set[str]], pred: dict[str, set[str]]) -> dict[str, float]:
    tp = sum(len(gold[d] & pred[d]) for d in gold)
    fp = sum(len(pred[d] - gold[d]) for d in gold)
    fn = sum(len(gold[d] - pred[d]) for d in gold)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3)}


THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97)


def doc_cv(nlp, feats, vecs, y, doc_of, *, l2: float, dense: bool, folds: int = 5) -> dict:
    """Choose the threshold on the training documents, never on the evaluation splits: each fold
    of documents is read by a model trained without it, and scored per document x category with
    the rules (which were never tuned on these documents) plus the reader."""
    docs = sorted({d for d in doc_of if d})
    order = np.random.default_rng(2).permutation(len(docs))
    idx_of = {d: [i for i, x in enumerate(doc_of) if x == d] for d in docs}
    gold = {d: {CATEGORIES[j] for j in np.nonzero(y[idx_of[d]].any(axis=0))[0]} for d in docs}
    texts = {d: " ".join(TEXTS[i] for i in idx_of[d]) for d in docs}
    rules = {d: {h["category"] for h in doc._.weak_spots} for d, doc in zip(docs, nlp.pipe(texts[d] for d in docs))}
    best_p = {d: None for d in docs}
    for k in range(folds):
        held = {docs[i] for i in order[k::folds]}
        train = [i for i, d in enumerate(doc_of) if d not in held]
        model = fit([feats[i] for i in train], vecs[train], y[train], l2=l2, dense=dense)
        for d in held:
            best_p[d] = predict(model, [feats[i] for i in idx_of[d]], vecs[idx_of[d]]).max(axis=0)
    out = {"documents": len(docs), "labels": sum(len(g) for g in gold.values()), "rules": doc_f1(gold, rules)}
    for t in THRESHOLDS:
        learned = {d: {CATEGORIES[j] for j in np.nonzero(best_p[d] >= t)[0]} for d in docs}
        out[str(t)] = {"learned": doc_f1(gold, learned), "combined": doc_f1(gold, {d: rules[d] | learned[d] for d in docs})}
        print("documents", t, out[str(t)], flush=True)
    return out


TEXTS: list[str] = []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("step", choices=["build", "cv", "fit"])
    ap.add_argument("--l2", type=float, default=1e-4)
    ap.add_argument("--dense", action="store_true", help="also use the sentence's word vectors")
    args = ap.parse_args()
    if args.step == "build":
        build()
        return
    if args.step == "cv":
        (HERE / "cv.json").write_text(json.dumps(cv(), indent=2) + "\n")
        return
    from reflect_nlp.components import learned

    texts, y, doc_of = load_sentences()
    TEXTS[:] = texts
    nlp = pipeline()
    feats, vecs = featurize(nlp, texts)
    chosen = doc_cv(nlp, feats, vecs, y, doc_of, l2=args.l2, dense=args.dense)
    best = max(THRESHOLDS, key=lambda t: (chosen[str(t)]["combined"]["f1"], t))
    model = fit(feats, vecs, y, l2=args.l2, dense=args.dense)
    # the tuning splits are scored for the record; they do not choose anything
    reader = learned.LearnedComponent(learned.Reader({**model, "categories": np.array(CATEGORIES), "threshold": np.array(best),
                                                      "meta": np.array("{}")}))
    gold, docs = tuning_docs(nlp)
    rules = {d: {h["category"] for h in docs[d]._.weak_spots} for d in gold}
    probs = {d: reader.probabilities(docs[d].sents) for d in gold}
    learned_only = {d: {CATEGORIES[j] for j in np.nonzero((probs[d] >= best).any(axis=0))[0]} for d in gold}
    tuning = {"rules": doc_f1(gold, rules), "learned": doc_f1(gold, learned_only),
              "combined": doc_f1(gold, {d: rules[d] | learned_only[d] for d in gold})}
    print("tuning splits at", best, tuning, flush=True)
    corpus = hashlib.sha256(SENTENCES.read_bytes()).hexdigest()
    meta = {"trained_on": "data/train/sentences.jsonl", "corpus_sha256": corpus, "sentences": len(texts),
            "features": f"v{learned.FEATURE_VERSION}: hashed lemmas and pairs" + (" + word vectors distilled from all-MiniLM-L6-v2" if args.dense else ""),
            "l2": args.l2, "threshold_chosen_on": "5-fold cross-validation over the training documents (document x category F1 of rules + reader)",
            "training_documents_cv": chosen, "tuning_splits": tuning, "licence": "MIT (the project's own data and code)"}
    np.savez_compressed(learned.MODEL_PATH, **model, categories=np.array(CATEGORIES), threshold=np.array(float(best)),
                        meta=np.array(json.dumps(meta)))
    print(f"threshold {best}; wrote {learned.MODEL_PATH} sha256 {learned.file_sha256(learned.MODEL_PATH)}")


if __name__ == "__main__":
    main()
