"""`reflect-nlp new`: the template, safe file names, never overwriting, closing the loop."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from reflect_nlp import load_journal, tables
from reflect_nlp.analysis import Analysis
from reflect_nlp.cli import main
from reflect_nlp.errors import ReflectError
from reflect_nlp.template import QUESTIONS, loop_questions, new_entry, slug, template_text

DAY = dt.date(2025, 6, 10)


def make_analysis(entries, hits, actions) -> Analysis:
    """An Analysis from hand-written rows: (id, date, company), (id, category), (id, text, category)."""
    empty = lambda schema: tables.frame([], schema)  # noqa: E731
    return Analysis(
        entries=tables.frame(
            [{"entry_id": i, "date": pd.Timestamp(d), "company": c} for i, d, c in entries], tables.ENTRY_COLUMNS
        ),
        sentences=empty(tables.SENTENCE_COLUMNS),
        weak_spots=tables.frame(
            [{"entry_id": i, "category": c, "sent_idx": 0, "sentence": "s"} for i, c in hits], tables.WEAK_SPOT_COLUMNS
        ),
        actions=tables.frame(
            [{"entry_id": i, "sent_idx": 0, "text": t, "category": c} for i, t, c in actions], tables.ACTION_COLUMNS
        ),
        phrases=empty(tables.PHRASE_COLUMNS),
        themes=empty(tables.THEME_COLUMNS),
    )


@pytest.mark.parametrize(
    "parts, expected",
    [
        (("../../etc", None), "etc"),
        (("Wonka Payments", "phone screen"), "wonka-payments-phone-screen"),
        (("Zürich Ünited", "#2"), "zurich-united-2"),
        (("/", "..\\.."), ""),
        (("a" * 100, None), "a" * 60),
    ],
)
def test_slug_keeps_only_safe_characters(parts, expected):
    assert slug(*parts) == expected


def test_template_has_front_matter_and_the_four_prompts():
    text = template_text(date=DAY, company="Wonka: Payments", stage="onsite")
    assert text.startswith("---\ndate: 2025-06-10\ncompany: 'Wonka: Payments'\n")
    assert "stage: onsite\n" in text
    for question, _ in QUESTIONS:
        assert f"<!-- {question}" in text
    assert "From your earlier entries" not in text


def test_filled_in_template_reads_back_with_prompts_ignored(tmp_path):
    text = template_text(date=DAY, company="Wonka: Payments", stage="onsite", questions=['You said "x" --> did you?'])
    answer = "My mind went blank on the caching question."
    (tmp_path / "note.md").write_text(text.replace("<!-- What went wrong?", answer + "\n\n<!-- What went wrong?"))
    (r,) = load_journal(tmp_path).reflections
    assert (r.date, r.company, r.stage, r.outcome, r.self_rating) == (DAY, "Wonka: Payments", "onsite", None, None)
    assert r.text.strip() == answer


def test_new_entry_never_overwrites(tmp_path):
    existing = tmp_path / "2025-06-10-wonka-onsite.md"
    existing.write_text("my own notes")
    first = new_entry(tmp_path, date="2025-06-10", company="Wonka", stage="onsite", review=False)
    second = new_entry(tmp_path, date="2025-06-10", company="Wonka", stage="onsite", review=False)
    assert existing.read_text() == "my own notes"
    assert [first.name, second.name] == ["2025-06-10-wonka-onsite-2.md", "2025-06-10-wonka-onsite-3.md"]
    assert first.read_text().startswith("---\ndate: 2025-06-10\n")


def test_new_entry_stays_inside_the_journal(tmp_path):
    journal = tmp_path / "journal"
    path = new_entry(journal, date=DAY, company="../../etc/passwd", review=True)
    assert path.parent == journal  # created, and a missing journal gets the plain template
    assert path.name == "2025-06-10-etc-passwd.md"
    assert "From your earlier entries" not in path.read_text()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["2025-06-10-etc-passwd.md", "journal"]


def test_new_entry_refuses_a_file_and_a_bad_date(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("date,text\n")
    with pytest.raises(ReflectError, match="is a file"):
        new_entry(export, review=False)
    with pytest.raises(ReflectError, match="YYYY-MM-DD"):
        new_entry(tmp_path, date="10/06/2025", review=False)


def test_loop_questions_from_follow_through_and_lifecycle():
    analysis = make_analysis(
        [("a", "2025-01-01", "Initech"), ("b", "2025-01-10", "Globex"), ("c", "2025-02-01", None),
         ("d", "2025-02-10", "Umbrella"), ("e", "2025-03-01", "Hooli"), ("f", "2025-03-05", "Acme")],
        [("a", "nerves"), ("b", "nerves"), ("b", "preparation"), ("c", "time_management"),
         ("d", "nerves"), ("e", "nerves"), ("f", "nerves")],
        [("a", "Next time I will practise breathing before the call.", "nerves"),
         ("b", "Next time I'll research the company properly.", "preparation"),  # never came back: done
         ("c", "I need to buy a whiteboard.", None),  # no category, 3 interviews ago: not asked again
         ("e", "I should sleep more before interviews.", None),  # no category, recent: asked
         ("f", "I need to prepare three questions for the interviewer.", None),
         ("f", "Next time I'll look up the stack so I can anchor the design.", None)],
    )
    assert loop_questions(analysis) == [
        "Last time (2025-03-05, Acme) you planned to prepare three questions for the interviewer. Did you?",
        'Last time (2025-03-05, Acme) you wrote: "Next time I\'ll look up the stack so I can anchor the design." '
        "Did you do it?",
        "Earlier (2025-03-01, Hooli) you planned to sleep more before interviews. Did you?",
        "Earlier (2025-01-01, Initech) you planned to practise breathing before the call. Did you? "
        "(Nerves came up again in 4 of the 5 interviews since.)",
        "Nerves keeps coming back: 5 of your 6 interviews, most recently 2025-03-05. "
        "Did it come up today? What did you try?",
    ]


def test_loop_questions_empty_journal():
    assert loop_questions(make_analysis([], [], [])) == []


def test_new_entry_closes_the_loop_on_a_real_journal(tmp_path, nlp):
    (tmp_path / "2025-01-08-initech.md").write_text(
        "---\ndate: 2025-01-08\ncompany: Initech\n---\n\n"
        "The interview went badly and I ran out of time on the coding question.\n\n"
        "Next time I will prepare three questions for the interviewer.\n"
    )
    before = {p: p.read_text() for p in tmp_path.iterdir()}
    path = new_entry(tmp_path, date=DAY, company="Globex", nlp=nlp)
    text = path.read_text()
    assert {p: p.read_text() for p in before} == before
    assert "(2025-01-08, Initech) you planned to prepare three questions for the interviewer. Did you?" in text
    assert text.index("From your earlier entries") < text.index("<!-- What went wrong?")


def test_cli_new(tmp_path, capsys):
    assert main(["new", str(tmp_path), "--plain", "--date", "2025-06-10", "--company", "Hooli", "--role", "SRE"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.endswith("2025-06-10-hooli.md")
    assert "role: SRE\n" in (tmp_path / "2025-06-10-hooli.md").read_text()
    assert main(["new", str(tmp_path), "--plain", "--date", "June"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err
