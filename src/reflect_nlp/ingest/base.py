"""Small shared pieces of ingest: load options, the pre-record ``Draft`` and the problem log."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..records import LoadProblem

NOTE_EXTENSIONS = (".md", ".markdown", ".txt")
TABLE_EXTENSIONS = (".csv", ".tsv", ".jsonl", ".ndjson", ".json")
DEFAULT_MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class Options:
    """Keyword options of ``load_journal`` (see its docstring)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    text_column: str | None = None
    date_column: str | None = None
    author_column: str | None = None
    title_column: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # field name -> column name
    use_mtime: bool = True

    def column_map(self) -> dict[str, str]:
        """Field -> column for every column the user named."""
        named = {
            "text": self.text_column,
            "date": self.date_column,
            "author": self.author_column,
            "title": self.title_column,
        }
        return {**dict(self.columns), **{k: v for k, v in named.items() if v}}


@dataclass
class Draft:
    """One reflection found in a source, before its metadata is normalised and its text cleaned."""

    raw: str  # body as written (front matter removed, line endings normalised to \n)
    line: int = 1  # 1-based line where the entry starts in its source
    chunk: str = ""  # everything that makes up the entry; equal chunks are exact duplicates
    meta: dict[str, Any] = field(default_factory=dict)  # fields as found, not yet normalised
    meta_lines: dict[str, int] = field(default_factory=dict)  # field -> line, for messages
    date_source: str = "front_matter"  # what a date found in ``meta`` is called
    fmt: str = "markdown"  # markdown, text, jrnl, jrnl_json, csv, jsonl, json
    heading: str | None = None  # raw's first line is this title: keep it as its own paragraph
    extra: dict[str, Any] = field(default_factory=dict)  # kept as-is, never normalised


class ProblemLog(list):
    """A list of LoadProblem with a short way to add one."""

    def add(self, source: str, line: int | None, kind: str, message: str, action: str = "warned") -> None:
        self.append(LoadProblem(source=source, line=line, kind=kind, message=message, action=action))

    def not_read(self, source: str, line: int | None, why: str,
                 hint: str = "pass this file itself to read it anyway") -> None:
        """A file in a journal folder that is not reflections (a report reflect-nlp wrote, a
        settings file): skipped with ``not_read``, saying why and what to do about it."""
        self.add(source, line, "not_read", f"{why}; {hint}", "skipped")


def as_date(value: Any) -> dt.date | None:
    """A datetime/date as a plain date (None for anything else)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None
