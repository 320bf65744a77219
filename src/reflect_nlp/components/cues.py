"""Reflection cues per sentence, and per entry: confidence, rumination, reflection depth, actions.

The four self-reflection questions a good journal entry answers map onto the cues: what went
wrong (a difficulty or a weak-spot hit), how it felt (a feeling), what could have been done
differently (a counterfactual or "differently/instead"), how to approach the next one (an
intention). The rules live in ``lexicon.py``; the benchmark measures them on CEReD.
"""
from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import lexicon

if not Span.has_extension("cues"):
    Span.set_extension("cues", default=None)

_DIFFERENTLY = re.compile(
    r"\b(differently|instead of|instead,|would have been better|better approach|in hindsight|looking back|"
    r"next time i would|i would rather|a better (?:way|answer|idea))\b"
)
_THANK_YOU = re.compile(
    r"\bthank[- ]?you (?:note|email|e-mail|letter|card|message|mail)s?\b|"
    r"\b(?:sent|send|sending|wrote|write|writing|emailed|email) (?:a |an |my |them |him |her |the )?"
    r"(?:quick |short |brief |follow-up |follow up )?(?:thanks|thank[- ]you)\b|"
    r"\b(?:sent|send|sending|wrote|write|emailed) (?:a |an |my )?(?:quick |short )?(?:note|email|e-mail|message) "
    r"(?:to )?(?:thank|thanking)\b"
)
_OPPORTUNITIES = re.compile(
    r"\b(?:other|another|more|upcoming|several|a few|two|three|four|five|\d+) "
    r"(?:interviews?|applications?|offers?|onsites?|on-sites?|phone screens?|processes|opportunities|companies|final rounds?)\b|"
    r"\b(?:lined up|in the pipeline|still in (?:the )?process with)\b|"
    r"\bappl(?:ied|ying|y) (?:to|for) (?:\d+|other|more|a few|several|another|some other)\b|"
    r"\b(?:interview|onsite|call|screen) with \w+ (?:next week|tomorrow|on (?:mon|tues|wednes|thurs|fri)day)\b"
)


def cue_flags(sent: Span | str) -> dict[str, Any]:
    """Cue flags and hedge/certainty counts for one sentence.

    Example:
        >>> cue_flags("Next time I will ask clarifying questions first.")["is_intention"]
        True
    """
    return {
        "is_feeling": lexicon.has_feeling(sent),
        "is_difficulty": lexicon.has_difficulty(sent),
        "is_intention": lexicon.has_intention(sent),
        "is_learning": lexicon.has_learning(sent),
        "is_counterfactual": lexicon.is_counterfactual(sent),
        "hedges": lexicon.count_hedges(sent),
        "certainty": lexicon.count_certainty(sent),
    }


class CuesComponent:
    """spaCy component: sets ``span._.cues`` (see ``cue_flags``) on every sentence."""

    def __call__(self, doc: Doc) -> Doc:
        for sent in doc.sents:
            sent._.cues = cue_flags(sent)
        return doc


@Language.factory("reflect_cues")
def make_cues(nlp: Language, name: str):
    return CuesComponent()


def sentence_cues(doc: Doc) -> list[dict[str, Any]]:
    """One cue dict per sentence, in sentence order."""
    return [c if (c := s._.cues) is not None else cue_flags(s) for s in doc.sents]


def entry_features(doc: Doc, sentence_rows: list[dict[str, Any]], hits: list[dict[str, Any]]) -> dict[str, Any]:
    """Confidence, rumination, reflection depth (which questions were answered), mentions.

    ``sentence_rows`` must already hold the cue flags (extract.py merges them in).
    """
    rows = sentence_rows
    n = len(rows)
    hedges = sum(r.get("hedges") or 0 for r in rows)
    certainty = sum(r.get("certainty") or 0 for r in rows)
    text = lexicon.norm(lexicon.doc_text(doc))
    answered = {
        "answered_what_went_wrong": bool(hits) or any(r.get("is_difficulty") for r in rows),
        "answered_how_it_felt": any(r.get("is_feeling") for r in rows),
        "answered_what_differently": any(r.get("is_counterfactual") for r in rows) or bool(_DIFFERENTLY.search(text)),
        "answered_next_time": any(r.get("is_intention") for r in rows),
    }
    return {
        "confidence": (certainty - hedges) / (certainty + hedges) if hedges + certainty else None,
        "rumination": 10.0 * sum(bool(r.get("is_counterfactual")) for r in rows) / n if n else None,
        "reflection_depth": sum(answered.values()),
        **answered,
        "thank_you_mentioned": bool(_THANK_YOU.search(text)),
        "opportunities_mentioned": bool(_OPPORTUNITIES.search(text)),
    }


def _categories_in(span: Span) -> list[str]:
    """Weak-spot categories of ``span`` when the weak-spots component offers them, else []."""
    from . import weak_spots

    fn = getattr(weak_spots, "categories_in", None)
    try:
        return list(fn(span)) if fn else []
    except RuntimeError:  # a pipeline without the weak-spots component
        return []


# Verbs of almost every plan ("practise X", "work on X"): the category is in X, not in them.
_GENERIC_PLAN_VERBS = {"prepare", "practise", "practice", "study", "work", "review", "drill", "rehearse", "improve", "get"}


# "take tomorrow off from prep", "a break from leetcode": rest from it, not work on it. What is
# rested from runs to the next clause ("... from the screen to calm my nerves": nerves stay).
_REST_FROM = re.compile(r"\b(?:off|break|rest|pause|time away) from\b.*?(?=\s(?:and|to|so|then|but)\b|[,;.]|$)", re.I)


def _plan_categories(obj: Span) -> list[str]:
    """Categories of what a plan is about: after a generic verb if one leads, else of the whole;
    never of what the plan rests from."""
    m = _REST_FROM.search(lexicon.span_text(obj))
    if m:
        parts = (obj.doc.char_span(obj.start_char, obj.start_char + m.start(), alignment_mode="contract"),
                 obj.doc.char_span(obj.start_char + m.end(), obj.end_char, alignment_mode="contract"))
        return [c for part in parts if part is not None and len(part) for c in _plan_categories(part)]
    words = [t for t in obj if not t.is_space]
    if words and words[0].lemma_.lower() in _GENERIC_PLAN_VERBS:
        rest = obj.doc[words[0].i + 1 : obj.end]
        cats = _categories_in(rest) if len(rest) else []
        if cats:
            return cats
    return _categories_in(obj)


def actions(doc: Doc) -> list[dict[str, Any]]:
    """Action items: from the intention phrase to the end of its sentence, with a category."""
    rows = []
    for i, sent in enumerate(doc.sents):
        cues = c if (c := sent._.cues) is not None else cue_flags(sent)
        if not cues["is_intention"]:
            continue
        start, end = lexicon.intention_bounds(sent) or (0, 0)
        span = doc.char_span(sent.start_char + start, sent.end_char, alignment_mode="expand") or sent
        # Look for the category in what the plan is about, not in "next time I will".
        obj = doc.char_span(sent.start_char + end, sent.end_char, alignment_mode="expand")
        cats = _plan_categories(obj) if obj is not None else []
        text = lexicon.span_text(span).rstrip()
        rows.append(
            {
                "sent_idx": i,
                "start": span.start_char,
                "end": span.start_char + len(text),
                "text": text,
                "category": cats[0] if cats else None,
            }
        )
    return rows
