"""``load_journal``: walk a folder (or take one file), dispatch each file to its reader, and
turn what they found into Reflection records plus the problems met on the way."""
from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import pandas as pd

from ..errors import EmptyJournalError, JournalNotFoundError, ReflectError
from ..records import LoadProblem, Reflection
from ..tables import METADATA_COLUMNS, frame, metadata_row
from . import jrnl, markdown, tabular
from .base import DEFAULT_MAX_BYTES, NOTE_EXTENSIONS, TABLE_EXTENSIONS, Draft, Options, ProblemLog
from .clean import clean_inline, clean_markdown, first_heading, unclosed_comment_line
from .dates import date_from_heading, date_from_path
from .decode import decode, read_bytes
from .fields import column_field, normalise_meta

# Files that sit in many folders but are never a reflection (a vault's README, a licence).
_NOT_NOTES = re.compile(r"(readme|licen[cs]e|copying|changelog|contributing|notice)([._ -].*)?", re.I)
# spaCy's default nlp.max_length: a longer text would stop the whole analysis with E088.
MAX_TEXT_CHARS = 1_000_000


@dataclass
class Journal:
    """Reflections read from a journal, plus what could not be read cleanly.

    ``root`` is the folder or file read; None when the texts were given directly.
    """

    root: Path | None
    reflections: list[Reflection] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    skipped_paths: list[str] = field(default_factory=list)  # files that are not reflections, relative to root

    @property
    def skipped_files(self) -> int:
        """How many files were not reflections (other extensions, hidden files, READMEs)."""
        return len(self.skipped_paths)

    def to_frame(self) -> pd.DataFrame:
        """One row per reflection (metadata columns of ``Analysis.entries``)."""
        return frame((metadata_row(r) for r in self.reflections), METADATA_COLUMNS)


def is_inside(path: Path, journal: Path) -> bool:
    """True when writing ``path`` would write into the journal (a folder, or the journal file itself)."""
    path, root = Path(path).resolve(), Path(journal).resolve()
    return path.is_relative_to(root) if root.is_dir() else path == root


