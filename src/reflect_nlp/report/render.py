"""The report: one self-contained HTML page (Jinja2, autoescape on, inline SVG) plus exports.

``build_context`` turns an Analysis into plain, already-redacted view data; the HTML template and
the Markdown/JSON/CSV exporters all render from it, so every output says the same thing.

Example:
    >>> from reflect_nlp.report import write_report
    >>> write_report(analysis, "reports/me", formats=("html", "json"))  # doctest: +SKIP
    PosixPath('reports/me/report.html')
"""
from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .. import plots

FORMATS = ("html", "md", "json", "csv")
RECENT = 5  # interviews that count as "recent" when choosing what to work on next
SMALL_N = 5  # below this many entries, say so next to every rate and direction
TREND_NAMES = ("series", "lifecycle", "follow_through", "calibration", "cadence", "thank_you")
Redact = Callable[[Any], Any]


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("reflect_nlp", "report/templates"),
        autoescape=True,  # user text is always escaped; only our own SVG is marked safe
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


# ---------------------------------------------------------------- small helpers


def safe_filename(name: str, *, default: str = "file", max_len: int = 80) -> str:
    """A file name safe on every OS from user-derived text (no separators, dots-only or controls).

    Example:
        >>> safe_filename("../../etc/passwd")
        'etc-passwd'
    """
    s = unicodedata.normalize("NFKC", str(name))
    s = re.sub(r"[^\w.-]+", "-", s, flags=re.UNICODE).strip("-._")
    s = re.sub(r"-{2,}", "-", s)[:max_len].strip("-._")
    if not s or s.upper().split(".")[0] in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}:
        return default
    return s


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename, so no half file is ever seen."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": "\n"})) as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def fmt(value: Any) -> str:
    """One table cell as text: dates as YYYY-MM-DD, floats to two places, NA as an em dash."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return "—"
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _pct(num: int, den: int) -> str:
    return f"{round(100 * num / den)}%" if den else "—"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _trend(analysis, name: str) -> pd.DataFrame | None:
    """A trends table from the Analysis if that property exists (issue 5 adds them)."""
    try:
        value = getattr(analysis, name)
    except (AttributeError, NotImplementedError):
        return None
    if callable(value):
        value = value()
    return value if isinstance(value, pd.DataFrame) else None


def label_for(category: Any, taxonomy: dict[str, Any] | None = None) -> str:
    """A readable label for a category id ("mind_blank" -> "Mind blank"), from the taxonomy if it has one."""
    for c in (taxonomy or {}).get("categories", []) or []:
        if isinstance(c, dict) and c.get("id") == category and c.get("label"):
            return str(c["label"])
    s = str(category).replace("_", " ").strip()
    return s[:1].upper() + s[1:]


def table(df: pd.DataFrame | None, columns: dict[str, str] | None = None, *, redact: Redact, limit: int | None = None) -> dict[str, Any]:
    """A DataFrame as {"headers": [...], "rows": [[str, ...]], "n": int, "truncated": bool}."""
    if df is None:
        return {"headers": [], "rows": [], "n": 0, "truncated": False}
    columns = columns or {c: str(c).replace("_", " ").capitalize() for c in df.columns}
    columns = {k: v for k, v in columns.items() if k in df.columns}
    shown = df if limit is None else df.head(limit)
    rows = [[redact(fmt(v)) for v in rec] for rec in shown[list(columns)].itertuples(index=False, name=None)]
    return {"headers": list(columns.values()), "rows": rows, "n": len(df), "truncated": len(shown) < len(df)}


def _interview_labels(entries: pd.DataFrame) -> list[str]:
    """Short, unique column labels for interviews: "03-01 Acme", numbered when dates are missing."""
    labels = []
    for i, r in enumerate(entries.itertuples(index=False), 1):
        when = r.date.strftime("%b %d") if pd.notna(r.date) else f"#{i}"
        who = r.company if isinstance(r.company, str) and r.company else ""
        labels.append(f"{when} {who[:14]}".strip())
    seen: dict[str, int] = {}
    out = []
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
        out.append(lab if seen[lab] == 1 else f"{lab} ({seen[lab]})")
    return out


def _direction(values: pd.Series, *, what: str) -> str:
    """Earliest third vs latest third of the interviews, in words, with the n it rests on."""
    v = pd.to_numeric(values, errors="coerce").astype(float).dropna()
    if len(v) < 4:
        return f"Not enough entries yet to tell a direction for {what} ({_plural(len(v), 'interview')} with a score)."
    k = max(2, len(v) // 3)
    early, late = v.iloc[:k].median(), v.iloc[-k:].median()
    delta = late - early
    word = "rising" if delta > 0.1 else "falling" if delta < -0.1 else "steady"
    return f"{what.capitalize()} is {word}: median {early:+.2f} in your first {k} interviews, {late:+.2f} in your last {k}."


# ---------------------------------------------------------------- evidence


def _segments(sentence: str, spans: Iterable[tuple[int, int]], redact: Redact) -> list[dict[str, Any]]:
    """Split a sentence into plain and marked pieces (redacted piece by piece; escaped by Jinja)."""
    out, pos = [], 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(sentence))
        if end <= start:
            continue
        if start > pos:
            out.append({"text": redact(sentence[pos:start]), "mark": False})
        out.append({"text": redact(sentence[start:end]), "mark": True})
        pos = end
    if pos < len(sentence):
        out.append({"text": redact(sentence[pos:]), "mark": False})
    return out


def _local_span(sentence: str, sent_start: Any, start: Any, end: Any, matched: Any) -> tuple[int, int] | None:
    """The hit's span inside its sentence, from offsets; falls back to finding the matched text."""
    if pd.notna(sent_start) and pd.notna(start) and pd.notna(end):
        a, b = int(start) - int(sent_start), int(end) - int(sent_start)
        if 0 <= a < b <= len(sentence) and (pd.isna(matched) or sentence[a:b] == matched):
            return a, b
    if isinstance(matched, str) and matched and matched in sentence:
        a = sentence.index(matched)
        return a, a + len(matched)
    return None


