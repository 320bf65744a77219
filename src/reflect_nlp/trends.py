"""Progress across interviews, as pure pandas: no spaCy, no I/O.

Every function takes the frames of ``tables.py`` and returns a new DataFrame whose columns are
listed in its docstring (and in the ``*_COLUMNS`` schema next to it).

Rules shared by all functions:

* **Order.** Entries are ordered by ``date``; entries on the same date keep their input order
  (``tables.build_tables`` orders them by ``entry_id``). Undated entries come after the dated
  ones, in input order, so they still count in per-interview tables (``series``, ``lifecycle``,
  ``follow_through``, ``gut_feeling``); tables that need a date (``periods``, ``gaps``,
  ``cadence``, ``thank_you``) leave them out (``cadence`` counts them as ``undated``).
* **Cohorts.** ``by`` names a column of ``entries`` (``"author"``, ``"company"``, ``"stage"``)
  or a list of them. Each group is then its own sequence of interviews (interview numbers,
  "later entries" and statuses are computed within the group) and the group values lead each
  row. Missing group values form their own group, sorted last. Without ``by``, all entries are
  one sequence: for a cohort of several people pass ``by="author"``.
* **Small numbers.** Every rate comes with its ``n``. Trends are only called rising or falling
  with at least ``min_entries`` entries, otherwise ``"not enough entries yet"``. No p-values.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from .records import OUTCOMES
from .tables import THEME_COLUMNS, frame

METRICS = ("tone", "confidence", "rumination", "reflection_depth", "n_weak_spots")
NOT_ENOUGH = "not enough entries yet"
NOT_RECORDED = "not recorded"
FELT_BAD_OFFER = "felt bad, got an offer"
FELT_GOOD_REJECTED = "felt good, got rejected"
WEEK_OR_MONTH_DAYS = 120  # spans up to this many days are shown per week, longer per month

By = str | Sequence[str] | None


# ---------------------------------------------------------------- helpers


def _keys(by: By) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _schema(keys: list[str], columns: dict[str, str]) -> dict[str, str]:
    return {**{k: "string" for k in keys}, **columns}


def _groups(df: pd.DataFrame, keys: list[str]) -> Iterator[tuple[dict[str, Any], pd.DataFrame]]:
    """Yield ({key: value}, sub-frame) per group; one group (the whole frame) without keys."""
    if not keys:
        yield {}, df
        return
    for values, g in df.groupby(keys, sort=True, dropna=False):
        values = values if isinstance(values, tuple) else (values,)
        yield {k: (None if pd.isna(v) else v) for k, v in zip(keys, values)}, g


def _group_ids(ordered: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Group number of each row of an ``order``-ed frame (0 for all without keys), in ``_groups`` order."""
    if not keys:
        return np.zeros(len(ordered), dtype=int)
    return ordered.groupby(keys, sort=True, dropna=False).ngroup().to_numpy()


def _floats(s: pd.Series) -> np.ndarray:
    return pd.to_numeric(s).astype("Float64").to_numpy(dtype="float64", na_value=np.nan)


def _median(s: pd.Series) -> Any:
    s = pd.Series(_floats(s)).dropna()
    return s.median() if len(s) else None


def order(entries: pd.DataFrame, *, by: By = None) -> pd.DataFrame:
    """Entries in interview order with an ``interview`` number (1..n within each group).

    Dated entries first by date (ties keep their input order), then undated ones in input order.
    """
    keys = _keys(by)
    out = entries.sort_values(keys + ["date"], na_position="last", kind="stable")
    out = out.reset_index(drop=True)
    counter = out.groupby(keys, sort=False, dropna=False).cumcount() if keys else pd.Series(range(len(out)))
    return out.assign(interview=(counter + 1).astype("Int64"))


def choose_freq(dates: pd.Series) -> str:
    """``"week"`` when the dated entries span at most 120 days, else ``"month"``."""
    dates = pd.to_datetime(dates).dropna()
    if dates.empty or (dates.max() - dates.min()).days <= WEEK_OR_MONTH_DAYS:
        return "week"
    return "month"


