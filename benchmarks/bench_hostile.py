"""How reading and analysing time grows with hostile input size (issue 8).

For each pathological Markdown shape (deep nesting, runs of brackets, wiki-link openers, long
runs of spaces...) it times ``clean_markdown`` at growing sizes, and it times the full pipeline
on one entry made of N repeated sentences. A time that grows ~4x when the size doubles is
quadratic: a 5 MB note of that shape would then take hours. CPU seconds are recorded because
the machine is shared. Writes ``benchmarks/results/hostile.json``.

Usage:
    python benchmarks/bench_hostile.py            # sizes 500..4000, pipeline 25..200 sentences
    python benchmarks/bench_hostile.py --quick    # smaller sizes
"""
from __future__ import annotations

import argparse
import json
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


def growth(times: list[float]) -> float | None:
    """Median ratio of successive times when the size doubles (2 = linear, 4 = quadratic)."""
    ratios = sorted(b / a for a, b in zip(times, times[1:]) if a > 0.005)
    return round(ratios[len(ratios) // 2], 2) if ratios else None


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
        times = [round(cpu_time(lambda: clean_markdown(make(n))), 4) for n in sizes]
        clean[name] = {"sizes": sizes, "cpu_s": times, "growth_per_doubling": growth(times)}
        print(name, clean[name], flush=True)

    nlp = build_pipeline()
    reps = [25, 50, 100] if args.quick else [25, 50, 100, 200]
    times = [round(cpu_time(lambda: entry_result(nlp(SENTENCE * r))), 3) for r in reps]
    pipeline = {"sentence_pairs": reps, "chars": [len(SENTENCE) * r for r in reps], "cpu_s": times, "growth_per_doubling": growth(times)}
    print("pipeline", pipeline, flush=True)

    result = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "clean_markdown": clean,
        "pipeline_one_long_entry": pipeline,
        "quadratic_or_worse": sorted([k for k, v in clean.items() if (v["growth_per_doubling"] or 0) >= 3]
                                     + (["pipeline_one_long_entry"] if (pipeline["growth_per_doubling"] or 0) >= 3 else [])),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
