"""Markdown, JSON and CSV exports of the same findings the HTML report shows."""
from __future__ import annotations

import io
import json
from typing import Any, Callable

import pandas as pd

from .render import TREND_NAMES, _plural, _trend

TABLES = ("entries", "sentences", "weak_spots", "weak_spots_by_entry", "actions", "themes")
TREND_TABLES = (*TREND_NAMES, "periods", "follow_through_rate", "gut_feeling", "surprises", "gaps")


def tables_of(analysis, *, redact: Callable[[Any], Any] | None = None) -> dict[str, pd.DataFrame]:
    """Every table of an Analysis, trends tables included, redacted if asked."""
    if redact:
        from ..redact import redact_analysis

        analysis = redact_analysis(analysis, redact)
    out = {name: getattr(analysis, name) for name in TABLES}
    return {**out, **{name: _trend(analysis, name) for name in TREND_TABLES}}


def to_csv(df: pd.DataFrame) -> str:
    """One table as CSV (ISO dates, empty cells for missing values)."""
    buf = io.StringIO()
    df.to_csv(buf, index=False, date_format="%Y-%m-%d", lineterminator="\n")
    return buf.getvalue()


def to_json(ctx: dict[str, Any], tables: dict[str, pd.DataFrame]) -> str:
    """The summary, method and every table in one JSON document (one line per table)."""
    doc = {
        "summary": {
            "entries": ctx["n_entries"],
            "date_from": ctx["date_from"],
            "date_to": ctx["date_to"],
            "undated": ctx["n_undated"],
            **ctx["summary"],
        },
        "method": ctx["method"],
        "caveats": ctx["caveats"],
        "problems": ctx["problems"],
        "redacted": ctx["redacted"],
    }
    head = json.dumps(doc, indent=2, ensure_ascii=False, default=str)
    # pandas writes each table's JSON in C; re-encoding it record by record in Python took
    # most of a large re-run (issue 15)
    body = ",".join(f"\n    {json.dumps(name)}: {df.to_json(orient='records', date_format='iso', force_ascii=False)}"
                    for name, df in tables.items())
    return head[: -len("\n}")] + ',\n  "tables": {' + body + ("\n  " if tables else "") + "}\n}\n"


def _md(text: Any) -> str:
    """Plain text safe inside Markdown (and the HTML a Markdown viewer makes of it)."""
    s = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(s.replace("|", "\\|").split())


def _marked(text: str) -> str:
    """Bold in Markdown, the spaces around the words kept outside the ** (or it is not bold)."""
    core = text.strip()
    if not core:
        return text
    return text[: len(text) - len(text.lstrip())] + f"**{core}**" + text[len(text.rstrip()):]


def _md_table(t: dict[str, Any]) -> str:
    if not t["headers"] or not t["rows"]:
        return "_Nothing to show yet._\n"
    lines = ["| " + " | ".join(_md(h) for h in t["headers"]) + " |", "|" + "---|" * len(t["headers"])]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in t["rows"]]
    if t["truncated"]:
        lines.append(f"\n_{len(t['rows'])} of {t['n']} rows shown._")
    return "\n".join(lines) + "\n"


def to_markdown(ctx: dict[str, Any]) -> str:
    """A Markdown summary: the ten-second summary, key tables and the evidence."""
    s = ctx["summary"]
    span = f"{ctx['date_from']} to {ctx['date_to']}" if ctx["date_from"] else "no dates"
    out = [f"# {ctx['title']}\n", f"{ctx['n_entries']} interviews, {span}." + (" Redacted for sharing." if ctx["redacted"] else "") + "\n",
           "## Summary\n"]
    top = ", ".join(f"{_md(t['label'])} ({t['entries']} of {_plural(t['n'], 'interview')})" for t in s["top"]) or "none recurring yet"
    out.append(f"- **Recurring weak spots:** {top}")
    improved = ", ".join(f"{_md(i['label'])} ({i['status']})" for i in s["improved"]) or "nothing resolved or fading yet"
    out.append(f"- **What improved:** {improved}")
    out.append(f"- **Tone and confidence:** {_md(s['tone'])} {_md(s['confidence'])}")
    out.append(f"- **Follow-through:** {_md(s['follow_through'])}")
    if s["next"]:
        out.append(f"- **Work on next:** {_md(s['next']['label'])}, because {_md(s['next']['why'])}.")
    out.append("\n## Weak spots\n")
    out.append(_md_table(ctx["heatmap_table"]))
    out.append("\n## Lifecycle\n")
    out.append(_md_table(ctx["lifecycle"]))
    out.append("\n## Lessons\n")
    out.append(_md_table(ctx["lessons"]))
    out.append("\n## Gut feeling vs outcome\n")
    out.append((_md(ctx["surprise"]) or "No outcomes recorded yet.") + "\n")
    out.append(_md_table(ctx["calibration"]))
    out.append(f"\n{_md(ctx['cadence'])}\n")
    out.append("\n## Recurring themes\n")
    out.append(_md_table(ctx["themes"]))
    out.append("\n## Evidence\n")
    for ev in ctx["evidence"]:
        out.append(f"### {_md(ev['label'])} ({_plural(ev['n_entries'], 'interview')})\n")
        for sent in ev["sentences"]:
            text = _md("".join(_marked(g["text"]) if g["mark"] else g["text"] for g in sent["segments"]))
            where = ", ".join(x for x in (sent["date"], _md(sent["company"]), f"`{_md(sent['source'])}`") if x)
            out.append(f"- {text} ({where})")
        out.append("")
    out.append("\n## Method\n")
    m = ctx["method"]
    out.append(f"Model {_md(m['model'])} {_md(m['model_version'])}, spaCy {_md(m['spacy_version'])}, "
               f"taxonomy {_md(m['taxonomy_name'])} {_md(m['taxonomy_version'])}, reflect-nlp {m['reflect_version']}.\n")
    out += [f"- {_md(c)}" for c in ctx["caveats"]]
    return "\n".join(out).rstrip() + "\n"
