"""reflect-nlp: turn interview reflections into lessons you can see.

Example:
    >>> import reflect_nlp
    >>> analysis = reflect_nlp.analyze("data/samples")  # doctest: +SKIP
    >>> analysis.entries[["date", "tone", "n_weak_spots"]]  # doctest: +SKIP
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import (
    EmptyJournalError,
    JournalNotFoundError,
    ModelNotFoundError,
    OutputError,
    ReflectError,
    TaxonomyError,
)

if TYPE_CHECKING:
    from .analysis import Analysis, analyze, build_pipeline
    from .ingest import Journal, load_journal
    from .records import LoadProblem, Reflection
    from .taxonomy import Taxonomy, load_taxonomy
    from .template import new_entry

# Imported on first use (PEP 562), so `reflect-nlp --help` does not pay for pandas and spaCy.
_LAZY = {
    "Analysis": "analysis", "analyze": "analysis", "build_pipeline": "analysis",
    "Journal": "ingest", "load_journal": "ingest",
    "LoadProblem": "records", "Reflection": "records",
    "Taxonomy": "taxonomy", "load_taxonomy": "taxonomy",
    "new_entry": "template",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    # tab completion and help() list the lazy exports before their first use
    return sorted(set(globals()) | set(_LAZY))


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
