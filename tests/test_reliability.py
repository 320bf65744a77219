"""Reliability on real-world folders: a hostile journal is read or reported file by file, the
run completes, the journal is never changed, outputs stay in their folder, user errors exit
with the status docs/ERRORS.md documents.

Hostile files are generated in tmp folders at test time (nothing big is committed).
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import reflect_nlp
from reflect_nlp import analyze, load_journal
from reflect_nlp import errors as errs
from reflect_nlp.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
ERRORS_DOC = ROOT / "docs" / "ERRORS.md"

GOOD = "I froze on the system design question. Next time I will practise out loud before the onsite.\n"
MARKER_NAME = "yaml-tag-ran"  # created only if a !!python tag were ever executed


def _billion_laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines)


def hostile_journal(root: Path, marker: Path) -> dict[str, str | None]:
    """Write the hostile journal into ``root``.

    Returns:
        relative path -> the problem kind expected when the file is skipped, or None when the
        file must be analysed (it may still carry warnings).
    """
    expected: dict[str, str | None] = {}
    root.mkdir(parents=True, exist_ok=True)

    def put(rel: str, data: str | bytes, expect: str | None = None) -> Path:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        expected[rel] = expect
        return p

    # 20 MB in one line, no newline at all: over the default size limit, skipped with its reason
    with open(root / "one-line-20mb.md", "wb") as f:
        chunk = b"and then I rambled about caching again " * 1000
        for _ in range(20 * 2**20 // len(chunk) + 1):
            f.write(chunk)
    expected["one-line-20mb.md"] = "too_large"

    depth = 30
    nested = "\n".join(
        [
            "# Deep",
            *(">" * i + " quoted " + str(i) for i in range(1, depth)),
            *("  " * i + "- level " + str(i) for i in range(depth)),
            *("    " * i + f"{i}. numbered" for i in range(depth)),
            "[" * 300 + "link" + "]" * 300 + "(" * 300 + ")" * 300,
            "[[" * 300 + "wiki" + "]]" * 300,
            "*" * 500 + "stars" + "_" * 500 + "`" * 301,
            "<div>" * 300 + "html soup" + "</div>" * 200,
            "",
            GOOD,
            "<!-- a comment never closed hides the rest, as in a browser",
        ]
    )
    put("deep-nesting.md", nested)
    put(
        "table.md",
        "| Question | What I said | How it went |\n|---|:---:|---:|\n"
        "| Tell me about yourself | I rambled | badly, I froze |\n| Why us? | | fine |\n"
        "| a | b |\n| x | y | z | extra | cells |\n\n" + GOOD,
    )
    put(
        "emoji-rtl.md",
        "😬 Nervous start 🤦‍♀️👩🏽‍💻🇬🇧. מרחבא שלום, لقد توترت كثيرا في المقابلة.\n"
        "Mixed \u202eright-to-left override\u202c and \u2067isolate\u2069, zero\u200bwidth, "
        "combining c\u0337\u0322o\u0335m\u0338b\u0336i\u0334n\u0335e\u0338d, \U0001f600" * 3 + "\n\n" + GOOD,
    )
    put("mixed-endings.txt", b"First line.\r\nSecond line.\rThird line.\nI froze.\r\n\r\n" + GOOD.encode() + b"\r")
    put("nul-bytes.txt", b"I froze\x00 on\x00 the question.\x00\x00", "binary")
    put("late-nul.md", (GOOD + " " * 9000).encode() + b"\x00 trailing nul")  # NUL past the binary sniff
    put("Entretien à Zürich — 面接 notes 2025-03-01.md", "Zürich. " + GOOD)
    put("line\nbreak in name.md", "Line break. " + GOOD)
    put("yaml-bomb.md", f"---\n{_billion_laughs()}\ncompany: Bomb Inc\n---\n{GOOD}")
    put("yaml-recursive.md", f"---\na: &a [*a]\ncompany: Loop Ltd\n---\n{GOOD}")
    put(
        "python-tag.md",
        f"---\ncompany: !!python/object/apply:os.system ['touch {marker}']\n"
        f"role: !!python/object/new:builtins.open ['{marker}', 'w']\n---\n{GOOD}",
    )
    # every bad-input case ingest knows about
    put("cp1252.txt", b"I was na\xefve about the caf\xe9 question, \x93honestly\x94.\n" + GOOD.encode())
    put("bom-utf8.md", codecs.BOM_UTF8 + ("BOM. " + GOOD).encode())
    put("utf16.txt", ("UTF-16. " + GOOD).encode("utf-16"))
    put("utf16-broken.txt", codecs.BOM_UTF16_LE + b"I\x00 \x00\x00\xd8", "binary")
    put("fake-image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary")
    put("empty.md", b"", "empty")
    put("whitespace.txt", b" \n\t\r\n  \n", "empty")
    put("only-code.md", "```python\nprint('hi')\n```\n<!-- a comment -->\n![img](x.png)\n", "empty")
    put("only-front-matter.md", "---\ncompany: Nothing Inc\n---\n", "empty")
    put("unclosed-front-matter.md", "---\ncompany: Open Inc\n" + GOOD)
    put("bad-yaml.md", "---\ncompany: [unclosed\nrole: : :\n---\n" + GOOD)
    put("front-matter-list.md", "---\n- a\n- b\n---\n" + GOOD)
    put("bad-toml.md", "+++\ncompany = \n+++\n" + GOOD)
    put(
        "bad-fields.md",
        "---\ndate: next tuesday\noutcome: maybe\nself_rating: 11\nthank_you_sent: perhaps\n"
        "tags: {a: 1}\ncompany: [1, 2]\n---\n" + GOOD,
    )
    put("a-copy.md", "Same words twice. " + GOOD)
    put("b-original.md", "Same words twice. " + GOOD, "duplicate")
    put("export.csv", "company,status\nAcme,applied\n", "no_text_column")  # tables in a folder are read; this one has no text
    put("nested/deeper/still/note.md", GOOD.replace("froze", "blanked"))
    put(".hidden/secret.md", GOOD)  # hidden folders are never read
    expected.pop(".hidden/secret.md")
    os.symlink(".", root / "loop")
    expected["loop"] = "symlink_loop"
    os.symlink("self-link.md", root / "self-link.md")
    expected["self-link.md"] = "symlink_loop"
    os.symlink("does-not-exist.md", root / "broken-link.md")
    expected["broken-link.md"] = "unreadable"
    os.mkfifo(root / "fifo.md")  # opening it would block forever
    return expected


def tree_state(root: Path) -> dict[str, tuple]:
    """Every path under ``root`` with its type, mode, size, mtime and content hash (links not followed)."""
    state = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            p = Path(dirpath, name)
            st = p.lstat()
            if stat.S_ISLNK(st.st_mode):
                state[str(p.relative_to(root))] = ("link", os.readlink(p))
            elif stat.S_ISREG(st.st_mode):
                state[str(p.relative_to(root))] = ("file", st.st_mode, st.st_size, st.st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            else:
                state[str(p.relative_to(root))] = ("other", st.st_mode, st.st_mtime_ns)
    return state


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    root = base / "journal"
    root.mkdir()
    marker = base / MARKER_NAME
    return root, hostile_journal(root, marker), marker


@pytest.fixture(scope="module")
def hostile_cli(hostile, tmp_path_factory):
    """One CLI run over the hostile journal in a subprocess, with the tree hashed before and after."""
    root, _, _ = hostile
    out = tmp_path_factory.mktemp("hostile-out") / "report"
    before = tree_state(root)
    proc = subprocess.run(
        [sys.executable, "-m", "reflect_nlp", "analyze", str(root), "--out", str(out), "--format", "html,md,json,csv"],
        capture_output=True, text=True, timeout=600, cwd=out.parent,
    )
    return proc, out, before, tree_state(root)


def test_every_hostile_file_is_analysed_or_reported(hostile):
    root, expected, marker = hostile
    journal = load_journal(root)
    read = {r.source for r in journal.reflections}
    for rel, kind in expected.items():
        if kind is None:
            assert rel in read, f"{rel!r} was not analysed; problems: {[str(p) for p in journal.problems if p.source == rel]}"
        else:
            mine = [p for p in journal.problems if p.source == rel]
            assert rel not in read
            assert any(p.kind == kind and p.action == "skipped" for p in mine), f"{rel!r}: expected {kind}, got {mine}"
    # nothing is dropped silently: every note-like path is read, reported or counted as skipped
    accounted = read | {p.source for p in journal.problems} | set(journal.skipped_paths)
    assert set(expected) <= accounted
    assert "fifo.md" in journal.skipped_paths or any(p.source == "fifo.md" for p in journal.problems)
    for p in journal.problems:
        assert p.message.strip() and p.action in ("warned", "skipped")
        assert p.source.split(":")[0] in expected or p.source in expected, p
    assert not any(".hidden" in s for s in read)
    assert not marker.exists(), "a !!python tag in front matter was executed"


def test_hostile_front_matter_is_rejected_but_body_kept(hostile):
    root, _, _ = hostile
    journal = load_journal(root)
    by_source = {r.source: r for r in journal.reflections}
    for rel in ("yaml-bomb.md", "yaml-recursive.md", "python-tag.md", "bad-yaml.md", "bad-toml.md"):
        assert any(p.source == rel and p.kind == "bad_yaml" and p.line for p in journal.problems), rel
        assert by_source[rel].company is None  # fields of rejected front matter are ignored
        assert "froze on the system design question" in by_source[rel].text
    assert any(p.source == "unclosed-front-matter.md" and p.kind == "bad_front_matter" for p in journal.problems)


def test_text_quirks_are_normalised(hostile):
    root, _, _ = hostile
    by_source = {r.source: r for r in load_journal(root).reflections}
    assert "\r" not in by_source["mixed-endings.txt"].text and "Third line." in by_source["mixed-endings.txt"].text
    assert "\x00" not in by_source["late-nul.md"].text
    assert by_source["utf16.txt"].text.strip() == ("UTF-16. " + GOOD).strip()
    assert not by_source["bom-utf8.md"].text.startswith("\ufeff")
    assert "naïve" in by_source["cp1252.txt"].text and "café" in by_source["cp1252.txt"].text
    assert "שלום" in by_source["emoji-rtl.md"].text and "😬" in by_source["emoji-rtl.md"].text
    table = by_source["table.md"].text
    assert "|" not in table and "---" not in table and "Tell me about yourself; I rambled; badly, I froze" in table


def test_hostile_journal_analysis_completes(hostile, nlp):
    root, expected, _ = hostile
    analysis = analyze(root, nlp=nlp)
    analysed = {rel for rel, kind in expected.items() if kind is None}
    assert set(analysis.entries["source"]) == analysed
    assert {p.source for p in analysis.problems} >= {rel for rel, kind in expected.items() if kind}
    # the files that say "froze" give the nerves weak spot; the run is not just empty rows
    froze = analysis.weak_spots.merge(analysis.entries[["entry_id", "source"]], on="entry_id")
    assert "deep-nesting.md" in set(froze["source"])


def test_hostile_journal_cli_run_completes_and_reports_each_skip(hostile, hostile_cli):
    _, expected, _ = hostile
    proc, out, _, _ = hostile_cli
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    said = proc.stdout + proc.stderr
    for rel, kind in expected.items():
        if kind is not None:
            assert rel in said, f"the skip of {rel!r} is not reported to the user"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.rstrip().endswith("</html>")
    for name in ("report.md", "report.json"):
        assert (out / name).stat().st_size > 0


def test_journal_is_unchanged_by_cli_report(hostile_cli):
    _, _, before, after = hostile_cli
    assert after == before


def test_journal_is_unchanged_by_analyze_and_report(tmp_path, nlp):
    journal = tmp_path / "journal"
    marker = tmp_path / MARKER_NAME
    hostile_journal(journal, marker)
    (journal / "one-line-20mb.md").unlink()  # keep this copy small; the CLI test reads it
    before = tree_state(journal)
    analysis = analyze(journal, nlp=nlp, store=tmp_path / "store.sqlite")
    analysis.to_file(tmp_path / "out", formats="html,md,json,csv")
    analysis.summary()
    assert tree_state(journal) == before
    assert not marker.exists()


def test_note_longer_than_spacy_limit_is_reported_not_fatal(tmp_path, nlp):
    """A note under the byte limit but over spaCy's max_length (1,000,000 characters)."""
    journal = tmp_path / "journal"
    journal.mkdir()
    (journal / "ok.md").write_text(GOOD)
    (journal / "huge.md").write_text("I rambled. " * 95_000)  # 1.04 MB, well under max_bytes
    analysis = analyze(journal, nlp=nlp)
    assert "ok.md" in set(analysis.entries["source"])
    assert any(p.source == "huge.md" and p.kind == "too_large" and p.action == "skipped" for p in analysis.problems)