def _period_starts(dates: pd.Series, freq: str) -> pd.Series:
    code = {"week": "W-SUN", "month": "M"}[freq]  # W-SUN periods start on Monday
    return pd.to_datetime(dates).dt.to_period(code).dt.start_time


def _period_range(starts: pd.Series, freq: str) -> pd.DatetimeIndex:
    if starts.empty:
        return pd.DatetimeIndex([])
    code = {"week": "W-MON", "month": "MS"}[freq]
    return pd.date_range(starts.min(), starts.max(), freq=code)


# ---------------------------------------------------------------- series

SERIES_COLUMNS = {
    "interview": "Int64",
    "entry_id": "string",
    "date": "datetime64[ns]",
    "metric": "string",
    "value": "Float64",
    "rolling_median": "Float64",
    "low": "Float64",
    "high": "Float64",
    "n": "Int64",
}


def series(
    entries: pd.DataFrame, *, by: By = None, window: int = 5, metrics: Iterable[str] = METRICS
) -> pd.DataFrame:
    """Each metric per interview, with a trailing rolling median and a band around it.

    Returns one row per entry x metric, in interview order, metric by metric:
    ``[*by, interview, entry_id, date, metric, value, rolling_median, low, high, n]``.
    ``rolling_median`` is the median of the non-missing values among the last ``window``
    interviews (this one included), ``n`` how many values that was. ``low``/``high`` are
    ``rolling_median ± sd/√n`` with ``sd`` the metric's standard deviation over the whole
    sequence: the band is widest where few values back the median; NA with < 2 values in all.

    Example:
        >>> series(analysis.entries, by="author")  # doctest: +SKIP
    """
    keys = _keys(by)
    o = order(entries, by=by)
    gid = _group_ids(o, keys)
    parts = []
    for m, metric in enumerate(metrics):
        values = pd.Series(_floats(o[metric]))
        rolling = values.groupby(gid).rolling(window, min_periods=1)
        med = rolling.median().reset_index(level=0, drop=True).sort_index()
        n = values.notna().astype(float).groupby(gid).rolling(window, min_periods=1).sum().reset_index(level=0, drop=True).sort_index()
        sd = values.groupby(gid).transform("std")  # ddof=1, over the group's whole sequence
        half = sd / np.sqrt(n.where(n > 0))
        parts.append(pd.DataFrame({
            **{k: o[k] for k in keys}, "group_": gid, "metric_": m,
            "interview": o["interview"], "entry_id": o["entry_id"], "date": o["date"], "metric": metric,
            "value": values, "rolling_median": med, "low": med - half, "high": med + half, "n": n.astype(int),
        }))
    if not parts:
        return frame([], _schema(keys, SERIES_COLUMNS))
    out = pd.concat(parts, ignore_index=True).sort_values(["group_", "metric_"], kind="stable")
    return frame(out.drop(columns=["group_", "metric_"]), _schema(keys, SERIES_COLUMNS))


PERIOD_COLUMNS = {
    "period": "datetime64[ns]",
    "freq": "string",
    "metric": "string",
    "entries": "Int64",
    "n": "Int64",
    "median": "Float64",
    "low": "Float64",
    "high": "Float64",
}


def periods(
    entries: pd.DataFrame, *, by: By = None, freq: str | None = None, metrics: Iterable[str] = METRICS
) -> pd.DataFrame:
    """Each metric per week or month (dated entries only).

    ``freq`` is ``"week"`` (periods start on Monday) or ``"month"``; by default chosen from the
    span of all dated entries (``choose_freq``), the same for every group. Returns one row per
    period x metric, every period from a group's first to its last included (``entries`` 0 for
    a period without interviews): ``[*by, period, freq, metric, entries, n, median, low, high]``
    where ``n`` counts the non-missing values and ``low``/``high`` are ``median ± sd/√n`` with
    ``sd`` the metric's standard deviation over the group's dated entries.
    """
    keys = _keys(by)
    dated = entries[entries["date"].notna()]
    freq = freq or choose_freq(dated["date"])
    parts = []
    for group, g in _groups(dated, keys):
        starts = _period_starts(g["date"], freq).to_numpy()
        full = _period_range(pd.Series(starts), freq)
        for metric in metrics:
            values = pd.Series(_floats(g[metric]))
            per = values.groupby(starts)
            n = per.count().reindex(full, fill_value=0)
            median = per.median().reindex(full)
            half = values.std(ddof=1) / np.sqrt(n.where(n > 0))
            parts.append(pd.DataFrame({
                **group, "period": full, "freq": freq, "metric": metric,
                "entries": per.size().reindex(full, fill_value=0).to_numpy(), "n": n.to_numpy(),
                "median": median.to_numpy(), "low": (median - half).to_numpy(), "high": (median + half).to_numpy(),
            }))
    return frame(pd.concat(parts, ignore_index=True) if parts else [], _schema(keys, PERIOD_COLUMNS))


