"""Write docs/API.md from the code: ``.venv/bin/python docs/gen_api.py``.

The column tables come from the schemas in ``reflect_nlp.tables`` and ``reflect_nlp.trends``,
the CLI section from ``reflect_nlp.cli.build_parser()``, the API section from ``__all__`` and
the docstrings. ``tests/test_docs.py`` fails when the committed file and the code disagree.
"""
from __future__ import annotations

import argparse
import inspect
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import reflect_nlp  # noqa: E402
from reflect_nlp import errors, tables, trends  # noqa: E402
from reflect_nlp.analysis import Analysis  # noqa: E402
from reflect_nlp.cli import build_parser  # noqa: E402
from reflect_nlp.ingest import fields  # noqa: E402
from reflect_nlp.records import OUTCOMES  # noqa: E402

OUT = ROOT / "docs" / "API.md"

# (heading, how to get it, schema, note). Headings are what tests/test_docs.py looks for.
FRAMES = [
    ("entries", "analysis.entries", tables.ENTRY_COLUMNS, "One row per reflection, in date order (undated last)."),
    ("sentences", "analysis.sentences", tables.SENTENCE_COLUMNS, "One row per sentence."),
    ("weak_spots", "analysis.weak_spots", tables.WEAK_SPOT_COLUMNS, "One row per weak-spot mention kept after filtering."),
    ("weak_spots_by_entry", "analysis.weak_spots_by_entry", tables.BY_ENTRY_COLUMNS, "One row per entry x category."),
    ("actions", "analysis.actions", tables.ACTION_COLUMNS, 'One row per action item ("next time I will ...").'),
    ("phrases", "analysis.phrases", tables.PHRASE_COLUMNS, "Candidate theme phrases, one row per mention."),
    ("themes", "analysis.themes", tables.THEME_COLUMNS, "Recurring phrases beyond the taxonomy."),
    ("series", "analysis.series()", trends.SERIES_COLUMNS, "One row per interview x metric."),
    ("periods", "analysis.periods()", trends.PERIOD_COLUMNS, "One row per week or month x metric (dated entries)."),
    ("lifecycle", "analysis.lifecycle()", trends.LIFECYCLE_COLUMNS, "One row per weak-spot category or theme that appeared."),
    ("follow_through", "analysis.follow_through()", trends.FOLLOW_THROUGH_COLUMNS, "One row per action item."),
    ("follow_through_rate", "analysis.follow_through_rate()", trends.FOLLOW_THROUGH_RATE_COLUMNS, "One row (per group)."),
    ("gut_feeling", "analysis.gut_feeling()", trends.GUT_FEELING_COLUMNS, "One row per interview."),
    ("calibration", "analysis.calibration()", trends.CALIBRATION_COLUMNS, "One row per recorded outcome."),
    ("surprises", "analysis.surprises()", trends.SURPRISES_COLUMNS, "One row (per group)."),
    ("gaps", "analysis.gaps()", trends.GAPS_COLUMNS, "One row per dated interview."),
    ("cadence", "analysis.cadence()", trends.CADENCE_COLUMNS, "One row (per group)."),
    ("thank_you", "analysis.thank_you()", trends.THANK_YOU_COLUMNS, "One row per week or month (dated entries)."),
]

