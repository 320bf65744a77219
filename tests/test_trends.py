"""trends.py on small hand-built frames, with exact expected output."""
from __future__ import annotations

import dataclasses
import math
import statistics
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from reflect_nlp import tables, trends
from reflect_nlp.analysis import Analysis

NA = None
T = pd.Timestamp


def entries(*rows: dict) -> pd.DataFrame:
    return tables.frame(rows, tables.ENTRY_COLUMNS)


def by_entry(*pairs: tuple[str, str]) -> pd.DataFrame:
    return tables.frame([{"entry_id": e, "category": c} for e, c in pairs], tables.BY_ENTRY_COLUMNS)


def expected(rows: list[dict], schema: dict[str, str], by: tuple[str, ...] = ()) -> pd.DataFrame:
    return tables.frame(rows, {**{k: "string" for k in by}, **schema})


EMPTY = entries()


# ---------------------------------------------------------------- order


def test_order_by_date_ties_keep_input_order_undated_last():
    e = entries(
        {"entry_id": "u", "date": NA},
        {"entry_id": "c", "date": "2024-01-03"},
        {"entry_id": "a", "date": "2024-01-01"},
        {"entry_id": "b", "date": "2024-01-03"},
    )
    out = trends.order(e)
    assert list(out["entry_id"]) == ["a", "c", "b", "u"]
    assert list(out["interview"]) == [1, 2, 3, 4]


def test_order_numbers_interviews_within_groups():
    e = entries(
        {"entry_id": "b1", "date": "2024-01-02", "author": "bo"},
        {"entry_id": "a1", "date": "2024-01-01", "author": "al"},
        {"entry_id": "x", "date": "2024-01-01", "author": NA},
        {"entry_id": "b2", "date": "2024-01-05", "author": "bo"},
    )
    out = trends.order(e, by="author")
    assert list(out["entry_id"]) == ["a1", "b1", "b2", "x"]
    assert list(out["interview"]) == [1, 1, 2, 1]


# ---------------------------------------------------------------- series / periods


def test_series_rolling_median_band_and_order():
    e = entries(
        {"entry_id": "e4", "date": NA, "tone": 0.5},
        {"entry_id": "e1", "date": "2024-01-01", "tone": 0.1},
        {"entry_id": "e2", "date": "2024-01-03", "tone": 0.3},
        {"entry_id": "e3", "date": "2024-01-03", "tone": NA},
    )
    sd = statistics.stdev([0.1, 0.3, 0.5])
    row = lambda i, e_, d, v, med, n: {  # noqa: E731
        "interview": i, "entry_id": e_, "date": d, "metric": "tone", "value": v,
        "rolling_median": med, "low": med - sd / math.sqrt(n), "high": med + sd / math.sqrt(n), "n": n,
    }
    want = expected(
        [
            row(1, "e1", T("2024-01-01"), 0.1, 0.1, 1),
            row(2, "e2", T("2024-01-03"), 0.3, 0.2, 2),
            row(3, "e3", T("2024-01-03"), NA, 0.3, 1),  # window of 2 holds 0.3 and a missing value
            row(4, "e4", NA, 0.5, 0.5, 1),
        ],
        trends.SERIES_COLUMNS,
    )
    assert_frame_equal(trends.series(e, window=2, metrics=["tone"]), want)


def test_series_one_entry_has_no_band_and_empty_input_gives_empty_frame():
    e = entries({"entry_id": "e1", "date": "2024-01-01", "reflection_depth": 2})
    want = expected(
        [{"interview": 1, "entry_id": "e1", "date": T("2024-01-01"), "metric": "reflection_depth",
          "value": 2.0, "rolling_median": 2.0, "low": NA, "high": NA, "n": 1}],
        trends.SERIES_COLUMNS,
    )
    assert_frame_equal(trends.series(e, metrics=["reflection_depth"]), want)
    assert_frame_equal(trends.series(EMPTY), expected([], trends.SERIES_COLUMNS))
    assert_frame_equal(trends.series(EMPTY, by="author"), expected([], trends.SERIES_COLUMNS, ("author",)))


