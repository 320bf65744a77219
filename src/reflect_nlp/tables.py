"""The DataFrames of an Analysis: their columns, dtypes, and how they are built.

Every step of the analysis produces, per reflection, one JSON-able ``EntryResult`` dict:

    {
      "entry":      {ENTRY_FEATURE_COLUMNS...},          # entry-level scores
      "sentences":  [{SENTENCE_COLUMNS minus entry_id}],  # one per spaCy sentence
      "weak_spots": [{WEAK_SPOT_COLUMNS minus entry_id}], # kept hits only
      "actions":    [{ACTION_COLUMNS minus entry_id}],    # "next time I will ..." items
      "phrases":    [{PHRASE_COLUMNS minus entry_id}],    # candidate theme phrases
    }

EntryResults are what the store caches, so they hold plain str/int/float/bool/None only.
This module turns a list of (Reflection, EntryResult) into the frames. No spaCy here.
"""
from __future__ import annotations

import io
from typing import Any, Iterable

import numpy as np
import pandas as pd

from .records import Reflection

# column -> pandas dtype. Order is the column order users see.
METADATA_COLUMNS: dict[str, str] = {
    "entry_id": "string",
    "source": "string",
    "line": "Int64",
    "date": "datetime64[ns]",
    "date_source": "string",
    "company": "string",
    "role": "string",
    "stage": "string",
    "interviewer": "string",
    "outcome": "string",
    "self_rating": "Int64",
    "thank_you_sent": "boolean",
    "author": "string",
    "tags": "string",  # ";"-joined
    "title": "string",
}
ENTRY_FEATURE_COLUMNS: dict[str, str] = {
    "n_sentences": "Int64",
    "n_words": "Int64",
    "tone": "Float64",  # -1..1: mood of the later sentences plus the stated outcome (sentiment.py)
    "polarity_mean": "Float64",  # plain mean of sentence TextBlob polarity, for comparison
    "vader_mean": "Float64",  # plain mean of sentence VADER compound
    "confidence": "Float64",  # -1 (hedging) .. 1 (certainty); NA when no cue
    "rumination": "Float64",  # counterfactual self-criticism per 10 sentences
    "reflection_depth": "Int64",  # 0..4
    "answered_what_went_wrong": "boolean",
    "answered_how_it_felt": "boolean",
    "answered_what_differently": "boolean",
    "answered_next_time": "boolean",
    "thank_you_mentioned": "boolean",
    "opportunities_mentioned": "boolean",
}
ENTRY_COLUMNS: dict[str, str] = {
    **METADATA_COLUMNS,
    **ENTRY_FEATURE_COLUMNS,
    "n_weak_spots": "Int64",  # kept hits
    "weak_spot_categories": "string",  # ";"-joined sorted category ids
}
SENTENCE_COLUMNS: dict[str, str] = {
    "entry_id": "string",
    "sent_idx": "Int64",
    "start": "Int64",  # character offsets into Reflection.text
    "end": "Int64",
    "text": "string",
    "polarity": "Float64",  # TextBlob
    "subjectivity": "Float64",  # TextBlob
    "vader": "Float64",  # VADER compound
    "weight": "Float64",  # weight of this sentence in the entry tone
    "is_feeling": "boolean",
    "is_difficulty": "boolean",
    "is_intention": "boolean",
    "is_learning": "boolean",
    "is_counterfactual": "boolean",
    "hedges": "Int64",
    "certainty": "Int64",
}
WEAK_SPOT_COLUMNS: dict[str, str] = {
    "entry_id": "string",
    "category": "string",
    "sent_idx": "Int64",
    "start": "Int64",  # offsets of the matched span into Reflection.text
    "end": "Int64",
    "matched": "string",  # Reflection.text[start:end]
    "sentence": "string",
    "pattern": "string",  # id of the pattern that fired
    "score": "Float64",  # 0..1
}
ACTION_COLUMNS: dict[str, str] = {
    "entry_id": "string",
    "sent_idx": "Int64",
    "start": "Int64",
    "end": "Int64",
    "text": "string",
    "category": "string",  # weak-spot category it addresses, NA when unclear
}
PHRASE_COLUMNS: dict[str, str] = {
    "entry_id": "string",
    "sent_idx": "Int64",
    "lemma": "string",  # normalised key, e.g. "system design"
    "text": "string",  # as written
    "sentence": "string",
}
THEME_COLUMNS: dict[str, str] = {
    "theme": "string",
    "entries": "Int64",
    "mentions": "Int64",
    "score": "Float64",
    "examples": "string",  # up to three example sentences joined by " | "
    "entry_ids": "string",  # ";"-joined
}
BY_ENTRY_COLUMNS: dict[str, str] = {
    "entry_id": "string",
    "date": "datetime64[ns]",
    "category": "string",
    "hits": "Int64",
    "score": "Float64",
    "evidence": "string",  # first matching sentence
}

