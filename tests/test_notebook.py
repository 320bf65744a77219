"""notebooks/explore.ipynb runs top to bottom in a kernel from this environment."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(not c.outputs and c.execution_count is None for c in code)


@pytest.mark.slow
def test_notebook_executes(tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setenv("REFLECT_NLP_NOTEBOOK_OUT", str(out))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.executable)"))
    # jupyter_client runs a "python" kernelspec with sys.executable: this environment's ipykernel
    client = NotebookClient(nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(ROOT)}})
    client.execute()

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert nb.cells[-1].outputs[0]["text"].strip() == sys.executable  # the kernel is this venv's
    html = [o for o in outputs if "text/html" in o.get("data", {})]
    assert any("reflect-nlp Analysis" in o["data"]["text/html"] for o in html)  # Analysis._repr_html_
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(figures) >= 4  # one per plot_* method
    assert (out / "report.html").is_file()
    assert (out / "entries_from_notebook.csv").is_file()
    assert sorted(p.name for p in (out / "tables").glob("*.csv"))


def test_repr_html_summarises_and_escapes(sample_analysis):
    from dataclasses import replace

    entries = sample_analysis.entries.copy()
    entries.loc[entries.index[-1], "company"] = "<script>alert(1)</script>"
    html = replace(sample_analysis, entries=entries)._repr_html_()
    s = sample_analysis.summary()
    assert f"{s['interviews']} interviews" in html
    assert f"{s['weak_spot_hits']} weak-spot mentions" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<table") == 2


def test_plot_methods_return_titled_figures(sample_analysis):
    from matplotlib.figure import Figure

    for name in ("plot_tone", "plot_weak_spots", "plot_gut_feeling", "plot_cadence"):
        fig = getattr(sample_analysis, name)()
        assert isinstance(fig, Figure), name
        assert fig.get_suptitle() or fig.axes[0].get_title(), name


def test_to_file_html_or_folder(sample_analysis, tmp_path):
    page = sample_analysis.to_file(tmp_path / "mine.html")
    assert page == tmp_path / "mine.html"
    assert page.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    main = sample_analysis.to_file(tmp_path / "out", formats="html,csv", figures=False)
    assert main == tmp_path / "out" / "report.html"
    assert (tmp_path / "out" / "tables" / "entries.csv").is_file()
