"""The incremental SQLite store and the processing loop (issue 7), on real SQLite files."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from reflect_nlp import analysis as analysis_mod
from reflect_nlp import analyze, store, tables
from reflect_nlp.ingest import load_journal

FRAMES = ("entries", "sentences", "weak_spots", "actions", "phrases")
NOTES = {
    "2025-01-08-initech.md": "---\ndate: 2025-01-08\ncompany: Initech\n---\n\nMy mind went blank on the "
    "system design question. I felt nervous the whole time. Next time I will ask clarifying questions first.",
    "2025-01-15-globex.md": "---\ndate: 2025-01-15\ncompany: Globex\n---\n\nI rambled when they asked about "
    "my biggest weakness. The coding part went well and I tested edge cases. I should have slowed down.",
    "2025-02-03-umbrella.md": "---\ndate: 2025-02-03\ncompany: Umbrella\n---\n\nI didn't ask any questions at "
    "the end. I think it went okay, maybe. We spent twenty minutes on SQL joins.",
}


@pytest.fixture(autouse=True)
def fixed_code_hash(monkeypatch):
    # Other engineers edit the components while tests run; a moving code hash would make
    # "nothing changed" runs miss. The real hash is tested separately below.
    monkeypatch.setattr(store, "code_hash", lambda: "test")


@pytest.fixture
def journal(tmp_path) -> Path:
    root = tmp_path / "journal"
    root.mkdir()
    for name, text in NOTES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def stored(path: Path, sql: str) -> pd.DataFrame:
    with sqlite3.connect(path) as con:
        return pd.read_sql(sql, con)


def assert_same(a, b) -> None:
    for name in FRAMES:
        pdt.assert_frame_equal(getattr(a, name), getattr(b, name))


def test_rerun_reuses_and_tracks_changes(journal, tmp_path, nlp):
    db = tmp_path / "out" / "store.sqlite"
    cold = analyze(journal, nlp=nlp, store=db)
    assert cold.meta["store"]["analysed"] == 3 and len(cold.entries) == 3
    warm = analyze(journal, nlp=nlp, store=db)
    assert (warm.meta["store"]["analysed"], warm.meta["store"]["reused"]) == (0, 3)
    assert_same(cold, warm)

    (journal / "2025-03-01-new.md").write_text("---\ndate: 2025-03-01\n---\n\nI froze on recursion.", encoding="utf-8")
    (journal / "2025-01-15-globex.md").write_text(NOTES["2025-01-15-globex.md"] + " I felt relieved after.", encoding="utf-8")
    (journal / "2025-02-03-umbrella.md").unlink()
    changed = analyze(journal, nlp=nlp, store=db)
    assert (changed.meta["store"]["analysed"], changed.meta["store"]["reused"]) == (2, 1)
    assert changed.meta["store"]["dropped"] == 2  # the removed entry and the old globex text
    assert_same(changed, analyze(journal, nlp=nlp))  # cached + fresh == all fresh
    keys = {store.text_hash(r.text) for r in load_journal(journal).reflections}
    assert set(stored(db, "SELECT content_hash FROM results")["content_hash"]) == keys


def test_changed_fingerprint_reanalyses_and_drops_old(journal, tmp_path, nlp, monkeypatch):
    db = tmp_path / "store.sqlite"
    first = analyze(journal, nlp=nlp, store=db)
    monkeypatch.setattr(store, "code_hash", lambda: "edited")
    second = analyze(journal, nlp=nlp, store=db)
    assert second.meta["store"]["analysed"] == 3 and second.meta["store"]["dropped"] == 3
    assert second.meta["store"]["fingerprint"] != first.meta["store"]["fingerprint"]
    assert set(stored(db, "SELECT fingerprint FROM results")["fingerprint"]) == {second.meta["store"]["fingerprint"]}
    assert len(stored(db, "SELECT * FROM fingerprints")) == 1


def test_fingerprint_follows_taxonomy_content_not_its_path():
    info = {"model": "en_core_web_sm", "model_version": "3.8.0", "spacy_version": "3.8.0"}
    tax = {"name": "default", "version": "1", "hash": "abc", "source": "/a/default.toml", "categories": ["nerves"]}
    fp = store.fingerprint(info, tax)
    assert store.fingerprint(info, {**tax, "source": "/b/copy.toml"}) == fp
    assert store.fingerprint(info, {**tax, "hash": "abd"}) != fp
    assert store.fingerprint({**info, "model_version": "3.8.1"}, tax) != fp


def test_real_code_hash_covers_component_sources(monkeypatch):
    monkeypatch.undo()
    h = store.code_hash()
    assert len(h) == 16 and h == store.code_hash()


def test_unloaded_fingerprint_matches_loaded_pipeline(nlp):
    guess, loaded = store.pipeline_meta_unloaded(None, None), store.pipeline_meta(nlp)
    assert store.fingerprint(guess, guess["taxonomy"]) == store.fingerprint(loaded, loaded["taxonomy"])


def test_unchanged_rerun_does_not_load_the_model(journal, tmp_path, nlp, monkeypatch):
    db = tmp_path / "store.sqlite"
    cold = analyze(journal, nlp=nlp, store=db)

    def no_model(*a, **k):
        raise AssertionError("the model was loaded although every result was stored")

    monkeypatch.setattr(analysis_mod, "build_pipeline", no_model)
    warm = analyze(journal, store=db)
    assert warm.meta["store"]["reused"] == 3
    assert {k: v for k, v in warm.meta.items() if k != "store"} == {k: v for k, v in cold.meta.items() if k != "store"}
    assert_same(cold, warm)


def test_views_read_with_pandas(journal, tmp_path, nlp):
    db = tmp_path / "store.sqlite"
    a = analyze(journal, nlp=nlp, store=db)
    scores = stored(db, "SELECT * FROM entry_scores")
    assert list(scores.columns) == ["entry_id", "source", *tables.ENTRY_FEATURE_COLUMNS]
    assert sorted(scores["entry_id"]) == sorted(a.entries["entry_id"])
    for view in ("sentences", "weak_spots", "actions", "phrases"):
        df = stored(db, f"SELECT * FROM {view}")
        assert len(df) == len(getattr(a, view)), view
    sents = stored(db, "SELECT entry_id, sent_idx, text FROM sentences ORDER BY entry_id, sent_idx")
    mine = a.sentences.sort_values(["entry_id", "sent_idx"])[["entry_id", "sent_idx", "text"]]
    assert list(sents["text"]) == list(mine["text"])


@pytest.mark.parametrize("kind", ["not-sqlite", "foreign", "damaged"])
def test_bad_store_is_set_aside_and_rebuilt(journal, tmp_path, nlp, kind):
    db = tmp_path / "store.sqlite"
    if kind == "not-sqlite":
        db.write_bytes(b"these are my notes, not a database\n" * 50)
    elif kind == "foreign":
        with sqlite3.connect(db) as con:
            con.execute("CREATE TABLE contacts (name TEXT)")
    else:
        analyze(journal, nlp=nlp, store=db)
        _overwrite_pages(db)
    before = db.read_bytes()
    with pytest.warns(store.StoreWarning, match="moved it to"):
        a = analyze(journal, nlp=nlp, store=db)
    assert a.meta["store"]["analysed"] == 3  # nothing reused from the bad file
    aside = list(tmp_path.glob("store.sqlite.corrupt-*"))
    assert [p.read_bytes() for p in aside if not p.name.endswith(("-wal", "-shm"))] == [before]
    with warnings.catch_warnings():
        warnings.simplefilter("error", store.StoreWarning)
        assert analyze(journal, nlp=nlp, store=db).meta["store"]["reused"] == 3


def _overwrite_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    assert len(data) > 2 * page, "the store should span several pages"
    data[page:] = b"\xa5" * (len(data) - page)  # keep the header, ruin every b-tree page after it
    path.write_bytes(bytes(data))


def test_unreadable_row_is_reanalysed_not_reused(journal, tmp_path, nlp):
    db = tmp_path / "store.sqlite"
    analyze(journal, nlp=nlp, store=db)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE results SET result = '{not json' WHERE rowid = (SELECT min(rowid) FROM results)")
    again = analyze(journal, nlp=nlp, store=db)
    assert (again.meta["store"]["analysed"], again.meta["store"]["reused"]) == (1, 2)


def test_two_processes_write_one_store(tmp_path):
    db = tmp_path / "shared.sqlite"
    script = textwrap.dedent(
        f"""
        import sys, warnings
        warnings.simplefilter("error")
        from reflect_nlp import store
        tag = sys.argv[1]
        st = store.open_store({str(db)!r})
        for i in range(60):
            st.put([(f"{{tag}}-{{i}}-{{j}}", {{"entry": {{"i": i}}, "sentences": []}}) for j in range(5)], "fp")
            st.cached_hashes("fp")
        st.close()
        """
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, tag], stderr=subprocess.PIPE, text=True) for tag in "ab"]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM results").fetchone()[0] == 2 * 60 * 5


def test_jobs_give_the_same_tables(journal, nlp):
    one = analyze(journal, nlp=nlp)
    two = analyze(journal, nlp=nlp, jobs=2)
    assert_same(one, two)


def test_chunked_tables_equal_one_build(journal, nlp):
    pairs = list(analysis_mod.process(load_journal(journal).reflections, nlp))
    whole = tables.build_tables(pairs)
    chunked = analysis_mod._build_tables(iter(pairs), chunk=1)
    for name, df in whole.items():
        pdt.assert_frame_equal(chunked[name], df)


def test_unusable_store_path_warns_and_analyses_without_it(journal, tmp_path, nlp):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be", encoding="utf-8")
    with pytest.warns(store.StoreWarning, match="analysing without it"):
        a = analyze(journal, nlp=nlp, store=blocker / "store.sqlite")
    assert a.meta["store"] is None and len(a.entries) == 3
    assert blocker.read_text(encoding="utf-8").startswith("a file")


def test_unchanged_rerun_does_not_even_import_spacy(journal, tmp_path):
    db = tmp_path / "store.sqlite"
    run = textwrap.dedent(f"""
        import sys
        from reflect_nlp import analyze
        a = analyze({str(journal)!r}, store={str(db)!r})
        print(a.meta["store"]["reused"], "spacy" in sys.modules)
    """)
    outs = [subprocess.run([sys.executable, "-c", run], capture_output=True, text=True, check=True).stdout.split()
            for _ in range(2)]
    assert outs == [["0", "True"], ["3", "False"]]


def built_calls(monkeypatch) -> list[int]:
    """Count tables.build_tables calls (the frames built from decoded results)."""
    calls: list[int] = []
    real = tables.build_tables

    def counting(pairs):
        calls.append(len(pairs))
        return real(pairs)

    monkeypatch.setattr(tables, "build_tables", counting)
    return calls


def test_unchanged_rerun_reads_the_kept_frames(journal, tmp_path, nlp, monkeypatch):
    db = tmp_path / "store.sqlite"
    cold = analyze(journal, nlp=nlp, store=db)
    assert len(stored(db, "SELECT key FROM frames")) == 1
    calls = built_calls(monkeypatch)
    warm = analyze(journal, nlp=nlp, store=db)
    assert calls == [] and warm.meta["store"]["reused"] == 3
    assert_same(cold, warm)
    assert len(stored(db, "SELECT key FROM frames")) == 1


@pytest.mark.parametrize("change, built", [("metadata", [1]), ("order", [2]), ("removed", [0]), ("fingerprint", [3])])
def test_kept_frames_are_never_stale(journal, tmp_path, nlp, monkeypatch, change, built):
    db = tmp_path / "store.sqlite"
    analyze(journal, nlp=nlp, store=db)
    if change == "metadata":  # same text, another company: no result changes, the frames must
        path = journal / "2025-01-15-globex.md"
        path.write_text(NOTES[path.name].replace("company: Globex", "company: Hooli"), encoding="utf-8")
    elif change == "order":  # same texts, dates swapped: the entries' order changes
        for name, new in (("2025-01-08-initech.md", "2025-03-09"), ("2025-02-03-umbrella.md", "2024-12-01")):
            path = journal / name
            path.write_text(path.read_text(encoding="utf-8").replace(f"date: {name[:10]}", f"date: {new}"), encoding="utf-8")
    elif change == "removed":
        (journal / "2025-02-03-umbrella.md").unlink()
    else:
        monkeypatch.setattr(store, "code_hash", lambda: "edited")
    calls = built_calls(monkeypatch)
    again = analyze(journal, nlp=nlp, store=db)
    assert calls == built  # only the changed entries' rows are built; the rest come from the kept frames
    assert_same(again, analyze(journal, nlp=nlp))
    if change == "metadata":
        assert "Hooli" in set(again.entries["company"])
    calls.clear()
    assert_same(again, analyze(journal, nlp=nlp, store=db))
    assert calls == []  # and the run after reads them whole


def test_spliced_frames_equal_a_full_build(tmp_path, nlp, monkeypatch):
    """Entries added, edited and removed across a journal with same-day interviews: the frames
    made of kept rows plus the changed entries' rows are the frames of a fresh analysis."""
    root = tmp_path / "journal"
    root.mkdir()
    texts = [NOTES[n].split("---\n\n", 1)[1] for n in NOTES]
    for i in range(12):
        day = f"2025-01-{1 + i // 3:02d}"  # three interviews a day: ties broken by source
        (root / f"{day}-{i:02d}.md").write_text(f"---\ndate: {day}\n---\n\n{texts[i % 3]} Round {i}.", encoding="utf-8")
    db = tmp_path / "store.sqlite"
    analyze(root, nlp=nlp, store=db)
    (root / "2025-01-02-04.md").unlink()
    (root / "2025-01-03-07.md").write_text("---\ndate: 2025-01-03\n---\n\nI froze again. Next time I will breathe.", encoding="utf-8")
    (root / "2025-01-01-99.md").write_text("---\ndate: 2025-01-01\n---\n\nI felt calm and asked good questions.", encoding="utf-8")
    (root / "undated.md").write_text("No date here; I rambled.", encoding="utf-8")
    calls = built_calls(monkeypatch)
    again = analyze(root, nlp=nlp, store=db)
    assert calls == [3] and again.meta["store"]["analysed"] == 3
    assert_same(again, analyze(root, nlp=nlp))


