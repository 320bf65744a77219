"""Sentence sentiment (TextBlob + VADER behind one Protocol) and an entry tone that agrees with readers.

A plain mean of sentence sentiment correlates poorly with how a reader judges a write-up:
technical narration drowns the few lines that carry the writer's judgement, and readers judge
by how the story ends. ``entry_tone`` therefore combines two signals, with two coefficients
fitted by least squares on the tuning splits (dev, dev2, test2, test3) of ``data/eval/tone.csv``
(benchmarks/bench_sentiment.py ``--fit``, which also reports their cross-validated correlation):

* the *late mood*: median sentence score (VADER, self-criticism such as "I should have asked"
  pushed down, "never give up" lifted up) over the second half of the prose, taken over the
  sentences that name a feeling when there are any there;
* the *verdict*: the writer's final state, i.e. the last outcome statement ("I got the offer" +1,
  "they rejected me" -1), except that a "now ..." state wins over the past it is told against.

More hand-set weights scored higher on dev but did not carry over to unseen write-ups.
"""
from __future__ import annotations

import functools
import re
import statistics
from dataclasses import asdict, dataclass
from typing import Any, Protocol, runtime_checkable

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import lexicon

for _name in ("polarity", "subjectivity", "vader", "tone_score", "tone_weight"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
if not Doc.has_extension("tone_verdict"):
    Doc.set_extension("tone_verdict", default=0)


@runtime_checkable
class SentimentBackend(Protocol):
    """A sentence scorer. ``score`` returns named floats; ``main`` names the -1..1 polarity one."""

    name: str
    main: str

    def score(self, text: str) -> dict[str, float]: ...


class TextBlobBackend:
    """TextBlob's pattern lexicon: polarity -1..1 and subjectivity 0..1 (works offline)."""

    name = "textblob"
    main = "polarity"

    def __init__(self) -> None:
        _pattern_lexicon()  # fail here, not on the first sentence, if TextBlob is missing

    def score(self, text: str) -> dict[str, float]:
        polarity, subjectivity = _pattern_lexicon()(text)
        return {"polarity": float(polarity), "subjectivity": float(subjectivity)}


@functools.cache
def _pattern_lexicon():
    """The pattern lexicon PatternAnalyzer wraps, called directly: TextBlob(...) would try NLTK
    tokenisers we may not have, and PatternAnalyzer builds a namedtuple class per call. Looked
    up, not stored on the backend, which then still pickles (the lexicon holds lambdas)."""
    from textblob.en import sentiment

    return sentiment


class VaderBackend:
    """VADER's rule-based compound score -1..1 (handles negation, "but", intensifiers)."""

    name = "vader"
    main = "compound"

    def __init__(self, lexicon_updates: dict[str, float] | None = None) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._analyzer = SentimentIntensityAnalyzer()
        for word, valence in (lexicon_updates or {}).items():
            if valence:
                self._analyzer.lexicon[word] = valence
            else:
                self._analyzer.lexicon.pop(word, None)

    def score(self, text: str) -> dict[str, float]:
        return {"compound": float(self._analyzer.polarity_scores(text)["compound"])}


BACKENDS: dict[str, type] = {"textblob": TextBlobBackend, "vader": VaderBackend}

def get_backend(name: str) -> SentimentBackend:
    """Instantiate a registered backend by name.

    Example:
        >>> get_backend("vader").score("I got the offer!")["compound"] > 0
        True
    """
    try:
        return BACKENDS[name]()
    except KeyError as e:
        raise ValueError(f"unknown sentiment backend {name!r}; choose one of {sorted(BACKENDS)}") from e


@dataclass(frozen=True)
class ToneModel:
    """Entry tone = ``mood`` x late mood + ``verdict`` x last outcome, clipped to -1..1.

    ``mood`` and ``verdict`` are fitted on the tuning splits only (``bench_sentiment.py --fit``).
    No intercept: a neutral, outcome-free entry reads 0 (an intercept would not change Pearson r).
    ``self_criticism`` and ``resilience`` are fixed, not fitted.
    """

    mood: float = 0.338
    verdict: float = 0.27
    self_criticism: float = 0.3  # "I should have asked ...": VADER reads 0, readers read regret
    resilience: float = 0.4  # floor of "never give up" lines, which VADER reads as negative


DEFAULT_MODEL = ToneModel()

_CODE = re.compile(r"[{}();=<>\[\]_`|\\]|^\s*(#|//|\$|>>>)")


def _is_code(text: str) -> bool:
    """Code, tables and markup lines: they carry no feeling and confuse the lexicons."""
    letters = sum(map(str.isalpha, text))
    return letters < 0.6 * max(len(text.strip()), 1) or len(_CODE.findall(text)) >= 3


class SentimentComponent:
    """spaCy component: per-sentence TextBlob polarity/subjectivity, VADER compound, tone parts."""

    def __init__(self, model: ToneModel = DEFAULT_MODEL) -> None:
        self.textblob = TextBlobBackend()
        self.vader = VaderBackend()
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        prose = []
        for sent in doc.sents:
            text = lexicon.span_text(sent)
            tb = self.textblob.score(text)
            sent._.polarity, sent._.subjectivity = tb["polarity"], tb["subjectivity"]
            sent._.vader = self.vader.score(text)["compound"]
            sent._.tone_score, sent._.tone_weight = 0.0, 0.0
            if text.strip() and not _is_code(text):
                sent._.tone_score = sentence_tone(sent, sent._.vader, self.model)
                prose.append(sent)
        # Writers say how it ended, and how they feel about it, in the second half; where they
        # name a feeling there, that line is their judgement and the narration around it is not.
        late = prose[len(prose) // 2 :]
        judged = [s for s in late if lexicon.has_feeling(s)] or late
        for sent in judged:
            sent._.tone_weight = 1.0 / len(judged)
        doc._.tone_verdict = final_verdict(prose)
        return doc


def sentence_tone(sent: Span, vader: float, model: ToneModel = DEFAULT_MODEL) -> float:
    """VADER compound of one sentence, corrected for self-criticism and resilience, in -1..1."""
    score = vader
    if lexicon.is_counterfactual(sent) or (lexicon.is_first_person(sent) and lexicon.has_difficulty(sent)):
        score -= model.self_criticism
    if lexicon.is_resilient(sent):
        score = max(score, model.resilience)
    return max(-1.0, min(1.0, score))


_STATE = re.compile(r"\b(?:now|currently|today|these days|nowadays)\b,?\s*([^,;]*)", re.I)


def final_verdict(sents: list[Span]) -> int:
    """The writer's final state: the last outcome, unless the story goes on to a later, better place.

    "Now I work at Globex, two years after Initech rejected me" ends on a rejection word, but the
    writer's state is the job: a present-state clause with an outcome of its own wins. And a
    sentence told from later on ("Now I write React all day", "Years later, ...") after the last
    bad outcome, not negative itself (VADER >= 0, no negation, not "still"), means the story
    ended somewhere better.
    """
    outcomes = [(s, 0 if _about_others(s) else lexicon.outcome(s)) for s in sents]
    for sent, o in reversed(outcomes):
        m = _STATE.search(lexicon.span_text(sent)) if o else None
        if m and lexicon.outcome(m.group(0)):
            return lexicon.outcome(m.group(0))
    verdict = next((o for _, o in reversed(outcomes) if o), 0)
    if verdict < 0:
        last_bad = max(i for i, (_, o) in enumerate(outcomes) if o < 0)
        if any(lexicon.is_later_and_better(s) and (s._.vader or 0.0) >= 0 for s, _ in outcomes[last_bad + 1:]):
            return 1
    return verdict


_OTHERS = {"candidate", "candidates", "people", "everyone", "others", "anyone", "applicants"}
_MODALS = {"can", "could", "should", "must", "will", "would", "may", "might", "'ll"}


def _about_others(sent: Span) -> bool:
    """Somebody else's outcome, or advice: "candidates who didn't make it", "you can always ask
    why you didn't get the job". Told by who the subject is: "they went with other candidates"
    and "unfortunately you were not selected" (the company writing to the writer) stay the
    writer's; so does a line without any person ("Rejected after one week")."""
    if lexicon.is_first_person(sent):
        return False
    advice = any(t.lower_ in _MODALS and t.dep_ == "aux" for t in sent) or (sent[0].tag_ == "VB")
    for t in sent:
        if t.dep_ not in ("nsubj", "nsubjpass"):
            continue
        who = t.head.head if t.lower_ in ("who", "that") and t.head.dep_ == "relcl" else t
        if who.lower_ in _OTHERS or (who.lower_ == "you" and advice):
            return True
    return False


def tone_features(doc: Doc) -> dict[str, float]:
    """The two inputs of the entry tone: late mood (median of the weighted sentences) and the verdict."""
    judged = [u.tone_score for u in (s._ for s in doc.sents) if u.tone_weight]
    mood = statistics.median(judged) if judged else 0.0
    return {"mood": float(mood), "verdict": float(doc._.tone_verdict)}


@Language.factory("reflect_sentiment")
def make_sentiment(nlp: Language, name: str):
    return SentimentComponent()


def sentence_rows(doc: Doc) -> list[dict[str, Any]]:
    """One row per sentence: offsets, text, TextBlob, VADER and the sentence's tone weight."""
    return [
        {
            "sent_idx": i,
            "start": s.start_char,
            "end": s.end_char,
            "text": lexicon.span_text(s),
            "polarity": u.polarity,
            "subjectivity": u.subjectivity,
            "vader": u.vader,
            "weight": u.tone_weight,
        }
        for i, s in enumerate(doc.sents)
        for u in (s._,)  # each ``s._`` builds a new accessor object
    ]


def entry_tone(doc: Doc, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Weighted entry tone plus the plain TextBlob / VADER means for comparison."""
    if not rows:
        return {"tone": None, "polarity_mean": None, "vader_mean": None}
    pm = sum(r["polarity"] for r in rows) / len(rows)
    vm = sum(r["vader"] for r in rows) / len(rows)
    return {"tone": weighted_tone(doc), "polarity_mean": pm, "vader_mean": vm}


def weighted_tone(doc: Doc, model: ToneModel = DEFAULT_MODEL) -> float:
    """Entry tone -1..1 of a processed doc; 0.0 for a doc without prose or outcome."""
    f = tone_features(doc)
    return max(-1.0, min(1.0, model.mood * f["mood"] + model.verdict * f["verdict"]))


def describe_model(model: ToneModel = DEFAULT_MODEL) -> dict[str, float]:
    return asdict(model)
