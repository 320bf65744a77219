"""Ingest: every input format on the small journals in tests/data/journals/."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from reflect_nlp import load_journal
from reflect_nlp.errors import EmptyJournalError, JournalNotFoundError
from reflect_nlp.ingest.clean import clean_markdown
from reflect_nlp.records import DATE_SOURCES, OUTCOMES

JOURNALS = Path(__file__).parent / "data" / "journals"
MIXED = JOURNALS / "mixed"
TABLES = JOURNALS / "tables"


@pytest.fixture(scope="module")
def mixed():
    return load_journal(MIXED)


def by_source(journal):
    return {r.source: r for r in journal.reflections}


def kinds(journal, source=None):
    return sorted(p.kind for p in journal.problems if source is None or p.source == source)


def test_folder_reads_notes_recursively_and_skips_decoys(mixed):
    assert sorted(by_source(mixed)) == [
        "15 Apr 2024 Initech.txt",
        "2024-03-15-acme.md",
        "2024-05-28-bad-fields.md",
        "2024/04/02.md",
        "bad-yaml.md",
        "export.csv:2",
        "jrnl.txt:1",
        "jrnl.txt:5",
        "notes/hooli-onsite.md",
        "python-tag.md",
        "undated-thoughts.md",
        "yaml-bomb.md",
    ]
    # hidden folders are not read at all; README and images are skipped and counted; a table is
    # read as if it had been passed on its own
    assert not any(".trash" in r.source or ".obsidian" in r.source for r in mixed.reflections)
    assert sorted(mixed.skipped_paths) == ["README.md", "whiteboard.png"]
    assert mixed.skipped_files == 2
    assert [p for p in mixed.problems if p.source == "export.csv"] == []
    row = by_source(mixed)["export.csv:2"]
    assert (row.format, row.line, row.date, row.date_source) == ("csv", 2, dt.date(2024, 1, 1), "column")


def test_front_matter_fields_are_normalised_and_unknown_kept(mixed):
    r = by_source(mixed)["2024-03-15-acme.md"]
    assert (r.date, r.date_source) == (dt.date(2024, 3, 15), "front_matter")
    assert (r.company, r.role, r.stage, r.interviewer) == ("Acme Corp", "Backend Engineer", "Phone screen", "Dana Whitfield")
    assert (r.outcome, r.self_rating, r.thank_you_sent, r.author) == ("rejected", 2, True, "Sam")
    assert r.tags == ("python", "phone-screen")
    assert r.title == "Acme phone screen"
    assert r.extra == {"recruiter": "Priya"}
    assert r.format == "markdown"


def test_markdown_noise_is_removed_from_text_but_kept_in_raw(mixed):
    r = by_source(mixed)["2024-03-15-acme.md"]
    for gone in ("```", "def allow", "counts[user]", "<!--", "token bucket", "https://", "acme.example.com", "![", "whiteboard.png", "# ", "*clarifying*"):
        assert gone not in r.text, gone
    for kept in ("the Acme engineering blog", "my mind went blank", "Ask clarifying questions first", "Next time"):
        assert kept in r.text, kept
    assert "```python" in r.raw and "https://acme.example.com" in r.raw
    assert not r.raw.startswith("---")  # front matter is not part of raw
    # headings and list items are their own paragraphs, so they cannot run into a sentence
    assert "Acme phone screen\n\nHonestly" in r.text
    assert "Next time\n\nPractise" in r.text


@pytest.mark.parametrize(
    "source, date, how",
    [
        ("2024/04/02.md", dt.date(2024, 4, 2), "filename"),
        ("15 Apr 2024 Initech.txt", dt.date(2024, 4, 15), "filename"),
        ("notes/hooli-onsite.md", dt.date(2024, 4, 22), "heading"),
        ("jrnl.txt:1", dt.date(2024, 5, 2), "export"),
        ("2024-05-28-bad-fields.md", dt.date(2024, 5, 28), "filename"),  # front matter date unreadable
    ],
)
def test_date_sources_in_order(mixed, source, date, how):
    r = by_source(mixed)[source]
    assert (r.date, r.date_source) == (date, how)


def test_mtime_is_last_resort(mixed):
    r = by_source(mixed)["undated-thoughts.md"]
    assert r.date_source == "mtime"
    assert r.date == dt.date.fromtimestamp((MIXED / "undated-thoughts.md").stat().st_mtime)
    assert all(x.date_source in DATE_SOURCES for x in mixed.reflections)


def test_no_mtime_when_turned_off():
    j = load_journal(MIXED / "undated-thoughts.md", use_mtime=False)
    assert (j.reflections[0].date, j.reflections[0].date_source) == (None, "none")


def test_jrnl_plain_text_export(mixed):
    first, second = by_source(mixed)["jrnl.txt:1"], by_source(mixed)["jrnl.txt:5"]
    assert first.line == 1 and second.line == 5
    assert first.title == "Vandelay final round."
    assert first.text.startswith("Vandelay final round.\n\nLong day.")
    assert second.tags == ("offer", "vandelay")
    assert second.extra["starred"] is True and "*" not in second.title
    assert first.format == second.format == "jrnl"


def test_bad_field_values_warn_and_keep_the_entry(mixed):
    r = by_source(mixed)["2024-05-28-bad-fields.md"]
    assert r.outcome == "no response"  # "Ghosted" is a synonym
    assert r.self_rating is None and r.thank_you_sent is None
    assert r.extra["self_rating"] == 7 and r.extra["date"] == "next tuesday"
    problems = {p.kind: p for p in mixed.problems if p.source == "2024-05-28-bad-fields.md"}
    assert set(problems) == {"bad_date", "bad_rating", "bad_value"}
    assert (problems["bad_date"].line, problems["bad_rating"].line) == (2, 5)
    assert all(p.action == "warned" for p in problems.values())


def test_malformed_yaml_warns_with_line_and_reads_body(mixed):
    r = by_source(mixed)["bad-yaml.md"]
    assert "nervous at the start but settled down" in r.text and r.company is None
    (p,) = [p for p in mixed.problems if p.source == "bad-yaml.md"]
    assert p.kind == "bad_yaml" and p.line in (3, 4) and p.action == "warned"


def test_yaml_bomb_and_python_tags_are_rejected_not_run(mixed, tmp_path):
    for name in ("yaml-bomb.md", "python-tag.md"):
        assert kinds(mixed, name) == ["bad_yaml"]
        assert by_source(mixed)[name].company is None
    assert "expands to more than" in next(p.message for p in mixed.problems if p.source == "yaml-bomb.md")
    assert not Path("/tmp/reflect_nlp_pwned").exists()


def test_exact_duplicate_kept_once(mixed):
    assert "acme-copy.md" not in by_source(mixed)
    (p,) = [p for p in mixed.problems if p.kind == "duplicate"]
    assert p.source == "acme-copy.md" and "2024-03-15-acme.md" in p.message and p.action == "skipped"


def test_empty_file_reported(mixed):
    (p,) = [p for p in mixed.problems if p.source == "empty.md"]
    assert (p.kind, p.action) == ("empty", "skipped")


def test_ids_are_stable_unique_and_follow_content(tmp_path):
    a, b = load_journal(MIXED), load_journal(MIXED)
    assert [r.id for r in a.reflections] == [r.id for r in b.reflections]
    assert len({r.id for r in a.reflections}) == len(a.reflections)
    note = tmp_path / "2024-01-01.md"
    note.write_text("It went fine.\n")
    before = load_journal(tmp_path).reflections[0]
    note.write_text("It went badly.\n")
    after = load_journal(tmp_path).reflections[0]
    assert before.id != after.id and before.content_hash != after.content_hash


def test_to_frame_has_one_row_per_reflection(mixed):
    df = mixed.to_frame()
    assert len(df) == len(mixed.reflections)
    assert set(df["entry_id"]) == {r.id for r in mixed.reflections}
    assert df.loc[df["source"] == "2024-03-15-acme.md", "tags"].item() == "python;phone-screen"


# --- tables and exports (a single file path) ---------------------------------------------


def test_csv_table_with_quoted_newlines_ragged_rows_and_bad_values():
    j = load_journal(TABLES / "cohort.csv")
    rows = by_source(j)
    assert sorted(rows) == ["cohort.csv:2", "cohort.csv:4", "cohort.csv:5", "cohort.csv:7"]
    first = rows["cohort.csv:2"]
    assert "No questions at the end either." in first.text and '"why Globex?"' in first.text
    assert (first.author, first.company, first.outcome, first.self_rating) == ("Alex", "Globex", "rejected", 2)
    assert (first.date, first.date_source, first.format) == (dt.date(2024, 2, 4), "column", "csv")
    assert rows["cohort.csv:4"].outcome == "rejected"  # "No offer"
    assert rows["cohort.csv:5"].extra["_extra"] == ["surprise extra cell"]
    assert (rows["cohort.csv:7"].date, rows["cohort.csv:7"].date_source) == (None, "none")
    found = {(p.line, p.kind) for p in j.problems}
    assert found == {(5, "ragged_row"), (6, "ragged_row"), (6, "empty"), (7, "bad_date"), (7, "bad_rating"), (8, "empty")}


def test_jsonl_with_mapped_author_and_bad_lines():
    j = load_journal(TABLES / "stories.jsonl", author_column="name")
    assert [r.source for r in j.reflections] == ["stories.jsonl:1", "stories.jsonl:2", "stories.jsonl:6"]
    assert [r.author for r in j.reflections] == ["Ana Lima", "Raj Patel", "Lee Wong"]
    assert j.reflections[0].extra == {"handle": "analima"}  # text and mapped columns are not extra
    assert {(p.line, p.kind) for p in j.problems} == {(3, "bad_json"), (4, "bad_row")}


def test_json_records_under_a_key():
    j = load_journal(TABLES / "records.json")
    assert [(r.source, r.company) for r in j.reflections] == [("records.json:3", "Massive Dynamic"), ("records.json:8", "Massive Dynamic")]
    (p,) = j.problems
    assert p.kind == "bad_date" and "ambiguous" in p.message and p.line == 8


def test_jrnl_json_export():
    j = load_journal(TABLES / "jrnl-export.json")
    a, b = j.reflections
    assert (a.date, a.date_source, a.title, a.tags, a.format) == (dt.date(2024, 4, 10), "export", "Cyberdyne technical.", ("cyberdyne",), "jrnl_json")
    assert b.extra["starred"] is True and b.extra["time"] == "19:30"
    assert b.text.startswith("Cyberdyne onsite\n\nBetter on edge cases")
    assert j.problems == []


def test_table_columns_are_mappable():
    j = load_journal(
        TABLES / "custom-columns.csv",
        text_column="Reflection Notes", date_column="When", author_column="Who", columns={"company": "Employer"},
    )
    r = j.reflections[0]
    assert (r.text, r.date, r.author, r.company) == (
        "Recruiter screen. I fumbled the salary question again.", dt.date(2024, 7, 1), "Dee", "Wayne Enterprises",
    )
    assert r.extra == {"Mood": "meh"} and j.problems == []


def test_unknown_field_in_columns_is_refused_with_the_cli_message(tmp_path, capsys):
    """columns={...} is checked like --column FIELD=NAME: a misspelt field stops, with the same message."""
    from reflect_nlp import ReflectError
    from reflect_nlp.cli import main

    table = tmp_path / "t.csv"
    table.write_text("reflexion,employer\nI froze on the first question.,Initech\n", encoding="utf-8")
    with pytest.raises(ReflectError) as api:
        load_journal(table, text_column="reflexion", columns={"compnay": "employer"})
    assert main(["analyze", str(table), "--out", str(tmp_path / "o"), "--column", "text=reflexion", "--column", "compnay=employer"]) == 1
    cli_message = capsys.readouterr().err.strip().split("--column 'compnay=employer': ", 1)[1]
    assert cli_message.startswith("'compnay' is not a field reflect-nlp reads. Did you mean 'company'?")
    assert str(api.value).endswith(": " + cli_message) and "compnay" in str(api.value).split(": ", 1)[0]
    with pytest.raises(ReflectError, match="not a field reflect-nlp reads"):  # refused before the path is looked at
        load_journal(tmp_path / "nope", columns={"compnay": "employer"})
    # field names are read as --column reads them: any case, and the aliases a header may use
    j = load_journal(table, columns={"Text": "reflexion", "employer": "employer"})
    assert [(r.text, r.company) for r in j.reflections] == [("I froze on the first question.", "Initech")]


def test_table_without_the_named_text_column_says_how_to_fix():
    with pytest.raises(EmptyJournalError) as e:
        load_journal(TABLES / "custom-columns.csv")
    assert "text_column=" in str(e.value) and "Reflection Notes" in str(e.value)


# --- errors ----------------------------------------------------------------------------


def test_missing_journal_is_a_clear_error(tmp_path):
    with pytest.raises(JournalNotFoundError, match="no such file or folder"):
        load_journal(tmp_path / "nope")


def test_journal_without_reflections_is_a_clear_error(tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    with pytest.raises(EmptyJournalError) as e:
        load_journal(tmp_path)
    assert ".md" in str(e.value) and "photo.jpg" in str(e.value)


def test_cli_exit_codes_for_missing_and_empty(tmp_path, capsys):
    from reflect_nlp.cli import main

    assert main(["analyze", str(tmp_path / "nope")]) == JournalNotFoundError.exit_code != 0
    assert main(["analyze", str(tmp_path)]) == EmptyJournalError.exit_code != 0
    assert "no reflections found" in capsys.readouterr().err


# --- cleaning details -------------------------------------------------------------------


@pytest.mark.parametrize(
    "md, expected",
    [
        ("See [docs](https://x.io/a_(b)) now.", "See docs now."),
        ("Go to https://leetcode.com/problems/x/.", "Go to ."),
        ("<https://x.io> and www.example.com/page", "and"),
        ("[[Interview Prep|my prep]] and [[Acme]]", "my prep and Acme"),
        ("I used `fork` and **bold** and _it_", "I used fork and bold and it"),
        ("snake_case_name stays", "snake_case_name stays"),
        ("a <b>tag</b> &amp; entity<br>next", "a tag & entity\nnext"),
        ("Title\n=====\nBody.", "Title\n\nBody."),
        ("> quoted line\n> more", "quoted line\nmore"),
        ("| Q | How |\n|---|---|\n| why us | badly |", "Q; How\n\nwhy us; badly"),
        ("~~~\ncode\n~~~\nafter", "after"),
        ("```\nnever closed\ncode", ""),
        ("<script>var x = 1;</script>text", "text"),
        ("- [x] sent thank-you\n- [ ] ask for feedback", "sent thank-you\n\nask for feedback"),
    ],
)
def test_clean_markdown_cases(md, expected):
    assert clean_markdown(md) == expected


def test_outcome_synonyms_cover_every_outcome():
    from reflect_nlp.ingest.fields import normalise_outcome

    seen = {normalise_outcome(v) for v in ("Offer", "REJECTED", "waiting", "withdrew", "no_response", "Ghosted")}
    assert seen == set(OUTCOMES)
    assert normalise_outcome("declined") is None  # ambiguous: who declined?


# --- the real blog posts in ../shared/eval ------------------------------------------------

WRITEUPS = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "interview-writeups"


@pytest.mark.skipif(not WRITEUPS.is_dir(), reason="../shared/eval is not present")
def test_real_blog_posts_load_cleanly():
    j = load_journal(WRITEUPS)
    posts = [r for r in j.reflections if r.format == "markdown"]
    assert sorted(r.source for r in posts) == [
        "robertboy18/01.md", "sakshamsharma-acehack/01.md", "smw1218-scottwhite/01.md", "viktorbarzin/01.md",
    ]
    # the table in the folder is read as when passed on its own (its "story" column is the text)
    alone = load_journal(WRITEUPS / "rejected-us" / "stories.jsonl")
    in_folder = [r for r in j.reflections if r.format == "jsonl"]
    assert [(f"rejected-us/{a.source}", a.text) for a in alone.reflections] == [(r.source, r.text) for r in in_folder]
    assert len(in_folder) == 88 and len(j.reflections) == 92
    assert j.problems == []  # the licence file is skipped without a problem
    url = re.compile(r"https?://|www\.|\]\(|!\[|```|<script|<!--|WIDGETPACK")
    for r in posts:
        assert not url.search(r.text), (r.source, url.search(r.text))
        assert len(r.text) > 0.5 * len(r.raw)  # prose is kept
        assert r.title
    dates = {r.source: (r.date, r.date_source) for r in j.reflections}
    assert dates["robertboy18/01.md"] == (dt.date(2020, 11, 10), "front_matter")
    assert dates["smw1218-scottwhite/01.md"] == (dt.date(2025, 2, 26), "front_matter")  # TOML front matter
    assert by_source(j)["viktorbarzin/01.md"].author == "Viktor Barzin"
    assert "Kubernetes" in by_source(j)["sakshamsharma-acehack/01.md"].text


@pytest.mark.skipif(not WRITEUPS.is_dir(), reason="../shared/eval is not present")
def test_real_rejection_stories_load_cleanly():
    j = load_journal(WRITEUPS / "rejected-us" / "stories.jsonl", text_column="story", author_column="name")
    assert len(j.reflections) == 88 and j.problems == []
    assert all(r.author and r.text for r in j.reflections)
    assert not any(re.search(r"https?://", r.text) for r in j.reflections)


def test_unclosed_html_comment_is_reported_with_its_line(tmp_path):
    note = tmp_path / "2025-02-01-acme.md"
    note.write_text("---\ncompany: Acme\n---\nMy mind went blank.\n\n<!-- draft\nI rambled on the design question.\n",
                    encoding="utf-8")
    closed = tmp_path / "2025-02-02-acme.md"
    closed.write_text("I was nervous. <!-- private -->\nI rambled.\n", encoding="utf-8")
    journal = load_journal(tmp_path)
    problems = [(p.source, p.line, p.kind, p.action) for p in journal.problems]
    assert problems == [("2025-02-01-acme.md", 6, "unclosed_comment", "warned")]
    texts = by_source(journal)
    assert "rambled" not in texts["2025-02-01-acme.md"].text and "mind went blank" in texts["2025-02-01-acme.md"].text
    assert "rambled" in texts["2025-02-02-acme.md"].text


def test_two_columns_for_one_field_are_refused(tmp_path):
    from reflect_nlp import ReflectError

    table = tmp_path / "t.csv"
    table.write_text("notes,body\nI froze.,I rambled.\n", encoding="utf-8")
    with pytest.raises(ReflectError, match="two columns given for the field 'text'"):
        load_journal(table, columns={"text": "notes", "Text": "body"})
    assert load_journal(table, columns={"text": "notes", "Text": "notes"}).reflections[0].text == "I froze."
