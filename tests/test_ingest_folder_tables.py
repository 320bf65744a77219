"""CSV/TSV/JSONL/JSON tables inside a journal folder are read as when the table is passed on its own."""
from __future__ import annotations

import json
import shutil
from dataclasses import astuple, replace
from pathlib import Path

import pytest

from test_reliability import tree_state

from reflect_nlp import analyze, load_journal
from reflect_nlp.errors import EmptyJournalError
from reflect_nlp.cli import main

TABLES = Path(__file__).parent / "data" / "journals" / "tables"
NAMES = ("cohort.csv", "stories.jsonl", "records.json", "jrnl-export.json")


def _journal(tmp_path: Path) -> Path:
    """A folder of one note and, under exports/, every table of tests/data/journals/tables (with its bad rows)."""
    j = tmp_path / "journal"
    shutil.copytree(TABLES, j / "exports")
    (j / "2024-03-01-acme.md").write_text("---\ncompany: Acme\n---\nMy mind went blank on the first question.\n")
    return j


def _same(refl, prefix: str):
    """A reflection as loaded from the file alone, as the folder names it (ids follow the source)."""
    return astuple(replace(refl, id="", source=prefix + refl.source))


def test_tables_in_a_folder_are_read_as_when_passed_alone(tmp_path):
    j = _journal(tmp_path)
    folder = load_journal(j)
    for name in NAMES:
        alone = load_journal(j / "exports" / name)
        from_folder = [r for r in folder.reflections if r.source.split(":")[0] == f"exports/{name}"]
        assert alone.reflections and [_same(r, "exports/") for r in alone.reflections] == [astuple(replace(r, id="")) for r in from_folder]
        # bad rows: the same problems, naming the file (as found in the folder) and the line
        assert [(f"exports/{p.source}", p.line, p.kind, p.action) for p in alone.problems] == [
            (p.source, p.line, p.kind, p.action) for p in folder.problems if p.source == f"exports/{name}"]
    assert any(p.line and p.action == "skipped" and p.source.startswith("exports/") for p in folder.problems)
    assert "2024-03-01-acme.md" in {r.source for r in folder.reflections}  # the notes are read as before
    assert folder.skipped_paths == []


def test_a_folder_table_without_a_text_column_is_reported_and_the_run_goes_on(tmp_path):
    j = _journal(tmp_path)
    folder = load_journal(j)
    (p,) = [p for p in folder.problems if p.source == "exports/custom-columns.csv"]
    assert (p.line, p.kind, p.action) == (1, "no_text_column", "skipped") and "--column text=NAME" in p.message
    # column options apply to every table in the folder, as to a table given directly
    named = load_journal(j, text_column="Reflection Notes", date_column="When", columns={"company": "Employer"})
    rows = [(r.source, r.company, str(r.date)) for r in named.reflections if r.source.startswith("exports/custom-columns.csv")]
    assert rows == [("exports/custom-columns.csv:2", "Wayne Enterprises", "2024-07-01"),
                    ("exports/custom-columns.csv:3", "Wayne Enterprises", "2024-07-08")]
    # tables without the named text column keep their own, with a warning (one run reads them all)
    assert {p.source for p in named.problems if p.kind == "no_column" and "text=" in p.message} >= {
        "exports/cohort.csv", "exports/stories.jsonl"}
    assert {r.source.split(":")[0] for r in named.reflections} >= {"exports/cohort.csv", "exports/stories.jsonl"}


def test_a_folder_of_tables_only_is_a_journal(tmp_path, capsys):
    j = tmp_path / "cohort"
    j.mkdir()
    (j / "cohort.tsv").write_text("date\tcompany\ttext\n2025-02-01\tInitech\tI froze on the first question.\n", encoding="utf-8")
    (j / "more.ndjson").write_text(json.dumps({"text": "I rambled about caching.", "company": "Hooli"}) + "\n", encoding="utf-8")
    journal = load_journal(j)
    assert [(r.source, r.company, r.format) for r in journal.reflections] == [
        ("cohort.tsv:2", "Initech", "csv"), ("more.ndjson:1", "Hooli", "jsonl")]