# ---------------------------------------------------------------- weak-spot lifecycle

LIFECYCLE_COLUMNS = {
    "kind": "string",
    "name": "string",
    "first_seen": "datetime64[ns]",
    "last_seen": "datetime64[ns]",
    "first_interview": "Int64",
    "last_interview": "Int64",
    "entries": "Int64",
    "n": "Int64",
    "share": "Float64",
    "since_last": "Int64",
    "share_first_half": "Float64",
    "share_second_half": "Float64",
    "trend": "string",
    "status": "string",
}


def _presence(weak_spots_by_entry: pd.DataFrame, themes: pd.DataFrame | None) -> pd.DataFrame:
    """(kind, name, entry_id) rows: which category / theme each entry has."""
    parts = [
        pd.DataFrame(
            {"kind": "category", "name": weak_spots_by_entry["category"], "entry_id": weak_spots_by_entry["entry_id"]}
        )
    ]
    if themes is not None and not themes.empty:
        ids = themes.assign(entry_id=themes["entry_ids"].fillna("").str.split(";")).explode("entry_id")
        ids = ids[ids["entry_id"] != ""]
        parts.append(pd.DataFrame({"kind": "theme", "name": ids["theme"], "entry_id": ids["entry_id"]}))
    out = pd.concat(parts, ignore_index=True).astype("object")
    return out.dropna().drop_duplicates()


def _trend(first: int, second: int, half: int, n: int, min_entries: int, threshold: float) -> str:
    if n < min_entries or half == 0:
        return NOT_ENOUGH
    change = (second - first) / half
    # tolerance so that e.g. 3/5 - 2/5 counts as the 0.2 it is
    if change >= threshold - 1e-9:
        return "rising"
    if change <= -threshold + 1e-9:
        return "falling"
    return "steady"


def _status(seen: list[int], n: int, recent: int) -> str:
    cut = n - recent  # interviews after `cut` are "the last `recent` ones"
    if seen[0] > cut:
        return "new"
    if len(seen) == 1:
        return "one-off"
    if n - seen[-1] >= recent:
        return "resolved"
    recent_share = sum(i > cut for i in seen) / recent
    earlier_share = sum(i <= cut for i in seen) / cut
    return "fading" if recent_share < earlier_share else "recurring"