DESC = {
    "entry_id": "stable id of the reflection (hash of its source and content)",
    "source": "file the reflection came from, relative to the journal (`file.csv:12` when one of many)",
    "line": "1-based line in the source where the reflection starts",
    "date": "interview date (NaT when none was found)",
    "date_source": "where the date came from: " + ", ".join(f"`{d}`" for d in reflect_nlp.records.DATE_SOURCES),
    "company": "front matter `company`",
    "role": "front matter `role`",
    "stage": "front matter `stage` (phone screen, technical, onsite, final, ...)",
    "interviewer": "front matter `interviewer`",
    "outcome": "one of " + ", ".join(f"`{o}`" for o in OUTCOMES),
    "self_rating": "your rating of the interview, 1..5",
    "thank_you_sent": "front matter `thank_you_sent`",
    "author": "who wrote it (cohort journals)",
    "tags": "tags joined with `;`",
    "title": "title or first heading",
    "n_sentences": "sentences in the entry",
    "n_words": "words in the entry",
    "tone": "-1..1: mood of the later sentences plus the stated outcome (offer / rejection)",
    "polarity_mean": "plain mean of sentence TextBlob polarity, for comparison",
    "vader_mean": "plain mean of sentence VADER compound",
    "confidence": "-1 (hedging) .. 1 (certainty); NA when no cue",
    "rumination": "counterfactual self-criticism per 10 sentences",
    "reflection_depth": "how many of the four reflection questions the entry answers, 0..4",
    "answered_what_went_wrong": "the entry says what went wrong",
    "answered_how_it_felt": "the entry says how it felt",
    "answered_what_differently": "the entry says what could have gone differently",
    "answered_next_time": "the entry says what to do next time",
    "thank_you_mentioned": "the text mentions sending a thank-you note",
    "opportunities_mentioned": "the text mentions other opportunities lined up",
    "n_weak_spots": "weak-spot mentions kept in the entry",
    "weak_spot_categories": "sorted category ids joined with `;`",
    "sent_idx": "0-based sentence number within the entry",
    "start": "character offset into the reflection text (`Reflection.text`)",
    "end": "end offset into the reflection text",
    "text": "the sentence or item as written",
    "polarity": "TextBlob polarity, -1..1",
    "subjectivity": "TextBlob subjectivity, 0..1",
    "vader": "VADER compound score, -1..1",
    "weight": "weight of this sentence in the entry tone",
    "is_feeling": "says how the writer felt",
    "is_difficulty": "describes something that went wrong",
    "is_intention": "a plan (next time I will ...)",
    "is_learning": "a lesson learned",
    "is_counterfactual": "what could have gone differently (I should have ...)",
    "hedges": "hedging cues (maybe, I think, kind of ...)",
    "certainty": "certainty cues (definitely, I know ...)",
    "category": "weak-spot category id (NA when unclear)",
    "matched": "the matched words, `text[start:end]` of the entry",
    "sentence": "the sentence it was found in",
    "pattern": "id of the taxonomy pattern that fired",
    "score": "strength, 0..1",
    "lemma": "normalised phrase key, e.g. `system design`",
    "theme": "the recurring phrase",
    "entries": "entries it appears in (`periods`: interviews in the period)",
    "mentions": "times it is mentioned",
    "examples": "up to three example sentences joined by ` | `",
    "entry_ids": "ids of the entries, joined with `;`",
    "hits": "mentions of the category in the entry",
    "evidence": "first sentence with a mention",
    "interview": "1-based interview number within the sequence (or group)",
    "metric": "one of " + ", ".join(f"`{m}`" for m in trends.METRICS),
    "value": "the metric for this interview",
    "rolling_median": "median of the last `window` interviews' values",
    "low": "lower edge of the band, median - sd/sqrt(n)",
    "high": "upper edge of the band, median + sd/sqrt(n)",
    "n": "how many values the number rests on",
    "period": "first day of the week or month",
    "freq": "`week` or `month`",
    "median": "median of the metric in the period",
    "kind": "`category` or `theme`",
    "name": "category id or theme phrase",
    "first_seen": "date of the first entry with it",
    "last_seen": "date of the last entry with it",
    "first_interview": "interview number of the first entry with it",
    "last_interview": "interview number of the last entry with it",
    "share": "entries / n",
    "since_last": "interviews since the last one with it",
    "share_first_half": "share in the first half of the interviews",
    "share_second_half": "share in the second half",
    "trend": "`rising`, `falling`, `steady` or `not enough entries yet`",
    "status": "`new`, `one-off`, `resolved`, `fading` or `recurring`",
    "later_entries": "interviews after the action's entry",
    "recurrences": "later interviews where its category came back",
    "first_recurrence_after": "interviews until it first came back (NA: never)",
    "followed_through": "True: the weak spot never came back; False: it did; NA: too soon to tell "
    "(`follow_through_rate`: how many were followed through)",
    "actions": "action items",
    "rate": "share, with its `n`",
    "felt": "`bad`, `neutral` or `good` (from self_rating, else tone)",
    "felt_from": "`self_rating` or `tone`",
    "surprise": "`felt bad, got an offer` or `felt good, got rejected`",
    "self_rating_median": "median self-rating",
    "tone_median": "median tone",
    "confidence_median": "median confidence",
    "felt_bad": "interviews that felt bad",
    "felt_neutral": "interviews that felt neutral",
    "felt_good": "interviews that felt good",
    "offers": "offers whose feeling is known",
    "felt_bad_got_offer": "of those, felt bad",
    "rejections": "rejections whose feeling is known",
    "felt_good_got_rejected": "of those, felt good",
    "gap_days": "days since the previous interview",
    "lined_up": "other opportunities were mentioned or the next interview came within 14 days",
    "interviews": "interviews (dated ones for `cadence`)",
    "undated": "interviews without a date",
    "first": "first interview date",
    "last": "last interview date",
    "weeks": "weeks from first to last (one interview spans one week)",
    "per_week": "interviews per week",
    "median_gap_days": "median days between interviews",
    "longest_gap_days": "longest pause, in days",
    "longest_gap_from": "date the longest pause started",
    "longest_gap_to": "date it ended",
    "bad_interviews": "interviews that felt bad",
    "bad_lined_up": "of those, with more lined up",
    "bad_mentioned_opportunities": "of those, whose text mentions other opportunities",
    "sent": "thank-you notes sent",
}

