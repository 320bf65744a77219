"""Redaction for sharing: people's names, emails, phone numbers and URLs replaced in every output.

Names come from spaCy NER (loaded only when redaction is asked for) plus the ``interviewer`` and
``author`` fields; once a name is known, every whole-word occurrence of it is replaced anywhere,
so a name NER missed in one sentence is still caught where it found it in another.

Example:
    >>> r = Redactor(names=["Priya Shah"])
    >>> r("Priya Shah (priya@example.com) said call +1 415 555 0100")
    '[name] ([email]) said call [phone]'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable

import pandas as pd

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"')\]]+", re.I)
# Seven or more digits with the usual separators; dates like 2024-03-01 have only eight digits
# split 4-2-2, so they are excluded explicitly below.
PHONE = re.compile(r"(?<![\w/])(?:\+?\d[\d\s().-]{5,}\d)(?![\w/])")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NOT_NAMES = {"i", "me", "my", "we", "you", "he", "she", "they", "star", "the", "mr", "ms", "mrs", "dr"}


# First names that are also common English words: matched only when capitalised.
_WORD_NAMES = set("""
will may mark rose grace hope faith joy bill art june april august summer dawn sky rich frank drew
pat sue jack guy max ray chase hunter amber ruby jade crystal victor cash king lane dean miles earl
penny holly ivy iris olive page reed wade carol don gene van sandy rob nick ted gil sage river storm
autumn bay brook cliff glen heath forest rusty dusty buck colt hank jay robin wren finch lily daisy
violet poppy hazel fern clay stone gray grey brown white black green young long short love
""".split())


def _is_word(name: str) -> bool:
    """True when a name is also an everyday word (so lower-case mentions are left alone)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    low = name.lower()
    return low in _WORD_NAMES or low in STOP_WORDS


def _phone(m: re.Match) -> str:
    s = m.group(0)
    digits = sum(c.isdigit() for c in s)
    grouped = s.startswith("+") or any(c in s for c in " ().-")
    if ISO_DATE.match(s.strip()) or digits < 7 or (digits < 10 and not grouped):
        return s  # a date, or a plain number such as 1200000
    return "[phone]"


def _url(m: re.Match) -> str:
    url = m.group(0)
    trail = len(url) - len(url.rstrip(".,;:!?"))
    return "[url]" + url[len(url) - trail:] if trail else "[url]"