def lifecycle(
    entries: pd.DataFrame,
    weak_spots_by_entry: pd.DataFrame,
    themes: pd.DataFrame | None = None,
    *,
    by: By = None,
    resolved_after: int = 3,
    min_entries: int = 5,
    trend_threshold: float = 0.2,
) -> pd.DataFrame:
    """One row per weak-spot category (and per emergent theme) that appeared: its life so far.

    Columns: ``[*by, kind ("category" | "theme"), name, first_seen, last_seen, first_interview,
    last_interview, entries (with it), n (entries in the sequence), share (entries / n),
    since_last (interviews after the last one with it), share_first_half, share_second_half,
    trend, status]``.

    ``trend`` compares the share in the first ``n // 2`` interviews with the share in the last
    ``n // 2`` (the middle one of an odd n is left out): ``rising`` / ``falling`` when it moved
    by at least ``trend_threshold``, else ``steady``; ``"not enough entries yet"`` when
    ``n < min_entries``. ``status``, with N = ``resolved_after``, first rule that applies:

    * ``new``: first seen within the last N interviews;
    * ``one-off``: seen in one entry only;
    * ``resolved``: seen at least twice, then absent for the last N interviews;
    * ``fading``: seen less often in the last N interviews than before them;
    * ``recurring``: otherwise.

    Rows are sorted by group, kind, entries (most first) and name.
    """
    keys = _keys(by)
    presence = _presence(weak_spots_by_entry, themes)
    rows = []
    for group, g in _groups(order(entries, by=by), keys):
        n = len(g)
        number = dict(zip(g["entry_id"], g["interview"]))
        date = dict(zip(g["entry_id"], g["date"]))
        half = n // 2
        mine = presence[presence["entry_id"].isin(number)]
        for (kind, name), p in mine.groupby(["kind", "name"], sort=True):
            ids = sorted(p["entry_id"], key=number.get)
            seen = [int(number[e]) for e in ids]
            first_half = sum(i <= half for i in seen)
            second_half = sum(i > n - half for i in seen)
            rows.append(
                {
                    **group,
                    "kind": kind,
                    "name": name,
                    "first_seen": date[ids[0]],
                    "last_seen": date[ids[-1]],
                    "first_interview": seen[0],
                    "last_interview": seen[-1],
                    "entries": len(seen),
                    "n": n,
                    "share": len(seen) / n,
                    "since_last": n - seen[-1],
                    "share_first_half": first_half / half if half else None,
                    "share_second_half": second_half / half if half else None,
                    "trend": _trend(first_half, second_half, half, n, min_entries, trend_threshold),
                    "status": _status(seen, n, resolved_after),
                }
            )
    out = frame(rows, _schema(keys, LIFECYCLE_COLUMNS))
    out = out.sort_values(
        keys + ["kind", "entries", "name"], ascending=[True] * len(keys) + [True, False, True],
        na_position="last", kind="stable",
    )
    return out.reset_index(drop=True)


# ---------------------------------------------------------------- lessons followed through

FOLLOW_THROUGH_COLUMNS = {
    "entry_id": "string",
    "interview": "Int64",
    "date": "datetime64[ns]",
    "sent_idx": "Int64",
    "text": "string",
    "category": "string",
    "later_entries": "Int64",
    "recurrences": "Int64",
    "first_recurrence_after": "Int64",
    "followed_through": "boolean",
}


def follow_through(
    entries: pd.DataFrame, actions: pd.DataFrame, weak_spots_by_entry: pd.DataFrame, *, by: By = None
) -> pd.DataFrame:
    """One row per action item: did the weak spot it addresses come up again later?

    Columns: ``[*by, entry_id, interview, date, sent_idx, text, category, later_entries,
    recurrences, first_recurrence_after, followed_through]``. ``later_entries`` counts the
    interviews after the action's entry; ``recurrences`` how many of them have the action's
    category; ``first_recurrence_after`` how many interviews later it first came back (NA if
    never). ``followed_through`` is True when it never came back, False when it did, NA when
    the action has no category or nothing has been written since ("too soon to tell").
    Actions of entries not in ``entries`` are ignored. Rows in interview order, then sent_idx.
    """
    keys = _keys(by)
    o = order(entries, by=by)
    gid = _group_ids(o, keys)
    pos = o.groupby(gid, sort=False).cumcount().to_numpy()  # 0-based position within the group
    size = o.groupby(gid, sort=False)["entry_id"].transform("size").to_numpy()
    where = pd.DataFrame({"entry_id": o["entry_id"].to_numpy(), "group_": gid, "pos_": pos, "size_": size, "row_": np.arange(len(o))})
    mine = actions.merge(where, on="entry_id", how="inner").sort_values(["group_", "pos_", "sent_idx"], kind="stable")
    # positions at which each (group, category) came up, sorted: one searchsorted per action
    seen = weak_spots_by_entry[["entry_id", "category"]].drop_duplicates().merge(where[["entry_id", "group_", "pos_"]], on="entry_id", how="inner")
    at = {k: np.sort(v.to_numpy()) for k, v in seen.groupby(["group_", "category"], sort=False)["pos_"]}
    empty = np.array([], dtype=int)
    later = mine["size_"].to_numpy() - mine["pos_"].to_numpy() - 1
    recurrences, first_after = [], []
    for g, p, c in zip(mine["group_"], mine["pos_"], mine["category"]):
        if pd.isna(c):
            recurrences.append(None)
            first_after.append(None)
            continue
        hits = at.get((g, c), empty)
        i = np.searchsorted(hits, p, side="right")
        recurrences.append(len(hits) - i)
        first_after.append(int(hits[i] - p) if i < len(hits) else None)
    has_cat = mine["category"].notna().to_numpy()
    decided = has_cat & (later > 0)
    back = np.array([r is not None and r > 0 for r in recurrences], dtype=bool)
    rows_ = mine["row_"].to_numpy()
    rows = pd.DataFrame({
        "entry_id": mine["entry_id"].to_numpy(),
        "interview": mine["pos_"].to_numpy() + 1,
        "date": o["date"].to_numpy()[rows_],
        "sent_idx": mine["sent_idx"].to_numpy(),
        "text": mine["text"].to_numpy(),
        "category": mine["category"].to_numpy(),
        "later_entries": later,
        "recurrences": pd.array(recurrences, dtype="Int64"),
        "first_recurrence_after": pd.array(first_after, dtype="Int64"),
        "followed_through": pd.array([(not b) if d else None for b, d in zip(back, decided)], dtype="boolean"),
    })
    for k in reversed(keys):
        rows.insert(0, k, o[k].to_numpy()[rows_])
    return frame(rows, _schema(keys, FOLLOW_THROUGH_COLUMNS))