FRONT_MATTER = {
    "date": "interview date: `2025-06-10`, `10 June 2025`, ... (else from the file name, a heading, or the file time)",
    "company": "company name",
    "role": "role you interviewed for",
    "stage": "free text: phone screen, technical, onsite, final, ...",
    "interviewer": "interviewer name(s)",
    "outcome": "one of " + ", ".join(f"`{o}`" for o in OUTCOMES) + " (synonyms such as `ghosted`, `hired` are understood)",
    "self_rating": "1..5 (`4`, `4/5`, `4 out of 5`)",
    "thank_you_sent": "yes/no, true/false",
    "tags": "a list or a comma-separated string",
    "author": "who wrote it (for cohort journals)",
    "title": "a title (else the first heading)",
}


SECTIONS = ("Args:", "Arguments:", "Attributes:", "Raises:", "Returns:", "Yields:")


def inline(text: str) -> str:
    """reST ``code`` -> Markdown `code`."""
    return re.sub(r"``([^`]+)``", r"`\1`", text)


def md_doc(doc: str) -> str:
    """A Google-style docstring as Markdown: sections as bullet lists, examples and ``::`` blocks fenced."""
    out, lines, i = [], doc.splitlines(), 0
    while i < len(lines):
        head = lines[i].strip()
        block_start = i + 1
        j = block_start
        while j < len(lines) and (not lines[j].strip() or lines[j].startswith(" ")):
            j += 1
        block = lines[block_start:j]
        while block and not block[-1].strip():
            block.pop()
        if head in ("Example:", "Examples:") or head.endswith("::"):
            lang = "python" if head.startswith("Example") else "toml"
            body = inspect.cleandoc("\n".join(block))
            body = "\n".join(ln.replace("  # doctest: +SKIP", "") for ln in body.splitlines())
            label = head if lang == "python" else inline(head.removesuffix("::")) + ":"
            out += [f"**{label}**" if lang == "python" else label, "", f"```{lang}", body, "```", ""]
            i = j
        elif head in SECTIONS:
            out += [f"**{head}**", ""]
            for ln in block:
                m = re.match(r"^ {4}(\S[^:]*):\s*(.*)$", ln)
                if m:
                    out.append(f"- `{m[1]}`: {inline(m[2])}")
                elif ln.strip():
                    out[-1] += " " + inline(ln.strip())
            out.append("")
            i = j
        else:
            out.append(inline(lines[i]))
            i += 1
    return "\n".join(out).strip()


