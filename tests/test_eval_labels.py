"""The labelled evaluation sets stay consistent: every quote is verbatim in its source, and the
weak-spot and tone files list the same documents with the same split."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval" / "interview-writeups"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/eval is not beside the checkout")
def test_every_quote_is_verbatim_and_splits_agree():
    out = subprocess.run([sys.executable, str(ROOT / "data" / "eval" / "check_quotes.py")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout
    assert out.stdout.strip().endswith(" docs, 0 errors")
