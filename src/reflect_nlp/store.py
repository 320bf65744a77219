"""An embedded SQLite cache of per-entry results, so a re-run only analyses what changed.

A result is keyed by the SHA-256 of the entry text and a *pipeline fingerprint*: package
version, a hash of the analysis code, model name/version, spaCy version, taxonomy hash and the
settings that change results. A change to any of them re-analyses every entry (a new taxonomy
pattern may match anywhere); results of other fingerprints and of texts no longer in the journal
are dropped at the end of a run.

Tables (read them with ``pandas.read_sql("SELECT * FROM weak_spots", sqlite3.connect(path))``):

- ``entries(entry_id, source, content_hash)``: the journal as of the last run.
- ``results(content_hash, fingerprint, result, analysed_at)``: one EntryResult as JSON (see
  ``tables.py`` for its shape) per text and fingerprint.
- ``fingerprints(fingerprint, details, created_at)``: what each fingerprint stands for (JSON).
- ``meta(key, value)``: ``schema_version``, ``created_at``, ``updated_at``, ``fingerprint`` and
  ``pipeline`` (model, versions, components, taxonomy: JSON) of the last run.
- ``notes(rel, size, mtime_ns, version, payload)``: the ingest cache of single-note files: the
  Reflection read from the note at ``rel`` (path in the journal) as JSON, valid while the file's
  size and modification time and the ``ingest_version`` are unchanged (``load_journal(store=)``).
- ``frames(base, key, data, created_at)``: the last run's built frames and each entry's key
  (``tables.pack``) under ``frames_base`` (fingerprint, frame code): an unchanged re-run reads
  them instead of decoding every result; after an edit, the rows of unchanged entries are
  reused. One row at most.

Views over the last run's results, one row per item, columns as in ``tables.py``:
``entry_scores`` (entry_id, source + the entry feature columns), ``sentences``, ``weak_spots``,
``actions`` and ``phrases`` (entry_id + the item columns). Booleans read back as 0/1.

A file that is not a reflect-nlp store (not SQLite, another application's database, another
schema version, or failing SQLite's ``quick_check``) is renamed to ``<name>.corrupt-<time>`` with a
``StoreWarning`` and a new store is started. Several runs may share one store: it uses WAL mode,
a busy timeout and one transaction per write.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sqlite3
import sys
import warnings
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple

import numpy as np
import pandas as pd

from . import tables
from .records import Reflection

SCHEMA_VERSION = 1
APPLICATION_ID = 0x52464C54  # "RFLT" in the SQLite header marks the file as ours
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 60.0
_PACKAGE = Path(__file__).parent
# Code whose edits change results: hashed into the fingerprint so development edits never
# reuse results of older code under an unchanged version number.
_CODE_PATHS = ("extract.py", "components", "taxonomy")
# Code whose edits change what ingest makes of a note (the Reflection record's shape included).
_INGEST_PATHS = ("ingest", "records.py")


class StoreWarning(UserWarning):
    """The store was set aside, rebuilt or could not be used; the analysis still ran."""


class _Unusable(Exception):
    """The file is not a healthy reflect-nlp store (the message says why)."""


def text_hash(text: str) -> str:
    """SHA-256 of the text the pipeline reads (results depend on nothing else of an entry)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def code_hash() -> str:
    """Hash of the source and data files that shape an EntryResult."""
    return _hash_paths(_CODE_PATHS).hexdigest()[:16]


def ingest_version(root: str | os.PathLike, max_bytes: int, use_mtime: bool) -> str:
    """Version of the ``notes`` cache: changes with the ingest code, PyYAML, Python, the load
    options that change how a note is read, and the journal folder (two journals sharing a
    store never hand each other a note)."""
    import yaml

    h = _hash_paths(_INGEST_PATHS)
    h.update(json.dumps([yaml.__version__, sys.version_info[:2], max_bytes, use_mtime, str(Path(root).resolve())]).encode())
    return h.hexdigest()[:16]


