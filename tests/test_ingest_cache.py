"""The stat-keyed cache of single-note files in the store (issue 15): ``load_journal(store=...)``
gives exactly what a plain ``load_journal`` gives, without reading unchanged notes again."""
from __future__ import annotations

import importlib.util
import os
import sqlite3
import warnings
from pathlib import Path

import pytest

from reflect_nlp import store
from reflect_nlp.ingest import load_journal
from reflect_nlp.ingest import loader

from conftest import DATA, ROOT

PAST = 1_700_000_000  # 2023-11-14: far from now, so no file counts as racy


def _gen_journal():
    spec = importlib.util.spec_from_file_location("gen_journal", ROOT / "benchmarks" / "gen_journal.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The rel of every file ingest opens."""
    seen: list[str] = []
    real = loader.read_bytes

    def counting(path, source, *args):
        seen.append(source)
        return real(path, source, *args)

    monkeypatch.setattr(loader, "read_bytes", counting)
    return seen


@pytest.fixture(autouse=True)
def fixed_version(monkeypatch):
    # Other engineers edit ingest while tests run: a moving version would turn hits into misses.
    real = store.ingest_version
    monkeypatch.setattr(store, "ingest_version", lambda root, max_bytes, use_mtime: real(root, max_bytes, use_mtime)[:4] + "test")


def assert_same(a, b) -> None:
    assert a.root == b.root
    assert a.reflections == b.reflections
    assert [r.extra for r in a.reflections] == [r.extra for r in b.reflections]  # extra is not compared by ==
    assert [type(r.date) for r in a.reflections] == [type(r.date) for r in b.reflections]
    assert a.problems == b.problems
    assert a.skipped_paths == b.skipped_paths


def cached_rels(db: Path) -> set[str]:
    with sqlite3.connect(db) as con:
        return {rel for (rel,) in con.execute("SELECT rel FROM notes")}


def check(journal: Path, db: Path, reads: list[str], **opts) -> list[str]:
    """Load with and without the cache, assert they agree; return the files the cached load read."""
    plain = load_journal(journal, **opts)
    reads.clear()
    cached = load_journal(journal, store=db, **opts)
    assert_same(cached, plain)
    return sorted(reads)


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "journals").iterdir() if p.is_dir()))
def test_data_journals_are_the_same_with_the_cache(name, tmp_path, reads):
    journal, db = DATA / "journals" / name, tmp_path / "store.sqlite"
    before = {p: p.stat().st_mtime_ns for p in journal.rglob("*")}
    first = check(journal, db, reads)
    second = check(journal, db, reads)
    # only what cannot be cached is read again: tables, jrnl exports, notes with problems
    assert set(second) == set(first) - cached_rels(db)
    assert {p: p.stat().st_mtime_ns for p in journal.rglob("*")} == before  # the journal is never written


def test_the_mixed_journal_caches_clean_notes_only(tmp_path, reads):
    db = tmp_path / "store.sqlite"
    load_journal(DATA / "journals" / "mixed", store=db)
    cached = cached_rels(db)
    assert {"2024-03-15-acme.md", "undated-thoughts.md", os.path.join("notes", "hooli-onsite.md")} <= cached
    # a table, a jrnl export and notes that had problems are read every time
    assert not cached & {"export.csv", "jrnl.txt", "bad-yaml.md", "empty.md", "README.md"}
    # a duplicate is found after reading: a cached copy is still reported as one
    assert "acme-copy.md" in cached
    again = load_journal(DATA / "journals" / "mixed", store=db)
    assert any(p.source == "acme-copy.md" and p.kind == "duplicate" for p in again.problems)


