"""--redact: no person name, email, phone number or URL from the journal survives in any output."""
from __future__ import annotations

import pandas as pd
import pytest

from reflect_nlp.redact import Redactor, person_names, redactor_for

NAMES = ("Sarah Johnson", "Michael Brown")
EMAIL, PHONE, URL = "maya.k@example.com", "+1 (415) 555-0199", "https://example.com/notes/maya"
SECRETS = (*NAMES, "Sarah", "Johnson", "Michael", "Brown", EMAIL, "415) 555-0199", "example.com", "Dana Whitfield")


@pytest.mark.parametrize("text,expected", [
    (f"Write to {EMAIL} today.", "Write to [email] today."),
    (f"Call {PHONE} after lunch.", "Call [phone] after lunch."),
    ("Call 415-555-0199 or 4155550199.", "Call [phone] or [phone]."),
    (f"Notes at {URL}, and www.foo.com.", "Notes at [url], and [url]."),
    ("On 2025-03-01 I had 1200000 users and scored 0.75.", "On 2025-03-01 I had 1200000 users and scored 0.75."),
    ("Sarah Johnson asked; Sarah's follow-up came; later johnson wrote.", "[name] asked; [name] follow-up came; later [name] wrote."),
    ("2025-03-01-call-with-sarah-johnson.md", "2025-03-01-call-with-[name].md"),
    ("I will ask Will.", "I will ask [name]."),
])
def test_redactor_patterns(text, expected):
    assert Redactor(names=["Sarah Johnson", "Will"])(text) == expected


def test_redactor_keeps_non_strings_and_dtypes():
    import pandas as pd

    r = Redactor(names=["Sarah Johnson"])
    assert r(None) is None and r(3) == 3
    df = pd.DataFrame({"t": pd.array(["Sarah Johnson said", None], dtype="string"), "n": [1, 2]})
    out = r.frame(df)
    assert out["t"].tolist()[0] == "[name] said" and out["t"].isna().tolist() == [False, True]
    assert out.dtypes.equals(df.dtypes) and df["t"].iloc[0] == "Sarah Johnson said"


def test_ner_finds_people(nlp_ner):
    found = person_names(["I spoke with Sarah Johnson about the role.", "Michael Brown ran the coding round."], nlp_ner)
    assert {"Sarah Johnson", "Michael Brown"} <= found
    assert not any("role" in n or "coding" in n for n in found)


def _journal(root):
    root.mkdir()
    (root / "2025-03-01-acme.md").write_text(
        "---\ndate: 2025-03-01\ncompany: Acme\ninterviewer: Dana Whitfield\noutcome: rejected\n---\n"
        f"I spoke with Sarah Johnson first and my mind went blank on the second question. "
        f"I was nervous the whole time. She said to email {EMAIL} or call {PHONE}. "
        f"Next time I will practise with a timer.\n")
    (root / "2025-03-08-call-with-michael-brown.md").write_text(
        "---\ndate: 2025-03-08\ncompany: Globex\noutcome: offer\n---\n"
        f"Michael Brown was friendly. I ran out of time on the coding problem again. "
        f"He shared {URL} with notes. My mind went blank once more.\n")
    return root


@pytest.fixture(scope="module")
def redacted_outputs(tmp_path_factory, nlp, nlp_ner):
    from reflect_nlp import analyze
    from reflect_nlp.report import write_outputs

    root = tmp_path_factory.mktemp("redact")
    analysis = analyze(_journal(root / "journal"), nlp=nlp)
    out = root / "out"
    write_outputs(analysis, out, formats="html,md,json,csv", redact=redactor_for(analysis, nlp=nlp_ner))
    return analysis, out


def test_no_secret_in_any_output_byte(redacted_outputs):
    analysis, out = redacted_outputs
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} >= {".html", ".md", ".json", ".csv", ".svg", ".png"}
    for p in files:
        data = p.read_bytes().lower()
        for secret in SECRETS:
            assert secret.lower().encode() not in data, (p.name, secret)
    doc = (out / "report.json").read_text()  # holds every sentence, so every kind of detail
    assert all(tag in doc for tag in ("[name]", "[email]", "[phone]"))  # (ingest already drops bare URLs)
    assert "redacted for sharing" in (out / "report.html").read_text()