def _hash_paths(paths: Iterable[str]) -> Any:
    """SHA-256 (an unfinished hashlib object) of the files at ``paths`` under the package."""
    h = hashlib.sha256()
    for rel in paths:
        p = _PACKAGE / rel
        files = [p] if p.is_file() else sorted(f for f in p.rglob("*") if f.is_file() and "__pycache__" not in f.parts)
        for f in files:
            h.update(f.relative_to(_PACKAGE).as_posix().encode())
            h.update(f.read_bytes())
    return h


def fingerprint(info: dict[str, Any], taxonomy: dict[str, Any], settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Fingerprint details from ``models.model_info``-style ``info`` and ``taxonomy.describe()``.

    Returns:
        A JSON-able dict; ``fingerprint_id`` of it is the key results are stored under.
    """
    from . import __version__

    tax = {k: v for k, v in taxonomy.items() if k != "source"}  # moving the file changes nothing
    return {
        "package": __version__,
        "code": code_hash(),
        "model": info.get("model"),
        "model_version": info.get("model_version"),
        "spacy_version": info.get("spacy_version"),
        "taxonomy": hashlib.sha256(json.dumps(tax, sort_keys=True, default=str).encode()).hexdigest()[:16],
        "settings": settings or {},
        # a "combined" store must never hand its results to a "rules" run, nor the other way
        **({"reader": info["reader"]} if info.get("reader", "rules") != "rules" else {}),
    }


def pipeline_meta(nlp) -> dict[str, Any]:
    """Model name/version, spaCy version, components and taxonomy of a loaded pipeline."""
    from .models import model_info

    reader = "combined" if "reflect_learned" in nlp.pipe_names else "rules"
    return {**model_info(nlp), "reader": reader, "taxonomy": nlp.get_pipe("reflect_weak_spots").taxonomy.describe()}


def pipeline_meta_unloaded(model: str | None, taxonomy: str | os.PathLike | None, reader: str = "rules") -> dict[str, Any] | None:
    """``pipeline_meta`` of ``build_pipeline(model, taxonomy=..., reader=...)`` without loading the model.

    An unchanged re-run then never pays for loading spaCy weights. Only the fingerprint fields
    are relied on (``components`` is a guess). Returns None when it cannot tell; callers then
    load the pipeline. A wrong guess only costs a cache miss: the loaded pipeline's own
    fingerprint is checked before any result is reused alongside new ones.
    """
    import importlib.metadata
    import importlib.util

    from .analysis import PIPELINE_COMPONENTS
    from .models import DEFAULT_EXCLUDE, resolve_model_name
    from .taxonomy import load_taxonomy

    try:
        name = resolve_model_name(model)
        if name == "blank":
            import spacy

            meta, pipes = spacy.blank("en").meta, ["sentencizer"]
        else:  # the package's meta.json, read without importing spaCy (~1.5 s of a re-run)
            meta = json.loads((Path(importlib.util.find_spec(name).origin).parent / "meta.json").read_text(encoding="utf-8"))
            off = set(DEFAULT_EXCLUDE) | set(meta.get("disabled", []))
            pipes = [p for p in meta.get("pipeline", []) if p not in off]
        # what the reflect_weak_spots factory loads (a test checks the two agree)
        tax = load_taxonomy(str(taxonomy) if taxonomy else None)
        return {
            "model": f"{meta.get('lang', 'en')}_{meta.get('name', 'blank')}",
            "model_version": str(meta.get("version", "")),
            "spacy_version": importlib.metadata.version("spacy"),
            "components": ",".join([*pipes, *PIPELINE_COMPONENTS]),
            "reader": reader,
            "taxonomy": tax.describe(),
        }
    except Exception:  # noqa: BLE001  any doubt means: load the real pipeline and ask it
        return None


def fingerprint_id(details: dict[str, Any]) -> str:
    """Short stable id of fingerprint ``details``."""
    return hashlib.sha256(json.dumps(details, sort_keys=True, default=str).encode()).hexdigest()[:20]


def frames_base(fp: str) -> str:
    """What kept frames depend on besides the entries: the results' fingerprint ``fp`` and the
    code and library versions that build the frames."""
    h = _hash_paths(("tables.py", "analysis.py"))
    h.update(json.dumps([fp, pd.__version__, np.__version__]).encode())
    return h.hexdigest()[:20]


def entry_keys(refls: Iterable[Reflection], hashes: Iterable[str]) -> list[str]:
    """Per entry, what its rows in the frames depend on: its text hash and metadata."""
    return [hashlib.sha256(repr((k, *(getattr(r, f) for f in _FRAME_FIELDS))).encode("utf-8", "surrogatepass")).hexdigest()[:32]
            for r, k in zip(refls, hashes)]


def frames_key(base: str, keys: list[str]) -> str:
    """Key of the frames of a whole journal: ``frames_base`` and every ``entry_keys`` in order."""
    return hashlib.sha256("\n".join([base, *keys]).encode()).hexdigest()


class Kept(NamedTuple):
    """The frames the last run kept: their ``frames_key``, the frames, entry_id -> entry key."""

    key: str
    frames: dict[str, Any]
    entries: dict[str, str]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _view_sql(name: str, schema: dict[str, str], path: str) -> str:
    cols = [c for c in schema if c != "entry_id"]
    if path == "$.entry":
        select = ", ".join(f"json_extract(r.result, '$.entry.{c}') AS \"{c}\"" for c in cols)
        source = ""
        select = f"e.source AS source, {select}"
    else:
        select = ", ".join(f"json_extract(j.value, '$.{c}') AS \"{c}\"" for c in cols)
        source = f", json_each(r.result, '{path}') AS j"
    return (
        f"CREATE VIEW {name} AS SELECT e.entry_id AS entry_id, {select} "
        "FROM entries e JOIN results r ON r.content_hash = e.content_hash "
        f"AND r.fingerprint = (SELECT value FROM meta WHERE key = 'fingerprint'){source}"
    )


VIEWS = {
    "entry_scores": _view_sql("entry_scores", tables.ENTRY_FEATURE_COLUMNS, "$.entry"),
    "sentences": _view_sql("sentences", tables.SENTENCE_COLUMNS, "$.sentences"),
    "weak_spots": _view_sql("weak_spots", tables.WEAK_SPOT_COLUMNS, "$.weak_spots"),
    "actions": _view_sql("actions", tables.ACTION_COLUMNS, "$.actions"),
    "phrases": _view_sql("phrases", tables.PHRASE_COLUMNS, "$.phrases"),
}
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fingerprints (fingerprint TEXT PRIMARY KEY, details TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    content_hash TEXT NOT NULL, fingerprint TEXT NOT NULL, result TEXT NOT NULL, analysed_at TEXT NOT NULL,
    PRIMARY KEY (content_hash, fingerprint));
CREATE TABLE IF NOT EXISTS entries (entry_id TEXT PRIMARY KEY, source TEXT, content_hash TEXT NOT NULL);
"""
NOTES_TABLE = """CREATE TABLE IF NOT EXISTS notes (
    rel TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, version TEXT NOT NULL, payload TEXT NOT NULL)"""
FRAMES_TABLE = "CREATE TABLE IF NOT EXISTS frames (base TEXT NOT NULL, key TEXT NOT NULL, data BLOB NOT NULL, created_at TEXT NOT NULL)"
_KEYS = {"keys": {"entry_id": "string", "key": "string"}}  # packed beside the frames
SCHEMA += NOTES_TABLE + ";\n" + FRAMES_TABLE
# Reflection fields that reach the frames (text only through its hash; extra never).
_FRAME_FIELDS = tuple(f.name for f in dataclasses.fields(Reflection) if f.name not in ("text", "raw", "extra"))


class Store:
    """An open reflect-nlp store. Use ``open_store`` to get one with recovery from bad files.

    Example:
        >>> with Store("out/store.sqlite") as st:  # doctest: +SKIP
        ...     st.cached_hashes(fp)
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.broken = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _check_header(self.path)
        self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            self._setup()
        except BaseException:
            self.conn.close()
            raise

    def _setup(self) -> None:
        c = self.conn
        try:
            # Decide whether the file is ours before anything writes to it (WAL mode changes
            # the header): a foreign file must be set aside byte for byte.
            if not self._is_empty() and c.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise _Unusable("it is not a reflect-nlp store (another SQLite database)")
            c.execute("PRAGMA journal_mode=WAL")
            c.execute("PRAGMA synchronous=NORMAL")
            if self._is_empty():
                with self._write():
                    if self._is_empty():  # another run may have created it while we waited
                        for stmt in SCHEMA.split(";"):
                            if stmt.strip():
                                c.execute(stmt)
                        for sql in VIEWS.values():
                            c.execute(sql)
                        c.execute("INSERT INTO meta VALUES ('schema_version', ?), ('created_at', ?)", (str(SCHEMA_VERSION), _now()))
                        c.execute(f"PRAGMA application_id={APPLICATION_ID}")
                        c.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            app_id = c.execute("PRAGMA application_id").fetchone()[0]
            if app_id != APPLICATION_ID:
                raise _Unusable("it is not a reflect-nlp store (another SQLite database)")
            version = c.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                raise _Unusable(f"its schema version is {version}, this reflect-nlp uses {SCHEMA_VERSION}")
            check = c.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise _Unusable(f"SQLite reports damage ({check})")
            self._refresh_views()
            self._add_tables()
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError as e:  # "file is not a database", "disk image is malformed"
            raise _Unusable(f"SQLite cannot read it ({e})") from e

    def _refresh_views(self) -> None:
        """Recreate views whose SQL differs from ``VIEWS`` (the table columns grew)."""
        have = dict(self.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'"))
        if all(have.get(name) == sql for name, sql in VIEWS.items()):
            return
        with self._write():
            for name, sql in VIEWS.items():
                self.conn.execute(f"DROP VIEW IF EXISTS {name}")
                self.conn.execute(sql)

    def _add_tables(self) -> None:
        """Create ``notes`` and ``frames`` in a store made before they existed (nothing else changes)."""
        have = {n for (n,) in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"notes", "frames"} <= have:
            try:
                with self._write():
                    self.conn.execute(NOTES_TABLE)
                    self.conn.execute(FRAMES_TABLE)
            except sqlite3.OperationalError as e:
                if e.sqlite_errorcode != sqlite3.SQLITE_READONLY:
                    raise  # a read-only store is still read; the caches it lacks are just not used

    def _is_empty(self) -> bool:
        return self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0

    def _write(self):
        return _Transaction(self.conn)

    def _failed(self, e: sqlite3.Error) -> None:
        # Errors after opening never stop an analysis: the results are still computed.
        if not self.broken:
            warnings.warn(f"{self.path}: store stopped working ({e}); continuing without it", StoreWarning, stacklevel=3)
        self.broken = True

    def cached_hashes(self, fp: str) -> set[str]:
        """Content hashes with a readable result under fingerprint ``fp``."""
        if self.broken:
            return set()
        try:
            rows = self.conn.execute(
                "SELECT content_hash FROM results WHERE fingerprint = ? AND json_valid(result) "
                "AND json_type(result, '$.entry') = 'object'",
                (fp,),
            )
            return {h for (h,) in rows}
        except sqlite3.Error as e:
            self._failed(e)
            return set()

    def get(self, hashes: list[str], fp: str) -> dict[str, dict[str, Any]]:
        """Decoded results for ``hashes`` under ``fp``; unreadable rows are left out (re-analysed)."""
        out: dict[str, dict[str, Any]] = {}
        try:
            self._get(hashes, fp, out)
        except sqlite3.Error as e:
            self._failed(e)
        return out

    def _get(self, hashes: list[str], fp: str, out: dict[str, dict[str, Any]]) -> None:
        for i in range(0, len(hashes), 500):  # stay under SQLite's bound-parameter limit
            part = hashes[i : i + 500]
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(
                f"SELECT content_hash, result FROM results WHERE fingerprint = ? AND content_hash IN ({marks})", (fp, *part)
            )
            for h, text in rows:
                try:
                    res = json.loads(text)
                except (TypeError, ValueError):
                    continue
                if isinstance(res, dict) and isinstance(res.get("entry"), dict):
                    out[h] = res

    def put(self, rows: Iterable[tuple[str, dict[str, Any]]], fp: str) -> None:
        """Save (content_hash, EntryResult) pairs under ``fp`` in one transaction."""
        if self.broken:
            return
        now = _now()
        data = [(h, fp, json.dumps(res, separators=(",", ":")), now) for h, res in rows]
        try:
            with self._write():
                self.conn.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", data)
        except sqlite3.Error as e:
            self._failed(e)

    def frames(self, base: str) -> Kept | None:
        """The frames kept under ``base``, or None when there are none or they cannot be read
        (the caller then builds them from the results; they are only a cache)."""
        if self.broken:
            return None
        try:
            row = self.conn.execute("SELECT key, data FROM frames WHERE base = ?", (base,)).fetchone()
            if row is None:
                return None
            frames = tables.unpack(row[1], {**tables.BUILT, **_KEYS})
            keys = frames.pop("keys")
            if keys["entry_id"].duplicated().any():
                return None
            return Kept(row[0], frames, dict(zip(keys["entry_id"], keys["key"])))
        except Exception:  # damaged in any way (numpy and zipfile raise many kinds): rebuilt by this run
            return None

    def put_frames(self, base: str, frames: dict[str, Any], ids: list[str], keys: list[str]) -> None:
        """Keep ``frames`` and the entry keys (``keys[i]`` of entry ``ids[i]``) in place of any earlier
        ones; none are kept when ids repeat or a frame's dtypes are not its schema's."""
        if self.broken:
            return
        data = None
        if len(set(ids)) == len(ids):
            pairs = pd.DataFrame({"entry_id": pd.array(ids, dtype="string"), "key": pd.array(keys, dtype="string")})
            try:
                data = tables.pack({**frames, "keys": pairs}, {**tables.BUILT, **_KEYS})
            except ValueError:
                pass
        try:
            with self._write():
                self.conn.execute("DELETE FROM frames")
                if data is not None:
                    self.conn.execute("INSERT INTO frames VALUES (?, ?, ?, ?)", (base, frames_key(base, keys), data, _now()))
        except sqlite3.Error:
            pass  # only a cache: the next run builds the frames again (and sync reports a store that fails)

    def pipeline_info(self, fp: str) -> dict[str, Any] | None:
        """The ``pipeline_meta`` saved by the last run, if that run had fingerprint ``fp``."""
        try:
            meta = dict(self.conn.execute("SELECT key, value FROM meta WHERE key IN ('fingerprint', 'pipeline')"))
            return json.loads(meta["pipeline"]) if meta.get("fingerprint") == fp and "pipeline" in meta else None
        except (sqlite3.Error, ValueError) as e:
            if isinstance(e, sqlite3.Error):
                self._failed(e)
            return None

    def sync(self, entries: Iterable[tuple[str, str, str]], fp: str, details: dict[str, Any], info: dict[str, Any] | None = None) -> int:
        """Record the journal's (entry_id, source, content_hash) rows as current, drop the rest.

        ``info`` (``pipeline_meta`` of the pipeline used) is kept for the next run's ``meta``.

        Returns:
            How many stored results were dropped (removed entries, other fingerprints).
        """
        if self.broken:
            return 0
        try:
            return self._sync(list(entries), fp, details, info)
        except sqlite3.Error as e:
            self._failed(e)
            return 0

    def _sync(self, entries: list[tuple[str, str, str]], fp: str, details: dict[str, Any], info: dict[str, Any] | None) -> int:
        c = self.conn
        with self._write():
            c.execute("DELETE FROM entries")
            c.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", entries)
            c.execute("INSERT OR IGNORE INTO fingerprints VALUES (?, ?, ?)", (fp, json.dumps(details, sort_keys=True), _now()))
            c.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?), ('updated_at', ?)", (fp, _now()))
            if info is not None:
                c.execute("INSERT OR REPLACE INTO meta VALUES ('pipeline', ?)", (json.dumps(info, default=str),))
            dropped = c.execute(
                "DELETE FROM results WHERE fingerprint != ? OR content_hash NOT IN (SELECT content_hash FROM entries)", (fp,)
            ).rowcount
            c.execute("DELETE FROM fingerprints WHERE fingerprint NOT IN (SELECT fingerprint FROM results) AND fingerprint != ?", (fp,))
        return dropped

    def notes(self, version: str) -> dict[str, tuple[int, int, str]]:
        """Cached notes of ingest ``version``: rel -> (size, mtime_ns, payload)."""
        if self.broken:
            return {}
        try:
            rows = self.conn.execute("SELECT rel, size, mtime_ns, payload FROM notes WHERE version = ?", (version,))
            return {rel: (size, mtime, payload) for rel, size, mtime, payload in rows}
        except sqlite3.Error as e:
            self._failed(e)
            return {}

    def put_notes(self, rows: list[tuple[str, int, int, str, str]]) -> None:
        """Save or replace (rel, size, mtime_ns, version, payload) rows in one transaction."""
        if self.broken or not rows:
            return
        try:
            with self._write():
                self.conn.executemany("INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?)", rows)
        except sqlite3.Error as e:
            self._failed(e)

    def drop_notes(self, keep: set[str]) -> None:
        """Delete every cached note whose rel is not in ``keep`` (removed, changed or unreadable files)."""
        if self.broken:
            return
        try:
            gone = [(rel,) for (rel,) in self.conn.execute("SELECT rel FROM notes") if rel not in keep]
            if gone:
                with self._write():
                    self.conn.executemany("DELETE FROM notes WHERE rel = ?", gone)
        except sqlite3.Error as e:
            self._failed(e)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error): takes the write lock up front, so two
    writers queue on the busy timeout instead of failing half-way."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, *rest: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return
    if head and head != SQLITE_MAGIC:
        raise _Unusable("it is not an SQLite file")


def set_aside(path: Path) -> Path:
    """Rename ``path`` (and its -wal/-shm files) to ``<name>.corrupt-<time>``; return the new path."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))
    return aside


def open_store(path: str | os.PathLike) -> Store | None:
    """Open (or create) the store at ``path``, setting a bad file aside and starting afresh.

    Returns:
        The open store, or None (with a ``StoreWarning``) when it cannot be used at all, e.g. it
        stays locked past the busy timeout; the analysis then runs without a cache.
    """
    p = Path(path)
    try:
        try:
            return Store(p)
        except _Unusable as e:
            aside = set_aside(p)
            warnings.warn(f"{p}: {e}; moved it to {aside.name} and started a new store", StoreWarning, stacklevel=2)
            return Store(p)
    except (sqlite3.Error, OSError, _Unusable) as e:
        # stacklevel 1, one place: load_journal and then analyze meet the same unusable file, and
        # Python shows a warning once per place, so the user reads it once
        warnings.warn(f"{p}: cannot use the store ({e}); analysing without it", StoreWarning, stacklevel=1)
        return None


def iter_chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of up to ``size`` items."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