def test_series_by_author_restarts_interview_numbers():
    e = entries(
        {"entry_id": "a1", "date": "2024-01-01", "author": "al", "n_weak_spots": 3},
        {"entry_id": "b1", "date": "2024-01-02", "author": "bo", "n_weak_spots": 1},
        {"entry_id": "a2", "date": "2024-01-03", "author": "al", "n_weak_spots": 1},
    )
    out = trends.series(e, by="author", window=2, metrics=["n_weak_spots"])
    sd = statistics.stdev([3, 1])
    want = expected(
        [
            {"author": "al", "interview": 1, "entry_id": "a1", "date": T("2024-01-01"), "metric": "n_weak_spots",
             "value": 3.0, "rolling_median": 3.0, "low": 3 - sd, "high": 3 + sd, "n": 1},
            {"author": "al", "interview": 2, "entry_id": "a2", "date": T("2024-01-03"), "metric": "n_weak_spots",
             "value": 1.0, "rolling_median": 2.0, "low": 2 - sd / math.sqrt(2), "high": 2 + sd / math.sqrt(2), "n": 2},
            {"author": "bo", "interview": 1, "entry_id": "b1", "date": T("2024-01-02"), "metric": "n_weak_spots",
             "value": 1.0, "rolling_median": 1.0, "low": NA, "high": NA, "n": 1},
        ],
        trends.SERIES_COLUMNS,
        ("author",),
    )
    assert_frame_equal(out, want)


def test_choose_freq_by_span():
    assert trends.choose_freq(pd.Series(pd.to_datetime(["2024-01-01", "2024-04-30"]))) == "week"
    assert trends.choose_freq(pd.Series(pd.to_datetime(["2024-01-01", "2024-05-01"]))) == "month"
    assert trends.choose_freq(pd.Series([], dtype="datetime64[ns]")) == "week"


def test_periods_weekly_with_empty_week_and_undated_left_out():
    e = entries(
        {"entry_id": "e1", "date": "2024-01-02", "tone": 0.2},  # Tuesday of the week of Mon 1 Jan
        {"entry_id": "e2", "date": "2024-01-04", "tone": 0.4},
        {"entry_id": "e3", "date": "2024-01-17", "tone": -0.2},
        {"entry_id": "e4", "date": NA, "tone": 0.9},
    )
    sd = statistics.stdev([0.2, 0.4, -0.2])
    want = expected(
        [
            {"period": T("2024-01-01"), "freq": "week", "metric": "tone", "entries": 2, "n": 2, "median": 0.3,
             "low": 0.3 - sd / math.sqrt(2), "high": 0.3 + sd / math.sqrt(2)},
            {"period": T("2024-01-08"), "freq": "week", "metric": "tone", "entries": 0, "n": 0, "median": NA,
             "low": NA, "high": NA},
            {"period": T("2024-01-15"), "freq": "week", "metric": "tone", "entries": 1, "n": 1, "median": -0.2,
             "low": -0.2 - sd, "high": -0.2 + sd},
        ],
        trends.PERIOD_COLUMNS,
    )
    assert_frame_equal(trends.periods(e, metrics=["tone"]), want)


def test_periods_monthly_one_entry_and_empty():
    e = entries({"entry_id": "e1", "date": "2024-03-15", "rumination": 1.5})
    want = expected(
        [{"period": T("2024-03-01"), "freq": "month", "metric": "rumination", "entries": 1, "n": 1,
          "median": 1.5, "low": NA, "high": NA}],
        trends.PERIOD_COLUMNS,
    )
    assert_frame_equal(trends.periods(e, freq="month", metrics=["rumination"]), want)
    assert_frame_equal(trends.periods(EMPTY), expected([], trends.PERIOD_COLUMNS))


# ---------------------------------------------------------------- lifecycle