FOLLOW_THROUGH_RATE_COLUMNS = {"actions": "Int64", "n": "Int64", "followed_through": "Int64", "rate": "Float64"}


def follow_through_rate(follow: pd.DataFrame, *, by: By = None) -> pd.DataFrame:
    """Share of action items followed through, from a ``follow_through`` frame.

    Columns: ``[*by, actions, n, followed_through, rate]``: ``n`` is the actions that can be
    judged (with a category and a later entry), ``rate`` = followed_through / n (NA when n is 0).
    Without ``by`` there is always exactly one row.
    """
    keys = _keys(by)
    rows = []
    for group, g in _groups(follow, keys):
        judged = g["followed_through"].dropna()
        n, done = len(judged), int(judged.sum())
        rows.append({**group, "actions": len(g), "n": n, "followed_through": done, "rate": done / n if n else None})
    return frame(rows, _schema(keys, FOLLOW_THROUGH_RATE_COLUMNS))


# ---------------------------------------------------------------- gut feeling vs outcome

GUT_FEELING_COLUMNS = {
    "entry_id": "string",
    "interview": "Int64",
    "date": "datetime64[ns]",
    "outcome": "string",
    "self_rating": "Int64",
    "tone": "Float64",
    "confidence": "Float64",
    "felt": "string",
    "felt_from": "string",
    "surprise": "string",
}


def gut_feeling(
    entries: pd.DataFrame,
    *,
    by: By = None,
    bad_rating: int = 2,
    good_rating: int = 4,
    bad_tone: float = -0.1,
    good_tone: float = 0.1,
) -> pd.DataFrame:
    """How each interview felt, next to how it turned out.

    ``felt`` comes from ``self_rating`` when given (``<= bad_rating`` bad, ``>= good_rating``
    good, else neutral; ratings are 1..5), else from ``tone`` (``<= bad_tone`` bad,
    ``>= good_tone`` good, else neutral), else NA; ``felt_from`` says which. ``surprise`` is
    ``"felt bad, got an offer"`` or ``"felt good, got rejected"`` (else NA).
    Columns: ``[*by, entry_id, interview, date, outcome, self_rating, tone, confidence, felt,
    felt_from, surprise]`` in interview order.
    """
    keys = _keys(by)
    o = order(entries, by=by)
    rating, tone = _floats(o["self_rating"]), _floats(o["tone"])
    has_rating, has_tone = ~np.isnan(rating), ~np.isnan(tone)
    by_rating = np.where(rating <= bad_rating, "bad", np.where(rating >= good_rating, "good", "neutral"))
    by_tone = np.where(tone <= bad_tone, "bad", np.where(tone >= good_tone, "good", "neutral"))
    felt = pd.Series(np.where(has_rating, by_rating, np.where(has_tone, by_tone, None)), dtype="string")
    source = pd.Series(np.where(has_rating, "self_rating", np.where(has_tone, "tone", None)), dtype="string")
    outcome = o["outcome"].astype("string")
    felt_bad_offer = ((felt == "bad") & (outcome == "offer")).fillna(False).to_numpy(dtype=bool)
    felt_good_rejected = ((felt == "good") & (outcome == "rejected")).fillna(False).to_numpy(dtype=bool)
    surprise = np.where(felt_bad_offer, FELT_BAD_OFFER, np.where(felt_good_rejected, FELT_GOOD_REJECTED, None))
    out = o[[*keys, "entry_id", "interview", "date", "self_rating", "tone", "confidence"]].assign(
        outcome=outcome, felt=felt, felt_from=source, surprise=pd.Series(surprise, dtype="string"))
    return frame(out, _schema(keys, GUT_FEELING_COLUMNS))


