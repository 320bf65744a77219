"""How reading and analysing time grows with hostile input size (issue 8).

For each pathological Markdown shape (deep nesting, runs of brackets, wiki-link openers, long
runs of spaces...) it times ``clean_markdown`` at growing sizes, and it times the full pipeline
on one entry made of N repeated sentences. ``exponent`` k fits time ~ characters**k: 1 is
linear, 2 quadratic (a 5 MB note of that shape would then take hours). CPU seconds are recorded because
the machine is shared. Writes ``benchmarks/results/hostile.json``.

Usage:
    python benchmarks/bench_hostile.py            # sizes 500..4000, pipeline 25..200 sentences
    python benchmarks/bench_hostile.py --quick    # smaller sizes
"""
from __future__ import annotations

import argparse
import json
import math
import platform
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "hostile.json"
SENTENCE = "I froze on the system design question. Next time I will practise out loud before the onsite.\n"

SHAPES = {
    "nested_lists": lambda n: "\n".join("  " * i + "- level" for i in range(n // 4)),
    "nested_quotes": lambda n: "\n".join(">" * i + " quoted" for i in range(n // 4)),
    "leading_spaces": lambda n: "\n".join(" " * n + "x" for _ in range(20)),
    "brackets": lambda n: "[" * n + "x" + "]" * n,
    "wiki_openers": lambda n: "[[" * n,
    "image_openers": lambda n: "![" * n,
    "footnote_openers": lambda n: "[^" * n,
    "link_parens": lambda n: "[a](" + "(b)" * n,
    "emphasis": lambda n: "*a " * n,
    "html_soup": lambda n: "<div>" * n,
    "unclosed_comments": lambda n: "<!--" * n,
}


def cpu_time(fn) -> float:
    t = time.process_time()
    fn()
    return time.process_time() - t


def exponent(chars: list[int], times: list[float]) -> float | None:
    """Median k in time ~ chars**k between successive sizes (1 = linear, 2 = quadratic)."""
    ks = sorted(math.log(t2 / t1) / math.log(c2 / c1) for (c1, t1), (c2, t2) in zip(zip(chars, times), zip(chars[1:], times[1:])) if t1 > 0.005)
    return round(ks[len(ks) // 2], 2) if ks else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    from reflect_nlp import build_pipeline
    from reflect_nlp.extract import entry_result
    from reflect_nlp.ingest.clean import clean_markdown

    sizes = [250, 500, 1000, 2000] if args.quick else [500, 1000, 2000, 4000]
    clean = {}
    for name, make in SHAPES.items():
        texts = [make(n) for n in sizes]
        chars = [len(t) for t in texts]
        times = [round(cpu_time(lambda: clean_markdown(t)), 4) for t in texts]
        clean[name] = {"chars": chars, "cpu_s": times, "exponent": exponent(chars, times)}
        print(name, clean[name], flush=True)

    nlp = build_pipeline()
    reps = [25, 50, 100] if args.quick else [25, 50, 100, 200]
    times = [round(cpu_time(lambda: entry_result(nlp(SENTENCE * r))), 3) for r in reps]
    chars = [len(SENTENCE) * r for r in reps]
    pipeline = {"sentence_pairs": reps, "chars": chars, "cpu_s": times, "exponent": exponent(chars, times)}
    print("pipeline", pipeline, flush=True)

    result = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "clean_markdown": clean,
        "pipeline_one_long_entry": pipeline,
        "superlinear": sorted([k for k, v in clean.items() if (v["exponent"] or 0) >= 1.5]
                              + (["pipeline_one_long_entry"] if (pipeline["exponent"] or 0) >= 1.5 else [])),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