def test_ragged_csv_rows_are_kept_and_reported(tmp_path, nlp):
    path = tmp_path / "cohort.csv"
    path.write_text(
        "date,company,text\n"
        "2025-01-02,Acme,I froze on the first question.\n"
        "2025-01-09,Globex\n"
        '2025-01-16,Initech,"I rambled, then I ran out of time.",extra,cells\n'
        "2025-01-23,Hooli,\"unterminated quote\n",
        encoding="utf-8",
    )
    journal = load_journal(path)
    kinds = {(p.line, p.kind) for p in journal.problems}
    assert (3, "ragged_row") in kinds and (4, "ragged_row") in kinds
    assert {r.company for r in journal.reflections} >= {"Acme", "Initech"}
    analysis = analyze(journal, nlp=nlp)
    assert len(analysis.entries) == len(journal.reflections)


@pytest.mark.parametrize(
    "name, data",
    [
        ("rows.jsonl", '{"text": "I froze."}\nnot json\n[1, 2]\n{"text": ""}\n{"body": 3}\n'),
        ("records.json", '[{"text": "I froze."}, 3, "x", {"text": null}]'),
        ("broken.json", '{"entries": [{"text": "I froze."'),
        ("no-text.csv", "a,b\n1,2\n"),
        ("quotes.tsv", 'text\tcompany\n"I froze\tAcme\n'),
        ("bom.csv", "\ufefftext,company\nI froze,Acme\n"),
    ],
)
def test_bad_tables_load_or_fail_with_the_documented_error(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(data, encoding="utf-8")
    try:
        journal = load_journal(path)
    except errs.EmptyJournalError as e:
        assert name in str(e)
        return
    assert journal.reflections
    for p in journal.problems:
        assert p.source.startswith(name) and p.message


# ---------------------------------------------------------------- file names in outputs


def test_output_file_names_cannot_escape_the_output_folder(tmp_path, nlp):
    journal = tmp_path / "journal"
    journal.mkdir()
    for i, company in enumerate(("../../etc", "/etc/passwd", "..", "CON", "a/../../b", "..\\..\\win")):
        (journal / f"2025-01-0{i + 1}.md").write_text(
            f"---\ncompany: '{company}'\nstage: '../../stage'\ntitle: '../../../title'\nauthor: '../me'\ntags: ['../t']\n---\n{GOOD}"
        )
    work = tmp_path / "work"
    out = work / "a" / "b" / "out"
    out.parent.mkdir(parents=True)
    outside_before = tree_state(tmp_path)
    analysis = analyze(journal, nlp=nlp)
    written = analysis.to_file(out, formats="html,md,json,csv")
    assert written.parent == out
    after = tree_state(tmp_path)
    new = set(after) - set(outside_before)
    outside = [p for p in new if not (tmp_path / p).resolve().is_relative_to(out.resolve()) and (tmp_path / p).resolve() != out.resolve()]
    assert outside == []
    assert all(v == after[k] for k, v in outside_before.items() if not k.startswith("work"))


def test_new_entry_name_from_company_stays_in_the_journal(tmp_path, capsys):
    journal = tmp_path / "deep" / "journal"
    journal.mkdir(parents=True)
    before = tree_state(tmp_path)
    code = main(["new", str(journal), "--company", "../../etc", "--stage", "../../x/../y", "--date", "2025-05-01", "--plain"])
    assert code == 0
    created = Path(capsys.readouterr().out.strip())
    assert created.parent.resolve() == journal.resolve()
    new = set(tree_state(tmp_path)) - set(before)
    assert new == {str(created.resolve().relative_to(tmp_path.resolve()))}


# ---------------------------------------------------------------- clear failures


def _documented_exit_codes() -> dict[str, int]:
    """Error class name -> exit status, as the table in docs/ERRORS.md says."""
    rows = {}
    for line in ERRORS_DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and (m := re.fullmatch(r"`?(\w+)`?", cells[0])) and re.fullmatch(r"\d+", cells[1]):
            rows[m[1]] = int(cells[1])
    return rows


def test_errors_doc_lists_every_error_class_with_its_exit_status():
    documented = _documented_exit_codes()
    classes = [c for c in vars(errs).values() if isinstance(c, type) and issubclass(c, errs.ReflectError)]
    assert len(classes) >= 6
    for cls in classes:
        assert documented.get(cls.__name__) == cls.exit_code, cls.__name__


def _bad_taxonomy(tmp: Path) -> Path:
    p = tmp / "tax.toml"
    p.write_text('name = "mine"\nversion = "1"\n\n[categories.nerves\npatterns = ["x"]\n')
    return p


def _notes(tmp: Path) -> Path:
    j = tmp / "journal"
    j.mkdir(exist_ok=True)
    (j / "2025-01-01.md").write_text(GOOD)
    return j


def _only_bad_files(tmp: Path) -> Path:
    j = tmp / "bad-journal"
    j.mkdir()
    (j / "empty.md").write_text("")
    (j / "binary.md").write_bytes(b"\x00\x01\x02")
    return j


def _out_is_a_file(tmp: Path) -> Path:
    p = tmp / "taken"
    p.write_text("not a folder")
    return p


# (argv builder, expected error class, text the message must contain (a path or a hint))
USER_ERRORS = [
    (lambda t: ["analyze", str(t / "missing")], errs.JournalNotFoundError, lambda t: str(t / "missing")),
    (lambda t: ["analyze", str(t)], errs.EmptyJournalError, lambda t: str(t)),
    (lambda t: ["analyze", str(_only_bad_files(t))], errs.EmptyJournalError, lambda t: "binary.md"),
    (lambda t: ["analyze", str(_notes(t)), "--model", "no_such_model_xyz"], errs.ModelNotFoundError, lambda t: "pip install"),
    (lambda t: ["analyze", str(_notes(t)), "--model", "blank", "--taxonomy", str(t / "nope.toml")], errs.TaxonomyError, lambda t: str(t / "nope.toml")),
    (lambda t: ["analyze", str(_notes(t)), "--model", "blank", "--taxonomy", str(_bad_taxonomy(t))], errs.TaxonomyError, lambda t: "line 4"),
    (lambda t: ["analyze", str(_notes(t)), "--model", "blank", "--out", str(_out_is_a_file(t))], errs.OutputError, lambda t: str(t / "taken")),
    (lambda t: ["analyze", str(_notes(t)), "--format", "pdf"], errs.ReflectError, lambda t: "html"),
    (lambda t: ["new", str(t), "--date", "next tuesday", "--plain"], errs.ReflectError, lambda t: "YYYY-MM-DD"),
    (lambda t: ["new", str(_out_is_a_file(t)), "--plain"], errs.ReflectError, lambda t: str(t / "taken")),
]


@pytest.mark.filterwarnings("ignore::reflect_nlp.store.StoreWarning")  # --out in the way also blocks the store
@pytest.mark.parametrize("argv, error, says", USER_ERRORS, ids=lambda x: getattr(x, "__name__", None))
def test_user_errors_exit_with_documented_status_and_say_what_to_do(tmp_path, capsys, argv, error, says):
    code = main(argv(tmp_path))
    err = capsys.readouterr().err
    assert code == error.exit_code == _documented_exit_codes()[error.__name__]
    assert err.startswith("reflect-nlp: error: ") and "Traceback" not in err
    assert says(tmp_path) in err


def test_unwritable_store_does_not_stop_the_report(tmp_path, capsys):
    j = _notes(tmp_path)
    store = _out_is_a_file(tmp_path) / "store.sqlite"  # its parent is a file
    from reflect_nlp.store import StoreWarning

    with pytest.warns(StoreWarning, match="store"):
        code = main(["analyze", str(j), "--model", "blank", "--out", str(tmp_path / "out"), "--store", str(store), "-q"])
    assert code == 0
    assert (tmp_path / "out" / "report.html").exists()


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["analyze"])
    assert e.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_public_api_raises_only_reflect_errors_for_user_mistakes(tmp_path, nlp):
    with pytest.raises(errs.JournalNotFoundError):
        reflect_nlp.analyze(tmp_path / "missing")
    with pytest.raises(errs.EmptyJournalError):
        reflect_nlp.load_journal(tmp_path)
    analysis = analyze(_notes(tmp_path), nlp=nlp)
    with pytest.raises(errs.OutputError, match="taken"):
        analysis.to_file(_out_is_a_file(tmp_path) / "report", formats="md", figures=False)
    with pytest.raises(errs.OutputError, match="taken"):
        analysis.to_file(_out_is_a_file(tmp_path) / "report.html")


