"""The ``reflect_weak_spots`` spaCy component: taxonomy patterns, read like a careful reader.

Each taxonomy pattern (see ``reflect_nlp.taxonomy``) is compiled to a spaCy ``Matcher``
pattern over lemmas. Every match is then read in context (``components.context``): negated,
advice, hypothetical, plan, success, outside-the-interview and other-person mentions are set
aside as candidates with a reason; so is a reported knowledge gap that the writer refutes
later in the text (``contradicted``). The rest are kept as hits.

After the component, ``doc._.weak_spots`` holds kept hits and ``doc._.weak_spot_candidates``
the filtered ones (same keys plus ``"reason"``). Offsets are character offsets into
``doc.text``.

Score (0..1): 0.6 for a match, +0.2 when the pattern has two or more required words (more
specific), +0.2 when the writer is explicitly the subject or owner ("I froze", "my mind").

Example:
    >>> nlp = build_pipeline()  # doctest: +SKIP
    >>> hits(nlp("I ran out of time on the second question."))[0]["category"]  # doctest: +SKIP
    'time_management'
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..taxonomy import Taxonomy, load_taxonomy, parse_pattern
from . import context, lexicon, paragraphs  # noqa: F401  (registers reflect_paragraphs)
from ..trends import find_themes
from .themes import phrases

__all__ = ["WeakSpotComponent", "candidates", "categories_in", "find_themes", "hits", "phrases"]

# web text often has typographic apostrophes: "couldn’t"
NEGATION_FORMS = ["not", "n't", "n’t", "never", "no", "nt", "cannot", "zero", "without", "unable"]
GAP = {"IS_PUNCT": False, "OP": "{0,3}"}
# Words that turn "NOT ... X" back into a positive: "I didn't forget to research the company".
DOUBLE_NEGATIVE = {"forget", "neglect", "need", "hesitate", "stop", "mind", "fail", "miss"}

for _name in ("weak_spots", "weak_spot_candidates"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

# Latest component per vocab, so categories_in(span) works on any doc our pipeline made. Weak
# values: a pipeline the user drops is freed (the component keeps its vocab, so an id is not
# reused while its entry lives). spaCy's Vocab cannot be weakly referenced itself.
_BY_VOCAB: "weakref.WeakValueDictionary[int, WeakSpotComponent]" = weakref.WeakValueDictionary()


@dataclass(frozen=True)
class _Pattern:
    category: str
    text: str
    negative: bool  # contains NOT
    specific: bool  # two or more required words
    gap_idx: frozenset[int]
    not_idx: frozenset[int]


@Language.factory("reflect_weak_spots", default_config={"taxonomy": None})
def make_weak_spots(nlp: Language, name: str, taxonomy: str | None):
    """spaCy factory: ``nlp.add_pipe("reflect_weak_spots", config={"taxonomy": "my.toml"})``."""
    component = WeakSpotComponent(nlp, taxonomy=load_taxonomy(taxonomy))
    _BY_VOCAB[id(nlp.vocab)] = component
    return component


class WeakSpotComponent:
    """Finds taxonomy weak spots and records kept hits and filtered candidates on the Doc."""

    def __init__(self, nlp: Language, *, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self.vocab = nlp.vocab
        self._has_lemmas = "lemmatizer" in nlp.pipe_names
        self._forms = _inflections(nlp)
        self._bases = {form: set(bases) for t in _exc_tables(nlp).values() for form, bases in t.items()}
        self.past_forms = frozenset(f for forms in self._forms.values() for f in forms if f.endswith("ed")) | \
            frozenset(_irregular_past(nlp))
        self.matcher = _Prefiltered(nlp.vocab)
        self.topic_matcher = _Prefiltered(nlp.vocab)
        self.patterns: dict[str, _Pattern] = {}
        self._always_match = False  # set by a raw token pattern that names no word to trigger on
        for cat in taxonomy.categories.values():
            for text in cat.patterns:
                self._add(self.matcher, cat.id, text)
                self._add(self.topic_matcher, cat.id, text)
            for text in cat.topics:
                self._add(self.topic_matcher, cat.id, text)
            for pid, tokens in cat.token_patterns:
                key, trigger = f"{cat.id}\t{pid}", _token_trigger(tokens)
                self._always_match |= not trigger  # then the whole doc goes to the Matcher
                # a pattern that spells out a negation ("not ... since 2019") is negative, like NOT
                negative = any(not slot.isdisjoint(NEGATION_FORMS) for slot in trigger)
                self.patterns[key] = _Pattern(cat.id, pid, negative, len(tokens) > 1, frozenset(), frozenset())
                self.matcher.add(key, list(tokens), trigger)
                self.topic_matcher.add(key, list(tokens), trigger)

    def __setstate__(self, state: dict[str, Any]) -> None:
        # an unpickled pipeline (spawn workers, users' multiprocessing) has a new vocab:
        # without this, categories_in would not find the component and actions lose categories
        self.__dict__.update(state)
        _BY_VOCAB[id(self.vocab)] = self

    def _add(self, matcher: "_Prefiltered", category: str, text: str) -> None:
        key = f"{category}\t{text}"
        words = parse_pattern(text)
        tokens = [self._token(w) for w in words]
        self.patterns[key] = _Pattern(
            category=category,
            text=text,
            # "never * used": a negation spelt out is as negative as NOT
            negative="NOT" in words or any(w.lstrip("=?") in ("never", "no", "without") for w in words),
            specific=sum(1 for w in words if w != "*" and not w.startswith("?")) >= 2,
            gap_idx=frozenset(i for i, w in enumerate(words) if w == "*"),
            not_idx=frozenset(i for i, w in enumerate(words) if w == "NOT"),
        )
        matcher.add(key, tokens, _trigger(words, tokens))

    def _token(self, word: str) -> dict[str, Any]:
        if word == "*":
            return dict(GAP)
        if word == "NOT":
            return {"LOWER": {"IN": NEGATION_FORMS}}
        if word == "MY":
            return {"LOWER": {"IN": ["my", "our"]}}
        optional = word.startswith("?")
        word = word.lstrip("?")
        if word.startswith("="):
            spec: dict[str, Any] = {"LOWER": {"IN": [w.lower() for w in word[1:].split("|")]}}
        else:
            forms: set[str] = set()
            for w in word.lower().split("|"):
                forms |= {w} | self._forms.get(w, set()) | self._bases.get(w, set()) | _regular(w) | _stems(w)
                if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):  # "circles" -> "circle"
                    forms |= {w[:-1], w[:-3] + "y" if w.endswith("ies") else w[:-1]}
            # Mis-tagged words keep their surface form as lemma, capitalised at sentence start.
            # Without a lemmatizer (--model blank) word forms are all we have.
            attr = "LEMMA" if self._has_lemmas else "LOWER"
            spec = {attr: {"IN": sorted(forms | {f.capitalize() for f in forms})}}
        if optional:
            spec["OP"] = "?"
        return spec

    def __call__(self, doc: Doc) -> Doc:
        kept, filtered = [], []
        sents = list(doc.sents) if len(doc) else []
        starts = [s.start for s in sents]
        for key, span, double_neg in self._matches(doc, sents):
            pat = self.patterns[key]
            cat = self.taxonomy.categories[pat.category]
            if cat.exclude and any(t.lower_ in cat.exclude or t.lemma_.lower() in cat.exclude for t in span):
                continue
            sent_idx = _bisect(starts, span.start)
            why = context.reason(span, negative_pattern=pat.negative, others=cat.others,
                                 past_forms=self.past_forms, sent=sents[sent_idx])
            why = why or ("negated" if double_neg else None)
            row = _row(doc, span, pat, sent_idx, sents[sent_idx])
            if why:
                row["reason"] = why
                filtered.append(row)
            else:
                row["score"] = round(0.6 + 0.2 * (pat.specific or pat.negative)
                                     + 0.2 * context.writer_explicit(span), 2)
                kept.append(row)
        for row in [h for h in kept if h["category"] == "knowledge_gap"]:
            if _contradicted(doc, row, sents):
                kept.remove(row)
                filtered.append({k: v for k, v in row.items() if k != "score"} | {"reason": "contradicted"})
        kept = sorted(kept + self._weak_introduction(kept, sents), key=lambda h: h["start"])
        doc._.weak_spots = kept
        doc._.weak_spot_candidates = filtered
        return doc

    def _weak_introduction(self, kept: list[dict[str, Any]], sents: list[Span]) -> list[dict[str, Any]]:
        """A communication slip in answer to "tell me about yourself" is also a weak self-presentation
        (the category's own description); one derived hit, when nothing else found it."""
        cats = self.taxonomy.categories
        if "self_presentation" not in cats or "communication" not in cats or any(
                h["category"] == "self_presentation" for h in kept):
            return []
        for h in (h for h in kept if h["category"] == "communication"):
            i = h["sent_idx"]
            for j in range(i, max(0, i - 2) - 1, -1):
                text = lexicon.span_text(sents[j])
                if _INTRO.search(text):
                    # not when the introduction went well, or the talk moved on to another question
                    moved_on = any(_MOVED_ON.search(lexicon.span_text(s)) for s in sents[j + 1: i + 1])
                    if lexicon.outcome(text) <= 0 and not moved_on:
                        return [h | {"category": "self_presentation", "pattern": INTRO_PATTERN}]
                    break
        return []

    def _matches(self, doc: Doc, sents: list[Span]) -> list[tuple[str, Span, bool]]:
        """(pattern key, span, double negative) per match; no overlaps within one category."""
        strings = self.vocab.strings
        by_cat: dict[str, list[Span]] = {}
        found = []
        if self._always_match:
            parts = [(doc[:], self.matcher.full)] if len(doc) else []
        else:  # each sentence only meets the patterns whose required words it has
            forms = list(map(_LEMMA_LOWER, doc))
            parts = []
            for sent in sents:
                words = set(chain.from_iterable(forms[sent.start:sent.end]))
                matcher = self.matcher.subset(words)
                if matcher is not None:
                    parts.append((sent, matcher))
        for sent, matcher in parts:
            for m, a, b, al in matcher(sent, with_alignments=True):
                found.append((m, sent.start + a, sent.start + b, al))
        for match_id, start, end, align in found:
            key = strings[match_id]
            pat = self.patterns[key]
            span = Span(doc, start, end, label=key)
            if pat.negative and _double_negative(span, align, pat):
                span = Span(doc, start, end, label=key, kb_id="double_negative")
            by_cat.setdefault(pat.category, []).append(span)
        out = []
        for spans in by_cat.values():
            out.extend((s.label_, s, s.kb_id_ == "double_negative") for s in filter_spans(spans))
        return sorted(out, key=lambda x: (x[1].start, x[0]))


INTRO_PATTERN = "communication after 'tell me about yourself'"
_MOVED_ON = re.compile(r"\b(?:question|problem|round|exercise|challenge|design|coding)s?\b", re.I)
_INTRO = re.compile(r"\btell (?:me|us) (?:a (?:little |bit )?(?:bit )?)?about yourself|\bintroduce yourself|"
                    r"\bwalk (?:me|us) through your (?:background|resume|r\u00e9sum\u00e9|cv|career)|\belevator pitch", re.I)


def hits(doc: Doc) -> list[dict[str, Any]]:
    """Kept weak-spot hits of a processed doc (rows of tables.WEAK_SPOT_COLUMNS minus entry_id)."""
    return [dict(h) for h in (doc._.weak_spots or [])]


def candidates(doc: Doc) -> list[dict[str, Any]]:
    """Matches that were set aside, each with a ``reason`` (negated/advice/plan/...)."""
    return [dict(h) for h in (doc._.weak_spot_candidates or [])]


def categories_in(span: Span) -> list[str]:
    """Taxonomy categories a span talks about, ignoring all filters, most specific first.

    Counts weak-spot patterns and the categories' ``topics``, so "next time I will research
    the company" gives ``["preparation"]``. Categories whose longest matched phrase is longer
    come first ("prepare three questions for the interviewer": questions_for_interviewer before
    preparation); ties keep the order of mention.
    """
    comp = _BY_VOCAB.get(id(span.doc.vocab))
    if comp is None:
        raise RuntimeError("categories_in needs a pipeline with the reflect_weak_spots component")
    matcher = comp.topic_matcher.full if comp._always_match else comp.topic_matcher.subset(_words(span))
    if matcher is None:
        return []
    found = sorted((s - e, s, comp.patterns[comp.vocab.strings[m]].category) for m, s, e in matcher(span))
    out: list[str] = []
    for _, _, cat in found:
        if cat not in out:
            out.append(cat)
    return out


# -- helpers ------------------------------------------------------------------------------


class _Prefiltered:
    """A Matcher that, for a given span, runs only the patterns whose required words all occur in it.

    The Matcher's states for one pattern evolve independently of other patterns', so a Matcher
    holding a subset of the patterns, added in the same order, returns exactly the full
    Matcher's matches of those patterns, in the same order. A pattern lacking a required word
    cannot match: the result equals ``full(span)`` at a fraction of the cost (the full Matcher
    tries every pattern at every token).
    """

    def __init__(self, vocab) -> None:
        self.vocab = vocab
        self.full = Matcher(vocab)
        self._entries: list[tuple[str, list[dict[str, Any]], tuple[frozenset[str], ...]]] = []
        self._index: dict[str, list[int]] = {}  # word -> patterns whose first required word it can be
        self._always: list[int] = []  # patterns without a required word
        self._subsets: dict[tuple[int, ...], Matcher] = {}

    def add(self, key: str, tokens: list[dict[str, Any]], trigger: tuple[frozenset[str], ...]) -> None:
        """Add one pattern; ``trigger`` holds the values each required word accepts."""
        self.full.add(key, [tokens])
        i = len(self._entries)
        self._entries.append((key, tokens, trigger))
        if not trigger:
            self._always.append(i)
        # Index by the required word least made of common words ("my", "not", "i" are in most
        # sentences); any required word would be exact, since candidates checks them all.
        for word in min(trigger, key=lambda slot: (len(slot & STOP_WORDS) > 0, len(slot))) if trigger else ():
            self._index.setdefault(word, []).append(i)
        self._subsets.clear()

    def candidates(self, words: set[str]) -> tuple[int, ...]:
        """Indices of the patterns whose every required word is among ``words``."""
        found = set(self._always)
        for w in words:
            found.update(self._index.get(w, ()))
        return tuple(i for i in sorted(found)
                     if all(not slot.isdisjoint(words) for slot in self._entries[i][2]))

    def subset(self, words: set[str]) -> Matcher | None:
        """A Matcher of the candidate patterns for a span with these words (None: no candidate)."""
        ids = self.candidates(words)
        if not ids:
            return None
        matcher = self._subsets.get(ids)
        if matcher is None:
            if len(self._subsets) >= 4096:  # bounded: memory must not grow with the journal
                self._subsets.clear()
            matcher = self._subsets[ids] = Matcher(self.vocab)
            for i in ids:
                key, tokens, _ = self._entries[i]
                matcher.add(key, [tokens])
        return matcher


_LEMMA_LOWER = attrgetter("lemma_", "lower_")


def _words(span: Span) -> set[str]:
    """Lemmas and lower-cased forms of a span's tokens: what pattern triggers are checked against."""
    return {t.lemma_ for t in span} | {t.lower_ for t in span}


def _trigger(words: list[str], tokens: list[dict[str, Any]]) -> tuple[frozenset[str], ...]:
    """The values each required word of a pattern accepts (gaps and optional words left out)."""
    return tuple(
        frozenset(next(iter(tok.values()))["IN"])
        for w, tok in zip(words, tokens)
        if w != "*" and not w.startswith("?")
    )


def _token_trigger(tokens) -> tuple[frozenset[str], ...]:
    """The values each required token of a raw Matcher pattern accepts, where it names them by
    LEMMA or LOWER (a token given otherwise, or optional, adds no condition)."""
    slots = []
    for tok in tokens:
        op = tok.get("OP", "")
        if op in ("?", "*", "!") or op.startswith(("{0", "{,")):  # may match zero tokens ("{,2}" too)
            continue
        for attr in ("LEMMA", "LOWER"):
            value = tok.get(attr)
            values = [value] if isinstance(value, str) else value.get("IN") if isinstance(value, dict) else None
            if values:
                slots.append(frozenset(v.lower() if attr == "LOWER" else v for v in values))
                break
    return tuple(slots)


def _row(doc: Doc, span: Span, pat: _Pattern, sent_idx: int, sent: Span) -> dict[str, Any]:
    return {
        "category": pat.category,
        "sent_idx": sent_idx,
        "start": span.start_char,
        "end": span.end_char,
        "matched": lexicon.span_text(span),
        "sentence": lexicon.span_text(sent).strip(),
        "pattern": pat.text,
    }


BUILD_VERBS = {"write", "create", "build", "author", "invent", "found", "design", "develop", "maintain",
               "teach"}


def _contradicted(doc: Doc, row: dict[str, Any], sents: list[Span]) -> bool:
    """The writer refutes a reported gap later on: "rejected for not knowing enough JavaScript"
    ... "the JavaScript compiler that I wrote" (LABELLING.md: a contradicted reason is not a
    weak spot; later success alone is not a contradiction)."""
    sent = sents[row["sent_idx"]]
    span = doc.char_span(row["start"], row["end"], alignment_mode="expand")
    if span is None:
        return False
    topics = {t.lemma_.lower() for t in doc[span.end:sent.end] if t.pos_ in ("PROPN", "NOUN") and not t.is_stop}
    for later in sents[row["sent_idx"] + 1:]:
        for t in later:
            if t.lemma_.lower() not in BUILD_VERBS or not any(
                    c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in t.children):
                continue
            scope = list(t.subtree) + (list(t.head.subtree) if t.dep_ == "relcl" else [])
            if topics & {w.lemma_.lower() for w in scope}:
                return True
    return False


def _bisect(starts: list[int], value: int) -> int:
    import bisect

    return max(0, bisect.bisect_right(starts, value) - 1)


def _double_negative(span: Span, align: list[int], pat: _Pattern) -> bool:
    """A gap word such as "forget" cancels the pattern's negation ("didn't forget to prepare")."""
    return any(i in pat.gap_idx and t.lemma_.lower() in DOUBLE_NEGATIVE for t, i in zip(span, align))


def _regular(w: str) -> set[str]:
    """Regular inflections, so that a mis-tagged word (lemma == surface form) still matches."""
    if " " in w or not w.isalpha() or len(w) < 3:
        return set()
    forms = {w + "s", w + "es"}
    stem = w[:-1] if w.endswith("e") else w
    forms |= {stem + "ed", stem + "ing"}
    if w.endswith("y") and len(w) > 3 and w[-2] not in "aeiou":
        forms |= {w[:-1] + "ied", w[:-1] + "ies"}
    if len(w) > 2 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou":
        forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    return forms


def _stems(w: str) -> set[str]:
    """Possible verb lemmas of an -ed/-ing word, since "was distracted" / "was lacking" are
    lemmatised as verbs (distract, lack) while "bored" as an adjective keeps its form."""
    if not w.isalpha():
        return set()
    if w.endswith("ing") and len(w) > 5:
        stem = w[:-3]
    elif w.endswith("ed") and len(w) > 4:
        stem = w[:-2]
    else:
        return set()
    out = {stem, stem + "e"}
    if len(stem) > 2 and stem[-1] == stem[-2]:  # "stopped" -> "stop"
        out.add(stem[:-1])
    return out


def _exc_tables(nlp: Language) -> dict[str, dict[str, list[str]]]:
    if "lemmatizer" not in nlp.pipe_names:
        return {}
    try:
        exc = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_exc")
    except (KeyError, AttributeError):
        return {}
    return {pos: exc[pos] for pos in ("verb", "noun", "adj") if pos in exc}


def _inflections(nlp: Language) -> dict[str, set[str]]:
    """base -> irregular forms, from the model's lemmatizer exceptions (ran -> run)."""
    out: dict[str, set[str]] = {}
    for table in _exc_tables(nlp).values():
        for form, bases in table.items():
            for b in bases:
                if b != form:
                    out.setdefault(b, set()).add(form)
    return out


def _irregular_past(nlp: Language) -> set[str]:
    verb = _exc_tables(nlp).get("verb", {})
    return {form for form, bases in verb.items() if form not in bases}
