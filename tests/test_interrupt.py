"""Atomic output: a CLI analysis killed with SIGINT or SIGTERM at random points leaves the
previous report and store usable, and a re-run completes the job.

The interrupt points are random fractions of a measured full run (the seed is in every failure
message); whatever the point, the outputs must be whole.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
NEW_ENTRY = """---
date: 2025-07-01
company: Zyxwv Robotics
stage: onsite
outcome: pending
---
I froze on the system design question again. Next time I will sketch the components first.
"""

pytestmark = pytest.mark.slow


def small_journal(dest: Path) -> Path:
    """Six sample entries: enough work to interrupt, small enough to keep the test short."""
    dest.mkdir()
    for p in sorted(SAMPLES.glob("2025-0[1-3]-*.md"))[:6]:
        shutil.copy2(p, dest / p.name)
    return dest


def run_cli(journal: Path, out: Path) -> subprocess.Popen:
    # The blank model keeps each run short; writing outputs and the store is the same for any model.
    return subprocess.Popen(
        [sys.executable, "-m", "reflect_nlp", "analyze", str(journal), "--out", str(out), "--format", "html,json", "-q", "--model", "blank"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def assert_outputs_whole(out: Path, why: str) -> None:
    """report.html, report.json, figures and the store are each complete and readable."""
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and html.rstrip().endswith("</html>"), why
    json_text = (out / "report.json").read_text(encoding="utf-8")
    import json

    json.loads(json_text)
    for f in (out / "figures").glob("*"):
        data = f.read_bytes()
        if f.suffix == ".png":
            assert data.startswith(b"\x89PNG") and data.endswith(b"IEND\xaeB`\x82"), f"{f.name} {why}"
        elif f.suffix == ".svg":
            assert data.rstrip().endswith(b"</svg>"), f"{f.name} {why}"
    store = out / "store.sqlite"
    conn = sqlite3.connect(store)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok", why
        conn.execute("SELECT count(*) FROM results").fetchone()
    finally:
        conn.close()
    from reflect_nlp.store import StoreWarning, open_store

    with warnings.catch_warnings():
        warnings.simplefilter("error", StoreWarning)  # a store set aside as corrupt would warn
        db = open_store(store)
    assert db is not None, why
    db.close()


def test_interrupted_runs_leave_previous_outputs_usable_and_a_rerun_completes(tmp_path):
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    journal = small_journal(tmp_path / "journal")
    out = tmp_path / "out"

    t0 = time.monotonic()
    first = run_cli(journal, out)
    _, err = first.communicate(timeout=900)
    full = time.monotonic() - t0
    assert first.returncode == 0, err
    assert_outputs_whole(out, "after the first run")
    previous = (out / "report.html").read_bytes()

    # new work for the next runs: one more entry to analyse and store, a report to rewrite
    (journal / "2025-07-01-zyxwv-robotics-onsite.md").write_text(NEW_ENTRY, encoding="utf-8")
    for i, sig in enumerate((signal.SIGINT, signal.SIGTERM, signal.SIGINT)):
        at = rng.uniform(0.15, 0.95) * full
        why = f"after {sig.name} at {at:.1f}s of a {full:.1f}s run (seed {seed})"
        proc = run_cli(journal, out)
        time.sleep(at)
        proc.send_signal(sig)
        proc.communicate(timeout=900)
        now = (out / "report.html").read_bytes()
        assert now == previous or b"Zyxwv Robotics" in now, why
        assert_outputs_whole(out, why)
        # SIGINT and SIGTERM both unwind through atomic_write's cleanup (exit 130 / 143)
        leftovers = [p.name for p in out.rglob("*.tmp")]
        assert leftovers == [], f"temporary files left {why}: {leftovers}"
        previous = now

    final = run_cli(journal, out)
    _, err = final.communicate(timeout=900)
    assert final.returncode == 0, err
    assert b"Zyxwv Robotics" in (out / "report.html").read_bytes()
    assert_outputs_whole(out, "after the re-run")
    conn = sqlite3.connect(out / "store.sqlite")
    try:
        n_entries = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        conn.close()
    from reflect_nlp import load_journal

    assert n_entries == len(load_journal(journal).reflections)


def test_sigint_exits_130_with_a_message(tmp_path):
    """Ctrl-C once the command is running: exit 130 and a one-line message, no traceback."""
    journal = small_journal(tmp_path / "journal")
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys, reflect_nlp.cli as c; print('ready', flush=True); sys.exit(c.main(sys.argv[1:]))",
         "analyze", str(journal), "--out", str(tmp_path / "out"), "-q", "--model", "blank"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=600)
    if proc.returncode == 0:  # finished before the signal on a fast machine: nothing to check
        return
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert not (tmp_path / "out" / "report.html").exists() or (tmp_path / "out" / "report.html").read_text().rstrip().endswith("</html>")


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see worker processes")
def test_ctrl_c_with_worker_processes_is_clean(tmp_path):
    """Ctrl-C reaches the whole process group (as in a terminal): one message, no worker tracebacks."""
    journal = tmp_path / "journal"
    journal.mkdir()
    for k in range(3):  # enough entries to keep both workers busy for a while
        for p in SAMPLES.glob("*.md"):
            (journal / f"{k}-{p.name}").write_text(p.read_text(encoding="utf-8") + f"\n\nCopy {k}.\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "reflect_nlp", "analyze", str(journal), "--out", str(tmp_path / "out"), "--jobs", "2", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    while proc.poll() is None and len(_children(proc.pid)) < 2:
        time.sleep(0.1)
    if proc.poll() is not None:  # finished before the workers could be seen
        pytest.skip("the run ended before its workers started")
    time.sleep(2.0)  # workers are past start-up and analysing
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err and "PoolWorker" not in err, err
