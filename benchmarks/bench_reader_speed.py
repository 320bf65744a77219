"""What the learned reader costs (issue 14): the whole ``reflect-nlp analyze`` command on 1,000
generated entries with ``--reader rules`` and ``--reader combined``, each a fresh process with a
new store, ``--format json``. Writes benchmarks/results/reader_speed.json.

Usage: python benchmarks/bench_reader_speed.py [--entries 1000]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def timed(cmd: list[str]) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"wall_s": round(time.perf_counter() - t, 2), "cpu_s": round(cpu, 2), "load_avg_1m_before": round(os.getloadavg()[0], 2)}


def main() -> None:
    from gen_journal import generate

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=1000)
    args, _ = ap.parse_known_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_reader_"))
    try:
        journal = tmp / "journal"
        generate(journal, args.entries)
        exe = [sys.executable, "-m", "reflect_nlp", "analyze", str(journal), "--format", "json", "--quiet"]
        runs = {reader: timed(exe + ["--out", str(tmp / reader), "--reader", reader]) for reader in ("rules", "combined")}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    extra = {k: round(runs["combined"][k] - runs["rules"][k], 2) for k in ("wall_s", "cpu_s")}
    result = {"benchmark": "reader_speed", "entries": args.entries, "command": "reflect-nlp analyze --format json (cold, new store)",
              "runs": runs, "combined_minus_rules_per_1000_entries": {k: round(v * 1000 / args.entries, 2) for k, v in extra.items()},
              "combined_vs_rules_cpu": round(runs["combined"]["cpu_s"] / runs["rules"]["cpu_s"], 3)}
    out = HERE / "results" / "reader_speed.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
