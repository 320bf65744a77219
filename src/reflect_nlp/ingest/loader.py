"""PLACEHOLDER loader (to be replaced by the ingest work of issue 2): .md/.txt files only."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import EmptyJournalError, JournalNotFoundError
from ..records import LoadProblem, Reflection
from ..tables import METADATA_COLUMNS, frame, metadata_row


@dataclass
class Journal:
    """Reflections read from a journal, plus what could not be read cleanly."""

    root: Path
    reflections: list[Reflection] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    skipped_files: int = 0  # files that are not reflections (other extensions)

    def to_frame(self) -> pd.DataFrame:
        """One row per reflection (metadata columns of ``Analysis.entries``)."""
        return frame((metadata_row(r) for r in self.reflections), METADATA_COLUMNS)


def load_journal(path: str | os.PathLike) -> Journal:
    root = Path(path)
    if not root.exists():
        raise JournalNotFoundError(f"{root}: no such file or folder. Point reflect-nlp at your journal folder.")
    files = sorted(root.rglob("*.md")) if root.is_dir() else [root]
    j = Journal(root=root)
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        h = hashlib.sha256(text.encode()).hexdigest()
        rel = str(f.relative_to(root)) if root.is_dir() else f.name
        j.reflections.append(Reflection(id=h[:12], source=rel, line=1, text=text, raw=text, content_hash=h))
    if not j.reflections:
        raise EmptyJournalError(f"{root}: no reflections found (.md, .markdown, .txt, .csv, .jsonl, .json).")
    return j