SIX = entries(*({"entry_id": f"e{i}", "date": f"2024-01-0{i}"} for i in range(1, 7)))
SIX_SPOTS = by_entry(
    ("e1", "nerves"), ("e2", "nerves"), ("e3", "nerves"),  # then absent for 3 -> resolved
    ("e2", "time"), ("e5", "time"), ("e6", "time"),  # more often lately -> recurring
    ("e1", "rambling"), ("e2", "rambling"), ("e4", "rambling"),  # less often lately -> fading
    ("e2", "salary"),  # once, not lately -> one-off
    ("e5", "logistics"),  # first seen in the last 3 -> new
)
SIX_THEMES = tables.frame([{"theme": "system design", "entry_ids": "e3;e4"}], tables.THEME_COLUMNS)


def life(kind, name, first, last, seen, half1, half2, trend, status, n=6):
    return {
        "kind": kind, "name": name, "first_seen": T(f"2024-01-0{first}"), "last_seen": T(f"2024-01-0{last}"),
        "first_interview": first, "last_interview": last, "entries": seen, "n": n, "share": seen / n,
        "since_last": n - last, "share_first_half": half1, "share_second_half": half2, "trend": trend,
        "status": status,
    }


def test_lifecycle_statuses_and_trends():
    want = expected(
        [
            life("category", "nerves", 1, 3, 3, 1.0, 0.0, "falling", "resolved"),
            life("category", "rambling", 1, 4, 3, 2 / 3, 1 / 3, "falling", "fading"),
            life("category", "time", 2, 6, 3, 1 / 3, 2 / 3, "rising", "recurring"),
            life("category", "logistics", 5, 5, 1, 0.0, 1 / 3, "rising", "new"),
            life("category", "salary", 2, 2, 1, 1 / 3, 0.0, "falling", "one-off"),
            life("theme", "system design", 3, 4, 2, 1 / 3, 1 / 3, "steady", "recurring"),
        ],
        trends.LIFECYCLE_COLUMNS,
    )
    assert_frame_equal(trends.lifecycle(SIX, SIX_SPOTS, SIX_THEMES), want)


def test_lifecycle_says_not_enough_entries_below_min_entries_and_uses_resolved_after():
    out = trends.lifecycle(SIX, SIX_SPOTS, min_entries=7, resolved_after=2)
    assert set(out["trend"]) == {trends.NOT_ENOUGH}
    status = dict(zip(out["name"], out["status"]))
    # last 2 interviews: e5, e6
    assert status == {"nerves": "resolved", "rambling": "resolved", "time": "recurring",
                      "logistics": "new", "salary": "one-off"}


def test_lifecycle_one_entry_empty_and_undated_last():
    one = entries({"entry_id": "e1", "date": "2024-01-01"})
    want = expected([{**life("category", "nerves", 1, 1, 1, NA, NA, trends.NOT_ENOUGH, "new", n=1)}],
                    trends.LIFECYCLE_COLUMNS)
    assert_frame_equal(trends.lifecycle(one, by_entry(("e1", "nerves"))), want)
    assert_frame_equal(trends.lifecycle(EMPTY, by_entry(), SIX_THEMES.iloc[:0]), expected([], trends.LIFECYCLE_COLUMNS))

    e = entries({"entry_id": "u", "date": NA}, {"entry_id": "e1", "date": "2024-01-01"})
    out = trends.lifecycle(e, by_entry(("e1", "nerves"), ("u", "nerves")))
    assert (out["first_seen"].iloc[0], out["last_interview"].iloc[0]) == (T("2024-01-01"), 2)
    assert pd.isna(out["last_seen"].iloc[0])