# The frames build_tables returns, by name (what pack/unpack carry).
BUILT: dict[str, dict[str, str]] = {
    "entries": ENTRY_COLUMNS,
    "sentences": SENTENCE_COLUMNS,
    "weak_spots": WEAK_SPOT_COLUMNS,
    "actions": ACTION_COLUMNS,
    "phrases": PHRASE_COLUMNS,
}
_MASKED = {"Int64": (pd.arrays.IntegerArray, "int64"), "Float64": (pd.arrays.FloatingArray, "float64"),
           "boolean": (pd.arrays.BooleanArray, "bool")}


def frame(rows: Iterable[dict[str, Any]] | pd.DataFrame, schema: dict[str, str]) -> pd.DataFrame:
    """Build a DataFrame with exactly ``schema``'s columns and dtypes (missing keys -> NA)."""
    if isinstance(rows, pd.DataFrame):
        df = rows.reindex(columns=list(schema))
    else:
        df = pd.DataFrame(list(rows), columns=list(schema))
    for col, dtype in schema.items():
        if dtype.startswith("datetime"):
            df[col] = pd.to_datetime(df[col], errors="coerce")
        else:
            df[col] = df[col].astype(dtype)
    return df.reset_index(drop=True)


def metadata_row(r: Reflection) -> dict[str, Any]:
    return {
        "entry_id": r.id,
        "source": r.source,
        "line": r.line,
        "date": pd.Timestamp(r.date) if r.date else None,
        "date_source": r.date_source,
        "company": r.company,
        "role": r.role,
        "stage": r.stage,
        "interviewer": r.interviewer,
        "outcome": r.outcome,
        "self_rating": r.self_rating,
        "thank_you_sent": r.thank_you_sent,
        "author": r.author,
        "tags": ";".join(r.tags),
        "title": r.title,
    }


def build_tables(pairs: list[tuple[Reflection, dict[str, Any]]]) -> dict[str, pd.DataFrame]:
    """Turn (Reflection, EntryResult) pairs into the per-row frames, ordered by date then id."""
    entries = []
    # rows and, beside them, the entry each came from: no per-row dict copy to add "entry_id"
    parts: dict[str, tuple[list, list]] = {key: ([], []) for key in ("sentences", "weak_spots", "actions", "phrases")}
    for refl, res in pairs:
        kept = res.get("weak_spots", [])
        entries.append(
            {
                **metadata_row(refl),
                **res.get("entry", {}),
                "n_weak_spots": len(kept),
                "weak_spot_categories": ";".join(sorted({h["category"] for h in kept})),
            }
        )
        for key, (rows, ids) in parts.items():
            found = res.get(key, [])
            rows.extend(found)
            ids.extend([refl.id] * len(found))
    tables = {"entries": frame(entries, ENTRY_COLUMNS)}
    for key, schema in (("sentences", SENTENCE_COLUMNS), ("weak_spots", WEAK_SPOT_COLUMNS),
                        ("actions", ACTION_COLUMNS), ("phrases", PHRASE_COLUMNS)):
        rows, ids = parts[key]
        df = frame(rows, schema)
        df["entry_id"] = pd.array(ids, dtype=schema["entry_id"])
        tables[key] = df
    tables["entries"] = sort_entries(tables["entries"])
    return tables


def sort_entries(entries: pd.DataFrame) -> pd.DataFrame:
    """Entries by date; undated ones and ties in the order they stand in the journal (source with
    its numbers compared as numbers, so texts[2] comes before texts[10]; then line), then id."""
    def key(col: pd.Series) -> pd.Series:
        if col.name == "source":
            return col.astype("string").str.replace(r"\d+", lambda m: m.group().zfill(12), regex=True)
        return col

    order = entries.sort_values(["date", "source", "line", "entry_id"], na_position="last", kind="stable", key=key)
    return order.reset_index(drop=True)


