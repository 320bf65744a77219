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

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

FORMATS = ("html", "md", "json", "csv")
RECENT = 5  # interviews that count as "recent" when choosing what to work on next
MAX_COLUMNS = 40  # beyond this many interviews the heatmap shows periods, not interviews
MAX_ROWS = 200  # rows of a table shown in the page; the exports hold them all
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
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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


def _trend(analysis, name: str) -> pd.DataFrame:
    """A trends table of the Analysis by name (``analysis.lifecycle()`` for "lifecycle")."""
    return getattr(analysis, name)()


def label_for(category: Any, taxonomy: dict[str, Any] | None = None) -> str:
    """A readable label for a category id ("mind_blank" -> "Mind blank"), from the taxonomy if it has one."""
    for c in (taxonomy or {}).get("categories", []) or []:
        if isinstance(c, dict) and c.get("id") == category and c.get("label"):
            return str(c["label"])
    s = str(category).replace("_", " ").strip()
    return s[:1].upper() + s[1:]


def table(df: pd.DataFrame | None, columns: dict[str, str] | None = None, *, redact: Redact, limit: int | None = MAX_ROWS) -> dict[str, Any]:
    """A DataFrame as {"headers": [...], "rows": [[str, ...]], "n": int, "truncated": bool}."""
    if df is None:
        return {"headers": [], "rows": [], "classes": [], "n": 0, "truncated": False}
    columns = columns or {c: str(c).replace("_", " ").capitalize() for c in df.columns}
    columns = {k: v for k, v in columns.items() if k in df.columns}
    shown = df if limit is None else df.head(limit)
    rows = [[redact(fmt(v)) for v in rec] for rec in shown[list(columns)].itertuples(index=False, name=None)]
    kinds = ["date" if pd.api.types.is_datetime64_any_dtype(df[c]) else
             "num" if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]) else "" for c in columns]
    return {"headers": list(columns.values()), "rows": rows, "classes": kinds, "n": len(df), "truncated": len(shown) < len(df)}


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