def test_lifecycle_by_author_is_per_person():
    e = entries(
        {"entry_id": "a1", "date": "2024-01-01", "author": "al"},
        {"entry_id": "b1", "date": "2024-01-02", "author": "bo"},
        {"entry_id": "a2", "date": "2024-01-03", "author": "al"},
    )
    out = trends.lifecycle(e, by_entry(("a1", "nerves"), ("b1", "nerves")), by="author", resolved_after=1)
    want = expected(
        [
            {"author": "al", "kind": "category", "name": "nerves", "first_seen": T("2024-01-01"),
             "last_seen": T("2024-01-01"), "first_interview": 1, "last_interview": 1, "entries": 1, "n": 2,
             "share": 0.5, "since_last": 1, "share_first_half": 1.0, "share_second_half": 0.0,
             "trend": trends.NOT_ENOUGH, "status": "one-off"},
            {"author": "bo", "kind": "category", "name": "nerves", "first_seen": T("2024-01-02"),
             "last_seen": T("2024-01-02"), "first_interview": 1, "last_interview": 1, "entries": 1, "n": 1,
             "share": 1.0, "since_last": 0, "share_first_half": NA, "share_second_half": NA,
             "trend": trends.NOT_ENOUGH, "status": "new"},
        ],
        trends.LIFECYCLE_COLUMNS,
        ("author",),
    )
    assert_frame_equal(out, want)


# ---------------------------------------------------------------- follow-through

FOUR = entries(*({"entry_id": f"e{i}", "date": f"2024-01-0{i}", "author": "al"} for i in range(1, 5)))
FOUR_SPOTS = by_entry(("e1", "rambling"), ("e1", "nerves"), ("e3", "rambling"))
FOUR_ACTIONS = tables.frame(
    [
        {"entry_id": "e1", "sent_idx": 5, "text": "be concise", "category": "rambling"},
        {"entry_id": "e1", "sent_idx": 2, "text": "breathe", "category": "nerves"},
        {"entry_id": "e2", "sent_idx": 0, "text": "do better", "category": NA},
        {"entry_id": "e4", "sent_idx": 1, "text": "stay short", "category": "rambling"},
        {"entry_id": "zz", "sent_idx": 1, "text": "not in entries", "category": "nerves"},
    ],
    tables.ACTION_COLUMNS,
)


def test_follow_through_per_action():
    def act(e, i, idx, text, cat, later, rec, first, done):
        return {"entry_id": e, "interview": i, "date": T(f"2024-01-0{i}"), "sent_idx": idx, "text": text,
                "category": cat, "later_entries": later, "recurrences": rec, "first_recurrence_after": first,
                "followed_through": done}

    want = expected(
        [
            act("e1", 1, 2, "breathe", "nerves", 3, 0, NA, True),
            act("e1", 1, 5, "be concise", "rambling", 3, 1, 2, False),
            act("e2", 2, 0, "do better", NA, 2, NA, NA, NA),  # no category: cannot tell
            act("e4", 4, 1, "stay short", "rambling", 0, 0, NA, NA),  # nothing written since
        ],
        trends.FOLLOW_THROUGH_COLUMNS,
    )
    assert_frame_equal(trends.follow_through(FOUR, FOUR_ACTIONS, FOUR_SPOTS), want)


def test_follow_through_rate_carries_n():
    follow = trends.follow_through(FOUR, FOUR_ACTIONS, FOUR_SPOTS, by="author")
    want = expected([{"author": "al", "actions": 4, "n": 2, "followed_through": 1, "rate": 0.5}],
                    trends.FOLLOW_THROUGH_RATE_COLUMNS, ("author",))
    assert_frame_equal(trends.follow_through_rate(follow, by="author"), want)


def test_follow_through_empty_and_one_entry():
    none = trends.follow_through(EMPTY, FOUR_ACTIONS.iloc[:0], by_entry())
    assert_frame_equal(none, expected([], trends.FOLLOW_THROUGH_COLUMNS))
    assert_frame_equal(
        trends.follow_through_rate(none),
        expected([{"actions": 0, "n": 0, "followed_through": 0, "rate": NA}], trends.FOLLOW_THROUGH_RATE_COLUMNS),
    )
    one = trends.follow_through(FOUR.iloc[:1], FOUR_ACTIONS, FOUR_SPOTS)
    assert list(one["later_entries"]) == [0, 0]
    assert one["followed_through"].isna().all()