def evidence(analysis, redacted, redact: Redact, *, per_category: int = 12) -> list[dict[str, Any]]:
    """For each weak spot, its sentences with the matched words marked, date, company and file."""
    hits = analysis.weak_spots
    if hits.empty:
        return []
    starts = analysis.sentences.set_index(["entry_id", "sent_idx"])["start"] if not analysis.sentences.empty else pd.Series(dtype="Int64")
    meta = redacted.entries.set_index("entry_id")
    order = {eid: i for i, eid in enumerate(analysis.entries["entry_id"])}
    taxonomy = analysis.meta.get("taxonomy")
    out = []
    counts = hits.groupby("category").agg(n=("category", "size"), entries=("entry_id", "nunique"))
    for category in counts.sort_values(["entries", "n"], ascending=False).index:
        rows = hits[hits["category"] == category]
        sentences = []
        for (eid, sidx), grp in rows.groupby(["entry_id", "sent_idx"], sort=False, dropna=False):
            sentence = str(grp["sentence"].iloc[0]) if pd.notna(grp["sentence"].iloc[0]) else ""
            s0 = starts.get((eid, sidx), pd.NA) if pd.notna(sidx) else pd.NA
            spans = [sp for sp in (_local_span(sentence, s0, r.start, r.end, r.matched) for r in grp.itertuples()) if sp]
            m = meta.loc[eid] if eid in meta.index else None
            sentences.append({
                "order": (order.get(eid, len(order)), int(sidx) if pd.notna(sidx) else 0),
                "segments": _segments(sentence, spans, redact),
                "date": fmt(m["date"]) if m is not None else "—",
                "company": fmt(m["company"]) if m is not None else "—",
                "source": fmt(m["source"]) if m is not None else "—",
                "matched": [redact(str(x)) for x in grp["matched"].dropna().unique()],
            })
        sentences.sort(key=lambda s: s["order"])
        out.append({
            "id": safe_filename(category, default="category"),
            "label": redact(label_for(category, taxonomy)),
            "n_hits": int(counts.loc[category, "n"]),
            "n_entries": int(counts.loc[category, "entries"]),
            "sentences": sentences[:per_category],
            "more": max(0, len(sentences) - per_category),
        })
    return out


# ---------------------------------------------------------------- the context


