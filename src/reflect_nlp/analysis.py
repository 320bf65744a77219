"""``analyze(journal) -> Analysis``: the one function the CLI, notebooks and report build on."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd

from . import tables
from .ingest import Journal, load_journal
from .records import LoadProblem, Reflection

ProgressFn = Callable[[int, int], None]

PIPELINE_COMPONENTS = ("reflect_sentiment", "reflect_weak_spots", "reflect_cues")


def build_pipeline(model: str | None = None, *, taxonomy: str | os.PathLike | None = None, ner: bool = False):
    """Load the spaCy model and add reflect-nlp's components (sentiment, weak spots, cues).

    Example:
        >>> nlp = build_pipeline()  # doctest: +SKIP
        >>> doc = nlp("My mind went blank on the first question.")  # doctest: +SKIP
    """
    from . import components  # noqa: F401  registers the factories
    from .models import load_model

    nlp = load_model(model, ner=ner)
    nlp.add_pipe("reflect_sentiment")
    nlp.add_pipe("reflect_weak_spots", config={"taxonomy": str(taxonomy) if taxonomy else None})
    nlp.add_pipe("reflect_cues")
    return nlp


def process(
    reflections: list[Reflection],
    nlp,
    *,
    batch_size: int = 64,
    progress: ProgressFn | None = None,
) -> Iterable[tuple[Reflection, dict[str, Any]]]:
    """Run the pipeline over reflections, yielding (Reflection, EntryResult) in input order."""
    from .extract import entry_result

    total = len(reflections)
    docs = nlp.pipe(((r.text, r) for r in reflections), as_tuples=True, batch_size=batch_size)
    for i, (doc, refl) in enumerate(docs, 1):
        yield refl, entry_result(doc)
        if progress:
            progress(i, total)


@dataclass
class Analysis:
    """Everything reflect-nlp found in a journal, as pandas DataFrames.

    Attributes:
        entries: one row per reflection (metadata, tone, confidence, depth, weak-spot counts).
        sentences: one row per sentence (sentiment, reflection cues).
        weak_spots: one row per weak-spot hit, with offsets into the entry text.
        actions: one row per "next time I will..." item.
        themes: recurring phrases beyond the taxonomy.
        problems: what ingest could not read cleanly.
        meta: model, versions, taxonomy and settings used.
    """

    entries: pd.DataFrame
    sentences: pd.DataFrame
    weak_spots: pd.DataFrame
    actions: pd.DataFrame
    phrases: pd.DataFrame
    themes: pd.DataFrame
    problems: list[LoadProblem] = field(default_factory=list)
    reflections: list[Reflection] = field(default_factory=list, repr=False)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def weak_spots_by_entry(self) -> pd.DataFrame:
        """One row per entry x category: hits, best score, first evidence sentence."""
        return tables.weak_spots_by_entry(self.entries, self.weak_spots)

    def __repr__(self) -> str:
        return (
            f"Analysis({len(self.entries)} entries, {len(self.weak_spots)} weak-spot hits, "
            f"{len(self.actions)} actions, {len(self.problems)} load problems)"
        )


def analyze(
    journal: str | os.PathLike | Journal,
    *,
    model: str | None = None,
    taxonomy: str | os.PathLike | None = None,
    batch_size: int = 64,
    progress: ProgressFn | None = None,
    nlp=None,
) -> Analysis:
    """Analyse a journal folder or file (or an already loaded ``Journal``).

    Example:
        >>> analysis = analyze("data/samples")  # doctest: +SKIP
        >>> analysis.weak_spots.groupby("category").size()  # doctest: +SKIP
    """
    from .components.weak_spots import find_themes
    from .models import model_info

    loaded = journal if isinstance(journal, Journal) else load_journal(journal)
    nlp = nlp or build_pipeline(model, taxonomy=taxonomy)
    pairs = list(process(loaded.reflections, nlp, batch_size=batch_size, progress=progress))
    t = tables.build_tables(pairs)
    themes = find_themes(t["phrases"])
    meta = {
        **model_info(nlp),
        "taxonomy": nlp.get_pipe("reflect_weak_spots").taxonomy.describe(),
        "settings": {"batch_size": batch_size},
        "journal": str(loaded.root),
    }
    return Analysis(
        entries=t["entries"],
        sentences=t["sentences"],
        weak_spots=t["weak_spots"],
        actions=t["actions"],
        phrases=t["phrases"],
        themes=themes,
        problems=list(loaded.problems),
        reflections=list(loaded.reflections),
        meta=meta,
    )