def signature(name: str, obj) -> str:
    """``name(a: int = 1, *, b: str | None = None) -> X`` without the quotes postponed annotations add."""
    sig = inspect.signature(obj)
    params = []
    star = False
    for p in sig.parameters.values():
        if p.kind is p.KEYWORD_ONLY and not star:
            params.append("*")
            star = True
        if p.kind is p.VAR_POSITIONAL:
            star = True
        text = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "") + p.name
        if p.annotation is not p.empty:
            text += f": {p.annotation if isinstance(p.annotation, str) else inspect.formatannotation(p.annotation)}"
        if p.default is not p.empty:
            text += f" = {p.default!r}"
        params.append(text)
    ret = sig.return_annotation
    ret = "" if ret is sig.empty else f" -> {ret if isinstance(ret, str) else inspect.formatannotation(ret)}"
    return f"{name}({', '.join(params)}){ret}"


def field_docs(cls) -> dict[str, str]:
    """name -> text from a class docstring's Attributes section."""
    doc = inspect.getdoc(cls) or ""
    section = doc.split("Attributes:", 1)[1] if "Attributes:" in doc else ""
    return {m[1]: m[2] for m in re.finditer(r"^ {4}(\w+):\s*(.*)$", section, re.M)}


def api_section() -> list[str]:
    out = ["## Python API", "", "Everything below is importable from `reflect_nlp` (its `__all__`).", ""]
    for name in reflect_nlp.__all__:
        obj = getattr(reflect_nlp, name)
        out.append(f"### `{name}`")
        out.append("")
        if name == "__version__":
            out += ["The package version, a string.", ""]
            continue
        if inspect.isclass(obj):
            kind = "exception" if issubclass(obj, BaseException) else "class"
            out += [f"*{kind}*", ""]
        else:
            out += ["```python", signature(name, obj), "```", ""]
        out += [md_doc(inspect.getdoc(obj) or ""), ""]
        if obj is Analysis:
            out += analysis_members()
    return out


def analysis_members() -> list[str]:
    out = ["Members of `Analysis`:", "", "| Member | What it is |", "|---|---|"]
    described = field_docs(Analysis)
    for f in Analysis.__dataclass_fields__.values():
        if not f.name.startswith("_"):
            out.append(f"| `{f.name}` | {inline(described.get(f.name, 'field (see the class docstring)'))} |")
    for name, member in inspect.getmembers(Analysis):
        if name.startswith("_") and name != "_repr_html_":
            continue
        if isinstance(member, property) or callable(member):
            doc = (inspect.getdoc(member) or "").split("\n")[0]
            sig = "" if isinstance(member, property) else "()"
            out.append(f"| `{name}{sig}` | {inline(doc).replace('|', '/')} |")
    return out + [""]


def cli_section() -> list[str]:
    parser = build_parser()
    out = ["## Command line", "", "```", parser.format_usage().strip(), "```", "",
           parser.description or "", "", "| Option | Help |", "|---|---|"]
    out += option_rows(parser)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for choice in sub._choices_actions:
        p = sub.choices[choice.dest]
        out += ["", f"### `reflect-nlp {choice.dest}`", "", choice.help or "", "",
                "```", p.format_usage().strip(), "```", "", p.description or "", "",
                "| Argument / option | Help |", "|---|---|"]
        out += option_rows(p)
    return out + [""]


def option_label(action: argparse.Action) -> str:
    """`--out DIR`, `--plain`, `journal`: how tests/test_docs.py names an option."""
    if not action.option_strings:
        return action.dest
    flag = max(action.option_strings, key=len)
    if action.nargs == 0:
        return flag
    metavar = action.metavar or action.dest.upper()
    return f"{flag} {metavar}"


