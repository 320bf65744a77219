"""Property tests (hypothesis): any text analyses into the documented frames, any bytes load or
fail with a documented error, and every reported offset slices back to its evidence text."""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflect_nlp import Journal, LoadProblem, Reflection, analyze, load_journal
from reflect_nlp import tables
from reflect_nlp.errors import EmptyJournalError
from reflect_nlp.records import DATE_SOURCES, OUTCOMES
from reflect_nlp.redact import Redactor

SCHEMAS = {
    "entries": tables.ENTRY_COLUMNS,
    "sentences": tables.SENTENCE_COLUMNS,
    "weak_spots": tables.WEAK_SPOT_COLUMNS,
    "actions": tables.ACTION_COLUMNS,
    "phrases": tables.PHRASE_COLUMNS,
    "themes": tables.THEME_COLUMNS,
}
# Phrases that fire weak spots, cues and actions, so generated texts have hits to check.
PHRASES = [
    "I froze on the system design question.",
    "My mind went blank.",
    "Next time I will practise out loud.",
    "I rambled and ran out of time.",
    "I was so nervous my voice was shaky.",
    "I should have asked clarifying questions.",
    "I think it went well, maybe?",
    "I didn't freeze this time.",
    "The interviewer seemed bored.",
    "\n\n",
    "Acme",
]
TEXT = st.lists(st.one_of(st.text(max_size=80), st.sampled_from(PHRASES)), max_size=8).map(" ".join)
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FAST = settings(max_examples=150, deadline=None)


def journal_of(texts: list[str]) -> Journal:
    refls = [
        Reflection(id=f"e{i}", source=f"note-{i}.md", line=1, text=t, raw=t, date=None if i % 2 else pd.Timestamp(2025, 1, 1 + i).date(),
                   content_hash=hashlib.sha256(t.encode("utf-8")).hexdigest())
        for i, t in enumerate(texts)
    ]
    return Journal(root=Path("."), reflections=refls)


def assert_schema(df: pd.DataFrame, schema: dict[str, str], name: str) -> None:
    assert list(df.columns) == list(schema), name
    for col, dtype in schema.items():
        assert str(df[col].dtype) == dtype, f"{name}.{col}: {df[col].dtype} != {dtype}"


def assert_offsets(analysis) -> None:
    """Every start/end of a sentence, weak-spot hit and action slices back to its text."""
    text = {r.id: r.text for r in analysis.reflections}
    for r in analysis.sentences.itertuples():
        assert text[r.entry_id][r.start : r.end] == r.text
    sents = analysis.sentences.set_index(["entry_id", "sent_idx"])
    for r in analysis.weak_spots.itertuples():
        assert text[r.entry_id][r.start : r.end] == r.matched
        assert r.matched in r.sentence
        s = sents.loc[(r.entry_id, r.sent_idx)]
        assert s["start"] <= r.start and r.end <= s["end"]
    for r in analysis.actions.itertuples():
        assert text[r.entry_id][r.start : r.end] == r.text


@SLOW
@given(texts=st.lists(TEXT, min_size=1, max_size=3))
def test_any_text_gives_a_valid_analysis(nlp, texts):
    analysis = analyze(journal_of(texts), nlp=nlp)
    for name, schema in SCHEMAS.items():
        assert_schema(getattr(analysis, name), schema, name)
    assert len(analysis.entries) == len(texts)
    assert set(analysis.entries["entry_id"]) == {f"e{i}" for i in range(len(texts))}
    e = analysis.entries
    assert e["tone"].dropna().between(-1, 1).all() and e["confidence"].dropna().between(-1, 1).all()
    assert e["reflection_depth"].dropna().between(0, 4).all()
    assert (e["n_weak_spots"] == e["entry_id"].map(analysis.weak_spots["entry_id"].value_counts()).fillna(0)).all()
    assert_offsets(analysis)
    # the derived views work on whatever came out
    analysis.summary()
    analysis.lifecycle()
    analysis.follow_through()
    analysis.series()


def test_offsets_slice_back_on_the_sample_journal(sample_analysis):
    assert len(sample_analysis.weak_spots) and len(sample_analysis.actions)
    assert_offsets(sample_analysis)


# ---------------------------------------------------------------- ingestion of any bytes

