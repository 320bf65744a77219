"""The report's structure, without a browser: sections, counts matching the frames, escaping, exports.

Most tests use a small hand-built Analysis (no spaCy) so the expected counts are known exactly.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from reflect_nlp import tables
from reflect_nlp.analysis import Analysis
from reflect_nlp.records import LoadProblem, Reflection
from reflect_nlp.report import build_context, render_html, safe_filename, write_outputs, write_report

HOSTILE = 'I froze when <script>window.__pwned = 1</script> came up, <img src=x onerror="window.__pwned = 2"> and {{ 7*7 }} too.'

# (date, company, outcome, text, [(category, matched word)], [(action sentence, category)])
JOURNAL = [
    ("2024-03-01", "Acme", "rejected", "I was so nervous that my mind went blank. Next time I will do a mock interview first.",
     [("nerves", "nervous"), ("mind_blank", "mind went blank")], [("Next time I will do a mock interview first.", "nerves")]),
    ("2024-03-06", "Globex", "rejected", "I rambled on the design question. I ran out of time on the coding part.",
     [("communication", "rambled"), ("time_management", "ran out of time")], []),
    ("2024-03-12", "Initech", "offer", "Felt terrible. I was nervous again and rambled about my project.",
     [("nerves", "nervous"), ("communication", "rambled")], [("I will practise a two minute project summary.", "communication")]),
    ("2024-03-20", "Umbrella", "pending", "Calm this time. I ran out of time on the second problem.",
     [("time_management", "ran out of time")], []),
    ("2024-04-02", "<b>Evil</b> Corp", "rejected", HOSTILE, [("mind_blank", "froze")], []),
    ("2024-04-09", "Hooli", "offer", "Good chat. I did not know what a bloom filter was.",
     [("knowledge_gap", "did not know")], []),
]


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def make_analysis(journal=JOURNAL) -> Analysis:
    """An Analysis built through tables.build_tables from hand-written EntryResults."""
    pairs = []
    for i, (date, company, outcome, text, hits, acts) in enumerate(journal):
        sents = _sentences(text)
        refl = Reflection(id=f"e{i}", source=f"{date}-{safe_filename(company)}.md", line=1, text=text, raw=text,
                          date=dt.date.fromisoformat(date), date_source="filename", company=company, outcome=outcome)
        srows = [{"sent_idx": k, "start": a, "end": b, "text": text[a:b], "polarity": 0.0, "vader": 0.0} for k, (a, b) in enumerate(sents)]
        hrows = []
        for cat, word in hits:
            a = text.index(word)
            k = next(k for k, (s, e) in enumerate(sents) if s <= a < e)
            hrows.append({"category": cat, "sent_idx": k, "start": a, "end": a + len(word), "matched": word,
                          "sentence": text[slice(*sents[k])], "pattern": f"{cat}-1", "score": 1.0})
        arows = []
        for sent, cat in acts:
            a = text.find(sent)
            arows.append({"sent_idx": 0, "start": a, "end": a + len(sent), "text": sent, "category": cat})
        tone = -0.4 + 0.15 * i
        entry = {"tone": tone, "confidence": -0.2 + 0.1 * i, "n_sentences": len(sents)}
        pairs.append((refl, {"entry": entry, "sentences": srows, "weak_spots": hrows, "actions": arows, "phrases": []}))
    t = tables.build_tables(pairs)
    themes = tables.frame([{"theme": "system design", "entries": 2, "mentions": 3, "score": 0.9,
                            "examples": "The design question | system design again", "entry_ids": "e1;e2"}], tables.THEME_COLUMNS)
    problems = [LoadProblem(source="notes/shopping.md", line=None, kind="empty", message="empty file", action="skipped")]
    meta = {"model": "en_test", "model_version": "0.0", "spacy_version": "3.8", "components": "",
            "taxonomy": {"name": "default", "version": "1", "categories": [{"id": "nerves", "label": "Nerves"}]}, "journal": "j"}
    return Analysis(entries=t["entries"], sentences=t["sentences"], weak_spots=t["weak_spots"], actions=t["actions"],
                    phrases=t["phrases"], themes=themes, problems=problems,
                    reflections=[p[0] for p in pairs], meta=meta)


class _Collect(HTMLParser):
    """Tags, ids and text of a page, to check structure without a browser."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def analysis():
    return make_analysis()


@pytest.fixture(scope="module")
def ctx(analysis):
    return build_context(analysis)


@pytest.fixture(scope="module")
def page(ctx):
    html = render_html(context=ctx)
    p = _Collect()
    p.feed(html)
    return html, p


def test_sections_in_order(page):
    html, p = page
    ids = [a.get("id") for tag, a in p.tags if tag == "section"]
    assert ids == ["summary", "tone", "weak-spots", "lessons", "outcomes", "themes", "evidence", "method"]