def test_cli_says_which_tables_in_the_folder_it_read_and_leaves_the_journal_alone(tmp_path, capsys):
    j = _journal(tmp_path)
    before = tree_state(j)
    assert main(["analyze", str(j), "--model", "blank", "--out", str(tmp_path / "out"), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert tree_state(j) == before
    assert ("Read 11 entries from 4 CSV/JSON files in the folder: exports/cohort.csv (4), exports/jrnl-export.json (2), "
            "exports/records.json (2), exports/stories.jsonl (3)") in out.splitlines()
    assert "  exports/custom-columns.csv:1: has no text column" in out  # skipped, with file and line
    assert "  exports/stories.jsonl:3: not valid JSON" in out
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["summary"]["entries"] == 12  # the note and the 11 rows


def test_a_report_inside_the_journal_folder_is_not_read_back(tmp_path):
    j = tmp_path / "journal"
    j.mkdir()
    (j / "2025-01-08.md").write_text("My mind went blank again. Next time I will practise out loud.\n")
    (j / "2025-01-15.md").write_text("I ran out of time on the coding question, again.\n")
    report = analyze(j, model="blank").to_file(tmp_path / "report", formats="html,csv,json", figures=False).parent
    shutil.copytree(report, j / "old-report")
    before = tree_state(j)
    journal = load_journal(j)
    assert tree_state(j) == before
    assert {r.source for r in journal.reflections} == {"2025-01-08.md", "2025-01-15.md"}
    written = sorted(str(p.relative_to(j)) for p in (j / "old-report").rglob("*") if p.suffix in (".csv", ".json"))
    assert len(written) > 10 and "old-report/tables/sentences.csv" in written
    for rel in written:
        (p,) = [p for p in journal.problems if p.source == rel]
        assert (p.kind, p.action, p.line) == ("not_read", "skipped", 1) and "reflect-nlp" in p.message, p
    # passed on its own, a report table is read as asked (sentences.csv has a text column)
    assert load_journal(j / "old-report" / "tables" / "sentences.csv").reflections


@pytest.mark.parametrize("name", ["notes.csv", "notes.jsonl", "notes.json"])
def test_bad_table_in_a_folder_names_file_and_line(tmp_path, name):
    j = tmp_path / "journal"
    j.mkdir()
    (j / "2025-01-08.md").write_text("My mind went blank again.\n")
    bad = {"notes.csv": 'text,company\n"I froze,Acme\n', "notes.jsonl": '{"text": "I froze"}\n{oops\n', "notes.json": '[{"text": "I froze"},\n 7]\n'}
    (j / name).write_text(bad[name], encoding="utf-8")
    journal = load_journal(j)
    problems = [p for p in journal.problems if p.source == name]
    assert problems and all(p.line for p in problems), problems
    assert "2025-01-08.md" in {r.source for r in journal.reflections}


# JSON files that are not tables of reflections (a package.json, a settings file, a word list) sit in
# many folders: in a journal folder they are not read (not_read, skipped), not reported as bad JSON.
NOT_TABLES = {
    "package.json": '{\n  "name": "my-notes",\n  "version": "1.0.0",\n  "scripts": {"build": "tsc"}\n}\n',
    "settings.json": '{"theme": "dark", "notes": true, "fontSize": 14}\n',
    "words.json": '["kubernetes", "Initech"]\n',
    "empty.json": "[]\n",
    "version.json": "3\n",
    "broken-config.json": '{\n  "theme": "dark",\n  "fontSize": 14,\n}\n',  # not valid JSON either
}
# Broken, or without a list, but written as reflections: still bad, with file and line.
LOOK_LIKE_TABLES = {
    "export.json": '[\n {"text": "I froze on the first question."},\n {"text": "Nervous again." \n]\n',
    "jrnl.json": '{"entries": [\n {"date": "2025-01-08", "body": "I froze"}\n}\n',
    "one-entry.json": '{"text": "I froze on the first question.", "company": "Acme"}\n',
}


def test_json_that_is_not_a_table_is_not_read_and_a_broken_export_is_bad(tmp_path):
    j = tmp_path / "journal"
    j.mkdir()
    (j / "2025-01-08.md").write_text("My mind went blank again.\n")
    for name, text in {**NOT_TABLES, **LOOK_LIKE_TABLES}.items():
        (j / name).write_text(text, encoding="utf-8")
    journal = load_journal(j)
    assert [r.source for r in journal.reflections] == ["2025-01-08.md"]
    found = {name: [(p.kind, p.action, p.line) for p in journal.problems if p.source == name] for name in (*NOT_TABLES, *LOOK_LIKE_TABLES)}
    assert found == {
        **{name: [("not_read", "skipped", 1)] for name in NOT_TABLES if name != "broken-config.json"},
        "broken-config.json": [("not_read", "skipped", 4)],  # the line where it stops being JSON
        "export.json": [("bad_json", "skipped", 4)],
        "jrnl.json": [("bad_json", "skipped", 3)],
        "one-entry.json": [("bad_json", "skipped", 1)],
    }
    messages = {p.source: p.message for p in journal.problems}
    assert all("not a table of reflections" in messages[n] and "a JSON journal is a list of records" in messages[n] for n in NOT_TABLES)
    assert "not valid JSON" in messages["broken-config.json"]
    # passed on its own, such a file is read as asked, and what is wrong with it is an error
    for name in NOT_TABLES:
        with pytest.raises(EmptyJournalError) as e:
            load_journal(j / name)
        assert "not a table of reflections" not in str(e.value) and name in str(e.value)


def test_a_reports_markdown_inside_the_journal_folder_is_not_read_back(nlp, tmp_path):
    """report.md quotes the journal's sentences as evidence: read back, every weak spot would count twice."""
    from reflect_nlp import new_entry

    j = tmp_path / "journal"
    j.mkdir()
    (j / "2025-01-08.md").write_text("My mind went blank again. Next time I will practise out loud.\n")
    (j / "2025-01-15.md").write_text("I ran out of time on the coding question, again.\n")
    report = analyze(j, nlp=nlp).to_file(tmp_path / "report", formats="html,md").parent
    shutil.copytree(report, j / "old-report")
    shutil.copy(report / "report.md", j / "old-report" / "shared with my coach.md")  # by what it holds, not its name
    # Markdown that reflect-nlp writes into the journal on purpose is a note, and so is one about a report
    template = new_entry(j, date="2025-01-20", company="Acme", review=False)
    template.write_text(template.read_text() + "\nI froze on the system design question.\n")
    (j / "2025-01-22.md").write_text("# Summary\n\nThe report said I ramble.\n\n## Evidence\n\nI rambled.\n\n## Method\n\nModel answers, spaCy notes.\n")
    before = tree_state(j)
    journal = load_journal(j)
    assert tree_state(j) == before
    assert {r.source for r in journal.reflections} == {"2025-01-08.md", "2025-01-15.md", template.name, "2025-01-22.md"}
    for rel in ("old-report/report.md", "old-report/shared with my coach.md"):
        (p,) = [p for p in journal.problems if p.source == rel]
        assert (p.kind, p.action, p.line) == ("not_read", "skipped", 1) and "reflect-nlp report" in p.message, p
    # the rest of the report folder is not read either (not note or table files)
    assert "old-report/report.html" in journal.skipped_paths and any(p.startswith("old-report/figures/") for p in journal.skipped_paths)
    # passed on its own, the report's Markdown is read as asked
    assert load_journal(j / "old-report" / "report.md").reflections


def test_a_named_column_a_table_lacks_is_a_warning_and_its_own_column_is_read(tmp_path):
    j = tmp_path / "j"
    j.mkdir()
    (j / "log.csv").write_text("date,company,notes\n2025-01-02,Acme,I froze on the first question.\n")
    (j / "t.tsv").write_text("date\tcompany\ttext\n2025-01-03\tGlobex\tI ran out of time.\n")
    journal = load_journal(j, columns={"text": "notes", "date": "when"})
    assert sorted(r.text for r in journal.reflections) == ["I froze on the first question.", "I ran out of time."]
    assert all(r.date is not None for r in journal.reflections)  # their own date column, not extras
    kinds = sorted((p.source, p.kind, p.action) for p in journal.problems)
    assert kinds == [("log.csv", "no_column", "warned"), ("t.tsv", "no_column", "warned"), ("t.tsv", "no_column", "warned")]
    # passed on its own, a table without the named text column is still refused
    with pytest.raises(EmptyJournalError, match="no column 'notes'"):
        load_journal(j / "t.tsv", columns={"text": "notes"})