def load_journal(
    path: str | os.PathLike | Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    text_column: str | None = None,
    date_column: str | None = None,
    author_column: str | None = None,
    title_column: str | None = None,
    columns: Mapping[str, str] | None = None,
    use_mtime: bool = True,
    store: str | os.PathLike | None = None,
) -> Journal:
    """Read a journal folder or file. Only ever opens files for reading.

    A folder is read recursively: ``.md``, ``.markdown`` and ``.txt`` notes (one reflection
    each, or many in a jrnl export) and CSV/TSV, JSONL and JSON tables (one reflection per row,
    read exactly as when the table is ``path`` itself, with the same column options); hidden
    folders are skipped; other files (and READMEs or licences) are counted in ``skipped_files``.
    ``path`` may also be one such file, or an iterable of strings (a list, a pandas Series):
    each string is the text of one entry, kept in the order given, with no date and no front
    matter; its source is ``texts[i]`` (its position). Anything that cannot be read cleanly
    becomes a ``LoadProblem`` (with its file and line), never an exception.

    Args:
        path: journal folder or file, or the texts of the entries.
        max_bytes: files larger than this are skipped (and reported).
        text_column, date_column, author_column, title_column: table column names to use.
        columns: more table mappings, field name -> column name (e.g. ``{"company": "employer"}``);
            the fields of ``--column FIELD=NAME``, read the same way.
        use_mtime: fall back to the file's modification date when no other date is found.
        store: the SQLite result store (``reflect_nlp.store``), also used as a cache of the notes
            of a journal folder: a note whose size and modification time are unchanged is not
            read again. The journal is the same with or without it; a store that cannot be used
            is skipped with a ``StoreWarning``; one inside the journal is never used (or written).

    Raises:
        ReflectError: ``columns`` names a field reflect-nlp does not read (the message lists them).
        JournalNotFoundError: ``path`` does not exist.
        EmptyJournalError: nothing in ``path`` is a readable reflection.
        TypeError: ``path`` is none of the above (a DataFrame: pass one column, ``df["text"]``).

    Example:
        >>> journal = load_journal("data/samples")  # doctest: +SKIP
        >>> journal.to_frame()[["date", "company", "outcome"]]  # doctest: +SKIP
        >>> load_journal(["I froze on the first question.", "Nervous again."]).to_frame()  # doctest: +SKIP
    """
    # the check of --column FIELD=NAME: a misspelt field stops before anything is read
    named: dict[str, str] = {}
    for f, c in (columns or {}).items():
        key = column_field(f, where=f"columns={{{f!r}: {c!r}}}")
        if key in named and named[key] != c:  # {"text": "notes", "Text": "body"}: which one?
            raise ReflectError(f"columns: two columns given for the field {key!r} ({named[key]!r} and {c!r}); give one.")
        named[key] = c
    columns = named
    if not isinstance(path, (str, os.PathLike)):
        return _from_texts(path)
    root = Path(path).expanduser()
    opts = Options(
        max_bytes=max_bytes, text_column=text_column, date_column=date_column, author_column=author_column,
        title_column=title_column, columns=columns, use_mtime=use_mtime,
    )
    if not root.exists():
        hint = " (it is a broken symbolic link)" if root.is_symlink() else ""
        as_text = ""
        if isinstance(path, str) and any(c.isspace() for c in path.strip()) and not any(c in path for c in "/\\"):
            as_text = " If this is the text of an entry, not a path, pass a list of strings: analyze([text])."
        raise JournalNotFoundError(
            f"{root}: no such file or folder{hint}. Check the path, or point reflect-nlp at the folder "
            f"that holds your notes, e.g. `reflect-nlp analyze ~/interview-notes`.{as_text}"
        )
    journal = Journal(root=root)
    problems = ProblemLog()
    kept: dict[str, str] = {}  # duplicate key -> source of the copy kept
    files = _walk(root, journal, problems) if root.is_dir() else iter([(root, _shown(root.name))])
    # A store inside the journal would be a write into it: never used (analyze refuses it).
    use_cache = store is not None and root.is_dir() and not is_inside(Path(store), root)
    cache = _NoteCache.open(store, root, opts) if use_cache else None
    try:
        for file, rel in files:
            found = cache.read(file, rel, opts, problems) if cache else _read_file(file, rel, root.is_dir(), opts, problems)
            for refl, dup_key in found:
                if dup_key in kept:
                    problems.add(rel, refl.line, "duplicate", f"exact duplicate of {kept[dup_key]}; kept once", "skipped")
                    continue
                kept[dup_key] = refl.source
                journal.reflections.append(refl)
        if cache:
            cache.save()
    finally:
        if cache:
            cache.db.close()
    order = {src: i for i, src in enumerate(dict.fromkeys(p.source for p in problems))}
    journal.problems = sorted(problems, key=lambda p: (order[p.source], p.line or 0))
    if not journal.reflections:
        raise EmptyJournalError(_empty_message(root, journal))
    return journal


_ACCEPTS = "a journal folder or file (str or os.PathLike) or an iterable of strings, one entry each"


def _texts(obj: Any) -> list[str]:
    """``obj`` as a list of entry texts, or a TypeError that says what is accepted."""
    if isinstance(obj, pd.DataFrame):  # iterating one gives its column names, not its rows
        raise TypeError(f"expected {_ACCEPTS}; got a DataFrame: pass one column of a DataFrame, e.g. df['text']")
    if isinstance(obj, (bytes, bytearray, Mapping)) or not isinstance(obj, Iterable):
        raise TypeError(f"expected {_ACCEPTS}; got {type(obj).__name__}")
    texts = list(obj)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            missing = text is None or (pd.api.types.is_scalar(text) and pd.isna(text))
            raise TypeError(f"texts[{i}] is {type(text).__name__}, not a string: expected {_ACCEPTS}"
                            + (" (leave out missing values, e.g. series.dropna())" if missing else ""))
    return texts


def _from_texts(obj: Any) -> Journal:
    """One reflection per string, in the order given: no date, no front matter, nothing read from disk."""
    texts = _texts(obj)
    journal, problems = Journal(root=None), ProblemLog()
    width = max(6, len(str(len(texts))))
    for i, text in enumerate(texts):
        rel = f"texts[{i}]"
        raw = text.replace("\r\n", "\n").replace("\r", "\n")
        refl = _build(Draft(raw=raw, line=1, chunk=raw, fmt="text", date_source="none"), rel, rel, True, None, problems)
        if refl is not None:
            # The position in front of the id keeps two identical texts two entries.
            journal.reflections.append(replace(refl, id=f"{i:0{width}d}-{refl.id}"))
    journal.problems = list(problems)
    if not journal.reflections:
        raise EmptyJournalError(
            f"no reflections found: {len(texts)} text(s) given, none with any prose"
            + (f" ({'; '.join(str(p) for p in problems[:3])})" if problems else "")
            + ". Pass a list of strings, each the text of one entry."
        )
    return journal