# ---------------------------------------------------------------- gut feeling vs outcome

FEELINGS = entries(
    {"entry_id": "e1", "date": "2024-01-01", "self_rating": 2, "tone": 0.5, "outcome": "offer"},
    {"entry_id": "e2", "date": "2024-01-02", "tone": 0.1, "confidence": 0.2, "outcome": "rejected"},
    {"entry_id": "e3", "date": "2024-01-03", "self_rating": 3, "confidence": -0.4},  # outcome missing
    {"entry_id": "e4", "date": "2024-01-03", "outcome": "pending"},  # nothing to tell the feeling by
    {"entry_id": "e5", "date": NA, "self_rating": 5, "tone": -0.1, "confidence": 0.6, "outcome": "rejected"},
)


def test_gut_feeling_rating_first_then_tone_thresholds_inclusive():
    def gut(e, i, d, outcome, rating, tone, conf, felt, source, surprise):
        return {"entry_id": e, "interview": i, "date": d, "outcome": outcome, "self_rating": rating, "tone": tone,
                "confidence": conf, "felt": felt, "felt_from": source, "surprise": surprise}

    want = expected(
        [
            gut("e1", 1, T("2024-01-01"), "offer", 2, 0.5, NA, "bad", "self_rating", trends.FELT_BAD_OFFER),
            gut("e2", 2, T("2024-01-02"), "rejected", NA, 0.1, 0.2, "good", "tone", trends.FELT_GOOD_REJECTED),
            gut("e3", 3, T("2024-01-03"), NA, 3, NA, -0.4, "neutral", "self_rating", NA),
            gut("e4", 4, T("2024-01-03"), "pending", NA, NA, NA, NA, NA, NA),
            gut("e5", 5, NA, "rejected", 5, -0.1, 0.6, "good", "self_rating", trends.FELT_GOOD_REJECTED),
        ],
        trends.GUT_FEELING_COLUMNS,
    )
    assert_frame_equal(trends.gut_feeling(FEELINGS), want)
    stricter = trends.gut_feeling(FEELINGS, good_tone=0.2, good_rating=5)
    assert list(stricter["felt"].fillna("-")) == ["bad", "neutral", "neutral", "-", "good"]


def test_calibration_per_outcome_with_missing_outcomes():
    want = expected(
        [
            {"outcome": "offer", "n": 1, "self_rating_median": 2.0, "tone_median": 0.5, "confidence_median": NA,
             "felt_bad": 1, "felt_neutral": 0, "felt_good": 0},
            {"outcome": "rejected", "n": 2, "self_rating_median": 5.0, "tone_median": 0.0, "confidence_median": 0.4,
             "felt_bad": 0, "felt_neutral": 0, "felt_good": 2},
            {"outcome": "pending", "n": 1, "self_rating_median": NA, "tone_median": NA, "confidence_median": NA,
             "felt_bad": 0, "felt_neutral": 0, "felt_good": 0},
            {"outcome": trends.NOT_RECORDED, "n": 1, "self_rating_median": 3.0, "tone_median": NA,
             "confidence_median": -0.4, "felt_bad": 0, "felt_neutral": 1, "felt_good": 0},
        ],
        trends.CALIBRATION_COLUMNS,
    )
    assert_frame_equal(trends.calibration(FEELINGS), want)
    assert_frame_equal(trends.calibration(EMPTY), expected([], trends.CALIBRATION_COLUMNS))


def test_surprises_counts_with_their_n():
    want = expected([{"offers": 1, "felt_bad_got_offer": 1, "rejections": 2, "felt_good_got_rejected": 2}],
                    trends.SURPRISES_COLUMNS)
    assert_frame_equal(trends.surprises(FEELINGS), want)
    zero = expected([{"offers": 0, "felt_bad_got_offer": 0, "rejections": 0, "felt_good_got_rejected": 0}],
                    trends.SURPRISES_COLUMNS)
    assert_frame_equal(trends.surprises(EMPTY), zero)
    assert_frame_equal(trends.surprises(FEELINGS.iloc[3:4]), zero)  # outcome known, feeling not