CALIBRATION_COLUMNS = {
    "outcome": "string",
    "n": "Int64",
    "self_rating_median": "Float64",
    "tone_median": "Float64",
    "confidence_median": "Float64",
    "felt_bad": "Int64",
    "felt_neutral": "Int64",
    "felt_good": "Int64",
}


def calibration(entries: pd.DataFrame, *, by: By = None, **thresholds: Any) -> pd.DataFrame:
    """Self-rating, tone and confidence per recorded outcome.

    One row per outcome present (``offer``, ``rejected``, ``pending``, ``withdrawn``,
    ``no response``, then any other value, then ``"not recorded"`` for entries without one):
    ``[*by, outcome, n, self_rating_median, tone_median, confidence_median, felt_bad,
    felt_neutral, felt_good]``. Medians skip missing values; the felt counts use
    ``gut_feeling`` (same ``thresholds`` keywords).
    """
    keys = _keys(by)
    gut = gut_feeling(entries, by=by, **thresholds)
    gut["outcome"] = gut["outcome"].fillna(NOT_RECORDED)
    rank = {o: i for i, o in enumerate(OUTCOMES)}
    rows = []
    for group, g in _groups(gut, keys):
        found = sorted(g["outcome"].unique(), key=lambda o: (o == NOT_RECORDED, rank.get(o, len(rank)), o))
        for outcome in found:
            o = g[g["outcome"] == outcome]
            felt = o["felt"].value_counts()
            rows.append(
                {**group, "outcome": outcome, "n": len(o),
                 **{f"{c}_median": _median(o[c]) for c in ("self_rating", "tone", "confidence")},
                 **{f"felt_{f}": int(felt.get(f, 0)) for f in ("bad", "neutral", "good")}}
            )
    return frame(rows, _schema(keys, CALIBRATION_COLUMNS))


SURPRISES_COLUMNS = {
    "offers": "Int64",
    "felt_bad_got_offer": "Int64",
    "rejections": "Int64",
    "felt_good_got_rejected": "Int64",
}


def surprises(entries: pd.DataFrame, *, by: By = None, **thresholds: Any) -> pd.DataFrame:
    """Counts behind "you cannot read the interviewer's mind".

    Columns: ``[*by, offers, felt_bad_got_offer, rejections, felt_good_got_rejected]`` where
    ``offers`` / ``rejections`` count only entries whose feeling is known (the n of each
    count). Feelings as in ``gut_feeling`` (same ``thresholds``). Without ``by``: one row.
    """
    keys = _keys(by)
    gut = gut_feeling(entries, by=by, **thresholds)
    rows = []
    for group, g in _groups(gut, keys):
        g = g[g["felt"].notna()]
        rows.append(
            {**group, "offers": int((g["outcome"] == "offer").sum()),
             "felt_bad_got_offer": int((g["surprise"] == FELT_BAD_OFFER).sum()),
             "rejections": int((g["outcome"] == "rejected").sum()),
             "felt_good_got_rejected": int((g["surprise"] == FELT_GOOD_REJECTED).sum())}
        )
    return frame(rows, _schema(keys, SURPRISES_COLUMNS))


# ---------------------------------------------------------------- cadence

GAPS_COLUMNS = {
    "entry_id": "string",
    "interview": "Int64",
    "date": "datetime64[ns]",
    "gap_days": "Int64",
    "felt": "string",
    "opportunities_mentioned": "boolean",
    "lined_up": "boolean",
}


