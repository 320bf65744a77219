"""Reading a journal: folders of Markdown/text, jrnl exports, CSV/JSONL/JSON tables. No NLP here.

``load_journal(path, **options) -> Journal`` (reflections + load problems). The journal is only
ever opened for reading.
"""
from __future__ import annotations

from .loader import Journal, load_journal

__all__ = ["Journal", "load_journal"]