def _empty_message(root: Path, journal: Journal) -> str:
    msg = (
        f"{root}: no reflections found. reflect-nlp reads .md, .markdown and .txt notes and CSV, TSV, "
        "JSONL or JSON tables with a text column, in a folder (hidden folders are skipped) or given directly."
    )
    if journal.skipped_files:
        msg += f" {journal.skipped_files} other file(s) were skipped, e.g. {journal.skipped_paths[0]}."
    if journal.problems:
        shown = "; ".join(str(p) for p in journal.problems[:3])
        msg += f" Problems: {shown}" + (" ..." if len(journal.problems) > 3 else "")
    return msg + " Add your notes there, or point reflect-nlp at the right folder."


def _walk(root: Path, journal: Journal, problems: ProblemLog) -> Iterator[tuple[Path, str]]:
    """(path, path relative to root) of every note, in a stable order; symlink loops are cut."""
    top = os.path.realpath(root)
    read_dirs: dict[str, str] = {top: "."}

    def visit(folder: str, at: str, chain: tuple[str, ...]) -> Iterator[tuple[Path, str]]:
        # ``at``: ``folder`` relative to root ("." for root itself)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            problems.add(at, None, "unreadable", f"cannot list this folder ({e.strerror or e})", "skipped")
            return
        for entry in entries:
            rel = _shown(entry.name) if at == "." else os.path.join(at, _shown(entry.name))
            try:
                is_dir, is_file = entry.is_dir(), entry.is_file()
            except OSError as e:  # e.g. ELOOP from a link to itself
                is_dir = is_file = False
                if e.errno == errno.ELOOP:
                    problems.add(rel, None, "symlink_loop", "symbolic link loop; not followed", "skipped")
                    continue
            if entry.name.startswith("."):
                if is_file:
                    journal.skipped_paths.append(rel)
                continue  # hidden folders (.git, .obsidian, ...) are not notes
            if is_dir:
                real = os.path.realpath(entry.path)
                if real in chain:
                    problems.add(rel, None, "symlink_loop", "symbolic link back to a parent folder; not followed", "skipped")
                elif real in read_dirs:
                    problems.add(rel, None, "duplicate", f"same folder as {read_dirs[real]}; read once", "skipped")
                else:
                    read_dirs[real] = rel
                    yield from visit(entry.path, rel, (*chain, real))
            elif is_file:
                suffix = os.path.splitext(entry.name)[1].lower()
                if suffix in (*NOTE_EXTENSIONS, *TABLE_EXTENSIONS) and not _NOT_NOTES.fullmatch(entry.name):
                    yield Path(entry.path), rel  # tables too, read as if passed on their own
                else:
                    journal.skipped_paths.append(rel)
            elif entry.is_symlink():
                if _is_loop(entry.path):
                    problems.add(rel, None, "symlink_loop", "symbolic link loop; not followed", "skipped")
                else:
                    problems.add(rel, None, "unreadable", "broken symbolic link (its target does not exist)", "skipped")
            else:
                journal.skipped_paths.append(rel)

    yield from visit(str(root), ".", (top,))