def test_self_contained_no_scripts_or_external_refs(page):
    html, p = page
    assert not [t for t, _ in p.tags if t in ("script", "link", "iframe", "img", "object", "embed")]
    for _, attrs in p.tags:
        for k, v in attrs.items():
            assert not (k in ("src", "href") and v and not v.startswith("#")), (k, v)
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_user_text_is_escaped(page):
    html, p = page
    assert "<script>window" not in html and "<img src=x" not in html and "<b>Evil" not in html
    text = "".join(p.text)
    assert "<script>window.__pwned = 1</script>" in text  # shown to the reader as text
    assert "{{ 7*7 }}" in text and "49" not in text.split("{{ 7*7 }}")[0][-5:]


def test_every_chart_is_inline_svg_with_text_alternative(page):
    html, p = page
    figs = [a for t, a in p.tags if t == "figure"]
    assert {a["id"] for a in figs} == {"fig-tone", "fig-weak_spots", "fig-gut_vs_outcome", "fig-cadence"}
    imgs = [a for t, a in p.tags if a.get("role") == "img"]
    assert len(imgs) == 4 and all(len(a["aria-label"]) > 20 for a in imgs)
    assert html.count("<svg") == 4


def test_tables_have_headers_and_wrappers(page):
    html, p = page
    assert html.count("<table>") == html.count("<thead>") > 0
    assert html.count("<table>") == html.count('class="table-wrap"')


def test_counts_match_frames(analysis, ctx):
    assert ctx["n_entries"] == len(analysis.entries) == 6
    assert (ctx["date_from"], ctx["date_to"]) == ("2024-03-01", "2024-04-09")
    by_cat = analysis.weak_spots.groupby("category")["entry_id"].nunique()
    assert {ev["label"]: ev["n_entries"] for ev in ctx["evidence"]} == {
        ("Nerves" if c == "nerves" else c.replace("_", " ").capitalize()): n for c, n in by_cat.items()}
    assert sum(ev["n_hits"] for ev in ctx["evidence"]) == len(analysis.weak_spots)
    rows = {r[0]: (int(r[1]), int(r[2])) for r in ctx["heatmap_table"]["rows"]}
    assert rows["Nerves"] == (2, 2) and rows["Time management"] == (2, 2)
    assert len(ctx["lessons"]["rows"]) == len(analysis.actions) == 2
    top = [t["label"] for t in ctx["summary"]["top"]]
    lc = analysis.lifecycle()
    resolved = {("Nerves" if c == "nerves" else c.replace("_", " ").capitalize())
                for c in lc.loc[(lc["kind"] == "category") & lc["status"].isin(["resolved", "fading"]), "name"]}
    recurring = {c for c, n in rows.items() if n[0] >= 2} - resolved
    assert set(top) <= recurring and len(top) == min(3, len(recurring))  # still coming up, at most three
    assert ctx["skipped"][0]["source"] == "notes/shopping.md"


def test_next_focus_is_recent_and_from_the_data(analysis, ctx):
    nxt = ctx["summary"]["next"]
    # In the last five interviews: mind_blank, communication, time_management each twice... tie broken by total.
    recent = analysis.entries["entry_id"].tail(5)
    recent_counts = analysis.weak_spots[analysis.weak_spots["entry_id"].isin(recent)].groupby("category")["entry_id"].nunique()
    assert recent_counts[nxt["id"]] == recent_counts.max()
    assert f"{recent_counts.max()} of your last 5" in nxt["why"]


def test_evidence_marks_exactly_the_matched_words(analysis, ctx):
    marked = [g["text"] for ev in ctx["evidence"] for s in ev["sentences"] for g in s["segments"] if g["mark"]]
    assert sorted(marked) == sorted(analysis.weak_spots["matched"])
    for ev in ctx["evidence"]:
        for s in ev["sentences"]:
            assert s["source"].endswith(".md") and re.match(r"\d{4}-\d{2}-\d{2}", s["date"])
    html = render_html(context=ctx)
    assert "<mark>mind went blank</mark>" in html and "<mark>froze</mark>" in html


def test_empty_analysis_renders(tmp_path):
    a = make_analysis([])
    html = render_html(a)
    assert "No weak spots found" in html and "0 interviews" in html