def weak_spots_by_entry(entries: pd.DataFrame, weak_spots: pd.DataFrame) -> pd.DataFrame:
    """One row per entry x category with hit count, best score and first evidence sentence."""
    if weak_spots.empty:
        return frame([], BY_ENTRY_COLUMNS)
    g = weak_spots.sort_values(["entry_id", "sent_idx"]).groupby(["entry_id", "category"], sort=False)
    out = g.agg(hits=("category", "size"), score=("score", "max"), evidence=("sentence", "first")).reset_index()
    out = out.merge(entries[["entry_id", "date"]], on="entry_id", how="left")
    out = out.sort_values(["date", "entry_id", "category"], na_position="last", kind="stable")
    return frame(out, BY_ENTRY_COLUMNS)


def pack(frames: dict[str, pd.DataFrame], schemas: dict[str, dict[str, str]] = BUILT) -> bytes:
    """The frames named in ``schemas`` as one uncompressed ``.npz`` (plain arrays, no pickle): a masked
    column as values + NA mask, a date column as int64 nanoseconds (NaT included), a text column
    as its UTF-8 characters joined + each value's length + NA mask. ``unpack`` reverses it.
    Raises ValueError when a frame's columns or dtypes are not exactly its schema's."""
    arrays: dict[str, np.ndarray] = {}
    for name, schema in schemas.items():
        df = frames[name]
        if {c: str(t) for c, t in df.dtypes.items()} != schema:
            raise ValueError(f"{name}: columns or dtypes differ from its schema")
        arrays[f"{name}/rows"] = np.array(len(df), dtype=np.int64)
        for col, dtype in schema.items():
            key, s = f"{name}/{col}", df[col]
            if dtype == "string":
                values = s.to_numpy(dtype=object, na_value="")
                arrays[key + "/na"] = s.isna().to_numpy()
                arrays[key + "/len"] = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
                arrays[key] = np.frombuffer("".join(values).encode("utf-8", "surrogatepass"), dtype=np.uint8)
            elif dtype.startswith("datetime"):
                arrays[key] = s.to_numpy(dtype="datetime64[ns]").view(np.int64)
            else:
                arrays[key + "/na"] = s.isna().to_numpy()
                arrays[key] = s.to_numpy(dtype=_MASKED[dtype][1], na_value=False if dtype == "boolean" else 0)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def unpack(data: bytes, schemas: dict[str, dict[str, str]] = BUILT) -> dict[str, pd.DataFrame]:
    """The frames ``pack`` wrote, with exactly their columns and dtypes. Raises ValueError
    (or KeyError) when ``data`` is not such a file."""
    out = {}
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        for name, schema in schemas.items():
            n = int(z[f"{name}/rows"])
            cols: dict[str, Any] = {}
            for col, dtype in schema.items():
                key = f"{name}/{col}"
                if dtype == "string":
                    text = z[key].tobytes().decode("utf-8", "surrogatepass")
                    ends = np.cumsum(z[key + "/len"]).tolist()
                    values = [text[a:b] for a, b in zip([0, *ends], ends)]
                    for i in np.flatnonzero(z[key + "/na"]).tolist():
                        values[i] = None
                    cols[col] = pd.array(values, dtype="string")
                elif dtype.startswith("datetime"):
                    cols[col] = pd.array(z[key].view("datetime64[ns]"))
                else:
                    cols[col] = _MASKED[dtype][0](z[key], z[key + "/na"])
                if len(cols[col]) != n:
                    raise ValueError(f"{key}: {len(cols[col])} values for {n} rows")
            out[name] = pd.DataFrame(cols, index=pd.RangeIndex(n))
    return out


def splice(kept: dict[str, pd.DataFrame], keep: set[str], new: dict[str, pd.DataFrame], order: list[str]) -> dict[str, pd.DataFrame]:
    """The frames ``build_tables`` would make of a journal whose entries ``order`` (ids, journal
    order, unique) are those of ``keep``, with their rows in ``kept``, plus those built in ``new``."""
    pos = pd.Series(range(len(order)), index=pd.Index(order, dtype="string"))
    out = {}
    for name in BUILT:
        old = kept[name]
        parts = [df for df in (old[old["entry_id"].isin(keep)], new[name]) if not df.empty] or [new[name]]
        df = pd.concat(parts, ignore_index=True).astype(new[name].dtypes.to_dict())
        # rows by their entry's place in the journal; an entry's own rows keep their order
        rank = pos.reindex(df["entry_id"]).to_numpy()
        df = df.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)
        out[name] = sort_entries(df) if name == "entries" else df
    return out