def option_rows(parser: argparse.ArgumentParser) -> list[str]:
    rows = []
    for a in parser._actions:
        if isinstance(a, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        text = (a.help or "").replace("|", "/") % {"default": a.default, "prog": parser.prog}
        rows.append(f"| `{option_label(a)}` | {text} |")
    return rows


def front_matter_section() -> list[str]:
    out = ["## Front matter fields", "",
           "Markdown notes may start with YAML (`---`) or TOML (`+++`) front matter. Keys are matched "
           "case-insensitively, with `-` and spaces read as `_`. Other keys are kept (in "
           "`Reflection.extra`) but not analysed. Values that cannot be used are reported as load "
           "problems and left empty; the entry is still read.", "",
           "| Field | Values |", "|---|---|"]
    assert set(FRONT_MATTER) == set(fields.KNOWN_FIELDS), "update FRONT_MATTER in docs/gen_api.py"
    out += [f"| `{k}` | {FRONT_MATTER[k]} |" for k in fields.KNOWN_FIELDS]
    aliases = ", ".join(f"`{a}` = `{f}`" for a, f in sorted(fields.ALIASES.items()))
    return out + ["", f"Also understood: {aliases}.", ""]


def taxonomy_section() -> list[str]:
    from reflect_nlp import taxonomy

    doc = inspect.getdoc(taxonomy) or ""
    doc = doc.split("\nExample:")[0]
    return ["## Taxonomy file format", "", md_doc(doc), "",
            "Use it with `reflect-nlp analyze JOURNAL --taxonomy FILE` or "
            "`reflect_nlp.analyze(journal, taxonomy=FILE)`.", ""]


def frames_section() -> list[str]:
    out = ["## DataFrames", "",
           "Column names and dtypes are stable. Trend tables called with `by=` (e.g. "
           '`analysis.lifecycle(by="author")`) get the `by` columns first, as strings.', ""]
    for heading, how, schema, note in FRAMES:
        out += [f"### `{heading}`", "", f"`{how}`: {note}", "", "| Column | Dtype | Meaning |", "|---|---|---|"]
        missing = [c for c in schema if c not in DESC]
        if missing:
            print(f"warning: no description for {heading} columns {missing}; add them to DESC", file=sys.stderr)
        out += [f"| `{c}` | {t} | {DESC.get(c, '')} |" for c, t in schema.items()]
        out.append("")
    return out


def exit_codes_section() -> list[str]:
    out = ["## Exit codes", "", "| Code | Meaning |", "|---|---|", "| 0 | success |"]
    classes = [errors.ReflectError, *errors.ReflectError.__subclasses__()]
    for cls in sorted(classes, key=lambda c: c.exit_code):
        out.append(f"| {cls.exit_code} | `{cls.__name__}`: {(inspect.getdoc(cls) or '').splitlines()[0]} |")
    return out + ["| 2 | also: the command line could not be parsed (argparse) |", "| 130 | interrupted (Ctrl-C) |", "",
                  "Every error message and its fix, and the load problems that never stop a run: "
                  "[ERRORS.md](ERRORS.md).", ""]


def render() -> str:
    parts = [
        "# reflect-nlp reference",
        "",
        "Generated from the code by `docs/gen_api.py`; `tests/test_docs.py` checks it still matches. "
        "Contents: [Python API](#python-api), [Command line](#command-line), "
        "[Front matter fields](#front-matter-fields), [Taxonomy file format](#taxonomy-file-format), "
        "[DataFrames](#dataframes), [Exit codes](#exit-codes).",
        "",
        *api_section(),
        *cli_section(),
        *front_matter_section(),
        *taxonomy_section(),
        *frames_section(),
        *exit_codes_section(),
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(parts)).strip() + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(OUT)
