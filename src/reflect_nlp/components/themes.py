"""Recurring themes beyond the taxonomy: key phrases from sentences about difficulty or failure.

``phrases(doc)`` takes the sentences that hold a kept weak-spot hit or a difficulty word
("struggled", "hard", "tricky", "mistake", ...) that is not negated, advice or a plan, and
returns their lemmatised noun chunks ("system design", "dynamic programming"), without
determiners, pronouns, stop words and generic interview words. ``find_themes`` keeps the
phrases that recur in at least ``min_entries`` entries and ranks them (pure pandas, so it lives in
``trends``: a re-run that analyses nothing never imports spaCy).
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Any, Iterable

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Span

from . import context, lexicon

DIFFICULTY = {"struggle", "hard", "difficult", "tough", "tricky", "stuck", "fail", "failure", "mistake",
              "wrong", "trouble", "confuse", "confused", "confusing", "weak", "bad", "poorly", "badly",
              "mess", "challenging", "challenge", "problem", "issue", "error", "bug", "unable", "miss",
              "forget", "lose", "worst", "terrible", "awful", "bomb", "fumble", "stumble", "painful"}
# Words too general to be a theme on their own (or as the head of one).
GENERIC = {"interview", "interviewer", "question", "time", "thing", "lot", "way", "bit", "minute", "day",
           "company", "people", "job", "answer", "round", "part", "problem", "end", "start", "today",
           "something", "anything", "everything", "nothing", "kind", "sort", "point", "moment", "case",
           "stuff", "one", "lot", "couple", "fact", "idea", "rest", "side", "hour", "week", "month",
           "year", "first", "second", "process", "experience", "mind", "person", "guy", "team", "work",
           "issue", "trouble", "mistake", "difficulty", "challenge", "result", "number", "place",
           "knowledge", "skill", "concept", "topic", "section", "portion", "detail", "recruiter", "manager",
           "engineer", "call", "meeting", "screen", "min", "mins", "sec", "morning", "afternoon", "evening",
           "tomorrow", "yesterday", "tonight", "weekend", "january", "february", "march", "april", "may",
           "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday",
           "wednesday", "thursday", "friday", "saturday", "sunday", "feedback", "offer", "role", "position"}
DROP_POS = {"DET", "PRON", "NUM", "SYM", "PUNCT", "SPACE", "CCONJ", "ADP", "PART", "AUX", "X"}


def phrases(doc: Doc) -> list[dict[str, Any]]:
    """Theme candidates of one doc: rows of tables.PHRASE_COLUMNS minus entry_id."""
    if not doc.has_annotation("DEP"):
        return []
    hit_sents = {h["sent_idx"] for h in (doc._.get("weak_spots") or [])} if Doc.has_extension("weak_spots") else set()
    rows = []
    text = lexicon.doc_text(doc)  # Doc.text joins every token on each access
    sents = list(doc.sents)
    starts = [s.start for s in sents]
    hard: dict[int, list[int]] = {}  # sentence -> positions of its difficulty words
    for i in _difficulty_words(doc):
        hard.setdefault(bisect_right(starts, i) - 1, []).append(i)
    chunker = doc.noun_chunks_iterator
    for i, sent in enumerate(sents):
        if i not in hit_sents and not _is_difficulty(sent, hard.get(i, ())):
            continue
        # Only the sentences that count are chunked (doc.noun_chunks walks the whole doc, and
        # Span.noun_chunks walks it per sentence). A chunk never leaves its sentence's parse
        # tree, so the chunks are the same as the doc's (checked on 7k docs).
        chunks = ([doc[a:b] for a, b, _ in chunker(sent)] if chunker is not None
                  else [c for c in doc.noun_chunks if sent.start <= c.start < sent.end])
        for chunk in chunks:
            key, shown = _normalise(chunk, text)
            if key:
                rows.append({"sent_idx": i, "lemma": key, "text": shown, "sentence": lexicon.span_text(sent).strip()})
    return rows


def _difficulty_words(doc: Doc) -> list[int]:
    """Positions of the tokens whose lemma or form is a difficulty word, read from the doc's
    arrays (no Token objects)."""
    strings = doc.vocab.strings
    found = []
    for i, (lemma, lower) in enumerate(doc.to_array([LEMMA, LOWER]).tolist()):
        hard = _HARD.get((lemma, lower))
        if hard is None:
            if len(_HARD) > 100_000:  # bounded: memory must not grow with the journal
                _HARD.clear()
            hard = _HARD[(lemma, lower)] = strings[lemma].lower() in DIFFICULTY or strings[lower] in DIFFICULTY
        if hard:
            found.append(i)
    return found


_HARD: dict[tuple[int, int], bool] = {}


def _is_difficulty(sent: Span, words: Iterable[int]) -> bool:
    """Some difficulty word at doc positions ``words`` is the writer's (not negated, advice, ...)."""
    for i in words:
        if context.reason(sent[i - sent.start: i - sent.start + 1], others="keep", sent=sent) is None:
            return True
    return False


def _normalise(chunk: Span, text: str) -> tuple[str, str]:
    toks = [t for t in chunk if t.pos_ not in DROP_POS and not t.is_stop and not t.like_num
            and not t.like_url and t.is_alpha and len(t) > 1]
    if not toks or not any(t.pos_ in ("NOUN", "PROPN") for t in toks):
        return "", ""
    lemmas = [t.lemma_.lower() for t in toks]
    while len(lemmas) > 2 and lemmas[-1] in GENERIC:  # "system design question" -> "system design"
        lemmas, toks = lemmas[:-1], toks[:-1]
    if all(lemma in GENERIC for lemma in lemmas):
        return "", ""
    return " ".join(lemmas), text[toks[0].idx: toks[-1].idx + len(toks[-1])]
