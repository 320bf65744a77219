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
