"""Speed at scale (issues 7, 15): the whole ``reflect-nlp analyze JOURNAL --out DIR --format json``
command against plain ``nlp.pipe`` and a naive notebook baseline, unchanged and one-entry
re-runs, peak memory, the HTML report, ``--jobs 2`` against 1.

Every measurement runs in a fresh process (clean peak RSS, no warm caches) on generated
journals (``gen_journal.py``) and is timed as that whole process, interpreter start, imports,
model load and every output file included (``process_wall_s``); all ratios come from one run
on one machine. Wall time and
process CPU time are both recorded: the machine may be shared, and CPU seconds are less
sensitive to other load for single-process work. Writes ``benchmarks/results/speed.json``.

Usage:
    python benchmarks/bench_speed.py            # 1,000 and 10,000 entries
    python benchmarks/bench_speed.py --quick    # 200 and 1,000 entries
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
RESULTS = HERE / "results" / "speed.json"
BARS = {
    "e2e_vs_plain_pipe": 0.85,
    "e2e_vs_naive": 3.0,
    "rerun_unchanged_vs_cold_max": 0.03,
    "rss_large_vs_small_max": 1.5,
    "jobs2_vs_jobs1": 1.6,
}


# ---------------------------------------------------------------- tasks (run in a child process)
def _clock():
    r = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


def _since(start) -> dict[str, float]:
    wall, cpu = _clock()
    return {"wall_s": round(wall - start[0], 3), "cpu_s": round(cpu - start[1], 3)}


def _peak_rss_mb() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_mb": round(own, 1), "peak_rss_children_mb": round(kids, 1)}


def task(args: argparse.Namespace) -> dict:
    from reflect_nlp import build_pipeline
    from reflect_nlp.ingest import load_journal

    import reflect_nlp

    out: dict = {"task": args.task, "package": reflect_nlp.__file__}
    if args.task == "cli":  # the command a user runs, in this process
        from reflect_nlp.cli import main as cli_main

        t = _clock()
        argv = ["analyze", str(args.journal), "--out", str(args.report), "--store", str(args.store),
                "--format", args.formats, "--jobs", str(args.jobs), "--quiet"]
        if cli_main(argv) != 0:
            raise SystemExit("reflect-nlp analyze failed")
        return out | _since(t) | _peak_rss_mb()  # words: counted by the parent, outside this process's time
    if args.task in ("plain", "extract", "naive"):
        texts = [r.text for r in load_journal(args.journal).reflections]
        out["words"] = sum(len(t.split()) for t in texts)
        if args.task in ("plain", "extract"):
            from reflect_nlp.extract import entry_result

            nlp = build_pipeline()
            t = _clock()
            for doc in nlp.pipe(texts, batch_size=args.batch_size):
                if args.task == "extract":  # the pipe plus what extract.py reads off each Doc
                    entry_result(doc)
        else:
            out.update(_naive(texts))
            return out | _peak_rss_mb()
        return out | _since(t) | _peak_rss_mb() | {"components": nlp.pipe_names}
    raise SystemExit(f"unknown task {args.task}")


def _naive(texts: list[str]) -> dict:
    """What a notebook user might write: full model (NER included), one nlp() call per row."""
    import pandas as pd
    import spacy
    from textblob import TextBlob

    from reflect_nlp.models import resolve_model_name

    nlp = spacy.load(resolve_model_name())
    df = pd.DataFrame({"text": texts})
    t = _clock()
    df["doc"] = df["text"].apply(nlp)
    df["polarity"] = df["doc"].apply(lambda d: [TextBlob(s.text).sentiment.polarity for s in d.sents])
    df["tone"] = df["polarity"].apply(lambda p: sum(p) / len(p) if p else None)
    return _since(t) | {"components": nlp.pipe_names}


# ---------------------------------------------------------------- driver
SNAPSHOT: dict[str, str] = {}  # env for children: PYTHONPATH of a frozen copy of the package


def snapshot_package(tmp: Path) -> str:
    """Copy the package source so every child measures the same code, even while it is edited."""
    import reflect_nlp

    src = Path(reflect_nlp.__file__).parent
    shutil.copytree(src, tmp / "src" / "reflect_nlp", ignore=shutil.ignore_patterns("__pycache__"))
    SNAPSHOT["PYTHONPATH"] = str(tmp / "src")
    return str(src)


_WORDS: dict[Path, int] = {}


def words(journal: Path) -> int:
    """Words in a journal, counted in the parent once (untimed), as the plain task counts them."""
    if journal not in _WORDS:
        from reflect_nlp.ingest import load_journal

        _WORDS[journal] = sum(len(r.text.split()) for r in load_journal(journal).reflections)
    return _WORDS[journal]


def run(task_name: str, journal: Path, **opts) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--task", task_name, "--journal", str(journal)]
    for k, v in opts.items():
        if v is not None:
            cmd += [f"--{k.replace('_', '-')}", str(v)]
    load = os.getloadavg()[0]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **SNAPSHOT})
    if proc.returncode:
        raise SystemExit(f"{task_name} failed:\n{proc.stderr[-3000:]}")
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["process_wall_s"] = round(time.perf_counter() - t, 3)
    res["load_avg_1m_before"] = load
    label = f"{task_name} {journal.name}" + (f" jobs={opts['jobs']}" if opts.get("jobs", 1) != 1 else "")
    print(f"  {label:<28} wall {res.get('wall_s')}s cpu {res.get('cpu_s')}s  rss {res.get('peak_rss_mb')} MB  load {load:.2f}", file=sys.stderr, flush=True)
    return res


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def bench(small: int, large: int, *, batch_size: int, seed: int, naive: bool) -> dict:
    from gen_journal import entry, generate

    tmp = Path(tempfile.mkdtemp(prefix="bench_speed_"))
    try:
        m: dict = {"package_source": snapshot_package(tmp)}
        js, jl = tmp / f"j{small}", tmp / f"j{large}"
        generate(js, small, seed=seed)
        generate(jl, large, seed=seed)
        print(f"journals: {small} and {large} entries in {tmp}", file=sys.stderr)

        def cli(journal: Path, out: str, formats: str = "json", jobs: int = 1) -> dict:
            res = run("cli", journal, store=tmp / f"{out}.sqlite", report=tmp / out, formats=formats, jobs=jobs)
            return res | {"words": words(journal)}

        m["plain_small"] = run("plain", js, batch_size=batch_size)
        m["extract_small"] = run("extract", js, batch_size=batch_size)
        m["cold_small"] = cli(js, "small")
        if naive:
            m["naive_small"] = run("naive", js)
        m["rerun_small"] = cli(js, "small")
        m["report_html_small"] = cli(js, "small", formats="html")  # unchanged entries: the report stage
        import random

        name, text = entry(random.Random(seed + 1), small + 1, __import__("datetime").date(2030, 1, 1))
        (js / name).write_text(text, encoding="utf-8")
        m["add_one_small"] = cli(js, "small")
        (js / name).unlink()
        m["cold_small_jobs2"] = cli(js, "small_jobs2", jobs=2)
        m["plain_large"] = run("plain", jl, batch_size=batch_size)
        m["cold_large"] = cli(jl, "large")
        m["rerun_large"] = cli(jl, "large")
        m["report_html_large"] = cli(jl, "large", formats="html")
        (jl / name).write_text(text, encoding="utf-8")
        m["add_one_large"] = cli(jl, "large")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return m


def summarise(m: dict, sizes: dict[str, int]) -> dict:
    """Ratios of whole-process wall time (``process_wall_s``) and CPU time, within this one run."""
    def wps(r: dict) -> float:
        return round(r["words"] / r["process_wall_s"], 1)

    cs, cl = m["cold_small"], m["cold_large"]
    r: dict = {
        "words_per_s_whole_process": {
            "plain_pipe_small": wps(m["plain_small"]),
            "plain_pipe_large": wps(m["plain_large"]),
            "pipe_plus_extract_small": wps(m["extract_small"]),
            "e2e_small": wps(cs),
            "e2e_large": wps(cl),
            "e2e_small_jobs2": wps(m["cold_small_jobs2"]),
            **({"naive_small": wps(m["naive_small"])} if "naive_small" in m else {}),
        },
        "seconds_whole_process": {k: v["process_wall_s"] for k, v in m.items() if isinstance(v, dict)},
        "ratios_wall": {
            "e2e_vs_plain_pipe_small": ratio(wps(cs), wps(m["plain_small"])),
            "e2e_vs_plain_pipe_large": ratio(wps(cl), wps(m["plain_large"])),
            "e2e_vs_pipe_plus_extract": ratio(wps(cs), wps(m["extract_small"])),
            "e2e_large_vs_small_throughput": ratio(wps(cl), wps(cs)),  # 1.0 = linear cost
            "rerun_unchanged_vs_cold_small": ratio(m["rerun_small"]["process_wall_s"], cs["process_wall_s"]),
            "rerun_unchanged_vs_cold_large": ratio(m["rerun_large"]["process_wall_s"], cl["process_wall_s"]),
            "add_one_vs_cold_small": ratio(m["add_one_small"]["process_wall_s"], cs["process_wall_s"]),
            "add_one_vs_cold_large": ratio(m["add_one_large"]["process_wall_s"], cl["process_wall_s"]),
            "rss_large_vs_small": ratio(cl["peak_rss_mb"], cs["peak_rss_mb"]),
            "jobs2_vs_jobs1": ratio(wps(m["cold_small_jobs2"]), wps(cs)),
        },
        "ratios_cpu": {  # process CPU seconds: less sensitive to other users of the machine
            "rerun_unchanged_vs_cold_small": ratio(m["rerun_small"]["cpu_s"], cs["cpu_s"]),
            "rerun_unchanged_vs_cold_large": ratio(m["rerun_large"]["cpu_s"], cl["cpu_s"]),
            # CPU seconds of jobs=2 (parent + workers) over jobs=1: 1.0 means no duplicated work
            "jobs2_cpu_overhead": ratio(m["cold_small_jobs2"]["cpu_s"], cs["cpu_s"]),
        },
        "peak_rss_mb": {"small": cs["peak_rss_mb"], "large": cl["peak_rss_mb"]},
        "html_report_unchanged_rerun_s": {"small": m["report_html_small"]["process_wall_s"],
                                          "large": m["report_html_large"]["process_wall_s"]},
    }
    if "naive_small" in m:
        n = m["naive_small"]
        r["ratios_wall"]["e2e_vs_naive"] = ratio(wps(cs), wps(n))
        # reported, not judged: the bar is the single-process ratio above
        r["ratios_wall"]["e2e_jobs2_vs_naive"] = ratio(wps(m["cold_small_jobs2"]), wps(n))
    w = r["ratios_wall"]
    r["bars_met_wall"] = {
        # the bars are for journals of 1,000 entries and more; --quick's 200 is reported, not judged
        "e2e_vs_plain_pipe": min((w[f"e2e_vs_plain_pipe_{k}"] for k in ("small", "large") if sizes[k] >= 1000), default=0)
        >= BARS["e2e_vs_plain_pipe"],
        **({"e2e_vs_naive": w["e2e_vs_naive"] >= BARS["e2e_vs_naive"]} if "e2e_vs_naive" in w else {}),
        # issue 15: judged at 10,000 entries (the fixed cost of starting Python and pandas, about
        # 0.8 s, is most of a re-run of 1,000); the small size's ratio is reported beside it
        "rerun_unchanged_vs_cold": (w["rerun_unchanged_vs_cold_large"] < BARS["rerun_unchanged_vs_cold_max"])
        if sizes["large"] >= 10000 else None,
        "rss_large_vs_small": w["rss_large_vs_small"] <= BARS["rss_large_vs_small_max"],
        "jobs2_vs_jobs1": w["jobs2_vs_jobs1"] >= BARS["jobs2_vs_jobs1"],
    }
    return r


def _autogroup() -> str | None:
    """Linux autogroup puts all our processes in one CPU share: on a busy machine --jobs 2
    then cannot get more CPU than --jobs 1, whatever the code does."""
    try:
        return Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip()
    except OSError:
        return None


def main() -> None:
    ap = argparse.ArgumentParser(description="reflect-nlp speed benchmark (issues 7, 15)")
    ap.add_argument("--quick", action="store_true", help="200 and 1,000 entries instead of 1,000 and 10,000")
    ap.add_argument("--sizes", type=int, nargs=2, metavar=("SMALL", "LARGE"))
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-naive", action="store_true", help="skip the (slow) naive notebook baseline")
    ap.add_argument("--out", type=Path, default=RESULTS)
    # child-process task options
    ap.add_argument("--task", choices=["plain", "extract", "naive", "cli"], help=argparse.SUPPRESS)
    ap.add_argument("--formats", default="json", help=argparse.SUPPRESS)
    ap.add_argument("--journal", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--summarise-only", action="store_true", help="recompute the summary of --out from its measurements")
    args, _ = ap.parse_known_args()  # run_all.py passes its own arguments to every bench
    if args.summarise_only:
        result = json.loads(args.out.read_text(encoding="utf-8"))
        result["summary"] = summarise(result["measurements"], result["sizes"])
        args.out.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
        print(json.dumps(result["summary"]["bars_met_wall"]))
        return
    if args.task:
        print(json.dumps(task(args)))
        return
    small, large = args.sizes or ((200, 1000) if args.quick else (1000, 10000))
    started = time.time()
    load_before = os.getloadavg()
    m = bench(small, large, batch_size=args.batch_size, seed=args.seed, naive=not args.no_naive)
    result = {
        "benchmark": "speed",
        "sizes": {"small": small, "large": large},
        "quick": args.quick,
        "batch_size": args.batch_size,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
        "duration_s": round(time.time() - started, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(), "sched_autogroup": _autogroup()},
        "load_avg_before": [round(x, 2) for x in load_before],
        "load_avg_after": [round(x, 2) for x in os.getloadavg()],
        "bars": BARS,
        "summary": summarise(m, {"small": small, "large": large}),
        "measurements": m,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    print(json.dumps(result["summary"], indent=2))
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