def gaps(entries: pd.DataFrame, *, by: By = None, lined_up_days: int = 14, **thresholds: Any) -> pd.DataFrame:
    """Dated interviews with the days since the previous one, and whether more were lined up.

    Columns: ``[*by, entry_id, interview, date, gap_days, felt, opportunities_mentioned,
    lined_up]``. ``interview`` numbers dated entries only. ``gap_days`` is NA for the first.
    ``lined_up`` is True when the entry mentions other opportunities or the next interview is
    at most ``lined_up_days`` days later. ``felt`` as in ``gut_feeling`` (same ``thresholds``).
    """
    keys = _keys(by)
    dated = entries[entries["date"].notna()]
    o = order(dated, by=by)
    felt = gut_feeling(dated, by=by, **thresholds)["felt"]  # the same rows in the same order
    days = o["date"].groupby(_group_ids(o, keys)).diff().dt.days
    to_next = days.groupby(_group_ids(o, keys)).shift(-1)
    mentioned = o["opportunities_mentioned"].astype("boolean")
    out = o[[*keys, "entry_id", "interview", "date"]].assign(
        gap_days=days, felt=felt.to_numpy(), opportunities_mentioned=mentioned,
        lined_up=mentioned.fillna(False).to_numpy(dtype=bool) | (to_next <= lined_up_days).to_numpy(dtype=bool))
    return frame(out, _schema(keys, GAPS_COLUMNS))


CADENCE_COLUMNS = {
    "interviews": "Int64",
    "undated": "Int64",
    "first": "datetime64[ns]",
    "last": "datetime64[ns]",
    "weeks": "Float64",
    "per_week": "Float64",
    "median_gap_days": "Float64",
    "longest_gap_days": "Int64",
    "longest_gap_from": "datetime64[ns]",
    "longest_gap_to": "datetime64[ns]",
    "bad_interviews": "Int64",
    "bad_lined_up": "Int64",
    "bad_mentioned_opportunities": "Int64",
}


def cadence(entries: pd.DataFrame, *, by: By = None, lined_up_days: int = 14, **thresholds: Any) -> pd.DataFrame:
    """How often interviews happen, the longest pause, and what followed a bad one.

    Columns: ``[*by, interviews (dated), undated, first, last, weeks, per_week,
    median_gap_days, longest_gap_days, longest_gap_from, longest_gap_to, bad_interviews,
    bad_lined_up, bad_mentioned_opportunities]``. ``weeks`` = days from first to last / 7 + 1 (one interview spans one
    week); ``per_week`` = interviews / weeks. The longest gap is the first one of maximal
    length. ``bad_lined_up`` counts the interviews that felt bad and were ``lined_up`` (see
    ``gaps``), out of ``bad_interviews``; ``bad_mentioned_opportunities`` only those whose text
    mentions other opportunities (a weekly interviewer is always "lined up" by the date rule).
    Without ``by``: always one row.
    """
    keys = _keys(by)
    rows = []
    for group, e in _groups(entries, keys):
        g = gaps(e, lined_up_days=lined_up_days, **thresholds)
        row: dict[str, Any] = {**group, "interviews": len(g), "undated": int(e["date"].isna().sum())}
        if len(g):
            first, last = g["date"].min(), g["date"].max()
            weeks = (last - first).days / 7 + 1
            row.update(first=first, last=last, weeks=weeks, per_week=len(g) / weeks)
        if len(g) > 1:
            gap = g["gap_days"].astype("Float64")
            i = int(np.argmax(gap.fillna(-1).to_numpy()))
            row.update(
                median_gap_days=gap.median(), longest_gap_days=int(gap.iloc[i]),
                longest_gap_from=g["date"].iloc[i - 1], longest_gap_to=g["date"].iloc[i],
            )
        bad = g[g["felt"] == "bad"]
        row.update(
            bad_interviews=len(bad), bad_lined_up=int(bad["lined_up"].sum()),
            bad_mentioned_opportunities=int(bad["opportunities_mentioned"].fillna(False).sum()),
        )
        rows.append(row)
    return frame(rows, _schema(keys, CADENCE_COLUMNS))


# ---------------------------------------------------------------- thank-you notes