# ---------------------------------------------------------------- redaction through the CLI

PEOPLE = ("Priya Raman", "Tomasz Kowalczyk", "David Miller", "Jennifer Walsh", "Emily Hargreaves")
EMAILS = ("priya.raman@globex-hr.example.com", "tomasz.k@mailbox.example.org")
PHONES = ("+44 20 7946 0958", "(415) 555-0199", "415.555.0123")
URLS = ("https://priya-portfolio.example.net/p/123", "www.tomasz-notes.example.io/interviews")


def _secrets() -> list[str]:
    parts = {p for name in PEOPLE for p in name.split()}
    digits = {re.sub(r"\D", "", p) for p in PHONES}
    locals_ = {e.split("@")[0] for e in EMAILS}
    hosts = {re.sub(r"^(https?://|www\.)", "", u).split("/")[0] for u in URLS}
    return sorted({*PEOPLE, *parts, *EMAILS, *locals_, *PHONES, *digits, *URLS, *hosts}, key=len, reverse=True)


def seeded_journal(root: Path) -> Path:
    """Notes full of people's names, emails, phone numbers and URLs, in text, fields and file names."""
    root.mkdir(parents=True)
    (root / "2025-03-01-globex.md").write_text(
        "---\ndate: 2025-03-01\ncompany: Globex\nstage: onsite\ninterviewer: Priya Raman\nauthor: Tomasz Kowalczyk\n"
        f"recruiter_email: {EMAILS[0]}\nlink: {URLS[0]}\noutcome: rejected\n---\n"
        "# Onsite with Priya Raman\n\n"
        f"Priya Raman asked about caching and my mind went blank. I was nervous the whole time. "
        f"Afterwards I emailed {EMAILS[0]} and called {PHONES[0]} to ask for feedback. "
        f"Her portfolio is at {URLS[0]} and mine at <{URLS[1]}>. Next time I will practise caching questions.\n",
        encoding="utf-8",
    )
    (root / "2025-03-08-call-with-david-miller.md").write_text(
        "---\ndate: 2025-03-08\ncompany: Initech\nauthor: Tomasz Kowalczyk\noutcome: Ask David Miller\n---\n"
        f"David Miller ran the coding round and Jennifer Walsh joined later. I ran out of time on the coding problem. "
        f"Jennifer Walsh said to reach her on {PHONES[1]} or {PHONES[2]}, or write to {EMAILS[1]}. "
        "I rambled when David Miller asked about my last project.\n",
        encoding="utf-8",
    )
    (root / "2025-03-15-hooli.md").write_text(
        "---\ndate: 2025-03-15\ncompany: Hooli\nauthor: Tomasz Kowalczyk\ninterviewer: Emily Hargreaves\n---\n"
        "Emily Hargreaves was kind. My mind went blank again on the system design question, "
        f"and I froze when Emily Hargreaves asked why. See [my notes]({URLS[1]}) for the question list.\n",
        encoding="utf-8",
    )
    return root


