"""PLACEHOLDER (issue 3 replaces it): taxonomy matcher, theme phrases, themes."""
from __future__ import annotations

from typing import Any

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from ..tables import THEME_COLUMNS, frame


class _Taxonomy:
    def describe(self) -> dict[str, Any]:
        return {"name": "placeholder", "version": "0", "categories": []}


@Language.factory("reflect_weak_spots", default_config={"taxonomy": None})
def make_weak_spots(nlp: Language, name: str, taxonomy: str | None):
    return WeakSpotComponent()


class WeakSpotComponent:
    taxonomy = _Taxonomy()

    def __call__(self, doc: Doc) -> Doc:
        return doc


def hits(doc: Doc) -> list[dict[str, Any]]:
    return []


def phrases(doc: Doc) -> list[dict[str, Any]]:
    return []


def find_themes(phrases_df: pd.DataFrame, *, min_entries: int = 2) -> pd.DataFrame:
    return frame([], THEME_COLUMNS)
