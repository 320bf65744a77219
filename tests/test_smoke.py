"""End-to-end: a tiny journal goes through analyze() and out as a report."""
from reflect_nlp import analyze
from reflect_nlp.cli import main


def test_analyze_and_report(tmp_path, nlp):
    j = tmp_path / "journal"
    j.mkdir()
    (j / "2024-03-01-acme.md").write_text("My mind went blank. Next time I will practise more.\n")
    a = analyze(j, nlp=nlp)
    assert len(a.entries) == 1
    assert a.sentences["entry_id"].eq(a.entries.loc[0, "entry_id"]).all()
    out = tmp_path / "out"
    assert main(["analyze", str(j), "--out", str(out)]) == 0
    assert "<html" in (out / "report.html").read_text()
