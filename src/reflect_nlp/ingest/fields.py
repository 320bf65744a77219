"""Normalising reflection metadata (front matter keys, table columns, export fields)."""
from __future__ import annotations

import difflib
import re
from typing import Any, Callable, Mapping

from ..errors import ReflectError
from ..records import OUTCOMES
from .base import ProblemLog
from .dates import DateError, parse_date_value

TEXT_FIELDS = ("company", "role", "stage", "interviewer", "author", "title")
KNOWN_FIELDS = ("date", "outcome", "self_rating", "thank_you_sent", "tags", *TEXT_FIELDS)
# What a table column can be read as: ``--column FIELD=NAME`` and ``load_journal(columns=...)``.
COLUMN_FIELDS = ("text", "date", "company", "role", "stage", "interviewer", "outcome", "self_rating",
                 "thank_you_sent", "author", "title", "tags")
assert sorted(COLUMN_FIELDS) == sorted(("text", *KNOWN_FIELDS))

# Spellings people use for the same field (keys are compared lower-case, "-"/" " as "_").
ALIASES = {
    "rating": "self_rating",
    "selfrating": "self_rating",
    "my_rating": "self_rating",
    "thank_you": "thank_you_sent",
    "thankyou": "thank_you_sent",
    "thankyou_sent": "thank_you_sent",
    "thank_you_note": "thank_you_sent",
    "thanks_sent": "thank_you_sent",
    "result": "outcome",
    "position": "role",
    "job_title": "role",
    "interviewers": "interviewer",
    "tag": "tags",
    "keywords": "tags",
    "employer": "company",
    "round": "stage",
}

_OUTCOME_WORDS = {
    "offer": ("offer", "offered", "got offer", "got the offer", "job offer", "accepted", "hired", "success", "successful"),
    "rejected": ("rejected", "rejection", "reject", "no offer", "failed", "fail", "turned down", "not selected", "unsuccessful", "no"),
    "pending": ("pending", "waiting", "in progress", "ongoing", "tbd", "awaiting", "next round", "moved forward", "advanced", "on hold", "open"),
    "withdrawn": ("withdrawn", "withdrew", "withdraw", "pulled out", "dropped out", "cancelled", "canceled"),
    "no response": ("no response", "ghosted", "no reply", "no answer", "never heard back", "no news", "silence"),
}
_OUTCOME_LOOKUP = {w: o for o, words in _OUTCOME_WORDS.items() for w in words}
assert set(_OUTCOME_WORDS) == set(OUTCOMES)

_TRUE = {"true", "yes", "y", "sent", "done", "1", "x", "✓"}
_FALSE = {"false", "no", "n", "not sent", "not yet", "0", "none", ""}


def field_key(key: Any) -> str:
    """The canonical field name for a front-matter key or column header."""
    k = re.sub(r"[\s\-]+", "_", str(key).strip().lower())
    return ALIASES.get(k, k)


def column_field(field: Any, *, where: str) -> str:
    """The field a column mapping names (read like a header: any case, aliases such as ``employer``).

    Raises:
        ReflectError: ``field`` is not one of COLUMN_FIELDS; the message starts with ``where``
            (``--column 'x=y'`` on the command line, ``columns={...}`` in Python).

    Example:
        >>> column_field("Employer", where="columns")
        'company'
    """
    key = field_key(field)
    if key not in COLUMN_FIELDS:
        # A typo would otherwise be read as a field of its own and the column never used.
        close = difflib.get_close_matches(key, COLUMN_FIELDS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ReflectError(f"{where}: {str(field).strip()!r} is not a field reflect-nlp reads.{hint} "
                           f"Valid fields: {', '.join(COLUMN_FIELDS)}.")
    return key


def normalise_outcome(value: Any) -> str | None:
    """One of records.OUTCOMES, or None when the value is not a known outcome.

    Example:
        >>> normalise_outcome("Ghosted")
        'no response'
    """
    if isinstance(value, bool):
        return None
    s = re.sub(r"[\s_\-]+", " ", str(value).strip().lower()).strip(" .!")
    return _OUTCOME_LOOKUP.get(s)


def _rating(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d+)\s*(?:(?:/|out of)\s*5)?\s*", value)
        if not m:
            raise ValueError
        value = int(m[1])
    if not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError
    return value


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v).strip() for v in value if v is not None)
    s = str(value).strip()
    return s or None


def _tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple, set)) else re.split(r"[,;]", str(value))
    out = []
    for item in items:
        tag = str(item).strip().lstrip("#@").strip()
        if tag and tag not in out:
            out.append(tag)
    return tuple(out)


def normalise_meta(
    meta: Mapping[Any, Any],
    *,
    source: str,
    line_of: Callable[[str], int | None],
    problems: ProblemLog,
    date_source: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split raw metadata into known, normalised fields and ``extra`` (everything else, kept).

    Values that cannot be used are logged as problems and kept in ``extra`` under their key.
    Returns ``(fields, extra)``; ``fields["date"]`` is a date when one was read.
    """
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in meta.items():
        name = field_key(key)
        line = line_of(str(key))
        if name not in KNOWN_FIELDS:
            extra[str(key)] = value
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if name == "date":
            try:
                fields["date"] = parse_date_value(value)
                fields["date_source"] = date_source
            except DateError as e:
                problems.add(source, line, "bad_date", f"{key}: {e}; using the next date source")
                extra[str(key)] = value
        elif name == "outcome":
            if out := normalise_outcome(value):
                fields["outcome"] = out
            else:
                problems.add(source, line, "bad_outcome", f"{key}: {value!r} is not one of {', '.join(OUTCOMES)}; left empty")
                extra[str(key)] = value
        elif name == "self_rating":
            try:
                fields["self_rating"] = _rating(value)
            except ValueError:
                problems.add(source, line, "bad_rating", f"{key}: {value!r} is not a whole number from 1 to 5; left empty")
                extra[str(key)] = value
        elif name == "thank_you_sent":
            try:
                fields["thank_you_sent"] = _flag(value)
            except ValueError:
                problems.add(source, line, "bad_value", f"{key}: {value!r} is not yes/no; left empty")
                extra[str(key)] = value
        elif name == "tags":
            fields["tags"] = fields.get("tags", ()) + tuple(t for t in _tags(value) if t not in fields.get("tags", ()))
        elif isinstance(value, dict):
            extra[str(key)] = value
        else:
            fields[name] = _text(value)
    return fields, extra
