"""One note per file: Markdown or plain text, with optional front matter."""
from __future__ import annotations

from .base import Draft, ProblemLog
from .frontmatter import split_front_matter

# The sections of the Markdown report (report.exporters.to_markdown), in order; the one after
# the last names the model and reflect-nlp's version. A report kept inside the journal quotes
# the journal's sentences as evidence: read back as a note, every finding would count twice.
_REPORT_SECTIONS = ("\n## Summary\n", "\n## Evidence\n", "\n## Method\n")


def written_by_us(text: str) -> bool:
    """Whether a Markdown file is a reflect-nlp report (``--format md``), whatever its name.

    Plain string searches, not one regex over the file: linear even in a hostile note.
    """
    at = 0
    for heading in _REPORT_SECTIONS:
        at = text.find(heading, at)
        if at < 0:
            return False
        at += len(heading)
    method = text[at:].lstrip("\n").split("\n", 1)[0]
    return method.startswith("Model ") and ", spaCy " in method and ", reflect-nlp " in method


def read_note(text: str, source: str, problems: ProblemLog) -> list[Draft]:
    """The single reflection in a note file (front matter parsed, body kept as written)."""
    meta, meta_lines, body, body_line = split_front_matter(text, source, problems)
    fmt = "markdown" if source.lower().endswith((".md", ".markdown")) else "text"
    return [Draft(raw=body, line=1, chunk=text, meta=meta, meta_lines=meta_lines, date_source="front_matter", fmt=fmt)]
