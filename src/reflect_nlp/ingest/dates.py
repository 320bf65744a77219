"""Finding dates in front matter values, file names and first lines. Explicit patterns only:
a fuzzy parser would read "Acme 3" as a date."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .base import as_date

_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])"
)
_SEP = r"[\s\-_.,/]+"
_ISO = re.compile(r"(?<!\d)(\d{4})[-_./](\d{1,2})[-_./](\d{1,2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_DMY_TEXT = re.compile(rf"(?<![\w])(\d{{1,2}})(?:st|nd|rd|th)?{_SEP}(?:of\s+)?{_MONTH}\.?{_SEP}(\d{{4}})(?!\d)", re.I)
_MDY_TEXT = re.compile(rf"(?<![a-z]){_MONTH}\.?{_SEP}(\d{{1,2}})(?:st|nd|rd|th)?{_SEP}(\d{{4}})(?!\d)", re.I)
_NUMERIC = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?!\d)")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


class DateError(ValueError):
    """A value that should be a date but cannot be read as one."""


def _make(y: int | str, m: int | str, d: int | str) -> dt.date | None:
    try:
        year = int(y)
        date = dt.date(year, int(m), int(d))
    except ValueError:
        return None
    return date if 1900 <= year <= 2100 else None


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def find_date(s: str, *, compact: bool = False) -> dt.date | None:
    """The first well-formed date in ``s`` (ISO, "15 Mar 2024", "March 15, 2024", "15/03/2024").

    Numeric day/month dates are used only when unambiguous (one part above 12).
    Example:
        >>> find_date("15 Mar 2024 Acme onsite")
        datetime.date(2024, 3, 15)
    """
    found: list[tuple[int, dt.date]] = []
    for m in _ISO.finditer(s):
        if d := _make(m[1], m[2], m[3]):
            found.append((m.start(), d))
    for m in _DMY_TEXT.finditer(s):
        if d := _make(m[3], _month(m[2]), m[1]):
            found.append((m.start(), d))
    for m in _MDY_TEXT.finditer(s):
        if d := _make(m[3], _month(m[1]), m[2]):
            found.append((m.start(), d))
    for m in _NUMERIC.finditer(s):
        a, b = int(m[1]), int(m[2])
        if a > 12 >= b and (d := _make(m[3], b, a)):
            found.append((m.start(), d))
        elif b > 12 >= a and (d := _make(m[3], a, b)):
            found.append((m.start(), d))
    if compact:
        for m in _COMPACT.finditer(s):
            if d := _make(m[1], m[2], m[3]):
                found.append((m.start(), d))
    return min(found, key=lambda t: t[0])[1] if found else None


def parse_date_value(value: Any) -> dt.date:
    """A front-matter/column/export value as a date, or DateError saying why not.

    Example:
        >>> parse_date_value("2020-11-10 09:45:47 +07:00")
        datetime.date(2020, 11, 10)
    """
    if d := as_date(value):
        return d
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise DateError(f"{value!r} is not a date")
    s = str(value).strip()
    if not s:
        raise DateError("the date is empty")
    if d := find_date(s):
        return d
    if _NUMERIC.search(s):
        raise DateError(f"{s!r} is ambiguous (day/month or month/day?); write it as YYYY-MM-DD")
    raise DateError(f"{s!r} is not a date reflect-nlp can read; write it as YYYY-MM-DD")


def date_from_path(rel: str) -> dt.date | None:
    """A date in a file's name, else in its folders (``2024/03/15.md``)."""
    name = rel.replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0]
    return find_date(stem, compact=True) or find_date(rel.replace("\\", "/").rsplit(".", 1)[0])


_LABEL = re.compile(r"^\W*(date|day|when)\s*[:\-]", re.I)


def date_from_heading(body: str, max_lines: int = 5) -> dt.date | None:
    """A date in a heading, a ``Date:`` line or a short line among the first non-empty lines."""
    lines = [ln.strip() for ln in body.split("\n") if ln.strip()][:max_lines]
    for ln in lines:
        bare = ln.strip("#*_ \t>")
        if ln.startswith("#") or _LABEL.match(ln) or len(bare) <= 40:
            if d := find_date(bare):
                return d
    return None
