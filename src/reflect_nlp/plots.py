"""Charts of an Analysis as matplotlib Figures (Agg canvas, no pyplot state, colour-blind-safe).

Every function takes plain DataFrames and returns a ``matplotlib.figure.Figure`` with a title and
labelled axes. Figures are built without pyplot, so nothing is left open in a global registry;
``close()`` releases one explicitly when a caller is done with it.

Example:
    >>> from reflect_nlp import plots
    >>> fig = plots.tone_over_time(analysis.entries)  # doctest: +SKIP
    >>> fig.savefig("tone.png")  # doctest: +SKIP
"""
from __future__ import annotations

import io
import re
from contextlib import contextmanager
from typing import Iterator

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import MaxNLocator
from matplotlib.figure import Figure

# Okabe & Ito (2008): distinguishable with the common forms of colour blindness.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "grey": "#6E6E6E",
}
# Outcome markers differ by shape as well as colour, so they survive greyscale printing.
OUTCOME_STYLE = {
    "offer": (PALETTE["green"], "^", "offer"),
    "rejected": (PALETTE["vermillion"], "v", "rejected"),
    "pending": (PALETTE["grey"], "o", "pending"),
    "withdrawn": (PALETTE["purple"], "s", "withdrawn"),
    "no response": (PALETTE["sky"], "D", "no response"),
}
# Above this many interviews a chart shows summaries (medians of bins, box plots, months), not
# one mark per interview: 10,000 points make a chart unreadable and the report slow to open.
MAX_POINTS = 300
BINS = 100  # points of the binned tone chart
MAX_LABELS = 40  # heatmap columns that each get a label and their counts written in
# One hue from pale to dark: readable for every form of colour blindness and in greyscale.
HEATMAP_COLOURS = ("#d6e9f8", "#56B4E9", "#0072B2", "#063a63")
RC = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "svg.fonttype": "none",  # keep text as text: smaller, searchable, checkable by redaction tests
    "svg.hashsalt": "reflect-nlp",  # stable element ids across runs
}


@contextmanager
def figure(width: float = 8.0, height: float = 4.0) -> Iterator[Figure]:
    """A Figure on an Agg canvas with the house style; closed if building it fails."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        FigureCanvasAgg(fig)
        try:
            yield fig
        except BaseException:
            close(fig)
            raise


def close(fig: Figure) -> None:
    """Release a figure's artists (figures from this module are never registered with pyplot)."""
    fig.clear()


def _x_axis(entries: pd.DataFrame) -> tuple[pd.Series, str, bool]:
    """Dates when every entry has one, else the interview number."""
    dates = entries["date"] if "date" in entries else pd.Series(dtype="datetime64[ns]")
    if len(entries) and dates.notna().all():
        return dates.reset_index(drop=True), "Interview date", True
    return pd.Series(np.arange(1, len(entries) + 1)), "Interview (in date order)", False


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color=PALETTE["grey"])
    ax.set_xticks([])
    ax.set_yticks([])


def _rolling(entries: pd.DataFrame, series: pd.DataFrame | None, metric: str, window: int) -> pd.DataFrame:
    """rolling_median/low/high per entry (in ``entries`` order) from trends.series, else a plain rolling median."""
    if series is not None and {"metric", "entry_id", "rolling_median"} <= set(series):
        s = series[series["metric"] == metric].drop_duplicates("entry_id").set_index("entry_id")
        cols = [c for c in ("rolling_median", "low", "high") if c in s]
        return s[cols].reindex(entries["entry_id"]).astype(float).reset_index(drop=True)
    y = pd.to_numeric(entries[metric], errors="coerce").astype(float).reset_index(drop=True)
    return pd.DataFrame({"rolling_median": y.rolling(window, min_periods=1).median()})