def test_redaction_keeps_the_findings(redacted_outputs):
    analysis, out = redacted_outputs
    html = (out / "report.html").read_text()
    assert "<mark>" in html or analysis.weak_spots.empty  # evidence still highlighted after redaction
    assert "Acme" in html and "Globex" in html  # companies are not people


def test_redact_true_builds_a_redactor(redacted_outputs, nlp_ner, monkeypatch):
    import reflect_nlp.models
    from reflect_nlp.report import render_html

    monkeypatch.setattr(reflect_nlp.models, "load_model", lambda *a, **k: nlp_ner)
    analysis, _ = redacted_outputs
    html = render_html(analysis, redact=True)
    assert "Sarah Johnson" not in html and "redacted for sharing" in html


def test_cohort_authors_become_pseudonyms_and_get_a_row_each():
    from dataclasses import replace

    from test_report import make_analysis

    from reflect_nlp.redact import redact_analysis
    from reflect_nlp.report import build_context

    a = make_analysis()
    authors = ["Alex Turner", "Bea Kowalski", "Alex Turner", "Chen Wei", "Bea Kowalski", "Alex Turner"]
    a = replace(a, entries=a.entries.assign(author=pd.array(authors, dtype="string")))
    red = redact_analysis(a, Redactor(names=authors))
    assert red.entries["author"].tolist() == ["Person A", "Person B", "Person A", "Person C", "Person B", "Person A"]
    people = build_context(a, redact=Redactor(names=authors))["people"]
    assert [row[:2] for row in people["rows"]] == [["Person A", "3"], ["Person B", "2"], ["Person C", "1"]]


def test_redact_run_loads_the_model_once_with_the_same_outputs(tmp_path, monkeypatch, redacted_outputs):
    """--redact used to load the model twice (without, then with the name recogniser)."""
    import spacy

    from reflect_nlp import cli

    loads = []
    real_load = spacy.load

    def counting_load(*args, **kwargs):
        loads.append(args[0] if args else kwargs.get("name"))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(spacy, "load", counting_load)
    out = tmp_path / "out"
    assert cli.main(["analyze", str(_journal(tmp_path / "journal")), "--out", str(out), "--format", "csv", "--redact", "-q"]) == 0
    assert len(loads) == 1, loads
    # byte for byte what the analysis pipeline plus a separately loaded NER model give
    _, expected = redacted_outputs
    csvs = sorted(p.relative_to(out) for p in out.rglob("*.csv"))
    assert csvs and csvs == sorted(p.relative_to(expected) for p in expected.rglob("*.csv"))
    for rel in csvs:
        assert (out / rel).read_bytes() == (expected / rel).read_bytes(), rel


def test_one_pipeline_serves_analysis_and_names(nlp, nlp_ner, tmp_path):
    from pandas.testing import assert_frame_equal

    from reflect_nlp import analyze, build_pipeline

    shared = build_pipeline(ner=True)
    assert shared.pipe_names == nlp.pipe_names and "ner" in shared.disabled  # the analysis never runs NER
    journal = _journal(tmp_path / "journal")
    a, b = analyze(journal, nlp=shared), analyze(journal, nlp=nlp)
    for name in ("entries", "sentences", "weak_spots", "actions", "phrases", "themes"):
        assert_frame_equal(getattr(a, name), getattr(b, name))
    assert redactor_for(a, nlp=shared).names == redactor_for(a, nlp=nlp_ner).names
    assert {"Sarah Johnson", "Michael Brown"} <= set(redactor_for(a, nlp=shared).names)
    assert "ner" in shared.disabled and shared.pipe_names == nlp.pipe_names  # switched off again


def test_blank_model_redaction_needs_no_model_load(monkeypatch, tmp_path):
    import spacy

    from reflect_nlp import analyze

    a = analyze(_journal(tmp_path / "journal"), model="blank")
    monkeypatch.setattr(spacy, "blank", lambda *a, **k: pytest.fail("loaded a second blank pipeline"))
    assert "Dana Whitfield" in redactor_for(a, model="blank").names  # from the interviewer field
