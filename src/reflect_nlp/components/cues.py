"""PLACEHOLDER (issue 4 replaces it): reflection cues, actions, confidence, rumination."""
from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("reflect_cues")
def make_cues(nlp: Language, name: str):
    return lambda doc: doc


def sentence_cues(doc: Doc) -> list[dict[str, Any]]:
    return [{} for _ in doc.sents]


def entry_features(doc: Doc, sentence_rows: list[dict[str, Any]], hits: list[dict[str, Any]]) -> dict[str, Any]:
    return {}


def actions(doc: Doc) -> list[dict[str, Any]]:
    return []
