"""Which labelled splits are tuned on and which are the unseen headline (data/eval/LABELLING.md).

A fresh test split joins TUNING once it has been scored and its errors read; its one scoring
before that is kept in the benchmark that scored it (``FIRST_SCORING``).
"""
from __future__ import annotations

TUNING = ("dev", "dev2", "test2", "test3")
UNSEEN = ("test", "test4")


def in_eval_folder(doc_id: str) -> bool:
    """Documents saved under data/eval/ (fresh/, fresh3/, ...) rather than read from ../shared/eval."""
    return doc_id.split("/")[0].startswith("fresh")