def test_generated_journal_after_edit_delete_add_touch(tmp_path, reads):
    journal, db = tmp_path / "journal", tmp_path / "store.sqlite"
    paths = _gen_journal().generate(journal, 40)
    for i, p in enumerate(paths):
        os.utime(p, ns=(PAST * 10**9, (PAST + i) * 10**9))
    assert len(check(journal, db, reads)) == 40  # nothing cached yet
    assert check(journal, db, reads) == []  # an unchanged re-run opens no note
    assert len(cached_rels(db)) == 40

    edited, deleted, touched = paths[3], paths[7], paths[11]
    edited.write_text(edited.read_text(encoding="utf-8").replace("company:", "company: Edited Co\nold_company:", 1), encoding="utf-8")
    os.utime(edited, ns=(PAST * 10**9, (PAST + 1000) * 10**9))
    deleted.unlink()
    added = journal / "undated-note.md"  # no date anywhere: the date comes from the mtime
    added.write_text("I froze on the first question and never recovered.\n", encoding="utf-8")
    os.utime(added, ns=(PAST * 10**9, (PAST + 2000) * 10**9))
    os.utime(touched, ns=(PAST * 10**9, (PAST + 3000) * 10**9))  # same content, new mtime

    assert check(journal, db, reads) == sorted(p.name for p in (edited, added, touched))
    assert check(journal, db, reads) == []
    assert deleted.name not in cached_rels(db) and len(cached_rels(db)) == 40

    # other load options are another ingest version: nothing cached under the defaults is reused
    assert len(check(journal, db, reads, use_mtime=False)) == 40
    assert len(check(journal, db, reads, max_bytes=1500)) == 40  # some notes are now too large
    assert check(journal, db, reads, max_bytes=1500) == sorted(p.name for p in journal.iterdir() if p.stat().st_size > 1500)


def test_a_note_changed_within_two_seconds_is_not_cached(tmp_path, reads):
    journal, db = tmp_path / "journal", tmp_path / "store.sqlite"
    journal.mkdir()
    (journal / "old.md").write_text("I rambled about caching.\n", encoding="utf-8")
    os.utime(journal / "old.md", (PAST, PAST))
    (journal / "new.md").write_text("I forgot to ask questions.\n", encoding="utf-8")  # mtime: now
    check(journal, db, reads)
    assert cached_rels(db) == {"old.md"}
    assert check(journal, db, reads) == ["new.md"]


def test_a_damaged_row_is_read_again(tmp_path, reads):
    journal, db = tmp_path / "journal", tmp_path / "store.sqlite"
    _gen_journal().generate(journal, 3)
    for p in journal.iterdir():
        os.utime(p, (PAST, PAST))
    check(journal, db, reads)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE notes SET payload = '{not json' WHERE rowid = (SELECT min(rowid) FROM notes)")
        con.execute("UPDATE notes SET payload = '[]' WHERE rowid = (SELECT max(rowid) FROM notes)")
    assert len(check(journal, db, reads)) == 2
    assert check(journal, db, reads) == []


def test_an_unusable_store_warns_and_loads_without_it(tmp_path, reads):
    journal = DATA / "journals" / "mixed"
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be", encoding="utf-8")
    with pytest.warns(store.StoreWarning, match="cannot use the store"):
        check(journal, blocker / "store.sqlite", reads)
    damaged = tmp_path / "store.sqlite"
    damaged.write_bytes(b"not a database\n" * 100)
    with pytest.warns(store.StoreWarning, match="moved it to"):
        check(journal, damaged, reads)
    assert list(tmp_path.glob("store.sqlite.corrupt-*"))


def test_a_store_that_stops_working_is_not_an_error(tmp_path, reads, monkeypatch):
    def fail(self, rows):
        self._failed(sqlite3.OperationalError("attempt to write a readonly database"))

    monkeypatch.setattr(store.Store, "put_notes", fail)
    with pytest.warns(store.StoreWarning, match="readonly"):
        check(DATA / "journals" / "mixed", tmp_path / "store.sqlite", reads)


def test_a_store_inside_the_journal_is_never_written(tmp_path, reads):
    journal = tmp_path / "journal"
    _gen_journal().generate(journal, 2)
    before = sorted(journal.iterdir())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check(journal, journal / "store.sqlite", reads)
        check(journal, journal / "sub" / "store.sqlite", reads)
    assert sorted(journal.iterdir()) == before


