"""Where the time goes, component by component, and whether the fast attribute rules are exact.

1. Seconds per pipeline component (each run over all docs with its own ``pipe``) and for
   ``extract.entry_result``, on a generated journal (``gen_journal.py``), after a warm-up pass.
2. Token-by-token comparison of tag, POS, morphology, lemma and dependency between the stock
   model (spaCy's own ``attribute_ruler`` matcher) and ``load_model()`` (the compiled rules of
   ``components/attribute_rules.py``), on the same journal, the sample journal and, when
   ``../shared/eval`` is present, every CEReD sentence.

Writes ``benchmarks/results/components.json``. Usage: python benchmarks/bench_components.py
[--entries 150]
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
ROOT = HERE.parent
RESULTS = HERE / "results" / "components.json"
CERED = ROOT.parent / "shared" / "eval" / "reflection-moves-cered"
SPACY_OWN = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


def component_seconds(nlp, texts: list[str]) -> dict[str, float]:
    from reflect_nlp.extract import entry_result

    docs = [nlp.make_doc(t) for t in texts]
    out = {}
    for name, proc in nlp.pipeline:
        t = time.perf_counter()
        docs = list(proc.pipe(docs, batch_size=64)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        out[name] = time.perf_counter() - t
    t = time.perf_counter()
    for d in docs:
        entry_result(d)
    out["extract.entry_result"] = time.perf_counter() - t
    return {k: round(v, 3) for k, v in out.items()}


def compare_tokens(stock, fast, texts: list[str]) -> dict[str, int]:
    keys = ("tag_", "pos_", "lemma_", "dep_")
    tokens = mismatches = 0
    for a, b in zip(stock.pipe(texts, batch_size=64), fast.pipe(texts, batch_size=64)):
        for x, y in zip(a, b):
            tokens += 1
            mismatches += any(getattr(x, k) != getattr(y, k) for k in keys) or str(x.morph) != str(y.morph)
    return {"tokens": tokens, "mismatches": mismatches}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=150)
    args, _ = ap.parse_known_args(argv)

    import spacy

    from gen_journal import generate
    from reflect_nlp import build_pipeline, load_journal
    from reflect_nlp.models import DEFAULT_EXCLUDE, load_model, resolve_model_name

    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp) / "j", args.entries)
        texts = [r.text for r in load_journal(Path(tmp) / "j").reflections]
    nlp = build_pipeline()
    component_seconds(nlp, texts[:20])  # warm-up: lazy tables, first-call costs
    seconds = component_seconds(nlp, texts)
    total = sum(seconds.values())
    res = {
        "benchmark": "components",
        "entries": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "seconds": seconds,
        "share_tok2vec_parser": round((seconds.get("tok2vec", 0) + seconds.get("parser", 0)) / total, 3),
        "share_spacy_own": round(sum(seconds.get(k, 0) for k in SPACY_OWN) / total, 3),
    }
    stock = spacy.load(resolve_model_name(), exclude=DEFAULT_EXCLUDE)
    fast = load_model()
    sets = {"generated journal": texts, "samples": [r.text for r in load_journal(ROOT / "data" / "samples").reflections]}
    if CERED.exists():
        for f in sorted(CERED.glob("sentences__en__*__sentences.tsv")):
            with open(f, encoding="utf-8", newline="") as fh:
                sets[f"CEReD {f.name.split('__')[2]}"] = [r["sentence"] for r in csv.DictReader(fh, delimiter="\t")]
    res["attribute_rules_vs_stock"] = {name: compare_tokens(stock, fast, t) for name, t in sets.items()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