def test_write_outputs_all_formats(analysis, tmp_path):
    written = write_outputs(analysis, tmp_path, formats="html,md,json,csv")
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    assert {"report.html", "report.md", "report.json", "tables/entries.csv", "tables/weak_spots.csv",
            "figures/tone.svg", "figures/tone.png", "figures/weak_spots.png"} <= names
    assert not list(tmp_path.rglob("*.tmp"))
    from reflect_nlp.report.render import _umask

    assert {p.stat().st_mode & 0o777 for p in written} == {0o666 & ~_umask()}  # not mkstemp's 0600
    doc = json.loads((tmp_path / "report.json").read_text())
    assert doc["summary"]["entries"] == 6 and len(doc["tables"]["weak_spots"]) == len(analysis.weak_spots)
    csv = pd.read_csv(tmp_path / "tables" / "entries.csv")
    assert list(csv.columns) == list(tables.ENTRY_COLUMNS) and len(csv) == 6
    md = (tmp_path / "report.md").read_text()
    assert "## Evidence" in md and "<script>" not in md and "&lt;script&gt;" in md
    assert (tmp_path / "figures" / "tone.png").read_bytes()[:4] == b"\x89PNG"
    svg = (tmp_path / "figures" / "weak_spots.svg").read_text()
    assert "<b>" not in svg and "&lt;b&gt;Evil" in svg  # company label escaped inside the SVG too


def test_write_report_keeps_previous_file_when_rendering_fails(analysis, ctx, tmp_path, monkeypatch):
    import reflect_nlp.report.render as render

    monkeypatch.setattr(render, "build_context", lambda *a, **k: ctx)
    path = render.write_report(analysis, tmp_path, figures=False)
    before = path.read_bytes()

    def boom(*a, **k):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(render, "render_html", boom)
    with pytest.raises(RuntimeError):
        render.write_report(analysis, tmp_path)
    assert path.read_bytes() == before and not list(tmp_path.glob(".*.tmp"))


def test_unknown_format_is_a_clear_error(analysis, tmp_path):
    from reflect_nlp.errors import ReflectError

    with pytest.raises(ReflectError, match="choose from html, md, json, csv"):
        write_outputs(analysis, tmp_path, formats="html,pdf")


@pytest.mark.parametrize("name,expected", [("../../etc/passwd", "etc-passwd"), ("CON", "file"), ("", "file"),
                                           ("a b/c\\d:e", "a-b-c-d-e"), ("..", "file"), ("résumé notes", "résumé-notes")])
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_sample_journal_report_structure(sample_analysis):
    ctx = build_context(sample_analysis)
    assert ctx["n_entries"] == len(sample_analysis.entries)
    assert sum(ev["n_hits"] for ev in ctx["evidence"]) == len(sample_analysis.weak_spots)
    html = render_html(context=ctx)
    assert html.count("<svg") == 4


def test_heatmap_switches_to_periods_for_long_journals():
    from reflect_nlp.report.render import MAX_COLUMNS, _heatmap_matrix

    n = MAX_COLUMNS + 10
    rows = [(f"2024-{1 + i // 20:02d}-{1 + i % 20:02d}", "Acme", None, "I ran out of time.", [("time_management", "ran out of time")], [])
            for i in range(n)]
    a = make_analysis(rows)
    m = _heatmap_matrix(a.entries, a.weak_spots_by_entry, {})
    assert m.columns.name == "period" and len(m.columns) < MAX_COLUMNS
    assert int(m.to_numpy().sum()) == n == int(a.weak_spots_by_entry["hits"].sum())
    few = make_analysis(JOURNAL)
    assert list(_heatmap_matrix(few.entries, few.weak_spots_by_entry, {}).columns)[0] == "Mar 01 Acme"


def test_undated_entries_are_counted_and_flagged():
    from dataclasses import replace

    a = make_analysis()
    a = replace(a, entries=a.entries.assign(date=pd.NaT))
    ctx = build_context(a)
    assert ctx["n_entries"] == 6 and ctx["n_undated"] == 6 and ctx["date_from"] is None
    assert any("had no date" in c for c in ctx["caveats"])
    assert "Not enough dated interviews" in ctx["cadence"]


def test_a_resolved_or_fading_weak_spot_is_not_listed_as_coming_up(sample_analysis):
    ctx = build_context(sample_analysis)
    lc = sample_analysis.lifecycle()
    improved = set(lc.loc[(lc["kind"] == "category") & lc["status"].isin(["resolved", "fading"]), "name"])
    assert "nerves" in improved  # the sample journal's nerves stop after March
    top = {t["id"] for t in ctx["summary"]["top"]}
    assert top and not top & improved
    assert "Nerves" in {i["label"] for i in ctx["summary"]["improved"]}


def test_markdown_evidence_keeps_the_spaces_around_bold_and_counts_read_right(ctx):
    from reflect_nlp.report.exporters import to_markdown

    md = to_markdown(ctx)
    evidence = md.split("## Evidence", 1)[1].split("## Method", 1)[0]
    assert "**" in evidence
    assert not re.search(r"\w\*\*\w", evidence)
    assert "(1 interviews)" not in md