def _shown(name: str) -> str:
    """A file name as reflect-nlp writes it (sources, problems, reports, the store): an undecodable
    byte, which Python reads as a lone surrogate, becomes ``\\xff``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _is_loop(path: str) -> bool:
    try:
        os.stat(path)
    except OSError as e:
        return e.errno == errno.ELOOP
    return False


class _NoteCache:
    """The store's ``notes`` table while a journal folder is read: single-note files keyed by
    (rel, size, mtime_ns, ingest version), so an unchanged note costs a stat and a JSON decode
    instead of a read and a parse (YAML front matter, Markdown cleaning, dates: ~1 ms a note)."""

    def __init__(self, db: Any, version: str) -> None:
        self.db, self.version = db, version
        self.rows = db.notes(version)  # rel -> (size, mtime_ns, payload)
        self.keep: set[str] = set()  # rels whose row is current after this read
        self.new: list[tuple[str, int, int, str, str]] = []
        # git's "racy" rule: a file changed within this window of now may change again with the
        # same size and mtime (coarse file-system clocks), so it is not cached yet (nor one dated in the future).
        self.racy_after = time.time_ns() - 2_000_000_000

    @classmethod
    def open(cls, path: str | os.PathLike, root: Path, opts: Options) -> "_NoteCache | None":
        from .. import store  # imported here: plain loads need no SQLite

        db = store.open_store(path)  # None (and a StoreWarning) when it cannot be used
        return cls(db, store.ingest_version(root, opts.max_bytes, opts.use_mtime)) if db else None

    def read(self, path: Path, rel: str, opts: Options, problems: ProblemLog) -> list[tuple[Reflection, str]]:
        """What ``_read_file`` returns for ``path``, from the cache when its row is current."""
        try:
            st = os.stat(path)  # before the read: a change during it gives a newer mtime next time
        except OSError:
            return _read_file(path, rel, True, opts, problems)
        row = self.rows.get(rel)
        # os.access: a chmod changes no mtime, and an unreadable note must be reported as such
        if row is not None and row[:2] == (st.st_size, st.st_mtime_ns) and os.access(path, os.R_OK):
            hit = _from_payload(row[2], st.st_mtime if opts.use_mtime else None)
            if hit is not None:
                self.keep.add(rel)
                return [hit]
        before = len(problems)
        found = _read_file(path, rel, True, opts, problems)
        # Only a clean single note: markdown/text is the format of read_note's branch only (tables,
        # jrnl exports and our reports are read every time); a file with problems is re-read so
        # that they are reported again.
        if (len(problems) == before and len(found) == 1 and found[0][0].format in ("markdown", "text")
                and st.st_mtime_ns < self.racy_after):
            payload = _to_payload(*found[0])
            if payload is not None:
                self.new.append((rel, st.st_size, st.st_mtime_ns, self.version, payload))
                self.keep.add(rel)
        return found

    def save(self) -> None:
        """Write the new rows and drop those of removed, changed or no longer cacheable files."""
        self.db.put_notes(self.new)
        self.db.drop_notes(self.keep)


def _to_payload(refl: Reflection, dup_key: str) -> str | None:
    """JSON of a note's Reflection and duplicate key; None unless it reads back exactly (``extra``
    included, which holds whatever the front matter had: dates, sets, non-string keys)."""
    record = {**vars(refl), "date": refl.date.isoformat() if refl.date else None}  # not asdict: it deep-copies
    try:
        payload = json.dumps({"refl": record, "dup_key": dup_key}, allow_nan=False)  # ASCII: lone surrogates survive
    except (TypeError, ValueError):
        return None
    back = _from_payload(payload, None)
    return payload if back == (refl, dup_key) and back[0].extra == refl.extra else None


def _from_payload(payload: str, mtime: float | None) -> tuple[Reflection, str] | None:
    """The (Reflection, duplicate key) saved by ``_to_payload``; None when the row is unreadable.

    A date taken from the file's mtime is computed again: the date of a timestamp depends on the
    time zone, which may differ from the run that saved the row.
    """
    try:
        data = json.loads(payload)
        record = data["refl"]
        record["date"] = dt.date.fromisoformat(record["date"]) if record["date"] else None
        record["tags"] = tuple(record["tags"])
        if record["date_source"] == "mtime" and mtime is not None:
            record["date"] = dt.date.fromtimestamp(mtime)
        return Reflection(**record), data["dup_key"]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _read_file(path: Path, rel: str, in_folder: bool, opts: Options, problems: ProblemLog) -> list[tuple[Reflection, str]]:
    data = read_bytes(path, rel, opts.max_bytes, problems)
    if data is None:
        return []
    text = decode(data, rel, problems)
    if text is None:
        return []
    if not text.strip():
        problems.add(rel, None, "empty", "empty file (nothing but whitespace)", "skipped")
        return []
    suffix = path.suffix.lower()
    multi = True
    # The same readers whether the table is the journal or sits in a journal folder; in a folder,
    # a table or a Markdown report that reflect-nlp wrote itself (a report's sentences.csv,
    # report.md) is not taken for notes.
    if suffix in (".csv", ".tsv"):
        drafts = tabular.read_csv(text, rel, opts, problems, in_folder=in_folder)
    elif suffix in (".jsonl", ".ndjson"):
        drafts = tabular.read_jsonl(text, rel, opts, problems, in_folder=in_folder)
    elif suffix == ".json":
        drafts = tabular.read_json(text, rel, opts, problems, in_folder=in_folder)
    elif in_folder and markdown.written_by_us(text):
        problems.not_read(rel, 1, "looks like the Markdown (report.md) of a reflect-nlp report, not reflections")
        return []
    elif jrnl.is_jrnl_text(text):
        drafts = jrnl.read_jrnl_text(text)
    else:
        drafts, multi = markdown.read_note(text, rel, problems), False
    mtime = None
    if not multi and opts.use_mtime:
        try:
            mtime = dt.date.fromtimestamp(os.stat(path).st_mtime)
        except OSError:
            pass
    out, used = [], set()
    for draft in drafts:
        source = f"{rel}:{draft.line}" if multi else rel
        if source in used:  # e.g. a JSON array written on one line
            source = f"{source}#{len(used)}"
        used.add(source)
        refl = _build(draft, rel, source, multi, mtime, problems)
        if refl is not None:
            out.append((refl, hashlib.sha256(draft.chunk.strip().encode()).hexdigest()))
    return out


# Typographic quotes as typed on a keyboard: the language model was trained on ' and ", and parses
# "I don’t remember" as if "n’t" were an object. One character for one, so offsets do not move.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def _text(draft: Draft) -> str:
    if draft.heading is None:
        return clean_markdown(draft.raw).translate(_QUOTES)
    body = draft.raw.split("\n", 1)[1] if "\n" in draft.raw else ""
    return "\n\n".join(p for p in (clean_inline(draft.heading), clean_markdown(body)) if p).translate(_QUOTES)


def _build(draft: Draft, rel: str, source: str, multi: bool, mtime: dt.date | None, problems: ProblemLog) -> Reflection | None:
    """Normalise a Draft into a Reflection (None, and a problem, when no text is left)."""
    fields, extra = normalise_meta(
        draft.meta, source=rel, line_of=lambda k: draft.meta_lines.get(k, draft.line if multi else None),
        problems=problems, date_source=draft.date_source,
    )
    extra.update(draft.extra)
    text = _text(draft)
    if "<!--" in draft.raw and (at := unclosed_comment_line(draft.raw)) is not None:
        start = draft.line
        if draft.chunk.endswith(draft.raw):  # front matter before the body
            start += draft.chunk.count("\n", 0, len(draft.chunk) - len(draft.raw))
        problems.add(rel, start + at, "unclosed_comment",
                     "an HTML comment '<!--' is never closed with '-->': the text after it was not analysed")
    if not text.strip():
        why = "no text" if not draft.raw.strip() else "no prose left after removing code, links and markup"
        problems.add(rel, draft.line if multi else None, "empty", why, "skipped")
        return None
    if len(text) > MAX_TEXT_CHARS:
        problems.add(rel, draft.line if multi else None, "too_large",
                     f"{len(text):,} characters of text is over the {MAX_TEXT_CHARS:,}-character limit of the language model; split it into smaller notes", "skipped")
        return None
    date, date_source = fields.get("date"), fields.get("date_source", "none")
    if date is None and not multi:
        for finder, name in ((lambda: date_from_path(rel), "filename"), (lambda: date_from_heading(draft.raw), "heading")):
            if (date := finder()) is not None:
                date_source = name
                break
        else:
            date, date_source = (mtime, "mtime") if mtime else (None, "none")
    content_hash = hashlib.sha256(text.encode()).hexdigest()
    return Reflection(
        id=hashlib.sha256(f"{source}\n{content_hash}".encode()).hexdigest()[:12],
        source=source,
        line=draft.line,
        text=text,
        raw=draft.raw,
        date=date,
        date_source=date_source,
        company=fields.get("company"),
        role=fields.get("role"),
        stage=fields.get("stage"),
        interviewer=fields.get("interviewer"),
        outcome=fields.get("outcome"),
        self_rating=fields.get("self_rating"),
        thank_you_sent=fields.get("thank_you_sent"),
        author=fields.get("author"),
        tags=fields.get("tags", ()),
        title=fields.get("title") or (draft.heading if draft.heading else first_heading(draft.raw)) or None,
        extra=extra,
        content_hash=content_hash,
        format=draft.fmt,
    )