def _heatmap_matrix(entries: pd.DataFrame, by_entry: pd.DataFrame, taxonomy) -> pd.DataFrame:
    if by_entry.empty or entries.empty:
        return pd.DataFrame()
    labels = dict(zip(entries["entry_id"], _interview_labels(entries)))
    m = by_entry.pivot_table(index="category", columns="entry_id", values="hits", aggfunc="sum", fill_value=0)
    m = m.reindex(columns=list(entries["entry_id"]), fill_value=0)
    m = m.loc[m.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    m.index = [label_for(c, taxonomy) for c in m.index]
    m.columns = [labels[c] for c in m.columns]
    return m.astype(int)


def _top_weak_spots(entries: pd.DataFrame, by_entry: pd.DataFrame, taxonomy, k: int = 3) -> list[dict[str, Any]]:
    if by_entry.empty:
        return []
    g = by_entry.groupby("category").agg(entries=("entry_id", "nunique"), hits=("hits", "sum"))
    g = g[g["entries"] >= 2].sort_values(["entries", "hits"], ascending=False, kind="stable").head(k)
    n = len(entries)
    return [{"id": c, "label": label_for(c, taxonomy), "entries": int(r.entries), "n": n, "share": _pct(int(r.entries), n)} for c, r in g.iterrows()]


def _status_column(lifecycle: pd.DataFrame | None) -> tuple[str | None, str | None]:
    if lifecycle is None or lifecycle.empty:
        return None, None
    key = next((c for c in ("category", "theme", "name") if c in lifecycle), None)
    status = "status" if "status" in lifecycle else None
    return key, status


def _next_focus(entries: pd.DataFrame, by_entry: pd.DataFrame, lifecycle: pd.DataFrame | None, taxonomy) -> dict[str, str] | None:
    """The weak spot that is most present lately and not already resolved or fading."""
    if by_entry.empty:
        return None
    recent_ids = set(entries["entry_id"].tail(RECENT))
    g = by_entry.groupby("category")["entry_id"].agg(total="nunique", recent=lambda s: len(set(s) & recent_ids))
    key, status = _status_column(lifecycle)
    if key and status:
        done = set(lifecycle.loc[lifecycle[status].isin(["resolved", "fading"]), key].astype(str))
        g = g[~g.index.isin(done)]
    g = g[g["recent"] > 0].sort_values(["recent", "total"], ascending=False, kind="stable")
    if g.empty:
        return None
    cat, row = g.index[0], g.iloc[0]
    n_recent = min(RECENT, len(entries))
    why = (f"it came up in {row.recent} of your last {_plural(n_recent, 'interview')} "
           f"and in {row.total} of {len(entries)} overall")
    return {"id": cat, "label": label_for(cat, taxonomy), "why": why}


def _follow_through(ft: pd.DataFrame | None) -> str:
    if ft is None:
        return "Follow-through is not computed yet."
    if ft.empty:
        return "No action items (“next time I will …”) found yet, so there is nothing to follow through."
    col = next((c for c in ("followed_through", "followed", "kept") if c in ft), None)
    if col is None:
        return f"{_plural(len(ft), 'action item')} recorded."
    known = ft[col].dropna()
    return (f"{_pct(int(known.astype(bool).sum()), len(known))} of your action items were followed through "
            f"({int(known.astype(bool).sum())} of {len(known)} with a later interview to judge by).")


def _alt_heatmap(matrix: pd.DataFrame) -> str:
    if matrix.empty:
        return "No weak spots were found, so the heatmap is empty."
    per_cat = (matrix > 0).sum(axis=1)
    parts = [f"{c}: {_plural(int(n), 'interview')}" for c, n in per_cat.items()]
    return f"Heatmap of {len(matrix)} weak spots across {matrix.shape[1]} interviews. Interviews with each: " + "; ".join(parts) + "."


def _alt_tone(entries: pd.DataFrame, tone_dir: str, conf_dir: str) -> str:
    oc = entries["outcome"].dropna().astype(str).value_counts()
    outcomes = ", ".join(f"{n} {o}" for o, n in oc.items()) or "no outcomes recorded"
    return f"Scatter plot of tone and confidence for {_plural(len(entries), 'interview')} with rolling medians. {tone_dir} {conf_dir} Outcomes: {outcomes}."


def _gut_counts(entries: pd.DataFrame) -> dict[str, int]:
    tone = pd.to_numeric(entries["tone"], errors="coerce").astype(float)
    out = entries["outcome"].astype("string").str.lower()
    return {
        "bad_offer": int(((tone < 0) & (out == "offer")).fillna(False).sum()),
        "good_rejected": int(((tone > 0) & (out == "rejected")).fillna(False).sum()),
        "with_outcome": int((out.isin(["offer", "rejected"]) & tone.notna()).fillna(False).sum()),
    }


def _cadence_facts(entries: pd.DataFrame) -> dict[str, Any]:
    d = pd.to_datetime(entries["date"], errors="coerce").dropna().sort_values()
    if len(d) < 2:
        return {"text": "Not enough dated interviews to talk about cadence yet."}
    gaps = d.diff().dt.days.dropna()
    weeks = max(1.0, (d.iloc[-1] - d.iloc[0]).days / 7)
    i = int(gaps.to_numpy().argmax())
    return {
        "text": (f"{len(d)} dated interviews over {weeks:.0f} weeks (about {len(d) / weeks:.1f} a week). "
                 f"Typical gap {gaps.median():.0f} days; longest {gaps.max():.0f} days "
                 f"({fmt(d.iloc[i])} to {fmt(d.iloc[i + 1])}).")
    }


def build_context(analysis, *, redact: Redact | None = None) -> dict[str, Any]:
    """Everything the report shows, as plain data with user text already redacted (not escaped)."""
    from ..redact import redact_analysis

    r: Redact = redact or (lambda x: x)
    red = redact_analysis(analysis, r) if redact else analysis
    e = red.entries
    taxonomy = analysis.meta.get("taxonomy") or {}
    by_entry = red.weak_spots_by_entry
    trends = {name: _trend(red, name) for name in TREND_NAMES}
    lifecycle = trends["lifecycle"]
    n = len(e)
    dates = pd.to_datetime(e["date"], errors="coerce").dropna()
    tone_dir = _direction(e["tone"], what="tone")
    conf_dir = _direction(e["confidence"], what="confidence")
    matrix = _heatmap_matrix(e, by_entry, taxonomy)

    figures = {
        "tone": (plots.tone_over_time, dict(entries=e, series=trends["series"])),
        "weak_spots": (plots.weak_spot_heatmap, dict(matrix=matrix)),
        "gut_vs_outcome": (plots.gut_vs_outcome, dict(entries=e)),
        "cadence": (plots.cadence, dict(entries=e)),
    }
    charts = {}
    for name, (fn, kwargs) in figures.items():
        fig = fn(**kwargs)
        try:
            charts[name] = {"name": name, "svg": plots.to_svg(fig), "png": plots.to_png(fig)}
        finally:
            plots.close(fig)
    charts["tone"]["alt"] = _alt_tone(e, tone_dir, conf_dir)
    charts["weak_spots"]["alt"] = _alt_heatmap(matrix)
    gut = _gut_counts(e)
    charts["gut_vs_outcome"]["alt"] = (f"Tone of each reflection plotted against its outcome. {gut['bad_offer']} interviews felt negative "
                                       f"but got an offer; {gut['good_rejected']} felt positive but were rejected.")
    cad = _cadence_facts(e)
    charts["cadence"]["alt"] = "Bar chart of interviews per week. " + cad["text"]

    improved = []
    key, status = _status_column(lifecycle)
    if key and status:
        for _, row in lifecycle[lifecycle[status].isin(["resolved", "fading"])].iterrows():
            improved.append({"label": label_for(row[key], taxonomy), "status": str(row[status])})

    problems = [{"source": r(p.source), "line": p.line, "kind": p.kind, "message": r(p.message), "action": p.action} for p in analysis.problems]
    small_n = []
    if n < SMALL_N:
        small_n.append(f"Only {_plural(n, 'interview')}: directions and rates below are shaky; treat them as notes, not findings.")
    if len(dates) < n:
        small_n.append(f"{_plural(n - len(dates), 'interview')} had no date and appear in file order at the end of the charts.")

    actions = red.actions.merge(e[["entry_id", "date", "company"]], on="entry_id", how="left") if not red.actions.empty else red.actions.assign(date=pd.NaT, company=pd.NA)
    ft = trends["follow_through"]
    lessons_df = ft if ft is not None and not ft.empty else actions
    if "category" in lessons_df:
        lessons_df = lessons_df.assign(category=lessons_df["category"].map(lambda c: label_for(c, taxonomy) if pd.notna(c) else c))

    return {
        "title": "Interview reflections",
        "generated": dt.date.today().isoformat(),
        "redacted": bool(redact),
        "n_entries": n,
        "date_from": fmt(dates.min()) if len(dates) else None,
        "date_to": fmt(dates.max()) if len(dates) else None,
        "n_undated": n - len(dates),
        "n_companies": int(e["company"].dropna().nunique()),
        "summary": {
            "top": _top_weak_spots(e, by_entry, taxonomy),
            "improved": improved,
            "lifecycle_ready": lifecycle is not None,
            "tone": tone_dir,
            "confidence": conf_dir,
            "follow_through": _follow_through(ft),
            "next": _next_focus(e, by_entry, lifecycle, taxonomy),
        },
        "charts": charts,
        "tone_table": table(e, {"date": "Date", "company": "Company", "stage": "Stage", "tone": "Tone", "confidence": "Confidence", "outcome": "Outcome"}, redact=r),
        "heatmap_table": {"headers": ["Weak spot", "Interviews", "Mentions"],
                          "rows": [[c, str(int((matrix.loc[c] > 0).sum())), str(int(matrix.loc[c].sum()))] for c in matrix.index], "n": len(matrix), "truncated": False},
        "lifecycle": table(lifecycle, None, redact=r),
        "lifecycle_counts": (lifecycle[status].value_counts().to_dict() if key and status else {}),
        "lessons": table(lessons_df, None if lessons_df is ft else {"date": "Date", "company": "Company", "text": "Action", "category": "Addresses"}, redact=r),
        "calibration": table(trends["calibration"], None, redact=r),
        "gut": gut,
        "cadence": cad,
        "cadence_table": table(trends["cadence"], None, redact=r),
        "thank_you": table(trends["thank_you"], None, redact=r),
        "themes": table(red.themes, {"theme": "Theme", "entries": "Interviews", "mentions": "Mentions", "examples": "Examples"}, redact=r, limit=15),
        "evidence": evidence(analysis, red, r),
        "problems": problems,
        "skipped": [p for p in problems if p["action"] == "skipped"],
        "method": {
            "model": analysis.meta.get("model", "unknown"),
            "model_version": analysis.meta.get("model_version", ""),
            "spacy_version": analysis.meta.get("spacy_version", ""),
            "components": analysis.meta.get("components", ""),
            "taxonomy_name": taxonomy.get("name", "unknown"),
            "taxonomy_version": taxonomy.get("version", ""),
            "categories": [label_for(c.get("id") if isinstance(c, dict) else c, taxonomy) for c in taxonomy.get("categories", []) or []],
            "reflect_version": _version(),
        },
        "caveats": small_n,
        "counts": {"weak_spot_hits": len(analysis.weak_spots), "actions": len(analysis.actions), "themes": len(analysis.themes), "sentences": len(analysis.sentences)},
    }


def _version() -> str:
    from .. import __version__

    return __version__


# ---------------------------------------------------------------- outputs


def render_html(analysis=None, *, redact: Redact | None = None, context: dict[str, Any] | None = None) -> str:
    """The report as one self-contained HTML string (inline CSS and SVG, no scripts, no requests)."""
    ctx = context or build_context(analysis, redact=redact)
    charts = {k: {**v, "svg": Markup(v["svg"])} for k, v in ctx["charts"].items()}
    return _env().get_template("report.html.j2").render(c={**ctx, "charts": charts})


def _formats(formats: str | Iterable[str]) -> list[str]:
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    out = [f.strip().lower() for f in items if f.strip()]
    bad = [f for f in out if f not in FORMATS]
    if bad or not out:
        from ..errors import ReflectError

        raise ReflectError(f"Unknown report format {', '.join(bad) or '(none)'}: choose from {', '.join(FORMATS)} (comma-separated).")
    return list(dict.fromkeys(out))


def write_outputs(analysis, out_dir: str | os.PathLike, *, formats: str | Iterable[str] = ("html",),
                  redact: Redact | None = None, figures: bool = True) -> list[Path]:
    """Write every requested output into ``out_dir`` atomically; return the paths written.

    Args:
        analysis: the Analysis to report on.
        out_dir: output folder (created if missing).
        formats: any of "html", "md", "json", "csv" (a list or a comma-separated string).
        redact: a callable applied to all user text (see ``reflect_nlp.redact``), or None.
        figures: also save each chart as SVG and PNG under ``out_dir/figures/``.
    """
    from . import exporters

    fmts = _formats(formats)
    out = Path(out_dir)
    ctx = build_context(analysis, redact=redact)
    written: list[Path] = []

    def put(path: Path, data: str | bytes) -> None:
        atomic_write(path, data)
        written.append(path)

    if "html" in fmts:
        put(out / "report.html", render_html(context=ctx))
    if "md" in fmts:
        put(out / "report.md", exporters.to_markdown(ctx))
    tables = exporters.tables_of(analysis, redact=redact) if {"json", "csv"} & set(fmts) else {}
    if "json" in fmts:
        put(out / "report.json", exporters.to_json(ctx, tables))
    if "csv" in fmts:
        for name, df in tables.items():
            put(out / "tables" / f"{safe_filename(name, default='table')}.csv", exporters.to_csv(df))
    if figures:
        for name, chart in ctx["charts"].items():
            stem = safe_filename(name, default="figure")
            put(out / "figures" / f"{stem}.svg", '<?xml version="1.0" encoding="utf-8"?>\n' + chart["svg"])
            put(out / "figures" / f"{stem}.png", chart["png"])
    return written


def write_report(analysis, out_dir: str | os.PathLike, **kwargs: Any) -> Path:
    """Write the report (and any other formats asked for); return the main file's path.

    Takes the same keyword arguments as ``write_outputs``.
    """
    written = write_outputs(analysis, out_dir, **kwargs)
    return next((p for p in written if p.name.startswith("report.")), written[0])
