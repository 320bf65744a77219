"""Docstrings, CLI help and docs/API.md agree with the code (regenerate with docs/gen_api.py)."""
from __future__ import annotations

import argparse
import inspect
import re
from pathlib import Path

import pytest

import reflect_nlp
from reflect_nlp import tables, trends
from reflect_nlp.analysis import Analysis
from reflect_nlp.cli import build_parser
from reflect_nlp.ingest.fields import KNOWN_FIELDS

API_MD = Path(__file__).resolve().parents[1] / "docs" / "API.md"
PUBLIC = [n for n in reflect_nlp.__all__ if n != "__version__"]
FIX = "run `.venv/bin/python docs/gen_api.py` and commit docs/API.md"


def sections(text: str, level: str) -> dict[str, str]:
    """Heading text (backticks removed) -> body, for headings of one level ("##" or "###")."""
    parts = re.split(rf"^{level} (.+)$", text, flags=re.M)
    return {h.strip().strip("`"): body for h, body in zip(parts[1::2], parts[2::2])}


def first_cells(body: str) -> list[str]:
    """The first backticked cell of every table row."""
    return re.findall(r"^\| `([^`]+)` \|", body, flags=re.M)


@pytest.fixture(scope="module")
def doc() -> dict[str, str]:
    return sections(API_MD.read_text(encoding="utf-8"), "##")


def subcommands() -> dict[str, tuple[argparse.ArgumentParser, str | None]]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {c.dest: (sub.choices[c.dest], c.help) for c in sub._choices_actions}


def options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_names_have_docstrings(name):
    obj = getattr(reflect_nlp, name)
    text = inspect.getdoc(obj)
    assert text and text.strip(), f"{name} has no docstring"
    if inspect.isfunction(obj):
        assert "Example" in text, f"{name}'s docstring has no example"


def test_analysis_members_have_docstrings():
    undocumented = [
        n for n, m in inspect.getmembers(Analysis)
        if not n.startswith("_") and (callable(m) or isinstance(m, property)) and not inspect.getdoc(m)
    ]
    assert not undocumented
    described = re.findall(r"^ {4}(\w+):", (inspect.getdoc(Analysis) or "").split("Attributes:")[-1], flags=re.M)
    missing = [f for f in Analysis.__dataclass_fields__ if f not in described]
    assert not missing, f"Analysis fields missing from its docstring's Attributes: {missing}"


def test_every_cli_command_and_option_has_help():
    parser = build_parser()
    assert parser.description
    for name, (p, help_text) in subcommands().items():
        assert help_text and p.description, f"command {name} needs help= and description="
        for a in options(p):
            assert a.help and a.help.strip(), f"{name} {a.option_strings or a.dest} has no help text"
    for a in options(parser):
        assert a.help, f"{a.option_strings} has no help text"


def test_docs_list_exactly_the_public_api(doc):
    documented = list(sections(doc["Python API"], "###"))
    assert sorted(documented) == sorted(reflect_nlp.__all__), FIX


def test_docs_list_analysis_members(doc):
    documented = {c.removesuffix("()") for c in first_cells(sections(doc["Python API"], "###")["Analysis"])}
    members = {n for n, m in inspect.getmembers(Analysis) if not n.startswith("_") and (callable(m) or isinstance(m, property))}
    fields = {f for f in Analysis.__dataclass_fields__ if not f.startswith("_")}
    assert members | fields | {"_repr_html_"} == documented, FIX


def test_docs_list_every_cli_command_and_option(doc):
    cli = sections(doc["Command line"], "###")
    commands = subcommands()
    assert sorted(cli) == sorted(f"reflect-nlp {c}" for c in commands), FIX
    for name, (p, _) in commands.items():
        documented = [cell.split()[0] for cell in first_cells(cli[f"reflect-nlp {name}"])]
        in_code = [max(a.option_strings, key=len) if a.option_strings else a.dest for a in options(p)]
        assert documented == in_code, f"{name}: {FIX}"


def test_docs_list_front_matter_fields(doc):
    assert sorted(first_cells(doc["Front matter fields"])) == sorted(KNOWN_FIELDS), FIX


def test_docs_list_every_dataframe_column(doc):
    documented = [
        re.findall(r"^\| `([^`]+)` \| (\S+) \|", body, flags=re.M) for body in sections(doc["DataFrames"], "###").values()
    ]
    schemas = {
        f"{mod.__name__}.{name}": value
        for mod in (tables, trends)
        for name, value in vars(mod).items()
        if name.endswith("_COLUMNS") and isinstance(value, dict)
    }
    # entries = metadata + entry features + weak-spot counts, documented as one table
    for part in ("METADATA_COLUMNS", "ENTRY_FEATURE_COLUMNS"):
        schema = schemas.pop(f"reflect_nlp.tables.{part}")
        assert schema.items() <= tables.ENTRY_COLUMNS.items()
    for name, schema in schemas.items():
        assert list(schema.items()) in documented, f"{name} is not documented as it is: {FIX}"