def tone_over_time(entries: pd.DataFrame, *, series: pd.DataFrame | None = None, window: int = 5) -> Figure:
    """Tone and confidence per interview, a rolling median with its band, and outcome markers.

    Beyond ``MAX_POINTS`` interviews it draws the median of each run of consecutive interviews
    (about ``BINS`` runs) with the middle half of their values as a band.

    Args:
        entries: ``Analysis.entries`` (date order).
        series: optional ``Analysis.series()`` (long format: metric, rolling_median, low, high);
            without it, a trailing rolling median of ``window`` interviews is drawn.
        window: rolling window used when ``series`` is None.
    """
    if len(entries) > MAX_POINTS:
        return _binned_tone(entries)
    with figure(8, 4.2) as fig:
        ax = fig.add_subplot()
        ax.set_title("Tone and confidence over time")
        x, xlabel, is_date = _x_axis(entries)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("Score (−1 … +1)")
        if entries.empty:
            _empty(ax, "No interviews yet")
            return fig
        for col, colour, marker, label in (
            ("tone", PALETTE["blue"], "o", "Tone"),
            ("confidence", PALETTE["orange"], "s", "Confidence"),
        ):
            y = pd.to_numeric(entries[col], errors="coerce").astype(float).reset_index(drop=True)
            if y.notna().sum() == 0:
                continue
            ax.scatter(x[y.notna()], y[y.notna()], color=colour, marker=marker, s=36, label=f"{label} (each interview)", zorder=3)
            if y.notna().sum() >= 2:
                r = _rolling(entries, series, col, window)
                ax.plot(x, r["rolling_median"], color=colour, linewidth=2, alpha=0.9, label=f"{label} (rolling median)")
                if {"low", "high"} <= set(r) and r["low"].notna().any():
                    ax.fill_between(x, r["low"], r["high"], color=colour, alpha=0.15, linewidth=0)
        ax.axhline(0, color=PALETTE["grey"], linewidth=0.8)
        ax.set_ylim(-1.15, 1.15)
        outcomes = entries["outcome"].astype("string").str.lower().reset_index(drop=True)
        for outcome, (colour, marker, label) in OUTCOME_STYLE.items():
            mask = (outcomes == outcome).fillna(False).to_numpy()
            if mask.any():
                ax.scatter(x[mask], np.full(mask.sum(), -1.08), color=colour, marker=marker, s=60,
                           edgecolor="black", linewidth=0.5, label=f"Outcome: {label}", zorder=4)
        if is_date:
            fig.autofmt_xdate()
        fig.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    return fig


