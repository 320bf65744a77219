"""Tables of reflections: CSV/TSV, JSONL and JSON (a list of records), one row per reflection.

The text column is found by name (``text``, ``body``, ``story``...) or given with
``text_column=``; other columns map to fields by name or through ``columns=``/``*_column=``.
"""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Iterable

from .base import Draft, Options, ProblemLog
from .fields import KNOWN_FIELDS, field_key
from .jrnl import is_jrnl_json, read_jrnl_json

TEXT_COLUMNS = ("text", "body", "entry", "reflection", "content", "story", "notes", "note", "journal")
_RECORD_KEYS = ("entries", "reflections", "records", "rows", "items", "data")


def _text_column(columns: Iterable[str], opts: Options) -> str | None:
    columns = list(columns)
    if opts.column_map().get("text"):
        return opts.column_map()["text"] if opts.column_map()["text"] in columns else None
    by_key = {field_key(c): c for c in columns}
    return next((by_key[k] for k in TEXT_COLUMNS if k in by_key), None)


def _no_text(source: str, columns: list[str], opts: Options, problems: ProblemLog) -> None:
    wanted = opts.column_map().get("text")
    why = f"has no column {wanted!r}" if wanted else f"has no text column (looked for {', '.join(TEXT_COLUMNS)})"
    problems.add(source, 1, "no_text_column", f"{why}; name it with --column text=NAME (API: text_column=...) (columns: {', '.join(map(str, columns)) or 'none'})", "skipped")


def _written_by_us(columns: Iterable[str]) -> str | None:
    """The reflect-nlp table (e.g. ``"sentence"``) all of whose columns are among ``columns``, if any.

    A report folder inside a journal folder would otherwise have its CSV tables read back as
    notes (sentences.csv has a text column) or reported as tables without text. Every schema
    has four or more columns with names such as ``felt_good_got_rejected``: a table of the
    user's own does not hold all of them.
    """
    from .. import tables, trends

    have = set(map(str, columns))
    found = [(len(schema), name) for mod in (tables, trends) for name, schema in vars(mod).items()
             if name.endswith("_COLUMNS") and isinstance(schema, dict) and len(schema) >= 4 and set(schema) <= have]
    # the most specific: ENTRY_COLUMNS, not METADATA_COLUMNS, which entries.csv also holds
    return max(found)[1].removesuffix("_COLUMNS").lower().replace("_", " ") if found else None


def rows_to_drafts(
    rows: Iterable[tuple[int, dict[str, Any], str]], columns: list[str], source: str, fmt: str, opts: Options,
    problems: ProblemLog, *, in_folder: bool = False,
) -> list[Draft]:
    """Rows as (line, {column: value}, chunk) -> Drafts; rows without text are logged and skipped.

    ``in_folder``: the table was found inside a journal folder, not named on its own; a table
    reflect-nlp wrote (a report's ``sentences.csv``) is then skipped with a problem.
    """
    if in_folder and (ours := _written_by_us(columns)):
        problems.not_read(source, 1, f"has the columns of reflect-nlp's {ours} table: a table of a report, not reflections")
        return []
    text_col = _text_column(columns, opts)
    wanted = opts.column_map().get("text")
    if text_col is None and in_folder and wanted:
        # --column text=NAME is for the table that has NAME; another table in the folder keeps its own
        text_col = _text_column(columns, Options())
        if text_col is not None:
            problems.add(source, 1, "no_column", f"no column {wanted!r} (--column text={wanted}); read its "
                         f"{text_col!r} column instead", "warned")
    if text_col is None:
        _no_text(source, columns, opts, problems)
        return []
    for fld, col in opts.column_map().items():
        if fld != "text" and col not in columns:
            problems.add(source, 1, "no_column", f"no column {col!r} (--column {fld}={col}); its own {fld} column, "
                         "if any, is read instead", "warned")
    mapped = {col: fld for fld, col in opts.column_map().items() if fld != "text" and col in columns}
    mapped_fields = set(mapped.values())
    drafts = []
    for line, row, chunk in rows:
        value = row.get(text_col)
        if value is None or not str(value).strip():
            problems.add(source, line, "empty", f"no text in column {text_col!r}", "skipped")
            continue
        meta: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for col, val in row.items():
            if col == text_col:
                continue
            if col in mapped:
                meta[mapped[col]] = val
            elif field_key(col) in mapped_fields and field_key(col) in KNOWN_FIELDS:
                extra[col] = val  # the user picked another column for this field
            else:
                meta[col] = val
        meta_lines = {str(k): line for k in meta}
        drafts.append(
            Draft(raw=str(value), line=line, chunk=chunk, meta=meta, meta_lines=meta_lines,
                  date_source="column", fmt=fmt, extra=extra)
        )
    return drafts