def test_surprises_by_company():
    e = FEELINGS.assign(company=pd.array(["Acme", "Acme", "Initech", NA, "Initech"], dtype="string"))
    want = expected(
        [
            {"company": "Acme", "offers": 1, "felt_bad_got_offer": 1, "rejections": 1, "felt_good_got_rejected": 1},
            {"company": "Initech", "offers": 0, "felt_bad_got_offer": 0, "rejections": 1,
             "felt_good_got_rejected": 1},
            {"company": NA, "offers": 0, "felt_bad_got_offer": 0, "rejections": 0, "felt_good_got_rejected": 0},
        ],
        trends.SURPRISES_COLUMNS,
        ("company",),
    )
    assert_frame_equal(trends.surprises(e, by="company"), want)


# ---------------------------------------------------------------- cadence

RHYTHM = entries(
    {"entry_id": "e1", "date": "2024-01-01", "self_rating": 2, "opportunities_mentioned": False},
    {"entry_id": "e2", "date": "2024-01-03", "self_rating": 4},
    {"entry_id": "e3", "date": "2024-01-03", "self_rating": 2, "opportunities_mentioned": True},
    {"entry_id": "e4", "date": "2024-01-31", "self_rating": 1},
    {"entry_id": "e5", "date": NA, "self_rating": 1},
)


def test_gaps_and_lined_up():
    def gap(e, i, d, days, felt, opp, lined):
        return {"entry_id": e, "interview": i, "date": T(d), "gap_days": days, "felt": felt,
                "opportunities_mentioned": opp, "lined_up": lined}

    want = expected(
        [
            gap("e1", 1, "2024-01-01", NA, "bad", False, True),  # next interview 2 days later
            gap("e2", 2, "2024-01-03", 2, "good", NA, True),  # same-day interview
            gap("e3", 3, "2024-01-03", 0, "bad", True, True),  # mentions other opportunities
            gap("e4", 4, "2024-01-31", 28, "bad", NA, False),
        ],
        trends.GAPS_COLUMNS,
    )
    assert_frame_equal(trends.gaps(RHYTHM), want)
    assert_frame_equal(trends.gaps(EMPTY), expected([], trends.GAPS_COLUMNS))


def test_cadence_summary():
    weeks = 30 / 7 + 1
    want = expected(
        [{"interviews": 4, "undated": 1, "first": T("2024-01-01"), "last": T("2024-01-31"), "weeks": weeks,
          "per_week": 4 / weeks, "median_gap_days": 2.0, "longest_gap_days": 28,
          "longest_gap_from": T("2024-01-03"), "longest_gap_to": T("2024-01-31"), "bad_interviews": 3,
          "bad_lined_up": 2, "bad_mentioned_opportunities": 1}],
        trends.CADENCE_COLUMNS,
    )
    assert_frame_equal(trends.cadence(RHYTHM), want)


def test_cadence_one_entry_and_empty():
    one = expected(
        [{"interviews": 1, "undated": 0, "first": T("2024-01-01"), "last": T("2024-01-01"), "weeks": 1.0,
          "per_week": 1.0, "bad_interviews": 1, "bad_lined_up": 0,
          "bad_mentioned_opportunities": 0}],
        trends.CADENCE_COLUMNS,
    )
    assert_frame_equal(trends.cadence(RHYTHM.iloc[:1]), one)
    empty = expected([{"interviews": 0, "undated": 0, "bad_interviews": 0, "bad_lined_up": 0,
                      "bad_mentioned_opportunities": 0}],
                     trends.CADENCE_COLUMNS)
    assert_frame_equal(trends.cadence(EMPTY), empty)
    assert_frame_equal(trends.cadence(EMPTY, by="stage"), expected([], trends.CADENCE_COLUMNS, ("stage",)))


# ---------------------------------------------------------------- thank-you notes


