"""PLACEHOLDER (issue 4 replaces it): per-sentence TextBlob + VADER, plain-mean entry tone."""
from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

for _name in ("polarity", "subjectivity", "vader"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


@Language.factory("reflect_sentiment")
def make_sentiment(nlp: Language, name: str):
    return SentimentComponent()


class SentimentComponent:
    def __init__(self) -> None:
        from textblob import TextBlob
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._blob = TextBlob
        self._vader = SentimentIntensityAnalyzer()

    def __call__(self, doc: Doc) -> Doc:
        for sent in doc.sents:
            s = self._blob(sent.text).sentiment
            sent._.polarity, sent._.subjectivity = s.polarity, s.subjectivity
            sent._.vader = self._vader.polarity_scores(sent.text)["compound"]
        return doc


def sentence_rows(doc: Doc) -> list[dict[str, Any]]:
    return [
        {
            "sent_idx": i,
            "start": s.start_char,
            "end": s.end_char,
            "text": s.text,
            "polarity": s._.polarity,
            "subjectivity": s._.subjectivity,
            "vader": s._.vader,
            "weight": 1.0,
        }
        for i, s in enumerate(doc.sents)
    ]


def entry_tone(doc: Doc, rows: list[dict[str, Any]]) -> dict[str, Any]:
    if not rows:
        return {"tone": None, "polarity_mean": None, "vader_mean": None}
    pm = sum(r["polarity"] for r in rows) / len(rows)
    vm = sum(r["vader"] for r in rows) / len(rows)
    return {"tone": vm, "polarity_mean": pm, "vader_mean": vm}
