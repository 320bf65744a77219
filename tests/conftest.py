"""Shared fixtures. The spaCy pipeline is loaded once per test session (it takes seconds)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
SAMPLES = ROOT / "data" / "samples"
SHARED_EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def nlp():
    from reflect_nlp import build_pipeline

    return build_pipeline()


@pytest.fixture(scope="session")
def nlp_ner():
    """The plain model with its name recogniser (what --redact loads); no reflect-nlp components."""
    from reflect_nlp.models import load_model

    return load_model(ner=True)


@pytest.fixture(scope="session")
def sample_analysis(nlp):
    """The bundled sample journal, analysed once for the whole session."""
    from reflect_nlp import analyze

    return analyze(SAMPLES, nlp=nlp)