@dataclass
class Redactor:
    """Callable that redacts one string. ``names`` are replaced as whole words, longest first."""

    names: Iterable[str] = ()
    _pattern: re.Pattern | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        parts: set[str] = set()
        for name in self.names:
            name = " ".join(str(name).split())
            if len(name) < 2:
                continue
            parts.add(name)
            # A full name also hides its parts ("Priya Shah" -> "Priya", "Shah") when capitalised.
            parts.update(p for p in name.split() if len(p) > 2 and p[:1].isupper() and p.lower() not in _NOT_NAMES)
        parts = {p for p in parts if p.lower() not in _NOT_NAMES}
        self.names = tuple(sorted(parts, key=lambda s: (-len(s), s)))
        if self.names:
            # Names match in any case ("priya said") and full names with any separator ("maya-kim"
            # in a file name); names that are also everyday words only as written, so the name
            # "Will" leaves "will" alone.
            full = [r"[\s_.-]+".join(map(re.escape, n.split())) for n in self.names if " " in n]
            single = [n for n in self.names if " " not in n]
            alts = "|".join([*(f"(?i:{f})" for f in full),
                             *(re.escape(n) if _is_word(n) else f"(?i:{re.escape(n)})" for n in single)])
            self._pattern = re.compile(rf"(?<![^\W_])(?:{alts})(?:'s)?(?![^\W_])")

    def __call__(self, text: Any) -> Any:
        if not isinstance(text, str) or not text:
            return text
        text = EMAIL.sub("[email]", text)
        text = URL.sub(_url, text)
        text = PHONE.sub(_phone, text)
        if self._pattern is not None:
            text = self._pattern.sub("[name]", text)
        return text

    def frame(self, df: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``df`` with every text column redacted (dtypes kept)."""
        return redact_frame(df, self)


def redact_frame(df: pd.DataFrame, redact: Callable[[Any], Any]) -> pd.DataFrame:
    """A copy of ``df`` with ``redact`` applied to every text column (dtypes kept)."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_string_dtype(out[col]) or out[col].dtype == object:
            out[col] = out[col].map(redact, na_action="ignore").astype(out[col].dtype)
    return out


def pseudonyms(values: Iterable[Any]) -> dict[str, str]:
    """Stable stand-ins for people in a cohort: first seen -> "Person A", then "Person B", ...

    Example:
        >>> pseudonyms(["Bea", "Alex", "Bea"])
        {'Bea': 'Person A', 'Alex': 'Person B'}
    """
    seen = list(dict.fromkeys(str(v) for v in values if v is not None and not pd.isna(v)))
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return {v: f"Person {letters[i] if i < 26 else i + 1}" for i, v in enumerate(seen)}


def person_names(texts: Iterable[str], nlp) -> set[str]:
    """PERSON entities that spaCy's NER finds in ``texts``.

    Args:
        texts: the reflections (and titles) to scan.
        nlp: a pipeline with an ``ner`` component, e.g. ``models.load_model(ner=True)``, or one
            where it is switched off (``build_pipeline(ner=True)``): it is switched on for this
            call only, and nothing but the recogniser runs.
    """
    keep = [p for p in ("tok2vec", "ner") if p in nlp.component_names]
    was_off = [p for p in keep if p in nlp.disabled]
    names: set[str] = set()
    for p in was_off:
        nlp.enable_pipe(p)
    try:
        with nlp.select_pipes(enable=keep):
            for doc in nlp.pipe((t for t in texts if t), batch_size=32):
                names.update(" ".join(e.text.split()) for e in doc.ents if e.label_ == "PERSON")
    finally:
        for p in was_off:
            nlp.disable_pipe(p)
    return {n.strip(" .,'’") for n in names if any(c.isalpha() for c in n)}


def redactor_for(analysis, *, nlp=None, model: str | None = None) -> Redactor:
    """A Redactor knowing every person name in ``analysis`` (NER + interviewer/author fields).

    Args:
        analysis: the Analysis to share.
        nlp: a pipeline with a name recogniser, switched on or off (e.g. the one the analysis
            ran with, from ``build_pipeline(ner=True)``); without one, a pipeline is loaded with
            ``models.load_model(model, ner=True)``.
        model: model name used when ``nlp`` has no recogniser. ``"blank"`` has none: names then
            come from the interviewer/author fields only.
    """
    if nlp is None or "ner" not in nlp.component_names:
        if model == "blank":  # load_model("blank") has no recogniser either: nothing to load
            nlp = None
        else:
            from .models import load_model

            nlp = load_model(model, ner=True)
    texts = [r.text for r in analysis.reflections] + [r.title or "" for r in analysis.reflections]
    names = person_names(texts, nlp) if nlp is not None and "ner" in nlp.component_names else set()
    for col in ("interviewer", "author"):
        if col in analysis.entries:
            names.update(str(v) for v in analysis.entries[col].dropna().unique())
    return Redactor(names=sorted(names))


def redact_analysis(analysis, redactor) -> Any:
    """A copy of ``analysis`` whose every text field (frames, reflections, problems) is redacted.

    Character offsets still index the original text; the report uses them before redacting.
    """
    frames = {name: redact_frame(getattr(analysis, name), redactor)
              for name in ("entries", "sentences", "weak_spots", "actions", "phrases", "themes")}
    # Authors become "Person A", "Person B": still told apart in a cohort, no longer named.
    people = pseudonyms(analysis.entries["author"]) if "author" in analysis.entries else {}
    if people:
        frames["entries"]["author"] = analysis.entries["author"].map(people.get, na_action="ignore").astype("string")
    reflections = [
        replace(r, text=redactor(r.text), raw=redactor(r.raw), title=redactor(r.title), company=r.company,
                interviewer=redactor(r.interviewer), author=people.get(r.author, redactor(r.author)) if r.author else r.author)
        for r in analysis.reflections
    ]
    problems = [replace(p, source=redactor(p.source), message=redactor(p.message)) for p in analysis.problems]
    journal = analysis.meta.get("journal")
    # journal_root stays as it is: it is never exported, and the "never write into the journal"
    # check of a redacted copy needs the real path.
    meta = {**analysis.meta, "journal": redactor(str(journal)) if journal is not None else None, "redacted": True}
    # replace() keeps any field added to Analysis later; derived properties recompute from these frames.
    return replace(analysis, **frames, problems=problems, reflections=reflections, meta=meta)
