"""analyze() and Analysis as the Python API sees them: the journal is never written to."""
from __future__ import annotations

import pytest

from test_reliability import tree_state

from reflect_nlp import analyze
from reflect_nlp.errors import OutputError


def _journal(tmp_path):
    j = tmp_path / "journal"
    (j / "sub").mkdir(parents=True)
    (j / "2025-01-08.md").write_text("My mind went blank again. I rambled.\n")
    (j / "sub" / "2025-01-15.md").write_text("I ran out of time on the coding question.\n")
    return j


@pytest.mark.parametrize("target", ["report", "report.html", "sub/report.html", "sub", "2025-01-08.md"])
def test_to_file_inside_the_journal_is_refused(tmp_path, target):
    journal = _journal(tmp_path)
    analysis = analyze(journal, model="blank")
    before = tree_state(journal)
    with pytest.raises(OutputError, match="inside the journal") as e:
        analysis.to_file(journal / target)
    assert str(journal / target) in str(e.value) and str(journal) in str(e.value)
    assert tree_state(journal) == before
    assert analysis.to_file(tmp_path / "out").is_file()  # outside it, the report is written


def test_to_file_guard_holds_after_the_working_folder_changes(tmp_path, monkeypatch):
    journal = _journal(tmp_path)
    monkeypatch.chdir(tmp_path)
    analysis = analyze("journal", model="blank")  # a relative path, as typed in a notebook
    monkeypatch.chdir(journal / "sub")
    before = tree_state(journal)
    with pytest.raises(OutputError, match="inside the journal"):
        analysis.to_file("mine.html")  # journal/sub/mine.html
    with pytest.raises(OutputError, match="inside the journal"):
        analysis.to_file("../reports")
    assert tree_state(journal) == before


def test_to_file_refuses_the_journal_file_itself(tmp_path):
    table = tmp_path / "cohort.csv"
    table.write_text("text\nI froze on the first question.\n", encoding="utf-8")
    analysis = analyze(table, model="blank")
    before = table.read_bytes()
    with pytest.raises(OutputError, match="inside the journal"):
        analysis.to_file(table)
    assert table.read_bytes() == before
    assert analysis.to_file(tmp_path / "report.html").is_file()  # next to it is fine


def test_store_inside_the_journal_is_refused_by_the_api(tmp_path):
    journal = _journal(tmp_path)
    before = tree_state(journal)
    for store in (journal / "cache.sqlite", journal / "sub" / "deeper" / "cache.sqlite"):
        with pytest.raises(OutputError, match="inside the journal") as e:
            analyze(journal, model="blank", store=store)
        assert str(store) in str(e.value) and str(journal) in str(e.value)
    assert tree_state(journal) == before


@pytest.mark.parametrize("name", ["report.json", "report.md", "tables/entries.csv", "figures/notes.md"])
def test_report_folder_never_replaces_a_journal_file(tmp_path, capsys, name):
    from reflect_nlp.cli import main

    journal = tmp_path / name
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_text('[{"text": "I froze on the first question."}]\n' if name.endswith(".json") else
                       "text\nI froze on the first question.\n" if name.endswith(".csv") else "I froze on the first question.\n")
    before = journal.read_bytes()
    argv = ["analyze", str(journal), "--model", "blank", "-q", "--format", "html,md,json,csv", "--out", str(tmp_path)]
    assert main(argv) == OutputError.exit_code
    assert f"would write into or over the journal {journal}" in capsys.readouterr().err
    analysis = analyze(journal, model="blank")
    with pytest.raises(OutputError, match="would write into or over the journal"):
        analysis.to_file(tmp_path, formats="html,md,json,csv")
    assert journal.read_bytes() == before
    # a journal file beside the report's files is fine
    other = tmp_path / "elsewhere"
    assert main([*argv[:-1], str(other)]) == 0 and journal.read_bytes() == before
    (tmp_path / "notes.txt").write_text("I froze again.\n")
    assert main(["analyze", str(tmp_path / "notes.txt"), "--model", "blank", "-q", "--out", str(tmp_path)]) == 0


@pytest.mark.parametrize("folder", ["figures", "tables"])
def test_report_folder_never_writes_into_a_journal_folder_named_like_its_parts(tmp_path, capsys, folder):
    from reflect_nlp.cli import main

    journal = tmp_path / "x" / folder
    journal.mkdir(parents=True)
    (journal / "note.md").write_text("I froze on the first question.\n")
    before = tree_state(journal)
    argv = ["analyze", str(journal), "--model", "blank", "-q", "--format", "html,csv", "--out", str(tmp_path / "x")]
    assert main(argv) == OutputError.exit_code
    assert "would write into or over the journal" in capsys.readouterr().err
    with pytest.raises(OutputError):
        analyze(journal, model="blank").to_file(tmp_path / "x", formats="html,csv")
    assert tree_state(journal) == before


