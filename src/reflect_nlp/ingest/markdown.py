"""One note per file: Markdown or plain text, with optional front matter."""
from __future__ import annotations

from .base import Draft, ProblemLog
from .frontmatter import split_front_matter


def read_note(text: str, source: str, problems: ProblemLog) -> list[Draft]:
    """The single reflection in a note file (front matter parsed, body kept as written)."""
    meta, meta_lines, body, body_line = split_front_matter(text, source, problems)
    fmt = "markdown" if source.lower().endswith((".md", ".markdown")) else "text"
    return [Draft(raw=body, line=1, chunk=text, meta=meta, meta_lines=meta_lines, date_source="front_matter", fmt=fmt)]
