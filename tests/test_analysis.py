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
    assert f"The journal {journal} is a file" in capsys.readouterr().err
    analysis = analyze(journal, model="blank")
    with pytest.raises(OutputError, match="would replace"):
        analysis.to_file(tmp_path, formats="html,md,json,csv")
    assert journal.read_bytes() == before
    # a journal file beside the report's files is fine
    other = tmp_path / "elsewhere"
    assert main([*argv[:-1], str(other)]) == 0 and journal.read_bytes() == before
    (tmp_path / "notes.txt").write_text("I froze again.\n")
    assert main(["analyze", str(tmp_path / "notes.txt"), "--model", "blank", "-q", "--out", str(tmp_path)]) == 0