@pytest.mark.parametrize("damage", ["X'504B0304DEADBEEF'", "X''", "substr(data, 1, length(data) / 2)", "'text'"])
def test_damaged_frames_are_rebuilt(journal, tmp_path, nlp, monkeypatch, damage):
    db = tmp_path / "store.sqlite"
    cold = analyze(journal, nlp=nlp, store=db)
    with sqlite3.connect(db) as con:
        con.execute(f"UPDATE frames SET data = {damage}")
    calls = built_calls(monkeypatch)
    again = analyze(journal, nlp=nlp, store=db)
    assert calls and again.meta["store"]["analysed"] == 0
    assert_same(cold, again)
    assert tables.unpack(stored(db, "SELECT data FROM frames")["data"][0])  # replaced by a good copy


def test_store_made_before_frames_gains_the_table(journal, tmp_path, nlp):
    db = tmp_path / "store.sqlite"
    cold = analyze(journal, nlp=nlp, store=db)
    with sqlite3.connect(db) as con:
        con.execute("DROP TABLE frames")
    assert_same(cold, analyze(journal, nlp=nlp, store=db))
    assert len(stored(db, "SELECT key FROM frames")) == 1


def test_pack_unpack_keeps_every_value_and_dtype():
    texts = ["plain", "", None, "emoji \U0001F600 and é", "lone \udc80 surrogate", "new\nline\x00nul"]
    n = len(texts)
    frames = {name: tables.frame([], schema) for name, schema in tables.BUILT.items()}
    rows = [{"entry_id": f"e{i}", "source": t, "line": i or None, "date": None if i % 2 else f"2025-01-0{i + 1}",
             "tone": [0.1, None, -1.0, float("nan"), 1e-300, 0.0][i], "thank_you_sent": [True, False, None] [i % 3],
             "title": t} for i, t in enumerate(texts)]
    frames["entries"] = tables.frame(rows, tables.ENTRY_COLUMNS)
    back = tables.unpack(tables.pack(frames))
    assert len(back["entries"]) == n and back["sentences"].empty
    for name in tables.BUILT:
        pdt.assert_frame_equal(back[name], frames[name], check_exact=True)


def test_repeated_entry_ids_keep_no_frames(tmp_path, nlp):
    """A hand-built journal may repeat an id: its frames are not kept, so none can go stale."""
    from dataclasses import replace

    from reflect_nlp.ingest import Journal

    r = load_journal(["I froze on the first question.", "I felt nervous and rambled.", "It went well."]).reflections
    db = tmp_path / "store.sqlite"
    analyze(Journal(root=None, reflections=[replace(r[0], id="X"), replace(r[1], id="X"), r[2]]), nlp=nlp, store=db)
    assert stored(db, "SELECT count(*) AS n FROM frames")["n"][0] == 0
    later = Journal(root=None, reflections=[replace(r[1], id="X"), r[2]])
    assert_same(analyze(later, nlp=nlp, store=db), analyze(later, nlp=nlp))