def test_redact_leaves_no_name_email_phone_or_url_in_any_output_byte(tmp_path, nlp, capsys):
    journal = seeded_journal(tmp_path / "journal")
    secrets = _secrets()
    # without --redact the details are there to leak: the test is not vacuous
    plain = tmp_path / "plain"
    analyze(journal, nlp=nlp).to_file(plain, formats="json", figures=False)
    leaked = (plain / "report.json").read_text(encoding="utf-8").lower()
    assert all(s.lower() in leaked for s in (*PEOPLE, *EMAILS, PHONES[0]))

    out = tmp_path / "shared"
    code = main(["analyze", str(journal), "--out", str(out), "--redact", "--format", "html,md,json,csv", "-q"])
    assert code == 0, capsys.readouterr().err
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} >= {".html", ".md", ".json", ".csv", ".svg", ".png"}
    assert not any(p.suffix in (".sqlite", ".db") for p in files), "the unredacted cache was written into the shared folder"
    found = [(p.relative_to(out).as_posix(), s) for p in files for s in secrets if s.lower().encode() in p.read_bytes().lower()]
    assert found == []


def test_redact_catches_a_known_name_written_in_lower_case(tmp_path, nlp, nlp_ner):
    from reflect_nlp.redact import redactor_for

    journal = seeded_journal(tmp_path / "journal")
    with open(journal / "2025-03-15-hooli.md", "a", encoding="utf-8") as f:
        f.write("Quick note: priya said the team liked my questions, and tomasz should follow up.\n")
    analysis = analyze(journal, nlp=nlp)
    out = tmp_path / "shared"
    analysis.to_file(out, formats="json,md", figures=False, redact=redactor_for(analysis, nlp=nlp_ner))
    for p in out.rglob("*.*"):
        data = p.read_text(encoding="utf-8").lower()
        assert "priya" not in data and "tomasz" not in data, p.name