def _direction(values: pd.Series, *, what: str, min_n: int = SMALL_N) -> str:
    """Earliest third vs latest third of the interviews, in words, with the n it rests on."""
    v = pd.to_numeric(values, errors="coerce").astype(float).dropna()
    if len(v) < max(4, min_n):
        return f"Not enough entries yet to tell a direction for {what} ({_plural(len(v), 'interview')} with a score)."
    k = max(2, len(v) // 3)
    early, late = v.iloc[:k].median(), v.iloc[-k:].median()
    delta = late - early
    word = "rising" if delta > 0.1 else "falling" if delta < -0.1 else "steady"
    return f"{what.capitalize()} is {word}: median {early:+.2f} in your first {k} interviews, {late:+.2f} in your last {k}."


# ---------------------------------------------------------------- evidence


def _segments(sentence: str, spans: Iterable[tuple[int, int]], redact: Redact) -> list[dict[str, Any]]:
    """Split a sentence into plain and marked pieces (redacted piece by piece; escaped by Jinja).

    Line breaks and runs of spaces become one space: a quote reads as one line.
    """
    out = _raw_segments(sentence, spans, redact)
    for seg in out:
        seg["text"] = re.sub(r"\s+", " ", seg["text"])
    if out:
        out[0]["text"], out[-1]["text"] = out[0]["text"].lstrip(), out[-1]["text"].rstrip()
    return [seg for seg in out if seg["text"] or seg["mark"]]


def _raw_segments(sentence: str, spans: Iterable[tuple[int, int]], redact: Redact) -> list[dict[str, Any]]:
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


def evidence(analysis, redacted, redact: Redact, *, per_category: int = 60) -> list[dict[str, Any]]:
    """For each weak spot, its sentences (in interview order) with the matched words marked, date, company and file."""
    hits = analysis.weak_spots
    if hits.empty:
        return []
    sents = analysis.sentences
    starts = dict(zip(zip(sents["entry_id"], sents["sent_idx"]), sents["start"]))
    e = redacted.entries
    meta = {eid: (fmt(d), str(c) if pd.notna(c) else "", fmt(src)) for eid, d, c, src in zip(e["entry_id"], e["date"], e["company"], e["source"])}
    order = {eid: i for i, eid in enumerate(analysis.entries["entry_id"])}
    hits = hits.assign(order_=hits["entry_id"].map(order).fillna(len(order)), sidx_=hits["sent_idx"].fillna(-1))
    hits = hits.sort_values(["order_", "sidx_"], kind="stable")
    taxonomy = analysis.meta.get("taxonomy")
    counts = hits.groupby("category").agg(n=("category", "size"), entries=("entry_id", "nunique"))
    out = []
    for category in counts.sort_values(["entries", "n"], ascending=False, kind="stable").index:
        rows = hits[hits["category"] == category]
        keys = list(dict.fromkeys(zip(rows["entry_id"], rows["sidx_"])))
        shown = set(keys[:per_category])  # only build what the page shows
        groups: dict[tuple, list] = {}
        for r in rows.itertuples(index=False):
            if (r.entry_id, r.sidx_) in shown:
                groups.setdefault((r.entry_id, r.sidx_), []).append(r)
        sentences = []
        for (eid, sidx), grp in groups.items():
            sentence = str(grp[0].sentence) if pd.notna(grp[0].sentence) else ""
            s0 = starts.get((eid, sidx), pd.NA)
            spans = [sp for sp in (_local_span(sentence, s0, r.start, r.end, r.matched) for r in grp) if sp]
            date, company, source = meta.get(eid, ("—", "", "—"))
            sentences.append({"segments": _segments(sentence, spans, redact), "date": date, "company": company, "source": source})
        out.append({
            "id": safe_filename(category, default="category"),
            "label": redact(label_for(category, taxonomy)),
            "n_hits": int(counts.loc[category, "n"]),
            "n_entries": int(counts.loc[category, "entries"]),
            "sentences": sentences,
            "more": max(0, len(keys) - per_category),
        })
    return out


# ---------------------------------------------------------------- the context


def _heatmap_matrix(entries: pd.DataFrame, by_entry: pd.DataFrame, taxonomy) -> pd.DataFrame:
    """Hits per category x interview; per month (or week) when there are too many interviews to show."""
    if by_entry.empty or entries.empty:
        return pd.DataFrame()
    if len(entries) > MAX_COLUMNS:
        if entries["date"].notna().any():
            return _heatmap_by_period(entries, by_entry, taxonomy)
        return _heatmap_by_run(entries, by_entry, taxonomy)
    labels = dict(zip(entries["entry_id"], _interview_labels(entries)))
    m = by_entry.pivot_table(index="category", columns="entry_id", values="hits", aggfunc="sum", fill_value=0)
    m = m.reindex(columns=list(entries["entry_id"]), fill_value=0)
    m = _rows_by_total(m, taxonomy)
    m.columns = [labels[c] for c in m.columns]
    return m.astype(int)


def _rows_by_total(m: pd.DataFrame, taxonomy) -> pd.DataFrame:
    """Heatmap rows ordered by their total (most first), labelled for reading."""
    m = m.loc[m.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    m.index = [label_for(c, taxonomy) for c in m.index]
    return m


def _heatmap_by_run(entries: pd.DataFrame, by_entry: pd.DataFrame, taxonomy) -> pd.DataFrame:
    """Hits per category x run of consecutive interviews, for a long journal without dates."""
    size = -(-len(entries) // MAX_COLUMNS)  # interviews per column, rounded up
    run = dict(zip(entries["entry_id"], (np.arange(len(entries)) // size).tolist()))
    m = by_entry.assign(run=by_entry["entry_id"].map(run)).pivot_table(
        index="category", columns="run", values="hits", aggfunc="sum", fill_value=0)
    m = m.reindex(columns=range(-(-len(entries) // size)), fill_value=0)
    m = _rows_by_total(m, taxonomy)
    m.columns = [f"#{k * size + 1}-{min((k + 1) * size, len(entries))}" for k in m.columns]
    m.columns.name = "run"
    return m.astype(int)


def _heatmap_by_period(entries: pd.DataFrame, by_entry: pd.DataFrame, taxonomy) -> pd.DataFrame:
    dated = entries[entries["date"].notna()]
    span = (dated["date"].max() - dated["date"].min()).days
    freq, fmt_ = ("W-SUN", "%d %b %Y") if span <= 7 * MAX_COLUMNS else ("M", "%b %Y")
    period = dict(zip(dated["entry_id"], dated["date"].dt.to_period(freq).dt.start_time))
    hits = by_entry.assign(period=by_entry["entry_id"].map(period)).dropna(subset=["period"])
    m = hits.pivot_table(index="category", columns="period", values="hits", aggfunc="sum", fill_value=0)
    full = pd.period_range(min(period.values()), max(period.values()), freq=freq).start_time
    m = m.reindex(columns=full, fill_value=0)
    m = _rows_by_total(m, taxonomy)
    m.columns = [c.strftime(fmt_) for c in m.columns]
    m.columns.name = "period"
    return m.astype(int)


def _category_counts(by_entry: pd.DataFrame, taxonomy) -> dict[str, Any]:
    """Interviews and mentions per weak spot (the numbers behind the heatmap)."""
    g = by_entry.groupby("category").agg(entries=("entry_id", "nunique"), hits=("hits", "sum"))
    g = g.sort_values(["entries", "hits"], ascending=False, kind="stable")
    rows = [[label_for(c, taxonomy), str(int(r.entries)), str(int(r.hits))] for c, r in g.iterrows()]
    return {"headers": ["Weak spot", "Interviews", "Mentions"], "rows": rows, "classes": ["", "num", "num"], "n": len(rows), "truncated": False}


def _top_weak_spots(entries: pd.DataFrame, by_entry: pd.DataFrame, lifecycle: pd.DataFrame | None, taxonomy,
                    k: int = 3) -> list[dict[str, Any]]:
    """The weak spots in most interviews that still come up (resolved and fading ones are under
    "What improved")."""
    if by_entry.empty:
        return []
    g = by_entry.groupby("category").agg(entries=("entry_id", "nunique"), hits=("hits", "sum"))
    still = (g["entries"] >= 2) & ~g.index.isin(_categories_with(lifecycle, {"resolved", "fading"}))
    g = g[still].sort_values(["entries", "hits"], ascending=False, kind="stable").head(k)
    n = len(entries)
    return [{"id": safe_filename(c, default="category"), "label": label_for(c, taxonomy), "entries": int(r.entries), "n": n,
             "share": _pct(int(r.entries), n)} for c, r in g.iterrows()]


def _categories_with(lifecycle: pd.DataFrame | None, statuses: set[str]) -> set[str]:
    if lifecycle is None or lifecycle.empty or not {"name", "status"} <= set(lifecycle):
        return set()
    rows = lifecycle[lifecycle["status"].isin(statuses)]
    if "kind" in rows:
        rows = rows[rows["kind"] == "category"]
    return set(rows["name"].astype(str))


def _next_focus(entries: pd.DataFrame, by_entry: pd.DataFrame, lifecycle: pd.DataFrame | None, taxonomy) -> dict[str, str] | None:
    """The weak spot most present lately that is not already resolved or a one-off."""
    if by_entry.empty:
        return None
    recent_ids = set(entries["entry_id"].tail(RECENT))
    g = by_entry.groupby("category")["entry_id"].agg(total="nunique", recent=lambda s: len(set(s) & recent_ids))
    g = g[~g.index.isin(_categories_with(lifecycle, {"resolved", "one-off"}))]
    g = g[g["recent"] > 0].sort_values(["recent", "total"], ascending=False, kind="stable")
    if g.empty:
        return None
    cat, row = g.index[0], g.iloc[0]
    n_recent = min(RECENT, len(entries))
    why = (f"it came up in {row.recent} of your last {_plural(n_recent, 'interview')} "
           f"and in {row.total} of {len(entries)} overall")
    return {"id": safe_filename(cat, default="category"), "label": label_for(cat, taxonomy), "why": why}


def _follow_through_text(rate: pd.DataFrame | None) -> str:
    if rate is None:
        return "Follow-through is not computed yet."
    if rate.empty or not int(rate["actions"].sum()):
        return "No action items (“next time I will …”) found yet, so there is nothing to follow through."
    actions, n, done = int(rate["actions"].sum()), int(rate["n"].sum()), int(rate["followed_through"].sum())
    if not n:
        return f"{_plural(actions, 'action item')}, none of which can be judged yet (no later interview, or no weak spot it addresses)."
    return (f"{_pct(done, n)} of your lessons stuck: after {done} of {_plural(n, 'action item')} the weak spot it "
            f"addressed did not come up again ({actions} action items in all).")


def _afterwards(row: Any) -> str:
    """What happened after one action item, in words (from a follow_through row)."""
    if pd.isna(row.category):
        return "Not linked to a weak spot, so it can't be tracked."
    if not row.later_entries:
        return "Too soon to tell: no interview written up since."
    if row.followed_through is True or (pd.notna(row.followed_through) and bool(row.followed_through)):
        return f"Hasn't come up since ({_plural(int(row.later_entries), 'later interview')})."
    after = int(row.first_recurrence_after) if pd.notna(row.first_recurrence_after) else None
    when = f", first {_plural(after, 'interview')} later" if after else ""
    return f"Came up again in {row.recurrences} of {_plural(int(row.later_entries), 'later interview')}{when}."


def _lessons(follow: pd.DataFrame | None, actions: pd.DataFrame, entries: pd.DataFrame, taxonomy, redact: Redact) -> dict[str, Any]:
    source = follow if follow is not None else actions
    if source.empty:
        return table(None, redact=redact)
    df = source.drop(columns=[c for c in ("date", "company") if c in source]).merge(
        entries[["entry_id", "date", "company"]], on="entry_id", how="left")
    df = df.assign(addresses=df["category"].map(lambda c: label_for(c, taxonomy) if pd.notna(c) else pd.NA))
    cols = {"date": "Date", "company": "Company", "text": "What you said you'd do", "addresses": "Addresses"}
    if follow is not None:
        df = df.assign(afterwards=[_afterwards(r) for r in df.itertuples(index=False)])
        cols["afterwards"] = "What happened afterwards"
    return table(df, cols, redact=redact)


def _lifecycle_table(lifecycle: pd.DataFrame | None, taxonomy, redact: Redact) -> dict[str, Any]:
    if lifecycle is not None and "kind" in lifecycle:
        lifecycle = lifecycle[lifecycle["kind"] == "category"]  # themes get their status in the themes table
    if lifecycle is None or lifecycle.empty:
        return table(None, redact=redact)
    df = lifecycle.assign(
        label=[label_for(n, taxonomy) for n in lifecycle["name"]],
        seen=[f"{e} of {n}" for e, n in zip(lifecycle["entries"], lifecycle["n"])],
        share_pct=[_pct(int(e), int(n)) if pd.notna(e) and pd.notna(n) else "—" for e, n in zip(lifecycle["entries"], lifecycle["n"])],
    )
    return table(df, {"label": "Weak spot", "status": "Status", "trend": "Trend", "seen": "Interviews", "share_pct": "Share",
                      "first_seen": "First seen", "last_seen": "Last seen"}, redact=redact)


def _people(entries: pd.DataFrame, by_entry: pd.DataFrame, rate: pd.DataFrame | None, taxonomy, redact: Redact) -> dict[str, Any]:
    """One row per author when a journal pools several people (a coach's cohort)."""
    if "author" not in entries or entries["author"].dropna().nunique() < 2:
        return table(None, redact=redact)
    author = dict(zip(entries["entry_id"], entries["author"]))
    hits = by_entry.assign(author=by_entry["entry_id"].map(author))
    rows = []
    for who, g in entries.groupby("author", sort=True):
        h = hits[hits["author"] == who].groupby("category")["entry_id"].nunique().sort_values(ascending=False, kind="stable")
        top = ", ".join(f"{label_for(c, taxonomy)} ({n})" for c, n in h.head(2).items()) or "—"
        ft = "—"
        if rate is not None and "author" in rate:
            r = rate[rate["author"] == who]
            if len(r) and int(r["n"].iloc[0]):
                ft = f"{int(r['followed_through'].iloc[0])} of {int(r['n'].iloc[0])}"
        rows.append({"author": who, "interviews": len(g), "first": g["date"].min(), "last": g["date"].max(), "top": top, "ft": ft})
    return table(pd.DataFrame(rows), {"author": "Person", "interviews": "Interviews", "first": "First", "last": "Last",
                                      "top": "Most frequent weak spots (interviews)", "ft": "Lessons kept"}, redact=redact)


def _status_counts(lifecycle: pd.DataFrame | None) -> dict[str, int]:
    if lifecycle is None or lifecycle.empty:
        return {}
    cats = lifecycle[lifecycle["kind"] == "category"] if "kind" in lifecycle else lifecycle
    return {str(k): int(v) for k, v in cats["status"].value_counts().items()}


def _cadence_text(cad: pd.DataFrame | None) -> str:
    if cad is None or cad.empty or pd.isna(cad["interviews"].iloc[0]) or int(cad["interviews"].iloc[0]) < 2:
        return "Not enough dated interviews to talk about cadence yet."
    c = cad.iloc[0]
    text = (f"{int(c.interviews)} dated interviews over {c.weeks:.0f} weeks (about {c.per_week:.1f} a week). "
            f"Typical gap {c.median_gap_days:.0f} days; the longest was {int(c.longest_gap_days)} days "
            f"({fmt(c.longest_gap_from)} to {fmt(c.longest_gap_to)}).")
    if pd.notna(c.bad_interviews) and int(c.bad_interviews):
        text += (f" After {_plural(int(c.bad_interviews), 'interview')} that felt bad, you had another lined up within two weeks "
                 f"{int(c.bad_lined_up)} times.")
    return text


def _surprise_text(sur: pd.DataFrame | None) -> tuple[str, int]:
    if sur is None or sur.empty:
        return "", 0
    s = sur.iloc[0]
    known = int(s.offers) + int(s.rejections)
    if not known:
        return "", 0
    text = (f"{int(s.felt_bad_got_offer)} of {_plural(int(s.offers), 'offer')} came after an interview that felt bad, and "
            f"{int(s.felt_good_got_rejected)} of {_plural(int(s.rejections), 'rejection')} after one that felt good. "
            "How an interview felt is a weak guide to how it went: keep applying.")
    return text, known


def _alt_heatmap(matrix: pd.DataFrame) -> str:
    if matrix.empty:
        return "No weak spots were found, so the heatmap is empty."
    per_cat = (matrix > 0).sum(axis=1)
    parts = [f"{c}: {_plural(int(n), 'interview')}" for c, n in per_cat.items()]
    if matrix.columns.name == "period":
        return f"Heatmap of {len(matrix)} weak spots across {matrix.shape[1]} periods ({matrix.columns[0]} to {matrix.columns[-1]})."
    if matrix.columns.name == "run":
        return (f"Heatmap of {len(matrix)} weak spots across {matrix.shape[1]} runs of consecutive interviews "
                f"({matrix.columns[0]} to {matrix.columns[-1]}, journal order).")
    return f"Heatmap of {len(matrix)} weak spots across {matrix.shape[1]} interviews. Interviews with each: " + "; ".join(parts) + "."


def _alt_tone(entries: pd.DataFrame, tone_dir: str, conf_dir: str) -> str:
    oc = entries["outcome"].dropna().astype(str).value_counts()
    outcomes = ", ".join(f"{n} {o}" for o, n in oc.items()) or "no outcomes recorded"
    return f"Tone and confidence for {_plural(len(entries), 'interview')}, with rolling medians. {tone_dir} {conf_dir} Outcomes: {outcomes}."


def _resolve_redact(analysis, redact: Redact | bool | None) -> Redact | None:
    """``redact=True`` means: find the names in this analysis (loads spaCy's NER) and redact them."""
    if redact is True:
        from ..redact import redactor_for

        return redactor_for(analysis)
    return redact or None


def build_context(analysis, *, redact: Redact | bool | None = None, png: bool = False, charts: bool = True,
                  page: bool = True, redacted=None) -> dict[str, Any]:
    """Everything the report shows, as plain data with user text already redacted (not escaped).

    Args:
        analysis: the Analysis to report on.
        redact: applied to every piece of user text; True builds one with ``redact.redactor_for``;
            None shows text as written.
        png: also render each chart as PNG bytes (``charts[name]["png"]``), for saving figures.
        charts: draw the charts (the HTML page needs them; Markdown and JSON do not).
        page: build the evidence and lessons lists the HTML and Markdown reports show (the JSON
            summary does not; its tables hold every row).
        redacted: ``redact.redact_analysis(analysis, redact)`` when the caller already made it.
    """
    from ..redact import redact_analysis

    redact = _resolve_redact(analysis, redact)
    r: Redact = redact or (lambda x: x)
    red = redacted if redacted is not None else redact_analysis(analysis, r) if redact else analysis
    e = red.entries
    taxonomy = analysis.meta.get("taxonomy") or {}
    by_entry = red.weak_spots_by_entry
    trends = {name: _trend(red, name) for name in TREND_NAMES}
    rate = red.follow_through_rate(by=None)
    lifecycle = trends["lifecycle"]
    n = len(e)
    min_n = int(getattr(analysis, "min_entries", SMALL_N))
    dates = pd.to_datetime(e["date"], errors="coerce").dropna()
    tone_dir = _direction(e["tone"], what="tone", min_n=min_n)
    conf_dir = _direction(e["confidence"], what="confidence", min_n=min_n)
    matrix = _heatmap_matrix(e, by_entry, taxonomy)
    surprise, n_surprise = _surprise_text(_trend(red, "surprises"))
    cadence_text = _cadence_text(trends["cadence"])

    drawn, summarised = {}, False
    if charts:  # matplotlib is imported only when a chart is drawn
        from .. import plots

        summarised = n > plots.MAX_POINTS
        figures = {
            "tone": (plots.tone_over_time, dict(entries=e, series=trends["series"]), _alt_tone(e, tone_dir, conf_dir)),
            "weak_spots": (plots.weak_spot_heatmap, dict(matrix=matrix), _alt_heatmap(matrix)),
            "gut_vs_outcome": (plots.gut_vs_outcome, dict(entries=e),
                               "Tone of the reflections against the interviews' outcomes. " + (surprise or "No outcomes recorded yet.")),
            "cadence": (plots.cadence, dict(entries=e), "Bar chart of interviews over time. " + cadence_text),
        }
        for name, (fn, kwargs, alt) in figures.items():
            fig = fn(**kwargs)
            try:
                caption = fig.get_suptitle() or fig.axes[0].get_title()  # the chart's own title doubles as its caption
                drawn[name] = {"name": name, "alt": alt, "caption": caption, "svg": plots.to_svg(fig),
                               "png": plots.to_png(fig) if png else None}
            finally:
                plots.close(fig)

    focus = _next_focus(e, by_entry, lifecycle, taxonomy)
    improved = [{"label": label_for(row["name"], taxonomy), "status": str(row["status"])}
                for _, row in lifecycle.iterrows()
                if row.get("kind", "category") == "category" and row["status"] in ("resolved", "fading")
                and not (focus and label_for(row["name"], taxonomy) == focus["label"])] if lifecycle is not None else []

    problems = [{"source": r(p.source), "line": p.line, "kind": p.kind, "message": r(p.message), "action": p.action} for p in analysis.problems]
    caveats = []
    if n < min_n:
        caveats.append(f"Only {_plural(n, 'interview')}: directions and rates are shaky below {min_n}; treat them as notes, not findings.")
    authors = analysis.entries["author"].dropna().nunique() if "author" in analysis.entries else 0  # before redaction merges them
    if authors > 1:
        caveats.append(f"These reflections come from {authors} people and are pooled here; "
                       "for one table per person use the Python API with by=\"author\" (e.g. analysis.lifecycle(by=\"author\")).")
    if len(dates) < n:
        caveats.append(f"{_plural(n - len(dates), 'interview')} had no date: they count everywhere but appear last in the charts and not in the cadence.")

    cal = trends["calibration"]
    return {
        "title": "Interview reflections",
        "generated": dt.date.today().isoformat(),
        "redacted": bool(redact),
        "n_entries": n,
        "summarised_charts": summarised,  # charts show summaries, not each interview
        "date_from": fmt(dates.min()) if len(dates) else None,
        "date_to": fmt(dates.max()) if len(dates) else None,
        "n_undated": n - len(dates),
        "n_companies": int(e["company"].dropna().nunique()),
        "summary": {
            "top": _top_weak_spots(e, by_entry, lifecycle, taxonomy),
            "improved": improved,
            "tone": tone_dir,
            "confidence": conf_dir,
            "follow_through": _follow_through_text(rate),
            "next": focus,
        },
        "charts": drawn,
        "tone_table": table(e, {"date": "Date", "company": "Company", "stage": "Stage", "tone": "Tone", "confidence": "Confidence",
                                "self_rating": "Self-rating", "outcome": "Outcome"}, redact=r),
        "heatmap_table": _category_counts(by_entry, taxonomy),
        "heatmap_by_period": matrix.columns.name == "period",  # a long journal: weeks or months, not interviews
        "heatmap_by_run": matrix.columns.name == "run",  # a long undated one: runs of consecutive interviews
        "people": _people(e, by_entry, red.follow_through_rate(by="author"), taxonomy, r),
        "lifecycle": _lifecycle_table(lifecycle, taxonomy, r),
        "lifecycle_counts": _status_counts(lifecycle),
        "lessons": _lessons(trends["follow_through"], red.actions, e, taxonomy, r) if page else table(None, redact=r),
        "calibration": table(cal, {"outcome": "Outcome", "n": "Interviews", "self_rating_median": "Median self-rating",
                                   "tone_median": "Median tone", "confidence_median": "Median confidence", "felt_bad": "Felt bad",
                                   "felt_neutral": "Felt neutral", "felt_good": "Felt good"} if cal is not None else None, redact=r),
        "surprise": surprise,
        "n_surprise": n_surprise,
        "cadence": cadence_text,
        "thank_you": _thank_you(trends["thank_you"], r),
        "themes": _themes(red.themes, lifecycle, r),
        "evidence": evidence(analysis, red, r) if page else [],
        "problems": problems,
        "skipped": [p for p in problems if p["action"] == "skipped"],
        "method": {
            "model": analysis.meta.get("model", "unknown"),
            "model_version": analysis.meta.get("model_version", ""),
            "spacy_version": analysis.meta.get("spacy_version", ""),
            "components": ", ".join(str(analysis.meta.get("components", "")).split(",")).strip(", "),
            "reader": analysis.meta.get("reader", "rules"),
            "taxonomy_name": taxonomy.get("name", "unknown"),
            "taxonomy_version": taxonomy.get("version", ""),
            "categories": [label_for(c.get("id") if isinstance(c, dict) else c, taxonomy) for c in taxonomy.get("categories", []) or []],
            "resolved_after": int(getattr(analysis, "resolved_after", 3)),
            "min_entries": min_n,
            "reflect_version": _version(),
        },
        "caveats": caveats,
        "counts": {"weak_spot_hits": len(analysis.weak_spots), "actions": len(analysis.actions), "themes": len(analysis.themes),
                   "sentences": len(analysis.sentences)},
    }


def _short(text: Any, limit: int = 160) -> str:
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 1].rsplit(" ", 1)[0] + " …"


def _themes(themes: pd.DataFrame, lifecycle: pd.DataFrame | None, redact: Redact, limit: int = 15) -> dict[str, Any]:
    status = {}
    if lifecycle is not None and {"kind", "name", "status"} <= set(lifecycle):
        rows = lifecycle[lifecycle["kind"] == "theme"]
        status = dict(zip(rows["name"].astype(str), rows["status"].astype(str)))
    df = themes.assign(
        example=[" | ".join(_short(x) for x in str(e).split(" | ")[:2]) if pd.notna(e) else pd.NA for e in themes["examples"]],
        status=[status.get(str(t), pd.NA) for t in themes["theme"]],
    )
    cols = {"theme": "Theme", "entries": "Interviews", "mentions": "Mentions", "example": "For example"}
    if status:
        cols = {"theme": "Theme", "status": "Status", "entries": "Interviews", "mentions": "Mentions", "example": "For example"}
    return table(df, cols, redact=redact, limit=limit)


def _thank_you(ty: pd.DataFrame | None, redact: Redact) -> dict[str, Any]:
    if ty is None or ty.empty:
        return table(None, redact=redact)
    ty = ty[ty["interviews"] > 0]
    ty = ty.assign(sent_of=[f"{s} of {n}" for s, n in zip(ty["sent"], ty["n"])],
                   rate_pct=[_pct(int(s), int(n)) if n else "—" for s, n in zip(ty["sent"], ty["n"])])
    return table(ty, {"period": "Period starting", "interviews": "Interviews", "sent_of": "Thank-you sent (of known)", "rate_pct": "Rate"}, redact=redact)


def _version() -> str:
    from .. import __version__

    return __version__


# ---------------------------------------------------------------- outputs


def render_html(analysis=None, *, redact: Redact | bool | None = None, context: dict[str, Any] | None = None) -> str:
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


def write_output(path: Path, data: str | bytes, out: Path) -> None:
    """``atomic_write`` that reports a failure as an ``OutputError`` naming the file."""
    try:
        atomic_write(path, data)
    except OSError as e:
        from ..errors import OutputError

        raise OutputError(f"Cannot write {path} ({e.strerror or e}). "
                          f"Choose an output folder you can write to with --out (now {out}).") from e


def write_outputs(analysis, out_dir: str | os.PathLike, *, formats: str | Iterable[str] = ("html",),
                  redact: Redact | bool | None = None, figures: bool | None = None) -> list[Path]:
    """Write every requested output into ``out_dir`` atomically; return the paths written.

    Each derived table is computed once and shared by the page, the summary and the exports.

    Args:
        analysis: the Analysis to report on.
        out_dir: output folder (created if missing).
        formats: any of "html", "md", "json", "csv" (a list or a comma-separated string).
        redact: a callable applied to all user text (see ``reflect_nlp.redact``); True to build
            one from this analysis (loads spaCy's NER); None for none.
        figures: also save each chart as SVG and PNG under ``out_dir/figures/``; by default
            only with the HTML report (charts are drawn only for outputs that show them).
    """
    from ..redact import redact_analysis
    from . import exporters

    fmts = _formats(formats)
    out = Path(out_dir)
    redact = _resolve_redact(analysis, redact)
    save_figures = "html" in fmts if figures is None else figures
    red = redact_analysis(analysis, redact) if redact else analysis
    written: list[Path] = []

    def put(path: Path, data: str | bytes) -> None:
        write_output(path, data, out)
        written.append(path)

    with red.cached():
        ctx = build_context(analysis, redact=redact, png=save_figures, charts="html" in fmts or save_figures,
                            page=bool({"html", "md"} & set(fmts)), redacted=red)
        tables = exporters.tables_of(red) if {"json", "csv"} & set(fmts) else {}
    if "html" in fmts:
        put(out / "report.html", render_html(context=ctx))
    if "md" in fmts:
        put(out / "report.md", exporters.to_markdown(ctx))
    if "json" in fmts:
        put(out / "report.json", exporters.to_json(ctx, tables))
    if "csv" in fmts:
        for name, df in tables.items():
            put(out / "tables" / f"{safe_filename(name, default='table')}.csv", exporters.to_csv(df))
    if save_figures:
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
