"""Plain records passed between the steps: what ingest produces, what analysis consumes."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

OUTCOMES = ("offer", "rejected", "pending", "withdrawn", "no response")
DATE_SOURCES = ("front_matter", "filename", "heading", "export", "column", "mtime", "none")


@dataclass(frozen=True)
class Reflection:
    """One interview reflection as the user wrote it.

    ``text`` is what the analysis reads (Markdown noise such as code blocks, link URLs, image
    tags and heading marks removed, typographic quotes typed as ' and "); every character offset
    reported by the analysis points into ``text``. ``raw`` is the body exactly as written (front matter removed).
    """

    id: str
    source: str  # path relative to the journal root; "file.csv:12" style when one of many
    line: int  # 1-based line in the source where this reflection starts
    text: str
    raw: str
    date: dt.date | None = None
    date_source: str = "none"  # one of DATE_SOURCES
    company: str | None = None
    role: str | None = None
    stage: str | None = None
    interviewer: str | None = None
    outcome: str | None = None  # one of OUTCOMES, normalised
    self_rating: int | None = None  # 1..5
    thank_you_sent: bool | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    title: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    content_hash: str = ""  # sha256 of ``text``
    format: str = ""  # markdown, text, jrnl, jrnl_json, csv, jsonl or json


@dataclass(frozen=True)
class LoadProblem:
    """Something ingest could not read cleanly. ``action`` says what was done about it."""

    source: str
    line: int | None
    kind: str  # e.g. "invalid_utf8", "bad_yaml", "empty", "binary", "too_large", "duplicate"
    message: str
    action: str = "warned"  # "warned" (entry kept) or "skipped" (entry/file not used)

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message} ({self.action})"