def _binned_tone(entries: pd.DataFrame) -> Figure:
    """Tone and confidence for a long journal: median and middle half of each run of interviews."""
    size = -(-len(entries) // BINS)  # interviews per point, rounded up
    x, xlabel, is_date = _x_axis(entries)
    bins = np.arange(len(entries)) // size
    with figure(8, 4.2) as fig:
        ax = fig.add_subplot()
        ax.set_title(f"Tone and confidence over time (median of every {size} interviews)")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("Score (−1 … +1)")
        xs = x.groupby(bins).median() if not is_date else x.groupby(bins).apply(lambda d: d.iloc[len(d) // 2])
        for col, colour, marker, label in (
            ("tone", PALETTE["blue"], "o", "Tone"),
            ("confidence", PALETTE["orange"], "s", "Confidence"),
        ):
            y = pd.to_numeric(entries[col], errors="coerce").astype(float).reset_index(drop=True).groupby(bins)
            med, low, high = y.median(), y.quantile(0.25), y.quantile(0.75)
            if med.notna().sum() == 0:
                continue
            ax.plot(xs, med, color=colour, marker=marker, markersize=3, linewidth=1.5, label=f"{label} (median)")
            ax.fill_between(xs, low, high, color=colour, alpha=0.15, linewidth=0, label=f"{label} (middle half)")
        ax.axhline(0, color=PALETTE["grey"], linewidth=0.8)
        ax.set_ylim(-1.15, 1.15)
        if is_date:
            fig.autofmt_xdate()
        fig.legend(loc="outside lower center", ncols=4, fontsize=8, frameon=False)
    return fig


def weak_spot_heatmap(matrix: pd.DataFrame) -> Figure:
    """Heatmap of weak-spot hits: one row per category, one column per interview (or period).

    Args:
        matrix: counts with category labels as the index and interview labels as columns
            (``matrix.columns.name == "period"`` when columns are weeks or months).
    """
    n_rows, n_cols = matrix.shape
    with figure(max(6.0, min(10.0, 2.5 + 0.4 * n_cols)), max(2.5, 1.4 + 0.3 * n_rows)) as fig:
        ax = fig.add_subplot()
        kind = matrix.columns.name if matrix.columns.name in ("period", "run") else "interview"
        ax.set_title({"period": "Weak spots by period", "run": "Weak spots by run of interviews"}.get(kind, "Weak spots by interview"))
        ax.set_xlabel({"period": "Period starting", "run": "Interviews (journal order)"}.get(kind, "Interview"))
        ax.set_ylabel("Weak spot")
        ax.grid(False)
        if matrix.empty:
            _empty(ax, "No weak spots found")
            return fig
        values = matrix.to_numpy(dtype=float)
        cmap = LinearSegmentedColormap.from_list("reflect", HEATMAP_COLOURS).with_extremes(bad="#ffffff")
        vmax = max(2.0, values.max())
        im = ax.imshow(np.ma.masked_equal(values, 0), aspect="auto", cmap=cmap, vmin=0.5, vmax=vmax + 0.5)
        ax.set_xticks(np.arange(n_cols + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(n_rows + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="#dddddd", linewidth=0.6)
        ax.tick_params(which="minor", length=0)
        step = -(-n_cols // MAX_LABELS)  # every column labelled up to MAX_LABELS, then every step-th
        ax.set_xticks(range(0, n_cols, step), [str(c) for c in matrix.columns[::step]], rotation=60, ha="right", fontsize=8)
        ax.set_yticks(range(n_rows), [str(i) for i in matrix.index], fontsize=9)
        for (i, j), v in np.ndenumerate(values):
            if v and n_cols <= MAX_LABELS:  # beyond that a count does not fit its cell (the table has them)
                ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=8,
                        color="black" if v < vmax * 0.4 else "white")
        cbar = fig.colorbar(im, ax=ax, shrink=0.8)
        cbar.locator = MaxNLocator(nbins=6, integer=True, min_n_ticks=1)
        cbar.update_ticks()
        cbar.set_label("Mentions (blank = none)")
    return fig


def gut_vs_outcome(entries: pd.DataFrame) -> Figure:
    """How each interview felt (reflection tone, and self-rating when recorded) against its outcome."""
    data = entries.assign(outcome=entries["outcome"].astype("string").str.lower())
    data = data[data["outcome"].notna()]
    panels = [("tone", "Tone of the reflection (−1 … +1)", (-1.05, 1.05))]
    if "self_rating" in data and data["self_rating"].notna().any():
        panels.append(("self_rating", "Your self-rating (1 … 5)", (0.5, 5.5)))
    with figure(8 if len(panels) == 2 else 7, 3.4) as fig:
        axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
        fig.suptitle("Gut feeling vs outcome", fontweight="bold")
        order = [o for o in OUTCOME_STYLE if o in set(data["outcome"])]
        order += sorted(set(data["outcome"]) - set(order))
        for ax, (col, xlabel, xlim) in zip(axes, panels):
            ax.set_xlabel(xlabel)
            values = pd.to_numeric(data[col], errors="coerce").astype(float)
            if values.notna().sum() == 0:
                _empty(ax, "No outcomes recorded yet")
                continue
            if values.notna().sum() > MAX_POINTS:  # too many to show one by one: a box per outcome
                groups = [values[(data["outcome"] == o).to_numpy()].dropna().to_numpy() for o in order]
                ax.boxplot(groups, positions=range(len(order)), widths=0.5, showfliers=False,
                           medianprops={"color": "black"}, **_HORIZONTAL)
                ax.set_xlim(*xlim)
                continue
            for i, outcome in enumerate(order):
                colour, marker, _ = OUTCOME_STYLE.get(outcome, (PALETTE["grey"], "o", outcome))
                xs = values[(data["outcome"] == outcome).to_numpy()].dropna().to_numpy()
                jitter = (np.arange(len(xs)) % 3 - 1) * 0.1  # deterministic, keeps equal values apart
                ax.scatter(xs, np.full(len(xs), i) + jitter, color=colour, marker=marker, s=60, edgecolor="black", linewidth=0.5)
            ax.set_xlim(*xlim)
            if col == "tone":
                ax.axvline(0, color=PALETTE["grey"], linewidth=0.8)
        axes[0].set_ylabel("Outcome")
        axes[0].set_yticks(range(len(order)), order)
        axes[0].set_ylim(-0.6, len(order) - 0.4)
    return fig


# boxplot's ``vert`` became ``orientation`` in matplotlib 3.10
_HORIZONTAL = {"orientation": "horizontal"} if tuple(map(int, matplotlib.__version__.split(".")[:2])) >= (3, 10) else {"vert": False}


def cadence(entries: pd.DataFrame) -> Figure:
    """Interviews per week (per month over more than two years), so gaps and bursts are visible."""
    dates = pd.to_datetime(entries["date"], errors="coerce").dropna() if "date" in entries else pd.Series(dtype="datetime64[ns]")
    monthly = not dates.empty and (dates.max() - dates.min()).days > 2 * 365
    unit = "month" if monthly else "week"
    with figure(7, 3.0) as fig:
        ax = fig.add_subplot()
        ax.set_title(f"Interviews per {unit}")
        ax.set_xlabel(f"{unit.capitalize()} starting")
        ax.set_ylabel("Interviews")
        if dates.empty:
            _empty(ax, "No dated interviews")
            return fig
        starts = dates.dt.to_period("M" if monthly else "W-SUN").dt.start_time
        full = pd.date_range(starts.min(), starts.max(), freq="MS" if monthly else "7D")
        counts = starts.value_counts().reindex(full, fill_value=0)
        ax.bar(counts.index, counts.to_numpy(), width=25 if monthly else 5, color=PALETTE["blue"], align="edge")
        ax.yaxis.get_major_locator().set_params(integer=True)
        fig.autofmt_xdate()
    return fig


_SVG_HEAD = re.compile(r"^.*?(?=<svg)", re.S)
_SVG_META = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_SVG_SIZE = re.compile(r'(<svg[^>]*?)\s(width|height)="[^"]*"')


def to_svg(fig: Figure) -> str:
    """The figure as an inline ``<svg>`` element that scales to its container."""
    buf = io.StringIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = _SVG_META.sub("", _SVG_HEAD.sub("", buf.getvalue(), count=1), count=1)
    for _ in range(2):  # the viewBox keeps the aspect ratio; CSS sets the width
        svg = _SVG_SIZE.sub(r"\1", svg, count=1)
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def to_png(fig: Figure, *, dpi: int = 150) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
