"""jrnl exports: the plain-text journal (``[2024-03-15 09:12] Title`` lines) and ``--export json``."""
from __future__ import annotations

import json
import re
from typing import Any

from .base import Draft

_ENTRY = re.compile(r"^\[(\d{4}-\d{1,2}-\d{1,2})[ T](\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?)\][ \t]?(.*)$", re.M)
_TAG = re.compile(r"(?<![\w@.])@([A-Za-z][\w-]*)")
_JSON_KEYS = ("title", "body")


def is_jrnl_text(text: str) -> bool:
    """Whether ``text`` starts (after blank lines) with a jrnl entry line."""
    return bool(_ENTRY.match(text.lstrip("\n")))


def read_jrnl_text(text: str) -> list[Draft]:
    """One Draft per ``[date time] Title`` block; jrnl's ``@tags`` become tags."""
    matches = list(_ENTRY.finditer(text))
    drafts = []
    line, counted = 1, 0  # count newlines from the previous entry on: linear, not quadratic
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        line, counted = line + text.count("\n", counted, m.start()), m.start()
        title, body = m[3].rstrip(), text[m.end() : end].strip("\n")
        starred = title.endswith(" *") or title == "*"
        title = title.removesuffix("*").rstrip()
        raw = f"{title}\n{body}" if body else title
        meta: dict[str, Any] = {"date": m[1], "time": m[2], "title": title or None}
        if starred:
            meta["starred"] = True
        if tags := sorted(set(_TAG.findall(raw))):
            meta["tags"] = tags
        drafts.append(
            Draft(raw=raw, line=line, chunk=text[m.start() : end].strip(),
                  meta=meta, date_source="export", fmt="jrnl", heading=title)
        )
    return drafts


def is_jrnl_json(obj: Any) -> bool:
    """Whether a parsed JSON document is a jrnl ``--export json`` file."""
    entries = obj.get("entries") if isinstance(obj, dict) else None
    return (
        isinstance(entries, list)
        and bool(entries)
        and all(isinstance(e, dict) and "date" in e and any(k in e for k in _JSON_KEYS) for e in entries)
    )


def read_jrnl_json(obj: dict[str, Any], lines: list[int] | None) -> list[Draft]:
    """One Draft per exported entry (title, body, date, time, tags, starred, ...)."""
    drafts = []
    for i, entry in enumerate(obj["entries"]):
        title = str(entry.get("title") or "").strip()
        body = str(entry.get("body") or "").strip("\n")
        meta = {k: v for k, v in entry.items() if k != "body"}
        if isinstance(meta.get("tags"), list):
            meta["tags"] = [str(t).lstrip("@") for t in meta["tags"]]
        drafts.append(
            Draft(raw=f"{title}\n{body}" if body else title, line=lines[i] if lines else i + 1,
                  chunk=json.dumps(entry, sort_keys=True, default=str), meta=meta,
                  date_source="export", fmt="jrnl_json", heading=title)
        )
    return drafts
