"""The ``reflect_learned`` spaCy component: a learned sentence reader beside the taxonomy rules.

A linear model (one logistic regression per weak-spot category) over each sentence's words and
word pairs (lower-case lemmas, a word after "not"/"never"/... marked as negated) plus the mean
of the sentence's word vectors (static vectors distilled once from all-MiniLM-L6-v2 by
``data/train/distill.py``: one table look-up per word, no network runs). It was trained on
``data/train/`` (sentences the project wrote and labelled itself, see its README) by
``data/train/train.py`` and ships as ``learned_reader.npz`` and
``word_vectors.npz`` beside this file: plain arrays read with ``allow_pickle=False``, each
checked against its pinned SHA-256.

The rules stay the precise first layer; a sentence the model scores at least ``threshold``
for a category the rules did not find there adds a hit whose evidence is that whole sentence
(``pattern`` says "learned reader", ``score`` is the probability).

Example:
    >>> nlp = build_pipeline(reader="combined")  # doctest: +SKIP
    >>> [h["pattern"] for h in nlp("I quoted a number way below what the role pays.")._.weak_spots]  # doctest: +SKIP
    ['learned reader (p=0.98)']
"""
from __future__ import annotations

import hashlib
import json
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..errors import ModelNotFoundError
from . import lexicon

MODEL_PATH = Path(__file__).with_name("learned_reader.npz")
MODEL_SHA256 = "25f19690c9cec223369587640454317d0c0e9269394924c02ccde74079770c5b"
FEATURE_VERSION = 1
N_BUCKETS = 1 << 18  # hashed word and word-pair features
VECTORS_PATH = Path(__file__).with_name("word_vectors.npz")
VECTORS_SHA256 = "83a73b645526ca84d7e5c7cdcc867acd2677e2cd2bef046c27ec79938e12aba4"
CLAUSE_END = {".", ",", ";", ":", "!", "?", "—", "–", "-", "(", ")"}
NEGATORS = {"not", "n't", "n’t", "never", "no", "nt", "cannot", "without", "nothing", "nobody", "none", "neither", "nor"}
PATTERN = "learned reader"


class ModelFileError(ModelNotFoundError):
    """The shipped model file is missing or not the one this code was built for."""


def _words(sent: Span | Doc) -> list[tuple[str, str, bool]]:
    """(lower form, lemma, negated) of each word; a word after "not"/"never"/... until the
    clause ends is negated."""
    out, negated = [], False
    for t in sent:
        if t.is_space:
            continue
        low = t.lower_
        if t.is_punct:
            negated = False if low in CLAUSE_END else negated
            continue
        lemma = "<num>" if t.like_num else (t.lemma_ or low).lower()
        out.append((low, lemma, negated))
        if low in NEGATORS or t.dep_ == "neg":
            negated = True
    return out


def sentence_features(sent: Span | Doc) -> list[int]:
    """Hashed feature ids of a sentence: lemmas and lemma pairs, negated words marked with "!"."""
    return _hashed(_words(sent))


def _hashed(found: list[tuple[str, str, bool]]) -> list[int]:
    words = ["<s>", *(("!" + lemma) if neg else lemma for _, lemma, neg in found), "</s>"]
    feats = {f"u:{w}" for w in words[1:-1]} | {f"b:{a} {b}" for a, b in zip(words, words[1:])}
    return sorted({zlib.crc32(f.encode("utf-8")) & (N_BUCKETS - 1) for f in feats})


class WordVectors:
    """Static word vectors distilled from all-MiniLM-L6-v2 (``data/train/distill.py``)."""

    def __init__(self, words: np.ndarray, vectors: np.ndarray) -> None:
        self.index = {str(w): i for i, w in enumerate(words)}
        self.vectors = vectors.astype(np.float32)
        self.dims = self.vectors.shape[1]
        self._cache: dict[str, int | np.ndarray | None] = {}

    def row(self, word: str) -> np.ndarray | None:
        """The word's vector; an unknown word is split into the vocabulary's pieces (WordPiece)."""
        if word in self.index:
            return self.vectors[self.index[word]]
        hit = self._cache.get(word, False)
        if hit is False:
            hit = self._cache[word] = self._pieces(word)
        return hit

    def _pieces(self, word: str) -> np.ndarray | None:
        rows, start = [], 0
        while start < len(word):
            for end in range(len(word), start, -1):
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.index:
                    rows.append(self.index[piece])
                    start = end
                    break
            else:
                return None
        return self.vectors[rows].mean(axis=0) if rows else None

    def sentence(self, sent: Span | Doc) -> np.ndarray:
        """Mean vector of the content words, and of the negated ones, each of unit length."""
        return self.mean(_words(sent))

    def mean(self, found: list[tuple[str, str, bool]]) -> np.ndarray:
        """``sentence`` of words already split by ``_words``."""
        parts = [np.zeros(self.dims, dtype=np.float32), np.zeros(self.dims, dtype=np.float32)]
        for low, _, neg in found:
            if low in STOP_WORDS and low not in NEGATORS:
                continue
            v = self.row(low)
            if v is not None:
                parts[neg] += v
        return np.concatenate([p / n if (n := float(np.linalg.norm(p))) else p for p in parts])


