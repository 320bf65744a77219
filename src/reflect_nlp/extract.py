"""From one processed spaCy Doc to one JSON-able EntryResult (see tables.py for its shape).

Each component module contributes its part; this module only joins them.
"""
from __future__ import annotations

from typing import Any

from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.tokens import Doc

from .components import cues, sentiment, weak_spots


def entry_result(doc: Doc) -> dict[str, Any]:
    """Collect what our pipeline components left on ``doc`` into an EntryResult dict."""
    sentence_rows = sentiment.sentence_rows(doc)
    cue_rows = cues.sentence_cues(doc)
    for row, cue in zip(sentence_rows, cue_rows):
        row.update(cue)
    hits = weak_spots.hits(doc)
    entry = {
        "n_sentences": len(sentence_rows),
        "n_words": len(doc) - int(doc.to_array([IS_PUNCT, IS_SPACE]).any(axis=1).sum()) if len(doc) else 0,
        **sentiment.entry_tone(doc, sentence_rows),
        **cues.entry_features(doc, sentence_rows, hits),
    }
    return {
        "entry": entry,
        "sentences": sentence_rows,
        "weak_spots": hits,
        "actions": cues.actions(doc),
        "phrases": weak_spots.phrases(doc),
    }