def test_a_redacted_copy_still_refuses_to_write_into_the_journal(tmp_path):
    from reflect_nlp.redact import redact_analysis

    journal = tmp_path / "Jane Smith"
    journal.mkdir()
    (journal / "note.md").write_text("Jane Smith asked me about caching and I froze.\n")
    analysis = analyze(journal, model="blank")
    redacted = redact_analysis(analysis, lambda text: text.replace("Jane Smith", "[name]") if text else text)
    with pytest.raises(OutputError, match="inside the journal"):
        redacted.to_file(journal / "out")
    assert not (journal / "out").exists()


# --- texts instead of a journal (a notebook's list or pandas Series) --------------------------

TEXTS = [
    "I froze on the first question.",
    "Nervous again.",
    "I rambled about caching for ten minutes and never got to the point.",
    "My mind went blank when they asked about my salary expectations.",
    "I ran out of time on the coding question. Next time I will watch the clock.",
    "A calm call today. I had prepared three questions for them.",
]


@pytest.mark.parametrize("kind", ["list", "tuple", "generator", "series", "series with its own index"])
def test_analyze_takes_texts_one_entry_each_in_order(nlp, tmp_path, kind):
    import pandas as pd

    texts = {"list": list, "tuple": tuple, "generator": lambda t: (x for x in t), "series": pd.Series,
             "series with its own index": lambda t: pd.Series(t, index=[9, 2, 7, 0, 5, 1])}[kind](TEXTS)
    analysis = analyze(texts, nlp=nlp)
    assert [r.text for r in analysis.reflections] == TEXTS
    # entries (and so every per-interview table) keep the order given; none has a date
    assert list(analysis.entries["source"]) == [f"texts[{i}]" for i in range(len(TEXTS))]
    assert analysis.entries["date"].isna().all() and set(analysis.entries["date_source"]) == {"none"}
    assert list(analysis.gut_feeling()["entry_id"]) == list(analysis.entries["entry_id"])
    assert analysis.problems == []
    text_of = {r.id: r.text for r in analysis.reflections}
    assert len(analysis.weak_spots) and all(
        s in text_of[e] for e, s in zip(analysis.weak_spots["entry_id"], analysis.weak_spots["sentence"]))
    if kind != "list":  # a Series (whatever its index), a tuple or a generator is read as the list is
        import pandas.testing as pdt

        pdt.assert_frame_equal(analysis.entries, analyze(TEXTS, nlp=nlp).entries)


def test_analysis_of_texts_writes_reports_and_uses_a_store(nlp, tmp_path):
    store = tmp_path / "cache" / "store.sqlite"
    first = analyze(TEXTS, nlp=nlp, store=store)
    assert first.to_file(tmp_path / "report").name == "report.html"
    again = analyze(["", *TEXTS], nlp=nlp, store=store)
    assert (again.meta["store"]["analysed"], again.meta["store"]["reused"]) == (0, len(TEXTS))
    # an empty text is a load problem, as an empty note is; the others keep their place
    assert [(p.source, p.kind, p.action) for p in again.problems] == [("texts[0]", "empty", "skipped")]
    assert list(again.entries["source"]) == [f"texts[{i}]" for i in range(1, len(TEXTS) + 1)]


@pytest.mark.parametrize("bad, says", [
    (42, "got int"),
    (b"journal", "got bytes"),
    (["I froze.", None], "texts[1] is NoneType"),
    ({"2025-01-08": "I froze."}, "got dict"),
])
def test_analyze_says_what_it_accepts(bad, says):
    with pytest.raises(TypeError, match="folder or file .* or an iterable of strings") as e:
        analyze(bad, model="blank")
    assert says in str(e.value)


def test_a_dataframe_is_refused_with_the_column_to_pass():
    import pandas as pd

    with pytest.raises(TypeError, match=r"one column of a DataFrame, e\.g\. df\['text'\]"):
        analyze(pd.DataFrame({"text": TEXTS}), model="blank")


def test_no_texts_is_an_empty_journal():
    from reflect_nlp.errors import EmptyJournalError

    with pytest.raises(EmptyJournalError, match="no reflections"):
        analyze([], model="blank")


def test_a_text_passed_where_a_path_goes_is_told_how_to_pass_texts(tmp_path, monkeypatch):
    from reflect_nlp.errors import JournalNotFoundError

    monkeypatch.chdir(tmp_path)
    with pytest.raises(JournalNotFoundError, match=r"pass a list of strings: analyze\(\[text\]\)"):
        analyze("I froze on the first question.", model="blank")
    with pytest.raises(JournalNotFoundError) as e:  # a mistyped path is not taken for text
        analyze("notes/2025", model="blank")
    assert "list of strings" not in str(e.value)


def test_undated_table_rows_keep_the_order_of_the_file(nlp, tmp_path):
    rows = ["text"] + [f'"Interview {i}: I ran out of time on question {i}."' for i in range(1, 13)]
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    a = analyze(tmp_path / "t.csv", nlp=nlp)
    assert a.entries["line"].tolist() == list(range(2, 14))
