"""Ingest: bad input never stops the batch and always becomes a LoadProblem naming the file.

Bad files are generated in tmp_path next to one good note, so the journal still loads.
"""
from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflect_nlp import load_journal
from reflect_nlp.errors import EmptyJournalError
from reflect_nlp.ingest import decode as decode_module

GOOD = "2024-03-01-good.md"


@pytest.fixture
def journal_dir(tmp_path: Path) -> Path:
    d = tmp_path / "journal"
    d.mkdir()
    (d / GOOD).write_text("The interview went fine. I asked good questions.\n")
    return d


def problems_for(journal, source):
    return [(p.kind, p.line, p.action) for p in journal.problems if p.source == source]


def texts(journal):
    return {r.source: r.text for r in journal.reflections}


def test_invalid_utf8_is_decoded_with_a_fallback_and_warned(journal_dir):
    (journal_dir / "latin.txt").write_bytes("Line one is fine.\nCaf\u00e9 chat went well, na\u00efve answers though.\n".encode("cp1252"))
    j = load_journal(journal_dir)
    assert problems_for(j, "latin.txt") == [("invalid_utf8", 2, "warned")]
    assert "Café chat went well, naïve answers" in texts(j)["latin.txt"]


def test_mostly_utf8_file_keeps_its_good_characters(journal_dir):
    data = "Smart quotes \u201cok\u201d here.\n".encode() + b"stray byte \x92 there\n"
    (journal_dir / "mixed.md").write_bytes(data)
    j = load_journal(journal_dir)
    raw = next(r.raw for r in j.reflections if r.source == "mixed.md")  # as written; .text straightens typographic quotes for the parser
    assert "Smart quotes \u201cok\u201d here." in raw and "stray byte \u2019 there" in raw
    assert "Smart quotes \"ok\" here." in texts(j)["mixed.md"] and "stray byte ' there" in texts(j)["mixed.md"]
    assert problems_for(j, "mixed.md") == [("invalid_utf8", 2, "warned")]


def test_bom_is_removed_and_reported(journal_dir):
    (journal_dir / "bom.md").write_bytes(codecs.BOM_UTF8 + b"---\ncompany: Acme\n---\nNotepad saved this one.\n")
    j = load_journal(journal_dir)
    r = next(r for r in j.reflections if r.source == "bom.md")
    assert r.company == "Acme" and r.text == "Notepad saved this one."
    assert problems_for(j, "bom.md") == [("bom", 1, "warned")]


def test_utf16_with_bom_is_read(journal_dir):
    (journal_dir / "utf16.txt").write_bytes("Saved as UTF-16 by Windows. It went OK.".encode("utf-16"))
    j = load_journal(journal_dir)
    assert texts(j)["utf16.txt"] == "Saved as UTF-16 by Windows. It went OK."
    assert [k for k, *_ in problems_for(j, "utf16.txt")] == ["bom"]


def test_crlf_and_mixed_line_endings(journal_dir):
    (journal_dir / "crlf.md").write_bytes(b"---\r\ncompany: Globex\r\ndate: 2024-02-02\r\n---\r\n# Globex\r\nLine one.\rLine two.\r\n\r\nNext para.")
    j = load_journal(journal_dir)
    r = next(r for r in j.reflections if r.source == "crlf.md")
    assert (r.company, str(r.date)) == ("Globex", "2024-02-02")
    assert "\r" not in r.text and "\r" not in r.raw
    assert r.text == "Globex\n\nLine one.\nLine two.\n\nNext para."
    assert problems_for(j, "crlf.md") == []


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  ", b"---\ncompany: Acme\n---\n\n"])
def test_empty_or_whitespace_only_file(journal_dir, content):
    (journal_dir / "empty.md").write_bytes(content)
    j = load_journal(journal_dir)
    assert problems_for(j, "empty.md") in ([("empty", None, "skipped")],)
    assert [r.source for r in j.reflections] == [GOOD]


def test_note_with_only_code_has_nothing_to_analyse(journal_dir):
    (journal_dir / "code.md").write_text("```sql\nselect * from offers;\n```\n")
    j = load_journal(journal_dir)
    assert problems_for(j, "code.md") == [("empty", None, "skipped")]


def test_binary_file_with_a_note_extension(journal_dir):
    (journal_dir / "scan.md").write_bytes(b"%PDF-1.7\n\x00\x01\x02binary\x00stuff")
    j = load_journal(journal_dir)
    assert problems_for(j, "scan.md") == [("binary", None, "skipped")]


def test_file_over_the_size_limit(journal_dir):
    (journal_dir / "huge.txt").write_text("word " * 400)
    j = load_journal(journal_dir, max_bytes=1000)
    (p,) = [p for p in j.problems if p.source == "huge.txt"]
    assert (p.kind, p.action) == ("too_large", "skipped") and "max_bytes" in p.message
    assert "huge.txt" in texts(load_journal(journal_dir, max_bytes=10_000))