def test_user_markup_is_escaped_in_every_text_output(tmp_path, nlp):
    journal = tmp_path / "journal"
    journal.mkdir()
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    (journal / "2025-04-01-evil.md").write_text(
        f"---\ndate: 2025-04-01\ncompany: '{evil}'\nstage: '\"><svg onload=alert(3)>'\ntitle: '{evil}'\n---\n"
        f"My mind went blank. I was nervous `{evil}` and &lt;b&gt;froze&lt;/b&gt;.\n", encoding="utf-8")
    (journal / "2025-04-08-ok.md").write_text("---\ndate: 2025-04-08\ncompany: Acme\n---\n" + GOOD, encoding="utf-8")
    out = tmp_path / "out"
    analyze(journal, nlp=nlp).to_file(out, formats="html,md")
    for name in ("report.html", "report.md"):
        text = (out / name).read_text(encoding="utf-8").lower()
        for bad in ("<script", "<img src=x", "<svg onload"):  # escaped text is fine, live tags are not
            assert bad not in text, (name, bad)
        assert "alert(1)" in text  # the user's words are shown, as text
    for svg in (out / "figures").glob("*.svg"):
        text = svg.read_text(encoding="utf-8").lower()
        assert "<script" not in text and "<img src=x" not in text and "<svg onload" not in text, svg.name