@lru_cache(maxsize=1)
def load_word_vectors(path: str = str(VECTORS_PATH), sha256: str | None = VECTORS_SHA256) -> WordVectors:
    p = Path(path)
    if not p.exists() or (sha256 is not None and file_sha256(p) != sha256):
        raise ModelFileError(f"The word-vector file {p} is missing or not the one this version of reflect-nlp ships; "
                             "reinstall reflect-nlp, or use --reader rules.")
    with np.load(p, allow_pickle=False) as f:
        return WordVectors(f["words"], f["vectors"])


class Reader:
    """The model's weights; ``predict`` gives per-category probabilities for sentences."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.categories = [str(c) for c in arrays["categories"]]
        rows = arrays["rows"].astype(np.int64)
        self.sparse = np.zeros((N_BUCKETS, len(self.categories)), dtype=np.float32)
        self.sparse[rows] = arrays["sparse"].astype(np.float32)
        self.dense = arrays["dense"].astype(np.float32)
        self.bias = arrays["bias"].astype(np.float32)
        self.threshold = float(arrays["threshold"])
        self.meta = json.loads(str(arrays["meta"]))

    def predict(self, features: list[list[int]], vectors: np.ndarray) -> np.ndarray:
        """Probabilities (sentences x categories) from feature ids and sentence vectors."""
        logits = np.tile(self.bias, (len(features), 1))
        for i, ids in enumerate(features):
            if ids:
                logits[i] += self.sparse[ids].sum(axis=0)
        if vectors.size and vectors.shape[1] == self.dense.shape[0]:
            logits += vectors @ self.dense
        return 1.0 / (1.0 + np.exp(-logits))


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=2)
def load_reader(path: str = str(MODEL_PATH), sha256: str | None = MODEL_SHA256) -> Reader:
    """The shipped reader, read as plain arrays (no pickle) after checking its SHA-256."""
    p = Path(path)
    if not p.exists():
        raise ModelFileError(f"The learned reader's model file {p} is missing; reinstall reflect-nlp, or use --reader rules.")
    if sha256 is not None and file_sha256(p) != sha256:
        raise ModelFileError(f"The learned reader's model file {p} is not the one this version of reflect-nlp ships "
                             "(SHA-256 differs); reinstall reflect-nlp, or use --reader rules.")
    with np.load(p, allow_pickle=False) as f:
        return Reader({k: f[k] for k in f.files})


@Language.factory("reflect_learned", default_config={"threshold": None}, requires=["doc._.weak_spots"])
def make_learned(nlp: Language, name: str, threshold: float | None):
    return LearnedComponent(load_reader(), threshold=threshold)


class LearnedComponent:
    """Adds the reader's sentence-level findings to ``doc._.weak_spots`` (after the rules)."""

    def __init__(self, reader: Reader, *, threshold: float | None = None) -> None:
        self.reader = reader
        self.threshold = reader.threshold if threshold is None else float(threshold)

    def __call__(self, doc: Doc) -> Doc:
        sents = list(doc.sents) if len(doc) else []
        if not sents:
            return doc
        probs = self.probabilities(sents)
        kept = list(doc._.weak_spots or [])
        found = {(h["sent_idx"], h["category"]) for h in kept}
        added = []
        for i, j in zip(*np.nonzero(probs >= self.threshold)):
            category = self.reader.categories[j]
            if (int(i), category) in found:
                continue
            sent = sents[i]
            full = lexicon.span_text(sent)
            text = full.strip()
            start = sent.start_char + len(full) - len(full.lstrip())
            p = float(probs[i, j])
            added.append({"category": category, "sent_idx": int(i), "start": start, "end": start + len(text),
                          "matched": text, "sentence": text, "pattern": f"{PATTERN} (p={p:.2f})", "score": round(p, 2)})
        if added:
            doc._.weak_spots = sorted(kept + added, key=lambda h: (h["start"], h["category"]))
        return doc

    def probabilities(self, sents: Iterable[Span]) -> np.ndarray:
        """Per-sentence probabilities (sentences x ``reader.categories``)."""
        words = [_words(s) for s in sents]  # once per sentence, for both kinds of feature
        wv = load_word_vectors()
        vectors = np.stack([wv.mean(w) for w in words]) if words else np.zeros((0, 2 * wv.dims), dtype=np.float32)
        return self.reader.predict([_hashed(w) for w in words], vectors)


def describe() -> dict[str, Any]:
    """What the shipped reader is, for the report's method section and the README."""
    r = load_reader()
    return {"file": MODEL_PATH.name, "sha256": MODEL_SHA256, "threshold": r.threshold, **r.meta}