def test_symlink_loop_is_cut(journal_dir):
    sub = journal_dir / "sub"
    sub.mkdir()
    (sub / "2024-03-02.md").write_text("Nested note. Went OK.\n")
    os.symlink("..", sub / "back-to-root")
    os.symlink("self-link.md", journal_dir / "self-link.md")
    os.symlink("missing-target.md", journal_dir / "broken-link.md")
    j = load_journal(journal_dir)
    assert sorted(r.source for r in j.reflections) == [GOOD, "sub/2024-03-02.md"]
    assert problems_for(j, "sub/back-to-root") == [("symlink_loop", None, "skipped")]
    assert problems_for(j, "self-link.md") == [("symlink_loop", None, "skipped")]
    assert problems_for(j, "broken-link.md") == [("unreadable", None, "skipped")]


def test_symlinked_file_and_folder_are_read_once(journal_dir):
    os.symlink(GOOD, journal_dir / "link-to-good.md")
    (journal_dir / "real").mkdir()
    (journal_dir / "real" / "n.md").write_text("Real folder note.\n")
    os.symlink("real", journal_dir / "zz-alias")  # walked after real/ (sorted order)
    j = load_journal(journal_dir)
    assert sorted(r.source for r in j.reflections) == [GOOD, "real/n.md"]
    assert {p.source: p.kind for p in j.problems} == {"link-to-good.md": "duplicate", "zz-alias": "duplicate"}


def test_unreadable_file(journal_dir, monkeypatch):
    target = journal_dir / "locked.md"
    target.write_text("Private.\n")
    real_open = open

    def fake_open(path, *args, **kwargs):
        if Path(path) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(decode_module, "open", fake_open, raising=False)
    j = load_journal(journal_dir)
    assert problems_for(j, "locked.md") == [("unreadable", None, "skipped")]
    assert [r.source for r in j.reflections] == [GOOD]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_by_permissions(journal_dir):
    target = journal_dir / "locked.md"
    target.write_text("Private.\n")
    target.chmod(0)
    try:
        j = load_journal(journal_dir)
    finally:
        target.chmod(0o644)
    assert problems_for(j, "locked.md") == [("unreadable", None, "skipped")]


def test_fifo_does_not_block(journal_dir):
    os.mkfifo(journal_dir / "pipe.md")
    j = load_journal(journal_dir)
    assert [r.source for r in j.reflections] == [GOOD]
    assert "pipe.md" in j.skipped_paths


def test_front_matter_over_the_cap_is_not_parsed(journal_dir):
    (journal_dir / "big-fm.md").write_text("---\n" + "k: v\n" * 20_000 + "---\nBody text.\n")
    j = load_journal(journal_dir)
    assert [k for k, *_ in problems_for(j, "big-fm.md")] == ["bad_front_matter"]


def test_deeply_nested_yaml_is_rejected(journal_dir):
    (journal_dir / "deep.md").write_text("---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\nBody text.\n")
    j = load_journal(journal_dir)
    assert [k for k, *_ in problems_for(j, "deep.md")] == ["bad_yaml"]
    assert texts(j)["deep.md"] == "Body text."


def test_ragged_and_broken_csv(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text('text,date\n"ok row",2024-01-01\nshort\n"unterminated,2024-01-02\n')
    j = load_journal(f)
    assert [r.text for r in j.reflections][0] == "ok row"
    assert ("ragged_row", 3) in {(p.kind, p.line) for p in j.problems}


def test_single_bad_file_is_an_empty_journal_error_naming_the_problem(tmp_path):
    f = tmp_path / "only.md"
    f.write_bytes(b"\x00\x00\x00")
    with pytest.raises(EmptyJournalError, match="binary"):
        load_journal(f)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_bytes_load_or_raise_empty(tmp_path, data):
    f = tmp_path / "fuzz.md"
    f.write_bytes(data)
    try:
        j = load_journal(f)
    except EmptyJournalError:
        return
    assert len(j.reflections) == 1 and j.reflections[0].text.strip()


@pytest.mark.skipif(os.name == "nt", reason="Windows file names are Unicode")
def test_file_name_with_an_undecodable_byte_is_read_and_reported(journal_dir, tmp_path):
    """A note named with a byte that is not UTF-8 (a Latin-1 "é") is read; its name is shown as
    \\xe9 in sources, the store and every output, and the run writes them all twice over."""
    from reflect_nlp.cli import main

    with open(os.path.join(os.fsencode(journal_dir), b"caf\xe9-notes.md"), "w", encoding="utf-8") as f:
        f.write("My mind went blank on the first question.\n")
    (journal_dir / "scan.pdf").write_bytes(b"%PDF")
    os.rename(journal_dir / "scan.pdf", os.path.join(os.fsencode(journal_dir), b"scan\xff.pdf"))
    j = load_journal(journal_dir)
    assert sorted(r.source for r in j.reflections) == [GOOD, "caf\\xe9-notes.md"]
    assert j.skipped_paths == ["scan\\xff.pdf"]
    out = tmp_path / "out"
    for _ in range(2):  # the second run reads the note from the store's cache
        assert main(["analyze", str(journal_dir), "--out", str(out), "--format", "html,md,json,csv", "--quiet"]) == 0
    assert "caf\\\\xe9-notes.md" in (out / "report.json").read_text(encoding="utf-8")