def test_thank_you_front_matter_first_then_text():
    e = entries(
        {"entry_id": "e1", "date": "2024-01-01", "thank_you_sent": False, "thank_you_mentioned": True},
        {"entry_id": "e2", "date": "2024-01-02", "thank_you_mentioned": True},
        {"entry_id": "e3", "date": "2024-01-20"},  # neither signal known
        {"entry_id": "e4", "date": "2024-01-21", "thank_you_sent": True, "thank_you_mentioned": False},
        {"entry_id": "e5", "date": NA, "thank_you_sent": True},
    )
    want = expected(
        [
            {"period": T("2024-01-01"), "freq": "week", "interviews": 2, "n": 2, "sent": 1, "rate": 0.5},
            {"period": T("2024-01-08"), "freq": "week", "interviews": 0, "n": 0, "sent": 0, "rate": NA},
            {"period": T("2024-01-15"), "freq": "week", "interviews": 2, "n": 1, "sent": 1, "rate": 1.0},
        ],
        trends.THANK_YOU_COLUMNS,
    )
    assert_frame_equal(trends.thank_you(e), want)
    assert_frame_equal(trends.thank_you(EMPTY), expected([], trends.THANK_YOU_COLUMNS))


# ---------------------------------------------------------------- Analysis wiring


def test_analysis_methods_pass_their_settings():
    hits = tables.frame(
        [{"entry_id": e, "category": c, "sent_idx": 0} for e, c in zip(SIX_SPOTS["entry_id"], SIX_SPOTS["category"])],
        tables.WEAK_SPOT_COLUMNS,
    )
    a = Analysis(
        entries=SIX, sentences=pd.DataFrame(), weak_spots=hits, actions=FOUR_ACTIONS.iloc[:0],
        phrases=pd.DataFrame(), themes=SIX_THEMES, resolved_after=2, min_entries=7, window=2,
    )
    assert_frame_equal(a.lifecycle(), trends.lifecycle(SIX, SIX_SPOTS, SIX_THEMES, resolved_after=2, min_entries=7))
    assert_frame_equal(a.series(), trends.series(SIX, window=2))
    assert_frame_equal(a.follow_through_rate(), trends.follow_through_rate(
        trends.follow_through(SIX, FOUR_ACTIONS.iloc[:0], SIX_SPOTS, by="author"), by="author"))


# ---------------------------------------------------------------- the story of the sample journal
# data/samples/README.md describes what the tables should find in Maya's journal (21 entries)
# and in the coach cohort (data/cohort/cohort.csv, three authors with five entries each).

FADES = ["questions_for_interviewer", "preparation", "follow_up", "self_presentation", "communication",
         "mind_blank", "nerves"]
PERSISTS = ["time_management", "knowledge_gap"]
ONE_OFFS = ["behavioral_answers", "rapport", "logistics", "compensation"]
COHORT = Path(__file__).resolve().parents[1] / "data" / "cohort"


def categories(lifecycle: pd.DataFrame) -> pd.DataFrame:
    return lifecycle[lifecycle["kind"] == "category"].set_index("name")


def test_sample_weak_spots_that_fade_are_resolved(sample_analysis):
    lc = categories(sample_analysis.lifecycle())
    assert {c: lc["status"].get(c) for c in FADES} == {c: "resolved" for c in FADES}
    assert lc.loc["nerves", "trend"] == "falling"


def test_sample_weak_spots_that_persist(sample_analysis):
    lc = categories(sample_analysis.lifecycle())
    assert {c: lc["status"].get(c) for c in PERSISTS} == {c: "recurring" for c in PERSISTS}
    assert list(lc.loc[PERSISTS, "since_last"]) == [0, 0]
    assert lc["entries"].idxmax() == "time_management"


def test_sample_one_off_weak_spots(sample_analysis):
    lc = categories(sample_analysis.lifecycle())
    assert {c: lc["status"].get(c) for c in ONE_OFFS} == {c: "one-off" for c in ONE_OFFS}


