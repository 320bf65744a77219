"""The command line: help text everywhere, `analyze` outputs, summary, progress bar, exit codes."""
from __future__ import annotations

import argparse
import io
import json

import pytest

from reflect_nlp import cli


@pytest.fixture
def session_model(monkeypatch, nlp, nlp_ner):
    """Make the CLI use the session's pipelines instead of loading new ones."""
    import reflect_nlp.analysis
    import reflect_nlp.models

    monkeypatch.setattr(reflect_nlp.analysis, "build_pipeline", lambda *a, **k: nlp)
    monkeypatch.setattr(reflect_nlp.models, "load_model", lambda *a, **k: nlp_ner)


@pytest.fixture
def journal(tmp_path):
    j = tmp_path / "journal"
    j.mkdir()
    (j / "2025-03-01-acme.md").write_text("---\ncompany: Acme\noutcome: rejected\n---\nMy mind went blank. Next time I will practise more.\n")
    (j / "2025-03-09-globex.md").write_text("I ran out of time on the coding question. Ask Dana Whitfield at dana@example.com.\n")
    (j / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return j


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices), {a.dest: a.help for a in action._choices_actions}


def test_every_command_and_option_has_help():
    parser = cli.build_parser()
    assert parser.description
    commands, helps = _subparsers(parser)
    assert "analyze" in commands
    for name, sub in commands.items():
        assert helps.get(name), f"{name} has no help line"
        assert sub.description, f"{name} has no description"
        for action in sub._actions:
            if not isinstance(action, argparse._HelpAction):
                assert action.help, f"{name} {action.dest} has no help"


def test_analyze_help_lists_report_options(capsys):
    with pytest.raises(SystemExit):
        cli.main(["analyze", "--help"])
    text = capsys.readouterr().out
    for opt in ("--out", "--format", "--redact", "--quiet", "html", "csv"):
        assert opt in text


def test_analyze_writes_outputs_and_summary(session_model, journal, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["analyze", str(journal), "--out", str(out), "--format", "html,json,csv,md"]) == 0
    captured = capsys.readouterr()
    for f in ("report.html", "report.md", "report.json", "tables/entries.csv", "figures/tone.svg", "figures/tone.png"):
        assert (out / f).is_file(), f
    lines = captured.out.splitlines()
    assert lines[0] == "Analysed 2 interview reflections (2025-03-01 to 2025-03-09)."
    assert any("photo.png" in line for line in lines)  # skipped, with its reason
    assert f"Report: {out / 'report.html'}" in lines
    assert "█" not in captured.err  # stderr is not a terminal here: no progress bar
    assert json.loads((out / "report.json").read_text())["summary"]["entries"] == 2