def read_csv(text: str, source: str, opts: Options, problems: ProblemLog, *, in_folder: bool = False) -> list[Draft]:
    """CSV or TSV with a header row. Ragged rows are kept and reported."""
    header_line = text.split("\n", 1)[0]
    delimiter = "\t" if source.lower().endswith(".tsv") else max(",;\t", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        problems.add(source, 1, "empty", "no header row", "skipped")
        return []
    header = [h.strip() for h in header]

    def rows():
        prev = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                problems.add(source, prev + 1, "bad_row", f"unreadable CSV row ({e}); skipped the rest of the file", "skipped")
                return
            start, prev = prev + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            row = dict(zip(header, cells))
            if len(cells) != len(header):
                problems.add(
                    source, start, "ragged_row",
                    f"row has {len(cells)} cells, the header has {len(header)}; "
                    + ("missing cells left empty" if len(cells) < len(header) else "extra cells kept as _extra"),
                )
                if len(cells) > len(header):
                    row["_extra"] = cells[len(header) :]
            yield start, row, "\x1f".join(cells)

    return rows_to_drafts(rows(), header, source, "csv", opts, problems, in_folder=in_folder)


def read_jsonl(text: str, source: str, opts: Options, problems: ProblemLog, *, in_folder: bool = False) -> list[Draft]:
    """One JSON object per line; bad lines are reported and skipped."""
    parsed: list[tuple[int, dict[str, Any], str]] = []
    columns: dict[str, None] = {}
    for i, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            problems.add(source, i, "bad_json", f"not valid JSON ({e.msg})", "skipped")
            continue
        if not isinstance(obj, dict):
            problems.add(source, i, "bad_row", "not a JSON object ({...})", "skipped")
            continue
        columns.update(dict.fromkeys(map(str, obj)))
        parsed.append((i, obj, line.strip()))
    return rows_to_drafts(parsed, list(columns), source, "jsonl", opts, problems, in_folder=in_folder)


def _element_lines(text: str, start: int, n: int) -> list[int] | None:
    """Line of each element of the JSON array whose ``[`` is at ``start``."""
    dec, ws, i, lines = json.JSONDecoder(), re.compile(r"[\s,]*"), start + 1, []
    line, counted = 1, 0  # count newlines from the previous element on: linear, not quadratic
    try:
        for _ in range(n):
            i = ws.match(text, i).end()
            line, counted = line + text.count("\n", counted, i), i
            lines.append(line)
            _, i = dec.raw_decode(text, i)
    except (json.JSONDecodeError, AttributeError):
        return None
    return lines


# What a broken JSON file meant as reflections shows: a list at the top, a list of records under
# one of _RECORD_KEYS, or a text field ("text": "..."; or the column named with text_column=).
_MEANT_AS_RECORDS = re.compile(
    rf'\A\s*\[|"(?:{"|".join(_RECORD_KEYS)})"\s*:\s*\[|"(?:{"|".join(TEXT_COLUMNS)})"\s*:\s*"', re.I)


def _not_a_table(source: str, line: int | None, why: str, problems: ProblemLog) -> list[Draft]:
    problems.not_read(source, line, f"{why}: not a table of reflections",
                      f"a JSON journal is a list of records with a text field, or an object with one of the keys "
                      f"{', '.join(_RECORD_KEYS)} holding that list")
    return []


def read_json(text: str, source: str, opts: Options, problems: ProblemLog, *, in_folder: bool = False) -> list[Draft]:
    """A jrnl JSON export, a list of records, or ``{"entries": [records]}``.

    In a journal folder (``in_folder``), JSON that is clearly not meant as reflections is
    skipped as ``not_read``, not reported as bad: no list of records and no text field (a
    package.json, a settings file, a list of words or an empty list), or, when it is not valid
    JSON, nothing in it of a table (``_MEANT_AS_RECORDS``). A file given on its
    own is always read as a table, and what is wrong with it is ``bad_json`` / ``bad_row``.
    """
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        named = opts.column_map().get("text")
        if in_folder and not _MEANT_AS_RECORDS.search(text) and not (named and json.dumps(named) in text):
            return _not_a_table(source, e.lineno, f"not valid JSON ({e.msg}), with nothing that looks like records", problems)
        problems.add(source, e.lineno, "bad_json", f"not valid JSON ({e.msg})", "skipped")
        return []
    records, start = obj, text.find("[")
    if in_folder and isinstance(obj, dict) and {"summary", "tables", "method"} <= set(obj):
        problems.not_read(source, 1, "looks like the report.json of a reflect-nlp report, not reflections")
        return []
    if isinstance(obj, dict):
        key = "entries" if is_jrnl_json(obj) else next((k for k in _RECORD_KEYS if isinstance(obj.get(k), list)), None)
        if key is None:
            # one record on its own ({"text": "..."}) is meant as a reflection: say what is wrong with it
            if in_folder and _text_column([k for k, v in obj.items() if isinstance(v, str)], opts) is None:
                return _not_a_table(source, 1, "a JSON object without a list of records or a text field", problems)
            problems.add(source, 1, "bad_json", f"no list of records (expected a list, or one of the keys {', '.join(_RECORD_KEYS)})", "skipped")
            return []
        records = obj[key]
        m = re.search(rf'"{key}"\s*:\s*\[', text)
        start = m.end() - 1 if m else -1
        if key == "entries" and is_jrnl_json(obj):
            lines = _element_lines(text, start, len(records)) if start >= 0 else None
            return read_jrnl_json(obj, lines)
    if not isinstance(records, list):
        if in_folder:
            what = "null" if records is None else "true/false" if isinstance(records, bool) else "string" if isinstance(records, str) else "number"
            return _not_a_table(source, 1, f"a single JSON {what}, not a list of records", problems)
        problems.add(source, 1, "bad_json", "not a list of records", "skipped")
        return []
    if in_folder and not any(isinstance(rec, dict) for rec in records):
        return _not_a_table(source, 1, "a JSON list without records ({...})" if records else "an empty JSON list", problems)
    lines = (_element_lines(text, start, len(records)) if start >= 0 else None) or list(range(1, len(records) + 1))
    rows, columns = [], {}
    for line, rec in zip(lines, records):
        if not isinstance(rec, dict):
            problems.add(source, line, "bad_row", "not a JSON object ({...})", "skipped")
            continue
        columns.update(dict.fromkeys(map(str, rec)))
        rows.append((line, rec, json.dumps(rec, sort_keys=True, default=str)))
    return rows_to_drafts(rows, list(columns), source, "json", opts, problems, in_folder=in_folder)