def _long_journal(n: int) -> Analysis:
    outcomes = ["offer", "rejected", "pending"]
    rows = [((dt.date(2021, 1, 4) + dt.timedelta(days=3 * i)).isoformat(), f"Co{i % 7}", outcomes[i % 3],
             "I ran out of time.", [("time_management", "ran out of time")], []) for i in range(n)]
    return make_analysis(rows)


def test_charts_summarise_a_long_journal_instead_of_plotting_every_interview():
    from matplotlib.collections import PathCollection

    from reflect_nlp import plots

    a = _long_journal(plots.MAX_POINTS + 100)
    tone = plots.tone_over_time(a.entries, series=a.series())
    ax = tone.axes[0]
    assert "median of every 4 interviews" in ax.get_title()  # 400 interviews in 100 points
    assert max(len(line.get_xdata()) for line in ax.get_lines() if len(line.get_xdata()) > 2) <= plots.BINS
    assert not [c for c in ax.collections if isinstance(c, PathCollection)]  # no dot per interview
    gut = plots.gut_vs_outcome(a.entries)
    assert not [c for c in gut.axes[0].collections if isinstance(c, PathCollection)]
    assert len(gut.axes[0].get_yticklabels()) == 3  # one box per outcome
    assert plots.cadence(a.entries).axes[0].get_title() == "Interviews per month"  # 3 years of interviews
    page = render_html(a)
    assert "each point is the median of a run of consecutive interviews" in page
    assert "Weak spots by period</h2>" in page and "Weak spots by interview</h2>" not in page
    few = make_analysis(JOURNAL)
    assert plots.tone_over_time(few.entries).axes[0].get_title() == "Tone and confidence over time"
    assert plots.cadence(few.entries).axes[0].get_title() == "Interviews per week"


def test_charts_are_drawn_only_for_outputs_that_show_them(analysis, tmp_path, monkeypatch):
    from reflect_nlp import plots

    def no_chart(*a, **k):
        raise AssertionError("a chart was drawn for an output without charts")

    monkeypatch.setattr(plots, "tone_over_time", no_chart)
    written = write_outputs(analysis, tmp_path, formats="json,csv,md")
    assert not (tmp_path / "figures").exists() and (tmp_path / "report.json") in written


def test_each_derived_table_is_computed_once_per_report(tmp_path, monkeypatch):
    from reflect_nlp import trends

    a = make_analysis(JOURNAL)
    calls: dict[str, int] = {}
    for name in ("follow_through", "series", "lifecycle", "calibration", "surprises", "cadence", "periods"):
        real = getattr(trends, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls[_name] = calls.get(_name, 0) + 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(trends, name, counted)
    write_outputs(a, tmp_path, formats="html,md,json,csv")
    # follow-through: once for the whole journal and once per author (the report's people table)
    assert calls == {"follow_through": 2, "series": 1, "lifecycle": 1, "calibration": 1, "surprises": 1, "cadence": 1, "periods": 1}
    # outside a report run nothing is remembered: a notebook that edits a frame sees the change
    before = a.lifecycle()
    a.weak_spots = a.weak_spots.iloc[0:0]
    assert len(a.lifecycle()) < len(before)


def test_heatmap_of_a_long_undated_journal_groups_runs_of_interviews(nlp):
    from reflect_nlp import analyze, plots
    from reflect_nlp.report.render import MAX_COLUMNS, _alt_heatmap, _heatmap_matrix

    n = 3 * MAX_COLUMNS + 5
    a = analyze([f"Entry {i}. I ran out of time." + (" I felt nervous." if i % 7 == 0 else "") for i in range(n)], nlp=nlp)
    m = _heatmap_matrix(a.entries, a.weak_spots_by_entry, {})
    assert m.columns.name == "run" and len(m.columns) <= MAX_COLUMNS
    assert m.columns[0] == "#1-4" and m.columns[-1] == f"#{n - n % 4 + 1}-{n}"
    assert int(m.to_numpy().sum()) == int(a.weak_spots_by_entry["hits"].sum())
    assert "runs of consecutive interviews" in _alt_heatmap(m)
    fig = plots.weak_spot_heatmap(m)
    ax = fig.axes[0]
    assert ax.get_title() == "Weak spots by run of interviews" 
    assert len(ax.texts) == int((m.to_numpy() > 0).sum()) and len(ax.get_xticklabels()) == len(m.columns)
    plots.close(fig)


def test_heatmap_with_many_columns_thins_labels_and_leaves_out_counts():
    from reflect_nlp import plots

    m = pd.DataFrame([[1, 0, 3] * 40, [2, 2, 0] * 40], index=["Nerves", "Mind blank"], columns=[f"p{i}" for i in range(120)])
    m.columns.name = "period"
    fig = plots.weak_spot_heatmap(m)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == [f"p{i}" for i in range(0, 120, 3)] and len(ax.texts) == 0
    plots.close(fig)
