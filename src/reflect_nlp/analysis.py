"""``analyze(journal) -> Analysis``: the one function the CLI, notebooks and report build on."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd

from . import tables, trends
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
    # progress settings (issue 5): N interviews absent before a weak spot counts as resolved,
    # entries needed before a trend is called, interviews in the rolling median
    resolved_after: int = 3
    min_entries: int = 5
    window: int = 5

    @property
    def weak_spots_by_entry(self) -> pd.DataFrame:
        """One row per entry x category: hits, best score, first evidence sentence."""
        return tables.weak_spots_by_entry(self.entries, self.weak_spots)

    def __repr__(self) -> str:
        return (
            f"Analysis({len(self.entries)} entries, {len(self.weak_spots)} weak-spot hits, "
            f"{len(self.actions)} actions, {len(self.problems)} load problems)"
        )

    # Progress across interviews (issue 5): thin wrappers over ``reflect_nlp.trends``, whose
    # docstrings list each frame's columns. ``by`` groups by "author", "company" or "stage".
    def series(self, by: trends.By = None) -> pd.DataFrame:
        """Per interview x metric: value, rolling median, low/high band, n (``trends.series``)."""
        return trends.series(self.entries, by=by, window=self.window)

    def periods(self, by: trends.By = None, freq: str | None = None) -> pd.DataFrame:
        """Per week/month x metric: entries, n, median, low/high (``trends.periods``)."""
        return trends.periods(self.entries, by=by, freq=freq)

    def lifecycle(self, by: trends.By = None) -> pd.DataFrame:
        """Per weak-spot category and theme: first/last seen, share, trend, status (``trends.lifecycle``)."""
        return trends.lifecycle(
            self.entries, self.weak_spots_by_entry, self.themes, by=by,
            resolved_after=self.resolved_after, min_entries=self.min_entries,
        )

    def follow_through(self, by: trends.By = None) -> pd.DataFrame:
        """Per action item: did its category come up again, how soon (``trends.follow_through``)."""
        return trends.follow_through(self.entries, self.actions, self.weak_spots_by_entry, by=by)

    def follow_through_rate(self, by: trends.By = "author") -> pd.DataFrame:
        """Per person (or ``by`` group): actions, n, followed_through, rate (``trends.follow_through_rate``)."""
        return trends.follow_through_rate(self.follow_through(by=by), by=by)

    def gut_feeling(self, by: trends.By = None) -> pd.DataFrame:
        """Per entry: outcome, self_rating, tone, confidence, felt, surprise (``trends.gut_feeling``)."""
        return trends.gut_feeling(self.entries, by=by)

    def calibration(self, by: trends.By = None) -> pd.DataFrame:
        """Per outcome: n, medians of self_rating/tone/confidence, felt counts (``trends.calibration``)."""
        return trends.calibration(self.entries, by=by)

    def surprises(self, by: trends.By = None) -> pd.DataFrame:
        """Counts of "felt bad, got an offer" / "felt good, got rejected" with n (``trends.surprises``)."""
        return trends.surprises(self.entries, by=by)

    def gaps(self, by: trends.By = None) -> pd.DataFrame:
        """Per dated interview: days since the previous one, felt, lined_up (``trends.gaps``)."""
        return trends.gaps(self.entries, by=by)

    def cadence(self, by: trends.By = None) -> pd.DataFrame:
        """Interviews, per_week, median/longest gap, bad interviews with more lined up (``trends.cadence``)."""
        return trends.cadence(self.entries, by=by)

    def thank_you(self, by: trends.By = None, freq: str | None = None) -> pd.DataFrame:
        """Per week/month: interviews, n, sent, rate of thank-you notes (``trends.thank_you``)."""
        return trends.thank_you(self.entries, by=by, freq=freq)


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
