"""reflect-nlp: turn interview reflections into lessons you can see.

Example:
    >>> import reflect_nlp
    >>> analysis = reflect_nlp.analyze("data/samples")  # doctest: +SKIP
    >>> analysis.entries[["date", "tone", "n_weak_spots"]]  # doctest: +SKIP
"""
from __future__ import annotations

from .analysis import Analysis, analyze, build_pipeline
from .errors import ReflectError
from .ingest import Journal, load_journal
from .records import LoadProblem, Reflection

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Journal",
    "LoadProblem",
    "Reflection",
    "ReflectError",
    "analyze",
    "build_pipeline",
    "load_journal",
    "__version__",
]
