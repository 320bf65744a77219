"""reflect-nlp's spaCy pipeline components. Importing this package registers the factories
``reflect_sentiment``, ``reflect_weak_spots`` and ``reflect_cues`` so any spaCy user can do
``nlp.add_pipe("reflect_weak_spots")``.
"""
from . import cues, sentiment, weak_spots  # noqa: F401

__all__ = ["cues", "sentiment", "weak_spots"]