def test_sample_actions_followed_through(sample_analysis):
    ft = sample_analysis.follow_through()
    questions = ft[ft["text"].str.contains("three questions", regex=False)]
    research = ft[ft["text"].str.contains("research the company", regex=False)]
    assert list(questions[["category", "followed_through", "recurrences"]].itertuples(index=False, name=None)) == [
        ("questions_for_interviewer", True, 0)
    ]
    assert list(research[["category", "followed_through", "recurrences"]].itertuples(index=False, name=None)) == [
        ("preparation", True, 0)
    ]
    rate = sample_analysis.follow_through_rate(by=None)
    assert rate["n"].iloc[0] >= 2 and rate["followed_through"].iloc[0] >= 2


def test_sample_bad_feeling_interview_became_an_offer(sample_analysis):
    gut = sample_analysis.gut_feeling()
    bad_offer = gut[gut["surprise"] == trends.FELT_BAD_OFFER]
    assert list(bad_offer["date"]) == [T("2025-04-15")]
    good_rejected = gut[gut["surprise"] == trends.FELT_GOOD_REJECTED]
    assert T("2025-04-02") in set(good_rejected["date"])  # the only self_rating 5
    s = sample_analysis.surprises()
    assert (s["offers"].iloc[0], s["felt_bad_got_offer"].iloc[0]) == (1, 1)
    cal = sample_analysis.calibration().set_index("outcome")["n"].to_dict()
    assert cal == {"offer": 1, "rejected": 7, "pending": 4, "withdrawn": 2, trends.NOT_RECORDED: 7}


def test_sample_thank_you_notes_become_a_habit(sample_analysis):
    ty = sample_analysis.thank_you()
    assert list(ty["freq"].unique()) == ["month"]  # January to June
    assert ty["rate"].iloc[0] == 0  # none sent in January
    assert (ty["rate"].iloc[2:] > ty["rate"].iloc[0]).all()  # from March on she sends them


def test_sample_cadence(sample_analysis):
    c = sample_analysis.cadence().iloc[0]
    assert (c["interviews"], c["undated"], c["longest_gap_days"]) == (21, 0, 12)
    assert (c["longest_gap_from"], c["longest_gap_to"]) == (T("2025-01-22"), T("2025-02-03"))
    gaps = sample_analysis.gaps().set_index("date")
    assert gaps.loc[[T("2025-02-11"), T("2025-03-12"), T("2025-04-24")], "opportunities_mentioned"].all()
    assert c["bad_mentioned_opportunities"] >= 1  # 2025-02-11 went badly, other processes running


def test_sample_confidence_rises(sample_analysis):
    s = sample_analysis.series()
    conf = s[s["metric"] == "confidence"].dropna(subset=["rolling_median"])
    assert conf["rolling_median"].iloc[-1] > conf["rolling_median"].iloc[0]


@pytest.fixture(scope="module")
def cohort(nlp):
    from reflect_nlp import analyze

    return dataclasses.replace(analyze(COHORT / "cohort.csv", nlp=nlp), resolved_after=2)


def cohort_lifecycle(cohort) -> pd.DataFrame:
    lc = cohort.lifecycle(by="author")
    assert set(lc["n"]) == {5}  # five entries per person, each their own sequence
    return lc[lc["kind"] == "category"].set_index(["author", "name"])


def test_cohort_nerves_persist_for_alex(cohort):
    lc = cohort_lifecycle(cohort)
    assert lc.loc[("Alex Turner", "nerves"), ["entries", "status"]].tolist() == [5, "recurring"]


def test_cohort_star_stories_resolve_vague_answers_for_bea(cohort):
    lc = cohort_lifecycle(cohort)
    assert lc.loc[("Bea Kowalski", "behavioral_answers"), ["entries", "status"]].tolist() == [3, "resolved"]


def test_cohort_time_management_persists_for_chen(cohort):
    lc = cohort_lifecycle(cohort)
    assert lc.loc[("Chen Wei", "time_management"), ["entries", "status"]].tolist() == [4, "recurring"]
