"""``reflect-nlp new``: a dated reflection template that closes the loop on earlier entries.

The template is Markdown with YAML front matter. Every prompt sits inside an HTML comment,
which ingest strips: an untouched prompt is never analysed as if the user had written it
(a heading "What went wrong?" would count as answering that question).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .errors import EmptyJournalError, JournalNotFoundError, OutputError, ReflectError

QUESTIONS = (
    ("What went wrong?", "Which question or moment, and what exactly happened?"),
    ("How did it feel?", "During the interview and now. Nervous, flat, confident, relieved?"),
    ("What could have gone differently?", "What would you do or say if you had that moment again?"),
    ("What will you do next time?", 'One or two concrete plans, e.g. "Next time I will ..."'),
)
OUTCOME_HINT = "offer | rejected | pending | withdrawn | no response"
MAX_OPEN_ACTIONS = 5
MAX_RECURRING = 3
MAX_SLUG = 60
MAX_TRIES = 100

# "Next time I'll research the company" -> "research the company"
_PLAN = re.compile(
    r"^\s*(?:(?:next time|in future|in the future|from now on|going forward)\s*,?\s*)?"
    r"(?:i\s+will|i'll|i’ll|i\s+am\s+going\s+to|i'm\s+going\s+to|i\s+need\s+to|i\s+should|i\s+must|"
    r"i\s+want\s+to|i\s+have\s+to|i\s+plan\s+to)\s+",
    re.I,
)


def slug(*parts: str | None) -> str:
    """A safe file-name stem from user values: ASCII letters, digits and dashes only.

    Example:
        >>> slug("../../etc", "Onsite #2")
        'etc-onsite-2'
    """
    text = " ".join(p for p in parts if p)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:MAX_SLUG].rstrip("-")


def _one_line(value: Any) -> str:
    # Inserted text lives inside <!-- ... -->: a "-->" in it would end the comment early.
    return re.sub(r"\s+", " ", str(value)).strip().replace("-->", "->")


def _yaml_value(value: Any) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return dumped.removesuffix("\n...\n").strip()


def _when(date: Any, company: Any) -> str:
    bits = [pd.Timestamp(date).strftime("%Y-%m-%d") if not pd.isna(date) else None,
            None if pd.isna(company) else _one_line(company)]
    return ", ".join(b for b in bits if b)


def _plan(text: str) -> str | None:
    m = _PLAN.match(text)
    if not m:
        return None
    plan = text[m.end():].strip().rstrip(".!").strip()
    # "you planned to ... so I can ..." mixes voices: quote the user instead
    if not plan or re.search(r"\b(?:i|me|my|mine|myself)\b|\bi['’]", plan, re.I):
        return None
    return plan


def _label(category: str, analysis) -> str:
    from .report.render import label_for

    return label_for(category, (analysis.meta or {}).get("taxonomy"))


def open_actions(analysis, *, author: str | None = None) -> pd.DataFrame:
    """Action items not yet shown to be followed through, most recent first.

    An action is open when its weak spot came back after it (``followed_through`` False), or
    when it is too soon to tell (no category, or no later entry) and it was made within the last
    ``analysis.resolved_after`` interviews. Actions whose weak spot never came back are done.
    """
    by = "author" if author else None
    ft = analysis.follow_through(by=by)
    if author:
        ft = ft[ft["author"] == author]
    if ft.empty:
        return ft
    came_back = (ft["followed_through"] == False).fillna(False)  # noqa: E712
    recent_unknown = ft["followed_through"].isna() & (ft["later_entries"] < analysis.resolved_after)
    is_open = came_back | recent_unknown
    return ft[is_open].sort_values(["interview", "sent_idx"], ascending=[False, True], kind="stable").head(MAX_OPEN_ACTIONS)


def recurring(analysis, *, author: str | None = None) -> pd.DataFrame:
    """Weak-spot categories whose lifecycle status is still "recurring", most frequent first."""
    by = "author" if author else None
    lc = analysis.lifecycle(by=by)
    if author:
        lc = lc[lc["author"] == author]
    lc = lc[(lc["kind"] == "category") & (lc["status"] == "recurring")]
    return lc.sort_values(["entries", "last_interview"], ascending=False, kind="stable").head(MAX_RECURRING)


def loop_questions(analysis, *, author: str | None = None) -> list[str]:
    """The questions that close the loop on earlier entries (empty for a new journal).

    Example:
        >>> loop_questions(analysis)[0]  # doctest: +SKIP
        'Last time (2025-05-30, Wonka Payments) you planned to prepare three questions ... Did you?'
    """
    if analysis is None or analysis.entries.empty:
        return []
    questions = []
    acts = open_actions(analysis, author=author)
    for a in acts.itertuples(index=False):
        entry = analysis.entries.loc[analysis.entries["entry_id"] == a.entry_id].iloc[0]
        when = "Last time" if a.later_entries == 0 else "Earlier"
        where = _when(entry["date"], entry["company"])
        where = f" ({where})" if where else ""
        plan = _plan(str(a.text))
        q = (f"{when}{where} you planned to {_one_line(plan)}. Did you?" if plan
             else f'{when}{where} you wrote: "{_one_line(a.text)}" Did you do it?')
        if not pd.isna(a.followed_through) and not a.followed_through and not pd.isna(a.recurrences):
            q += (f" ({_label(str(a.category), analysis)} came up again in {int(a.recurrences)} of the "
                  f"{int(a.later_entries)} interviews since.)")
        questions.append(q)
    for r in recurring(analysis, author=author).itertuples(index=False):
        last = f", most recently {pd.Timestamp(r.last_seen):%Y-%m-%d}" if not pd.isna(r.last_seen) else ""
        questions.append(
            f"{_label(str(r.name), analysis)} keeps coming back: {int(r.entries)} of your {int(r.n)} interviews{last}. "
            "Did it come up today? What did you try?"
        )
    return questions


def template_text(
    *,
    date: dt.date,
    company: str | None = None,
    role: str | None = None,
    stage: str | None = None,
    interviewer: str | None = None,
    author: str | None = None,
    questions: list[str] | None = None,
) -> str:
    """The template as a string: front matter, loop-closing questions, the four prompts.

    Example:
        >>> print(template_text(date=dt.date(2025, 6, 10), company="Wonka")[:30])
        ---
        date: 2025-06-10
        company: Wonka
    """
    given = {"company": company, "role": role, "stage": stage,
             "interviewer": interviewer, "author": author}
    lines = ["---", f"date: {date.isoformat()}"]
    for key, value in given.items():
        if value is not None and str(value).strip():
            lines.append(f"{key}: {_yaml_value(_one_line(value))}")
        elif key != "author":
            lines.append(f"{key}:")
    lines += [
        f"outcome:          # {OUTCOME_HINT}",
        "self_rating:      # 1 (went badly) .. 5 (went great), how it felt before you hear back",
        "thank_you_sent:   # true once you have sent one",
        "tags: []",
        "---",
        "",
        "<!-- Write under each prompt in your own words, in full sentences. Text inside these",
        "     comment markers is not analysed; delete the markers once you have answered. -->",
        "",
    ]
    if questions:
        lines.append("<!-- From your earlier entries: -->")
        for q in questions:
            lines += [f"<!-- {_one_line(q)} -->", "", ""]
    for question, hint in QUESTIONS:
        lines += [f"<!-- {question} {hint} -->", "", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _create(folder: Path, stem: str, text: str) -> Path:
    """Write ``folder/stem.md`` without ever replacing a file: try stem-2, stem-3, ... instead."""
    for n in range(1, MAX_TRIES + 1):
        path = folder / (f"{stem}.md" if n == 1 else f"{stem}-{n}.md")
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as f:  # "x": fail if it exists
                f.write(text)
            return path
        except FileExistsError:
            continue
        except OSError as e:
            raise OutputError(f"Cannot write {path}: {e.strerror}. Check the journal folder's permissions.") from e
    raise OutputError(f"{folder}: {stem}.md and {MAX_TRIES - 1} numbered variants already exist; pass another --company or --date.")


def parse_date(value: str | dt.date | None) -> dt.date:
    """``YYYY-MM-DD`` (or a date) -> date; today when None."""
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ReflectError(f"--date {value!r} is not a date: use YYYY-MM-DD, e.g. 2025-06-10.") from None


def new_entry(
    journal: str | os.PathLike,
    *,
    date: str | dt.date | None = None,
    company: str | None = None,
    role: str | None = None,
    stage: str | None = None,
    interviewer: str | None = None,
    author: str | None = None,
    review: bool = True,
    model: str | None = None,
    taxonomy: str | os.PathLike | None = None,
    store: str | os.PathLike | None = None,
    nlp=None,
) -> Path:
    """Write a dated reflection template into the journal folder and return its path.

    With ``review`` (the default) and earlier entries in the journal, the template starts with
    questions about their open action items and recurring weak spots. Never overwrites a file:
    when the name is taken, ``-2``, ``-3``, ... is appended. Creates the folder if missing.
    ``model``, ``taxonomy``, ``store`` and ``nlp`` are passed to ``analyze`` for the review.

    Example:
        >>> new_entry("journal/", company="Wonka Payments", stage="onsite")  # doctest: +SKIP
        PosixPath('journal/2025-06-10-wonka-payments-onsite.md')
    """
    folder = Path(journal)
    if folder.exists() and not folder.is_dir():
        raise ReflectError(f"{folder} is a file; `new` writes one Markdown file per interview into a journal folder.")
    day = parse_date(date)
    questions: list[str] = []
    if review and folder.is_dir():
        from .analysis import analyze

        try:
            analysis = analyze(folder, model=model, taxonomy=taxonomy, store=store, nlp=nlp)
            questions = loop_questions(analysis, author=author)
        except (EmptyJournalError, JournalNotFoundError):
            questions = []
    text = template_text(date=day, company=company, role=role, stage=stage, interviewer=interviewer,
                         author=author, questions=questions)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"Cannot create the journal folder {folder}: {e.strerror}.") from e
    stem = "-".join(s for s in (day.isoformat(), slug(company, stage) or "reflection") if s)
    return _create(folder, stem, text)