def test_an_older_store_gets_the_notes_table(tmp_path, reads):
    db = tmp_path / "store.sqlite"
    store.open_store(db).close()
    with sqlite3.connect(db) as con:
        con.execute("DROP TABLE notes")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check(DATA / "journals" / "mixed", db, reads)
    assert "2024-03-15-acme.md" in cached_rels(db)


def test_the_version_follows_the_options_and_the_journal(tmp_path, monkeypatch):
    monkeypatch.undo()  # the real ingest_version
    v = store.ingest_version(tmp_path, 5_000_000, True)
    assert v == store.ingest_version(tmp_path, 5_000_000, True)
    assert len({v, store.ingest_version(tmp_path, 1000, True), store.ingest_version(tmp_path, 5_000_000, False),
                store.ingest_version(tmp_path / "other", 5_000_000, True)}) == 4


def test_analyze_passes_its_store_to_load_journal(tmp_path, nlp):
    from reflect_nlp import analyze

    journal, db = tmp_path / "journal", tmp_path / "store.sqlite"
    for p in _gen_journal().generate(journal, 3):
        os.utime(p, (PAST, PAST))
    analyze(journal, nlp=nlp, store=db)
    assert len(cached_rels(db)) == 3


@pytest.mark.skipif(not hasattr(__import__("time"), "tzset"), reason="needs time.tzset to change the time zone")
def test_an_mtime_date_follows_the_time_zone_of_the_run(tmp_path, reads, monkeypatch):
    import time

    journal, db = tmp_path / "journal", tmp_path / "store.sqlite"
    journal.mkdir()
    (journal / "undated.md").write_text("I froze on the first question.\n", encoding="utf-8")
    os.utime(journal / "undated.md", (PAST, PAST))  # 2023-11-14 22:13 UTC, already the 15th east of +02:00
    try:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
        check(journal, db, reads)
        monkeypatch.setenv("TZ", "KIT-14")  # UTC+14, as a POSIX rule (no tz database needed)
        time.tzset()
        assert check(journal, db, reads) == []
        assert str(load_journal(journal, store=db).reflections[0].date) == "2023-11-15"
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_store_folder_loads_without_the_cache(tmp_path, reads):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.warns(store.StoreWarning, match="cannot use the store"):
            check(DATA / "journals" / "mixed", folder / "store.sqlite", reads)
    finally:
        folder.chmod(0o755)


def test_cli_caches_notes_in_its_store_and_not_with_redact(tmp_path):
    from reflect_nlp import cli

    journal = tmp_path / "journal"
    for p in _gen_journal().generate(journal, 3):
        os.utime(p, (PAST, PAST))
    assert cli.main(["analyze", str(journal), "--out", str(tmp_path / "out"), "--model", "blank", "-q", "--format", "json"]) == 0
    assert len(cached_rels(tmp_path / "out" / "store.sqlite")) == 3
    assert cli.main(["analyze", str(journal), "--out", str(tmp_path / "shared"), "--model", "blank", "-q", "--format", "json", "--redact"]) == 0
    assert not (tmp_path / "shared" / "store.sqlite").exists()


def test_cli_says_once_that_the_store_cannot_be_used(tmp_path):
    import subprocess
    import sys

    journal = tmp_path / "journal"
    _gen_journal().generate(journal, 2)
    (tmp_path / "blocker").write_text("a file where the store's folder should be", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "reflect_nlp", "analyze", str(journal), "--out", str(tmp_path / "out"), "--model", "blank",
         "-q", "--format", "json", "--store", str(tmp_path / "blocker" / "store.sqlite")],
        capture_output=True, text=True, check=True,
    )
    assert run.stderr.count("StoreWarning: ") == 1 and "cannot use the store" in run.stderr, run.stderr
