"""``analyze(journal) -> Analysis``: the one function the CLI, notebooks and report build on."""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import pandas as pd

from . import tables, trends
from .ingest import Journal, load_journal
from .ingest.loader import is_inside
from .records import LoadProblem, Reflection

ProgressFn = Callable[[int, int], None]

PIPELINE_COMPONENTS = ("reflect_sentiment", "reflect_weak_spots", "reflect_cues")


READERS = ("rules", "combined")
# The learned reader did not beat the rules on the unseen splits (benchmarks/results/weak_spots.json):
# it is there to choose, not the default.
DEFAULT_READER = "rules"


def check_reader(reader: str) -> None:
    if reader not in READERS:
        from .errors import ReflectError

        raise ReflectError(f"Unknown reader {reader!r}: choose from {', '.join(READERS)}.")


def build_pipeline(model: str | None = None, *, taxonomy: str | os.PathLike | None = None, ner: bool = False,
                   reader: str = DEFAULT_READER):
    """Load the spaCy model and add reflect-nlp's components (sentiment, weak spots, cues).

    Args:
        ner: also load the model's name recogniser, switched off: the analysis never runs it
            (same results), and ``redact.redactor_for(analysis, nlp=nlp)`` switches
            it on to find names, so sharing a report loads the model once, not twice.
        reader: "rules" (the taxonomy's patterns) or "combined" (the patterns plus the learned
            sentence reader, ``components/learned.py``).

    Example:
        >>> nlp = build_pipeline()  # doctest: +SKIP
        >>> doc = nlp("My mind went blank on the first question.")  # doctest: +SKIP
    """
    from . import components  # noqa: F401  registers the factories
    from .models import load_model

    nlp = load_model(model, ner=ner)
    if "ner" in nlp.pipe_names:
        nlp.disable_pipe("ner")
    if "parser" in nlp.pipe_names:  # a blank line ends a sentence (components/paragraphs.py)
        nlp.add_pipe("reflect_paragraphs", before="parser")
    nlp.add_pipe("reflect_sentiment")
    nlp.add_pipe("reflect_weak_spots", config={"taxonomy": str(taxonomy) if taxonomy else None})
    check_reader(reader)
    if reader == "combined":
        from .components import learned  # noqa: F401  registers reflect_learned

        nlp.add_pipe("reflect_learned")
    nlp.add_pipe("reflect_cues")
    return nlp