THANK_YOU_COLUMNS = {
    "period": "datetime64[ns]",
    "freq": "string",
    "interviews": "Int64",
    "n": "Int64",
    "sent": "Int64",
    "rate": "Float64",
}


def thank_you(entries: pd.DataFrame, *, by: By = None, freq: str | None = None) -> pd.DataFrame:
    """Thank-you note rate per week or month (dated entries only).

    An entry counts as sent when its front matter says so (``thank_you_sent``); without that
    field, when its text mentions sending one (``thank_you_mentioned``): an entry that neither
    records nor mentions a note counts as not sent. ``n`` is the entries where either signal is
    known, ``rate`` = sent / n (NA when n is 0). Every period from a group's first to its last is
    listed. Columns: ``[*by, period, freq, interviews, n, sent, rate]``; ``freq`` as in
    ``periods``.
    """
    keys = _keys(by)
    dated = entries[entries["date"].notna()]
    freq = freq or choose_freq(dated["date"])
    parts = []
    for group, g in _groups(dated, keys):
        sent = g["thank_you_sent"].astype("boolean").fillna(g["thank_you_mentioned"].astype("boolean"))
        starts = _period_starts(g["date"], freq).to_numpy()
        full = _period_range(pd.Series(starts), freq)
        per = sent.reset_index(drop=True).astype("Float64").groupby(starts)
        n = per.count().reindex(full, fill_value=0)
        yes = per.sum().reindex(full, fill_value=0).astype(int)
        parts.append(pd.DataFrame({
            **group, "period": full, "freq": freq, "interviews": per.size().reindex(full, fill_value=0).to_numpy(),
            "n": n.to_numpy(), "sent": yes.to_numpy(), "rate": (yes / n.where(n > 0)).to_numpy(),
        }))
    return frame(pd.concat(parts, ignore_index=True) if parts else [], _schema(keys, THANK_YOU_COLUMNS))


MAX_THEME_EXAMPLES = 3


def find_themes(phrases_df: pd.DataFrame, *, min_entries: int = 2) -> pd.DataFrame:
    """Phrases that recur in at least ``min_entries`` entries, most widespread first
    (multi-word phrases before single words on a tie).

    ``score`` is the share of entries (among those with difficulty phrases) that mention the theme.

    Example:
        >>> find_themes(analysis.phrases)  # doctest: +SKIP
    """
    if phrases_df.empty:
        return frame([], THEME_COLUMNS)
    n_total = phrases_df["entry_id"].nunique()
    # plain lists, one pass: a groupby with per-group pandas calls was most of an unchanged re-run
    by_lemma: dict[str, list[tuple[str, str]]] = {}
    for lemma, entry, sentence in zip(phrases_df["lemma"].tolist(), phrases_df["entry_id"].astype(str).tolist(),
                                      phrases_df["sentence"].tolist()):
        by_lemma.setdefault(str(lemma), []).append((entry, sentence))
    groups = []
    for key, g in by_lemma.items():
        ids = sorted({e for e, _ in g})
        if len(ids) >= min_entries:
            groups.append((key, ids, g))
    # "design" recurring only inside "system design" adds nothing: keep the longer phrase.
    longer = [(k, set(ids)) for k, ids, _ in groups if " " in k]
    rows = []
    for key, ids, g in groups:
        if " " not in key and any(key in k.split() and set(ids) == s for k, s in longer):
            continue
        firsts: dict[str, str] = {}
        for entry, sentence in g:
            firsts.setdefault(entry, sentence)  # each entry's first sentence, in order
        first = list(firsts.values())
        rest = [s for _, s in g if s not in first]
        examples = list(dict.fromkeys(first + rest))[:MAX_THEME_EXAMPLES]
        rows.append({
            "theme": key,
            "entries": len(ids),
            "mentions": len(g),
            "score": round(len(ids) / n_total, 3),
            "examples": " | ".join(examples),
            "entry_ids": ";".join(ids),
        })
    # phrases of two or more words say more than a single noun: they come first on a tie
    rows.sort(key=lambda r: (-r["entries"], " " not in r["theme"], -r["mentions"], r["theme"]))
    return frame(rows, THEME_COLUMNS)
