"""The journal is opened read-only: loading and analysing leave it byte-for-byte unchanged."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from reflect_nlp import analyze, load_journal

JOURNALS = Path(__file__).parent / "data" / "journals"


def tree_state(root: Path) -> dict[str, tuple]:
    """Every path under root (hidden ones too) -> (kind, sha256 or link target, mode, mtime)."""
    state = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            if p.is_symlink():
                what = ("link", os.readlink(p))
            elif p.is_dir():
                what = ("dir", None)
            else:
                what = ("file", hashlib.sha256(p.read_bytes()).hexdigest())
            state[str(p.relative_to(root))] = (*what, st.st_mode, st.st_mtime_ns)
    return state


def test_journal_unchanged_after_load_and_analyze(nlp):
    before = tree_state(JOURNALS)
    assert len(before) > 15
    load_journal(JOURNALS / "mixed")
    for name in ("cohort.csv", "stories.jsonl", "records.json", "jrnl-export.json"):
        load_journal(JOURNALS / "tables" / name)
    analysis = analyze(JOURNALS / "mixed", nlp=nlp)
    assert len(analysis.entries) == 12  # 11 notes and the row of mixed/export.csv
    assert tree_state(JOURNALS) == before