def process(
    reflections: list[Reflection],
    nlp,
    *,
    batch_size: int = 64,
    progress: ProgressFn | None = None,
    jobs: int = 1,
    model: str | None = None,
    taxonomy: str | os.PathLike | None = None,
    reader: str = "rules",
) -> Iterator[tuple[Reflection, dict[str, Any]]]:
    """Run the pipeline over reflections, yielding (Reflection, EntryResult) in input order.

    With ``jobs > 1``, worker processes each hold one pipeline and return EntryResults for
    chunks of entries (spaCy's own ``n_process`` would have to ship Docs and their custom
    attributes back). Workers inherit ``nlp`` where the OS can fork; elsewhere each builds
    ``build_pipeline(model, taxonomy=taxonomy, reader=reader)`` once.
    """
    from .extract import entry_result

    total = len(reflections)
    texts = (r.text for r in reflections)
    if jobs > 1 and total > 1:
        results = _parallel(texts, total, nlp, jobs=jobs, batch_size=batch_size, model=model, taxonomy=taxonomy, reader=reader)
    else:
        results = (entry_result(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
    for i, (refl, res) in enumerate(zip(reflections, results), 1):
        yield refl, res
        if progress:
            progress(i, total)


_WORKER: dict[str, Any] = {}


def _init_worker(nlp, model, taxonomy, reader: str, batch_size: int) -> None:
    import signal

    # Ctrl-C reaches the whole process group: only the parent handles it (it then terminates
    # the pool), so workers never print KeyboardInterrupt tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the CLI's SIGTERM handler is for the parent
    _WORKER["nlp"] = nlp if nlp is not None else build_pipeline(model, taxonomy=taxonomy, reader=reader)
    _WORKER["batch_size"] = batch_size


def _work(texts: list[str]) -> list[dict[str, Any]]:
    from .extract import entry_result

    return [entry_result(doc) for doc in _WORKER["nlp"].pipe(texts, batch_size=_WORKER["batch_size"])]


def _parallel(texts: Iterable[str], total: int, nlp, *, jobs: int, batch_size: int, model, taxonomy, reader) -> Iterator[dict[str, Any]]:
    import multiprocessing as mp

    from .store import iter_chunks

    fork = "fork" in mp.get_all_start_methods()
    # Several chunks per worker keep both busy to the end; one pipe batch per chunk at most.
    size = max(8, min(batch_size, -(-total // (jobs * 4))))
    ctx = mp.get_context("fork" if fork else "spawn")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(nlp if fork else None, model, taxonomy, reader, batch_size)) as pool:
        for chunk in pool.imap(_work, iter_chunks(texts, size)):
            yield from chunk


def _merge(refls, keys, done, fresh, db, fp, analyse_one, chunk: int = 256) -> Iterator[tuple[Reflection, dict[str, Any]]]:
    """Yield (Reflection, EntryResult) in journal order: stored results where ``done`` says
    so, else the next of ``fresh``; new results are saved one transaction per chunk."""
    from .store import iter_chunks

    for part in iter_chunks(zip(refls, keys), chunk):
        stored = db.get([k for _, k in part if k in done], fp) if db and done else {}
        new = []
        for refl, key in part:
            res = stored.get(key)
            if res is None:  # a stored row can vanish under a concurrent run: analyse it here
                res = next(fresh)[1] if key not in done else analyse_one(refl)
                new.append((key, res))
            yield refl, res
        if db and new:
            db.put(new, fp)


def _build_tables(pairs: Iterable[tuple[Reflection, dict[str, Any]]], chunk: int = 1000) -> dict[str, pd.DataFrame]:
    """``tables.build_tables`` a chunk at a time, so per-entry dicts never pile up in memory."""
    from .store import iter_chunks

    parts = [tables.build_tables(c) for c in iter_chunks(pairs, chunk)]
    if len(parts) <= 1:
        return parts[0] if parts else tables.build_tables([])
    out = {}
    for key in parts[0]:
        frames = [p[key] for p in parts if not p[key].empty] or [parts[0][key]]
        out[key] = pd.concat(frames, ignore_index=True).astype(parts[0][key].dtypes.to_dict())
    # same order as one build_tables call over all pairs
    out["entries"] = tables.sort_entries(out["entries"])
    return out


REPORT_PATHS = ("report.html", "report.md", "report.json", "tables", "figures")  # and store.sqlite*


def _replaces_journal(out: str | os.PathLike, journal: str | os.PathLike) -> bool:
    """True when a report folder ``out`` would write into or over the journal: the journal (file or
    folder) is, or is under, a path the report writes, e.g. ``--out .`` for a journal file named
    ``report.json`` or a journal folder named ``figures``."""
    j, o = Path(journal).resolve(), Path(out).resolve()
    if not j.is_relative_to(o) or j == o:
        return False
    first = j.relative_to(o).parts[0]
    return first in REPORT_PATHS or first.startswith("store.sqlite")


def _hashable(value: Any) -> Any:
    """A ``by=`` argument as a memo key part (a list of columns becomes a tuple)."""
    return tuple(value) if isinstance(value, list) else value


@dataclass
class Analysis:
    """Everything reflect-nlp found in a journal, as pandas DataFrames.

    Attributes:
        entries: one row per reflection (metadata, tone, confidence, depth, weak-spot counts).
        sentences: one row per sentence (sentiment, reflection cues).
        weak_spots: one row per weak-spot hit, with offsets into the entry text.
        actions: one row per "next time I will..." item.
        phrases: candidate theme phrases, one row per mention (``themes`` is built from them).
        themes: recurring phrases beyond the taxonomy.
        problems: what ingest could not read cleanly.
        reflections: the Reflection records analysed (their ``text`` is what offsets point into).
        meta: model, versions, taxonomy and settings used; the journal as given and resolved (None for texts).
        resolved_after: interviews without a weak spot before it counts as resolved.
        min_entries: entries needed before a trend is called rising or falling.
        window: interviews in the rolling median.

    Example:
        >>> analysis = analyze("data/samples")  # doctest: +SKIP
        >>> analysis.lifecycle().query("status == 'recurring'")  # doctest: +SKIP
        >>> analysis.plot_tone().savefig("tone.png")  # doctest: +SKIP
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
    # Derived tables remembered inside ``with analysis.cached():`` only (None: always recompute).
    # Unannotated, so not a dataclass field: set per instance by cached(), never copied by replace().
    _memo = None

    @contextmanager
    def cached(self) -> Iterator["Analysis"]:
        """Inside this block each derived table (progress tables, ``weak_spots_by_entry``) is
        computed once and shared, as the report and its exports do; outside it every call
        recomputes from the frames, so a notebook that edits ``entries`` never sees stale tables.
        Do not modify the frames inside the block.

        Example:
            >>> with analysis.cached():  # doctest: +SKIP
            ...     life, follow = analysis.lifecycle(), analysis.follow_through()
        """
        outer = self._memo
        self._memo = {} if outer is None else outer
        try:
            yield self
        finally:
            self._memo = outer

    def _derived(self, key: tuple, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        if self._memo is None:
            return compute()
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def weak_spots_by_entry(self) -> pd.DataFrame:
        """One row per entry x category: hits, best score, first evidence sentence."""
        return self._derived(("weak_spots_by_entry",), lambda: tables.weak_spots_by_entry(self.entries, self.weak_spots))

    def __repr__(self) -> str:
        return (
            f"Analysis({len(self.entries)} entries, {len(self.weak_spots)} weak-spot hits, "
            f"{len(self.actions)} actions, {len(self.problems)} load problems)"
        )

    # Progress across interviews (issue 5): thin wrappers over ``reflect_nlp.trends``, whose
    # docstrings list each frame's columns. ``by`` groups by "author", "company" or "stage".
    def series(self, by: trends.By = None) -> pd.DataFrame:
        """Per interview x metric: value, rolling median, low/high band, n (``trends.series``)."""
        return self._derived(("series", _hashable(by)), lambda: trends.series(self.entries, by=by, window=self.window))

    def periods(self, by: trends.By = None, freq: str | None = None) -> pd.DataFrame:
        """Per week/month x metric: entries, n, median, low/high (``trends.periods``)."""
        return self._derived(("periods", _hashable(by), _hashable(freq)), lambda: trends.periods(self.entries, by=by, freq=freq))

    def lifecycle(self, by: trends.By = None) -> pd.DataFrame:
        """Per weak-spot category and theme: first/last seen, share, trend, status (``trends.lifecycle``)."""
        return self._derived(("lifecycle", _hashable(by)), lambda: trends.lifecycle(
            self.entries, self.weak_spots_by_entry, self.themes, by=by,
            resolved_after=self.resolved_after, min_entries=self.min_entries,
        ))

    def follow_through(self, by: trends.By = None) -> pd.DataFrame:
        """Per action item: did its category come up again, how soon (``trends.follow_through``)."""
        return self._derived(("follow_through", _hashable(by)), lambda: trends.follow_through(self.entries, self.actions, self.weak_spots_by_entry, by=by))

    def follow_through_rate(self, by: trends.By = "author") -> pd.DataFrame:
        """Per person (or ``by`` group): actions, n, followed_through, rate (``trends.follow_through_rate``)."""
        return self._derived(("follow_through_rate", _hashable(by)), lambda: trends.follow_through_rate(self.follow_through(by=by), by=by))

    def gut_feeling(self, by: trends.By = None) -> pd.DataFrame:
        """Per entry: outcome, self_rating, tone, confidence, felt, surprise (``trends.gut_feeling``)."""
        return self._derived(("gut_feeling", _hashable(by)), lambda: trends.gut_feeling(self.entries, by=by))

    def calibration(self, by: trends.By = None) -> pd.DataFrame:
        """Per outcome: n, medians of self_rating/tone/confidence, felt counts (``trends.calibration``)."""
        return self._derived(("calibration", _hashable(by)), lambda: trends.calibration(self.entries, by=by))

    def surprises(self, by: trends.By = None) -> pd.DataFrame:
        """Counts of "felt bad, got an offer" / "felt good, got rejected" with n (``trends.surprises``)."""
        return self._derived(("surprises", _hashable(by)), lambda: trends.surprises(self.entries, by=by))

    def gaps(self, by: trends.By = None) -> pd.DataFrame:
        """Per dated interview: days since the previous one, felt, lined_up (``trends.gaps``)."""
        return self._derived(("gaps", _hashable(by)), lambda: trends.gaps(self.entries, by=by))

    def cadence(self, by: trends.By = None) -> pd.DataFrame:
        """Interviews, per_week, median/longest gap, bad interviews with more lined up (``trends.cadence``)."""
        return self._derived(("cadence", _hashable(by)), lambda: trends.cadence(self.entries, by=by))

    def thank_you(self, by: trends.By = None, freq: str | None = None) -> pd.DataFrame:
        """Per week/month: interviews, n, sent, rate of thank-you notes (``trends.thank_you``)."""
        return self._derived(("thank_you", _hashable(by), _hashable(freq)), lambda: trends.thank_you(self.entries, by=by, freq=freq))

    # Notebook display and outputs (issue 9): thin wrappers over ``reflect_nlp.plots`` and
    # ``reflect_nlp.report``. Each plot_* returns a new matplotlib Figure (shown inline by
    # Jupyter; save it with ``fig.savefig``).
    def plot_tone(self) -> "matplotlib.figure.Figure":
        """Tone and confidence per interview with a rolling median and outcome markers.

        Example:
            >>> analysis.plot_tone().savefig("tone.png")  # doctest: +SKIP
        """
        from . import plots

        return plots.tone_over_time(self.entries, series=self.series(), window=self.window)

    def plot_weak_spots(self) -> "matplotlib.figure.Figure":
        """Heatmap of weak-spot mentions: one row per category, one column per interview."""
        from . import plots
        from .report.render import _heatmap_matrix

        return plots.weak_spot_heatmap(_heatmap_matrix(self.entries, self.weak_spots_by_entry, self.meta.get("taxonomy")))

    def plot_gut_feeling(self) -> "matplotlib.figure.Figure":
        """Each interview's tone against its recorded outcome."""
        from . import plots

        return plots.gut_vs_outcome(self.entries)

    def plot_cadence(self) -> "matplotlib.figure.Figure":
        """Interviews per week, so gaps and bursts show."""
        from . import plots

        return plots.cadence(self.entries)

    def to_html(self, **kwargs: Any) -> str:
        """The full report as one self-contained HTML string (``report.render_html`` keywords, e.g. ``redact``)."""
        from .report import render_html

        return render_html(self, **kwargs)

    def to_file(self, path: str | os.PathLike, **kwargs: Any) -> Path:
        """Write the report and return the main file's path.

        A ``path`` ending in ``.html`` is the HTML file itself; anything else is an output folder
        (``report.write_report`` keywords, e.g. ``formats="html,csv"``).

        Raises:
            OutputError: ``path`` is inside the analysed journal, which is never written to, or
                would replace a journal file (a journal named ``report.json`` in that folder).

        Example:
            >>> analysis.to_file("reports/mine")  # doctest: +SKIP
            PosixPath('reports/mine/report.html')
        """
        from .report import write_report
        from .report.render import write_output

        target = Path(path)
        root = self.meta.get("journal_root")
        if root and is_inside(target, Path(root)):
            from .errors import OutputError

            raise OutputError(f"{target} is inside the journal {self.meta.get('journal') or root}, which reflect-nlp never writes to. "
                              "Pass a path outside it, e.g. analysis.to_file('reports/mine').")
        is_html = target.suffix.lower() in (".html", ".htm")
        if root and not is_html and _replaces_journal(target, root):
            from .errors import OutputError

            raise OutputError(f"Writing a report into {target} would write into or over the journal "
                              f"{self.meta.get('journal') or root}. Pass another folder, e.g. analysis.to_file('reports/mine').")
        if is_html:
            write_output(target, self.to_html(**kwargs), target.parent)
            return target
        return write_report(self, target, **kwargs)

    def summary(self) -> dict[str, Any]:
        """Headline numbers: interviews, date span, weak-spot hits and categories, actions, problems."""
        dates = self.entries["date"].dropna()
        follow = trends.follow_through_rate(self.follow_through()).iloc[0]
        return {
            "interviews": len(self.entries),
            "first": dates.min() if len(dates) else None,
            "last": dates.max() if len(dates) else None,
            "weak_spot_hits": len(self.weak_spots),
            "weak_spot_categories": int(self.weak_spots["category"].nunique()),
            "actions": len(self.actions),
            "actions_judged": int(follow["n"]),
            "actions_followed_through": int(follow["followed_through"]),
            "load_problems": len(self.problems),
        }

    def _repr_html_(self) -> str:
        """Jupyter's view: the headline numbers, the weak spots that recur, the latest interviews."""
        import html

        from .report.render import fmt

        def table(df: pd.DataFrame) -> str:
            return df.astype(object).map(fmt).to_html(index=False, escape=True)

        s = self.summary()
        span = f"{s['first']:%Y-%m-%d} to {s['last']:%Y-%m-%d}" if s["first"] is not None else "no dates"
        lines = [
            f"{s['interviews']} interviews ({span})",
            f"{s['weak_spot_hits']} weak-spot mentions in {s['weak_spot_categories']} categories",
            f"{s['actions']} action items; of the {s['actions_judged']} that later interviews can judge, "
            f"{s['actions_followed_through']} followed through",
            f"{s['load_problems']} load problems",
        ]
        lc = self.lifecycle()
        spots = lc[lc["kind"] == "category"][["name", "entries", "share", "status", "trend"]].head(8)
        latest = self.entries[["date", "company", "stage", "outcome", "tone", "confidence", "n_weak_spots"]].tail(5)
        parts = [
            "<div class='reflect-nlp-analysis'><strong>reflect-nlp Analysis</strong><ul>",
            *(f"<li>{html.escape(x)}</li>" for x in lines),
            "</ul><p>Weak spots (<code>.lifecycle()</code>)</p>",
            table(spots),
            "<p>Latest interviews (<code>.entries</code>)</p>",
            table(latest),
            "</div>",
        ]
        return "\n".join(parts)


def analyze(
    journal: str | os.PathLike | Journal | Iterable[str],
    *,
    model: str | None = None,
    taxonomy: str | os.PathLike | None = None,
    batch_size: int = 64,
    progress: ProgressFn | None = None,
    nlp=None,
    store: str | os.PathLike | None = None,
    jobs: int = 1,
    reader: str = DEFAULT_READER,
) -> Analysis:
    """Analyse a journal folder or file, an already loaded ``Journal``, or the texts themselves.

    Args:
        journal: a path (as for ``load_journal``), a ``Journal``, or an iterable of strings
            (a list, a pandas Series such as ``df["notes"]``): each string is one entry, in
            the order given, with no date; ``entries.source`` is ``texts[i]``, its position.
            Anything else is a TypeError that says what is accepted.
        store: SQLite file caching per-entry results (``reflect_nlp.store`` documents its
            tables); a re-run analyses only new or changed entries. None: no cache.
        jobs: worker processes for the entries that need analysing.
        reader: how weak spots are read: "rules" (the taxonomy's patterns, the default) or
            "combined" (the patterns plus the learned sentence reader; ``build_pipeline``).
            Ignored when ``nlp`` is given: that pipeline is used as it is.

    Example:
        >>> analysis = analyze("data/samples")  # doctest: +SKIP
        >>> analysis.weak_spots.groupby("category").size()  # doctest: +SKIP
        >>> analyze(["I froze on the first question.", "Nervous again."]).entries  # doctest: +SKIP
    """
    from . import store as cache

    check_reader(reader)
    loaded = journal if isinstance(journal, Journal) else load_journal(journal, store=store)
    if store is not None and loaded.root is not None and is_inside(Path(store), loaded.root):
        from .errors import OutputError

        raise OutputError(f"The store {store} is inside the journal {loaded.root}, which reflect-nlp never writes to. "
                          "Pass a store path outside it.")
    refls = loaded.reflections
    keys = [cache.text_hash(r.text) for r in refls]
    db = cache.open_store(store) if store is not None else None
    try:
        # Ask the unloaded model first: an unchanged re-run then never loads spaCy weights.
        info = cache.pipeline_meta(nlp) if nlp is not None else cache.pipeline_meta_unloaded(model, taxonomy, reader) if db else None
        if info is None:
            nlp = build_pipeline(model, taxonomy=taxonomy, reader=reader)
            info = cache.pipeline_meta(nlp)
        details = cache.fingerprint(info, info["taxonomy"])
        done = db.cached_hashes(cache.fingerprint_id(details)) if db else set()
        if nlp is None and any(k not in done for k in keys):
            nlp = build_pipeline(model, taxonomy=taxonomy, reader=reader)
            info, guessed = cache.pipeline_meta(nlp), details
            details = cache.fingerprint(info, info["taxonomy"])
            if details != guessed:  # trust only what the loaded pipeline says about itself
                done = db.cached_hashes(cache.fingerprint_id(details))
        fp = cache.fingerprint_id(details)
        if nlp is None:  # nothing to analyse: the last run's record is more exact than a guess
            info = db.pipeline_info(fp) or info

        def analyse_one(refl: Reflection) -> dict[str, Any]:
            nonlocal nlp
            nlp = nlp or build_pipeline(model, taxonomy=taxonomy, reader=reader)
            return next(process([refl], nlp))[1]

        # The frames the last run kept: an entry whose text, metadata and stored result are as
        # they were takes its rows from them; only the others are decoded (or analysed) and built.
        ids = [r.id for r in refls]
        base, ekeys = (cache.frames_base(fp), cache.entry_keys(refls, keys)) if db else ("", [])
        kept = db.frames(base) if db and done else None
        keep = {i for i, e, k in zip(ids, ekeys, keys) if kept.entries.get(i) == e and k in done} \
            if kept and len(set(ids)) == len(ids) else set()
        rest = [(r, k) for r, k in zip(refls, keys) if r.id not in keep]
        todo = [r for r, k in rest if k not in done]
        same = kept is not None and not rest and kept.key == cache.frames_key(base, ekeys)
        if same:
            t = kept.frames  # the same journal: the same frames
        else:
            fresh = process(todo, nlp, batch_size=batch_size, progress=progress, jobs=jobs, model=model, taxonomy=taxonomy, reader=reader) if todo else iter(())
            t = _build_tables(_merge([r for r, _ in rest], [k for _, k in rest], done, fresh, db, fp, analyse_one))
            if keep:
                t = tables.splice(kept.frames, keep, t, ids)
        dropped = db.sync([(r.id, r.source, k) for r, k in zip(refls, keys)], fp, details, info) if db else 0
        if db and not same:
            db.put_frames(base, t, ids, ekeys)
    finally:
        if db:
            db.close()
    themes = trends.find_themes(t["phrases"])
    meta = {
        **info,
        "settings": {"batch_size": batch_size, "jobs": jobs},
        # where to_file never writes, whatever the working folder later (texts given directly: none)
        **({"journal": str(loaded.root), "journal_root": str(loaded.root.resolve())} if loaded.root is not None else {"journal": None}),
        "store": {"path": str(store), "fingerprint": fp, "analysed": len(todo), "reused": len(refls) - len(todo), "dropped": dropped}
        if db
        else None,
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
