"""PLACEHOLDER report (issue 6 grows it): a plain page listing entries and load problems."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape


def _env() -> Environment:
    return Environment(loader=PackageLoader("reflect_nlp", "report/templates"), autoescape=select_autoescape(["html", "j2"]))


def render_html(analysis) -> str:
    return _env().get_template("report.html.j2").render(a=analysis)


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename, so no half file is ever seen."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(analysis, out_dir: Path) -> Path:
    path = Path(out_dir) / "report.html"
    atomic_write(path, render_html(analysis))
    return path