PIECES = [
    b"---\n", b"+++\n", b"...\n", b"# ", b"## heading\n", b"- ", b"  - ", b"1. ", b"> ", b"```\n", b"~~~\n",
    b"| a | b |\n", b"|---|---|\n", b"[link](http://x.io)", b"![img](a.png)", b"[[wiki|alias]]", b"<!-- ", b" -->",
    b"<script>", b"*", b"_", b"`", b"\\", b"&amp;", b"&#0;", b"a: &a [x, y]\n", b"b: [*a, *a]\n", b"!!python/object:os.system\n",
    b"date: 2024-13-45\n", b"date: 03/04/2025\n", b"outcome: maybe\n", b"self_rating: 9\n", b"tags: {a: 1}\n",
    b"company = 'x'\n", b"text,date\n", b'"unterminated', b",,,\n", b'{"text": "I froze"}\n', b"[", b"]", b"{", b"}",
    b"[2024-05-02 09:00] Title.\n", b"I froze on the question. ", b"\r\n", b"\r", b"\n", b"\t", b"\x00", b"\xff\xfe",
    b"\xef\xbb\xbf", b"\xe9", b"\xf0\x9f\x98\xac", b"\xd7\xa9\xd7\x9c", b"\xe2\x80\xae",
]
BYTES = st.one_of(st.binary(max_size=400), st.lists(st.one_of(st.sampled_from(PIECES), st.binary(max_size=8)), max_size=40).map(b"".join))
SUFFIXES = st.sampled_from([".md", ".markdown", ".txt", ".csv", ".tsv", ".jsonl", ".ndjson", ".json"])


def check_journal(j: Journal) -> None:
    assert j.reflections
    for r in j.reflections:
        assert r.text.strip() and "\r" not in r.text and "\x00" not in r.text
        assert r.content_hash == hashlib.sha256(r.text.encode()).hexdigest()
        assert r.date_source in DATE_SOURCES
        assert r.outcome is None or r.outcome in OUTCOMES
        assert r.self_rating is None or 1 <= r.self_rating <= 5
        assert r.line >= 1
    assert len({r.id for r in j.reflections}) == len(j.reflections)
    for p in j.problems:
        assert isinstance(p, LoadProblem) and p.action in ("warned", "skipped") and p.message and str(p)


def load_bytes(data: bytes, name: str, *, folder: bool, max_bytes: int | None = None) -> Journal | None:
    """Load ``data`` written as ``name`` (alone or inside a folder); None when the journal is empty."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "journal"
        path.mkdir()
        (path / name).write_bytes(data)
        kwargs = {"max_bytes": max_bytes} if max_bytes else {}
        try:
            return load_journal(path if folder else path / name, **kwargs)
        except EmptyJournalError as e:
            assert name in str(e) or str(path) in str(e)
            return None


@FAST
@given(data=BYTES, suffix=SUFFIXES, folder=st.booleans())
def test_any_bytes_load_or_raise_only_the_documented_error(data, suffix, folder):
    j = load_bytes(data, "note" + suffix, folder=folder)
    if j is not None:
        check_journal(j)


@FAST
@given(front=BYTES, body=TEXT, fence=st.sampled_from([b"---", b"+++"]))
def test_any_front_matter_is_read_or_reported_and_the_body_kept(front, body, fence):
    data = fence + b"\n" + front + b"\n" + fence + b"\n" + body.encode("utf-8")
    j = load_bytes(data, "2025-01-01-note.md", folder=True)
    if j is None:
        return
    check_journal(j)


@settings(max_examples=40, deadline=None)
@given(data=BYTES, max_bytes=st.integers(1, 64))
def test_size_limit_is_respected_for_any_bytes(data, max_bytes):
    j = load_bytes(data, "note.md", folder=False, max_bytes=max_bytes)
    if len(data) > max_bytes:
        assert j is None
    elif j is not None:
        check_journal(j)


@SLOW
@given(data=BYTES)
def test_any_loaded_bytes_analyse(nlp, data):
    j = load_bytes(data, "note.md", folder=True)
    if j is None:
        return
    analysis = analyze(j, nlp=nlp)
    assert_schema(analysis.entries, tables.ENTRY_COLUMNS, "entries")
    assert_offsets(analysis)


# ---------------------------------------------------------------- redaction of any contact details

EMAIL = st.from_regex(r"[a-z][a-z0-9._+-]{0,12}[a-z0-9]@[a-z][a-z0-9-]{0,10}\.(com|io|co\.uk|org)", fullmatch=True)
PHONE = st.from_regex(r"(\+\d{1,3} )?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}", fullmatch=True)
URL = st.from_regex(r"(https?://|www\.)[a-z0-9-]{1,12}\.(com|io)(/[a-zA-Z0-9_%-]{0,10}){0,3}", fullmatch=True)


@FAST
@given(before=TEXT, secret=st.one_of(EMAIL, PHONE, URL), after=TEXT)
def test_redactor_removes_any_email_phone_or_url(before, secret, after):
    out = Redactor()(f"{before} {secret} {after}")
    assert secret not in out


NAME = st.from_regex(r"[A-Z][a-z]{2,9}( [A-Z][a-z]{2,11}){1,2}", fullmatch=True)


@FAST
@given(before=TEXT, name=NAME, after=TEXT, form=st.sampled_from(["{}", "{}'s", "{}.", "({})", "{}\n"]))
def test_redactor_removes_any_known_full_name(before, name, after, form):
    out = Redactor(names=[name])(f"{before} {form.format(name)} {after}")
    assert name not in out
    assert not any(part in out.split() for part in name.split() if part not in before.split() and part not in after.split())
