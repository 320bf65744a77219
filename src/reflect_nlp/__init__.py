"""reflect-nlp: turn interview reflections into lessons you can see.

Example:
    >>> import reflect_nlp
    >>> analysis = reflect_nlp.analyze("data/samples")  # doctest: +SKIP
    >>> analysis.entries[["date", "tone", "n_weak_spots"]]  # doctest: +SKIP
"""
from __future__ import annotations

from .analysis import Analysis, analyze, build_pipeline
from .errors import (
    EmptyJournalError,
    JournalNotFoundError,
    ModelNotFoundError,
    OutputError,
    ReflectError,
    TaxonomyError,
)
from .ingest import Journal, load_journal
from .records import LoadProblem, Reflection
from .taxonomy import Taxonomy, load_taxonomy
from .template import new_entry

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "EmptyJournalError",
    "Journal",
    "JournalNotFoundError",
    "LoadProblem",
    "ModelNotFoundError",
    "OutputError",
    "Reflection",
    "ReflectError",
    "Taxonomy",
    "TaxonomyError",
    "analyze",
    "build_pipeline",
    "load_journal",
    "load_taxonomy",
    "new_entry",
    "__version__",
]