def test_analyze_run_from_inside_the_journal_never_writes_into_it(tmp_path, monkeypatch, capsys):
    journal = _notes(tmp_path)
    (journal / "2025-01-08.md").write_text("My mind went blank again. I rambled.\n")
    before = tree_state(journal)
    monkeypatch.chdir(journal)
    code = main(["analyze", ".", "--model", "blank", "-q"])  # the default --out is relative to here
    err = capsys.readouterr().err
    assert tree_state(journal) == before
    assert code == errs.OutputError.exit_code and "--out" in err



@pytest.mark.parametrize("where", ["folder", "file"])
def test_analyze_store_inside_the_journal_is_refused(tmp_path, capsys, where):
    journal = _notes(tmp_path)
    (journal / "2025-01-08.md").write_text("My mind went blank again. I rambled.\n")
    target = journal if where == "folder" else journal / "2025-01-08.md"
    store = journal / "cache.sqlite" if where == "folder" else target  # a typo could name the journal file itself
    before = tree_state(journal)
    code = main(["analyze", str(target), "--model", "blank", "-q", "--out", str(tmp_path / "out"), "--store", str(store)])
    err = capsys.readouterr().err
    assert tree_state(journal) == before
    assert code == errs.OutputError.exit_code and str(store) in err

def test_api_store_inside_the_journal_is_refused(tmp_path):
    from reflect_nlp import analyze

    journal = _notes(tmp_path)
    (journal / "2025-01-08.md").write_text("My mind went blank again. I rambled.\n")
    before = tree_state(journal)
    with pytest.raises(errs.OutputError, match="inside the journal"):
        analyze(journal, model="blank", store=journal / "sub" / "cache.sqlite")
    assert tree_state(journal) == before


# Shapes that made Markdown cleaning quadratic or worse (benchmarks/bench_hostile.py); at this
# size a quadratic cleaner takes hours, a linear one milliseconds.
PATHOLOGICAL = {
    "leading-spaces.txt": " " * 200_000 + "I froze.\n",
    "nested-lists.md": "\n".join("  " * i + "- level" for i in range(400)) + "\n\n" + GOOD,
    "wiki-openers.md": "[[" * 100_000 + "\n\n" + GOOD,
    "image-openers.md": "![" * 100_000 + "\n\n" + GOOD,
    "footnote-openers.md": "[^" * 100_000 + "\n\n" + GOOD,
    "brackets.md": "[" * 100_000 + "x" + "]" * 100_000 + "\n\n" + GOOD,
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_markdown_is_read(tmp_path, name):
    path = tmp_path / name
    path.write_text(PATHOLOGICAL[name], encoding="utf-8")
    journal = load_journal(path)
    assert "froze" in journal.reflections[0].text