def test_summary_lists_the_tables_read_in_the_folder(session_model, journal, tmp_path, capsys):
    (journal / "export.csv").write_text("text,company\nI froze,Initech,oops\n")
    (journal / "tracker.csv").write_text("company,status\nAcme,applied\n")
    assert cli.main(["analyze", str(journal), "--out", str(tmp_path / "out")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Analysed 3 interview reflections")
    assert "Read 1 entry from 1 CSV/JSON file in the folder: export.csv (1)" in lines
    assert "Skipped 2 files or entries:" in lines  # photo.png and tracker.csv
    assert [line for line in lines if "csv:" in line] == [
        "  tracker.csv:1: has no text column (looked for text, body, entry, reflection, content, story, notes, note, journal); "
        "name it with --column text=NAME (API: text_column=...) (columns: company, status)",
        "  export.csv:2: row has 3 cells, the header has 2; extra cells kept as _extra (warned)"]


def test_summary_counts_other_files_without_the_main_one(session_model, journal, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["analyze", str(journal), "--out", str(out), "--format", "md,csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    files = [f for f in out.rglob("*") if f.is_file() and f.name != "store.sqlite" and not f.name.startswith("store.sqlite-")]
    assert not (out / "figures").exists()  # charts are drawn only for the HTML report
    assert f"Report: {out / 'report.md'}" in lines
    assert f"Also wrote {len(files) - 1} files under {out}" in lines

def test_quiet_prints_only_the_path(session_model, journal, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["analyze", str(journal), "--out", str(out), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(out / "report.html") and captured.err == ""


def test_redact_flag_redacts_and_writes_no_cache(session_model, journal, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["analyze", str(journal), "--out", str(out), "--format", "html,json", "--redact", "-q"]) == 0
    for p in out.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            assert b"Dana Whitfield" not in data and b"dana@example.com" not in data, p
    assert not (out / "store.sqlite").exists()  # the cache would hold the unredacted text


def test_bad_format_fails_fast_with_a_clear_message(journal, tmp_path, capsys):
    assert cli.main(["analyze", str(journal), "--out", str(tmp_path / "o"), "--format", "html,pdf"]) == 1
    assert "choose from html, md, json, csv" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_missing_journal_exit_code(tmp_path, capsys):
    assert cli.main(["analyze", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal(monkeypatch):
    tty = _Tty()
    monkeypatch.setattr("sys.stderr", tty)
    bar = cli.Progress(enabled=True, width=10)
    bar(1, 4)
    bar(4, 4)
    bar.close()
    assert tty.getvalue() == "\rAnalysing ██░░░░░░░░ 1/4\rAnalysing ██████████ 4/4\n"
    quiet = _Tty()
    monkeypatch.setattr("sys.stderr", quiet)
    bar = cli.Progress(enabled=False)
    bar(1, 2)
    bar.close()
    assert quiet.getvalue() == ""


def test_column_flags_name_a_tables_columns(session_model, tmp_path, capsys):
    table = tmp_path / "coaching.csv"
    table.write_text("when,employer,reflexion\n2025-04-02,Initech,I froze on the first question.\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["analyze", str(table), "--out", str(out), "--format", "json", "-q"]
    assert cli.main(argv) == 3  # no column looks like the text: nothing to analyse
    assert "--column text=NAME" in capsys.readouterr().err
    assert cli.main(argv + ["--column", "text=reflexion", "--column", "date=when", "--column", "company=employer"]) == 0
    entries = json.loads((out / "report.json").read_text())["tables"]["entries"]
    assert [(e["date"][:10], e["company"]) for e in entries] == [("2025-04-02", "Initech")]


def test_column_flag_without_equals_is_a_clear_error(tmp_path, capsys):
    table = tmp_path / "t.csv"
    table.write_text("text\nI froze.\n", encoding="utf-8")
    assert cli.main(["analyze", str(table), "--out", str(tmp_path / "o"), "--column", "reflexion"]) == 1
    assert "FIELD=COLUMN" in capsys.readouterr().err


def test_package_exports_load_on_first_use():
    """`import reflect_nlp` (and so `reflect-nlp --help`) must not pull in pandas; every export
    is still listed and resolves."""
    import subprocess
    import sys

    code = ("import sys, reflect_nlp as r; print('pandas' in sys.modules, sorted(set(r.__all__) - set(dir(r))), "
            "r.analyze.__module__, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "[]", "reflect_nlp.analysis", "True"]


def test_column_field_names_are_read_like_headers():
    assert cli._table_columns(["Text=reflexion", " Date =when", "Company=employer"]) == {
        "text_column": "reflexion", "date_column": "when", "columns": {"company": "employer"}}


def test_column_flag_on_a_notes_folder_warns_that_it_does_nothing(session_model, journal, tmp_path, capsys):
    assert cli.main(["analyze", str(journal), "--out", str(tmp_path / "o"), "--format", "json", "--column", "text=notes"]) == 0
    assert "--column applies to CSV/TSV/JSON(L) tables" in capsys.readouterr().err


def test_column_flag_with_an_unknown_field_is_a_clear_error(session_model, tmp_path, capsys):
    table = tmp_path / "t.csv"
    table.write_text("text,employer\nI froze on the first question.,Initech\n", encoding="utf-8")
    out = tmp_path / "o"
    code = cli.main(["analyze", str(table), "--out", str(out), "--column", "compnay=employer"])
    err = capsys.readouterr().err
    assert code == cli.main(["analyze", str(table), "--out", str(out), "--column", "employer"]) == 1  # as FIELD=COLUMN mistakes
    assert err.startswith("reflect-nlp: error: --column 'compnay=employer': 'compnay' is not a field")
    assert "Did you mean 'company'?" in err
    from reflect_nlp.ingest.fields import KNOWN_FIELDS

    valid = err.split("Valid fields: ", 1)[1]
    assert all(f in valid for f in ("text", *KNOWN_FIELDS))
    assert not out.exists()  # refused before anything was read or written


def test_column_flag_fields_match_what_ingest_reads():
    from reflect_nlp.ingest.fields import COLUMN_FIELDS, KNOWN_FIELDS

    assert sorted(cli.COLUMN_FIELDS) == sorted(("text", *KNOWN_FIELDS))
    assert cli.COLUMN_FIELDS == COLUMN_FIELDS  # --help lists what the check accepts, in its order


def test_reader_choices_match_the_library():
    from reflect_nlp.analysis import DEFAULT_READER, READERS

    assert cli.READERS == READERS
    assert cli.build_parser().parse_args(["analyze", "j"]).reader == DEFAULT_READER
    assert cli._table_columns(["rating=score", "employer=who"]) == {"columns": {"self_rating": "score", "company": "who"}}
