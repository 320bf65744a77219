"""The weak-spot taxonomy: categories and the patterns that find them, read from a TOML file.

The default taxonomy ships as ``taxonomy/default.toml``. A taxonomy file looks like this::

    name = "my taxonomy"
    version = "1"
    extends = "default"          # optional: start from the shipped taxonomy and change it
    drop_categories = ["compensation"]   # optional, only with extends: remove whole categories

    [categories.nerves]          # category id: lower-case letters, digits, underscores
    description = "nervousness or anxiety that hurt the interview"
    others = "drop"              # drop | keep | if_writer_affected  (see below)
    patterns = ["nervous", "shaky voice", "heart be|start racing"]   # what went wrong
    topics = ["nerve", "calm"]   # only names the subject: links plans to the category
    exclude = ["clarify"]        # a match containing one of these words (lemma or form) is ignored
    remove = ["panic"]           # only with extends: patterns of the base file to drop

    [[categories.nerves.token_patterns]]   # optional raw spaCy Matcher patterns
    id = "sweaty_palms"
    pattern = [{LOWER = "sweaty"}, {LEMMA = "palm"}]

Pattern strings are words separated by spaces; each word must match one token, in order:

- ``word`` matches a token whose lemma is ``word`` (so ``freeze`` matches froze/frozen/freezing;
  regular and irregular inflections are added so mis-tagged words still match).
- ``a|b|c`` matches any of the alternatives.
- ``=word`` matches the exact lower-cased word form, not the lemma.
- ``?word`` makes the word optional.
- ``*`` skips up to three words (not across punctuation).
- ``NOT`` matches a negation (not, n't, never, no). A pattern with ``NOT`` is meant to be
  negative ("NOT * finish"), so the negation filter does not throw it out.
- ``MY`` matches my/our (so ``lose MY train of thought`` ignores "lost his train of thought").

``others`` says what to do when the mention is about somebody else (the interviewer was late):
``drop`` (default) filters it as ``other_person``; ``keep`` keeps it (rapport: "the
interviewer seemed bored" is the writer's weak spot); ``if_writer_affected`` keeps it only
when the same sentence also speaks about the writer (I/me/my/we).

With ``extends = "default"``, a category already in the base gets the new ``patterns``
appended and its ``remove`` patterns dropped; new categories are added. Without ``extends``
the file stands alone. Errors raise ``TaxonomyError`` naming the file and line.

Example:
    >>> tax = load_taxonomy()
    >>> "nerves" in tax.categories
    True
"""
from __future__ import annotations

import hashlib
import os
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import TaxonomyError

DEFAULT_NAME = "default"
OTHERS = ("drop", "keep", "if_writer_affected")
_TOP_KEYS = {"name", "version", "description", "extends", "drop_categories", "categories"}
_CAT_KEYS = {"label", "description", "others", "patterns", "topics", "exclude", "remove", "token_patterns"}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_WORD = re.compile(r"^[?=]?[\w'&+#.\-]+(\|[\w'&+#.\-]+)*$")
SPECIAL = {"*", "NOT", "MY"}


@dataclass(frozen=True)
class Category:
    """One weak-spot category and its pattern strings."""

    id: str
    description: str = ""
    label: str = ""
    others: str = "drop"
    patterns: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    exclude: frozenset[str] = frozenset()
    token_patterns: tuple[tuple[str, tuple[dict[str, Any], ...]], ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """A loaded, validated taxonomy."""

    name: str
    version: str
    source: str
    hash: str
    categories: dict[str, Category] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        """Name, version, content hash and category ids, recorded with every analysis."""
        return {
            "name": self.name,
            "version": self.version,
            "source": self.source,
            "hash": self.hash,
            "categories": list(self.categories),
        }


def default_path() -> Path:
    """Path of the shipped default taxonomy file."""
    return Path(str(resources.files(__package__).joinpath("default.toml")))


def load_taxonomy(path: str | os.PathLike | None = None) -> Taxonomy:
    """Load and validate a taxonomy file (the shipped default when ``path`` is None).

    Raises:
        TaxonomyError: the file is missing, not valid TOML, or breaks the format above.

    Example:
        >>> sorted(load_taxonomy().categories)[:2]
        ['behavioral_answers', 'communication']
    """
    p = Path(path) if path else default_path()
    text = _read(p)
    data = _parse(p, text)
    _check_top(p, text, data)
    base: dict[str, dict[str, Any]] = {}
    hashes = [text]
    if data.get("extends"):
        if data["extends"] != DEFAULT_NAME:
            _fail(p, text, "extends", f'extends must be "{DEFAULT_NAME}", not {data["extends"]!r}')
        dtext = _read(default_path())
        base = _categories(default_path(), dtext, _parse(default_path(), dtext), extending=False)
        hashes.insert(0, dtext)
        for cid in data.get("drop_categories", []):
            if cid not in base:
                _fail(p, text, cid, f"drop_categories names unknown category {cid!r}")
            del base[cid]
    elif "drop_categories" in data:
        _fail(p, text, "drop_categories", "drop_categories needs extends = \"default\"")
    own = _categories(p, text, data, extending=bool(base))
    merged = _merge(p, text, base, own)
    if not merged:
        _fail(p, text, "categories", "the taxonomy defines no categories ([categories.<id>] tables)")
    cats = {cid: _category(cid, c) for cid, c in merged.items()}
    digest = hashlib.sha256("\n".join(hashes).encode()).hexdigest()[:12]
    return Taxonomy(
        name=str(data.get("name", p.stem)),
        version=str(data.get("version", "0")),
        source=str(p) if path else DEFAULT_NAME,
        hash=digest,
        categories=cats,
    )


def parse_pattern(pattern: str) -> list[str]:
    """Split a pattern string into words, raising ValueError when it breaks the syntax."""
    words = pattern.split()
    if not words:
        raise ValueError("empty pattern")
    for w in words:
        if w not in SPECIAL and not _WORD.match(w):
            raise ValueError(f"bad word {w!r} (allowed: word, a|b, =word, ?word, *, NOT, MY)")
    if all(w == "*" or w.startswith("?") for w in words):
        raise ValueError("a pattern needs at least one required word")
    if words[0] == "*" or words[-1] == "*":
        raise ValueError("a pattern cannot start or end with *")
    return words


# -- internals ---------------------------------------------------------------------------


def _read(p: Path) -> str:
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise TaxonomyError(f"{p}: taxonomy file not found. Pass an existing .toml file.") from e
    except (OSError, UnicodeDecodeError) as e:
        raise TaxonomyError(f"{p}: cannot read taxonomy file ({e}).") from e


def _parse(p: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        if m:
            where = f"line {m.group(1)}"
        elif "end of document" in str(e):  # an unclosed list or string runs to the end
            where = f"line {max(1, len(text.splitlines()))}"
        else:
            where = "unknown line"
        raise TaxonomyError(f"{p}, {where}: not valid TOML: {e}") from e


def _line_of(text: str, needle: str, after: str | None = None) -> int | None:
    """Best-effort line number of ``needle`` (after the line containing ``after``)."""
    lines = text.splitlines()
    start = 0
    if after:
        for i, line in enumerate(lines):
            if after in line:
                start = i
                break
    for i in range(start, len(lines)):
        if needle in lines[i]:
            return i + 1
    return None


def _fail(p: Path, text: str, needle: str, msg: str, after: str | None = None):
    line = _line_of(text, needle, after)
    where = f"line {line}" if line else "unknown line"
    raise TaxonomyError(f"{p}, {where}: {msg}")


def _check_top(p: Path, text: str, data: dict[str, Any]) -> None:
    for key in data:
        if key not in _TOP_KEYS:
            _fail(p, text, key, f"unknown key {key!r} (allowed: {', '.join(sorted(_TOP_KEYS))})")
    if not isinstance(data.get("categories", {}), dict):
        _fail(p, text, "categories", "categories must be tables: [categories.<id>]")


def _categories(p: Path, text: str, data: dict[str, Any], *, extending: bool) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for cid, c in data.get("categories", {}).items():
        header = f"[categories.{cid}"
        if not _ID.match(cid):
            _fail(p, text, cid, f"category id {cid!r}: use lower-case letters, digits and _")
        if not isinstance(c, dict):
            _fail(p, text, cid, f"category {cid!r} must be a table")
        for key in c:
            if key not in _CAT_KEYS:
                _fail(p, text, key, f"category {cid!r}: unknown key {key!r} "
                      f"(allowed: {', '.join(sorted(_CAT_KEYS))})", after=header)
        if c.get("others", "drop") not in OTHERS:
            _fail(p, text, "others", f"category {cid!r}: others must be one of {', '.join(OTHERS)}", after=header)
        for key in ("patterns", "topics", "remove"):
            items = c.get(key, [])
            if not isinstance(items, list) or not all(isinstance(s, str) for s in items):
                _fail(p, text, key, f"category {cid!r}: {key} must be a list of strings", after=header)
            for s in items:
                try:
                    parse_pattern(s)
                except ValueError as e:
                    _fail(p, text, s or key, f"category {cid!r}: pattern {s!r}: {e}", after=header)
        ex = c.get("exclude", [])
        if not isinstance(ex, list) or not all(isinstance(w, str) and w.strip() for w in ex):
            _fail(p, text, "exclude", f"category {cid!r}: exclude must be a list of words", after=header)
        if "remove" in c and not extending:
            _fail(p, text, "remove", f"category {cid!r}: remove needs extends = \"default\"", after=header)
        tps = c.get("token_patterns", [])
        if not isinstance(tps, list):
            _fail(p, text, "token_patterns", f"category {cid!r}: token_patterns must be [[...]] tables", after=header)
        for tp in tps:
            ok = isinstance(tp, dict) and isinstance(tp.get("id"), str) and isinstance(tp.get("pattern"), list) \
                and tp["pattern"] and all(isinstance(t, dict) for t in tp["pattern"])
            if not ok:
                _fail(p, text, "token_patterns", f"category {cid!r}: each token pattern needs id = \"...\" "
                      "and pattern = [{...}, ...]", after=header)
            _check_token_pattern(p, text, cid, tp, header)
        if not c.get("patterns") and not tps and not extending:
            _fail(p, text, header, f"category {cid!r} has no patterns")
        out[cid] = c
    return out


def _check_token_pattern(p: Path, text: str, cid: str, tp: dict[str, Any], header: str) -> None:
    if p == default_path():
        return  # the shipped file is checked by the tests; an unchanged re-run must not import spaCy
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    try:
        Matcher(Vocab(), validate=True).add(tp["id"], [tp["pattern"]])
    except Exception as e:  # spaCy raises ValueError/MatchPatternError with a long message
        _fail(p, text, f'"{tp["id"]}"', f"category {cid!r}: token pattern {tp['id']!r} is not a valid "
              f"spaCy Matcher pattern: {str(e).splitlines()[0]}", after=header)


def _merge(p: Path, text: str, base: dict[str, dict], own: dict[str, dict]) -> dict[str, dict]:
    merged = {cid: dict(c) for cid, c in base.items()}
    for cid, c in own.items():
        if cid not in merged:
            if not c.get("patterns") and not c.get("token_patterns"):
                _fail(p, text, f"[categories.{cid}", f"new category {cid!r} has no patterns")
            merged[cid] = {k: v for k, v in c.items() if k != "remove"}
            continue
        old = merged[cid]
        pats, topics = list(old.get("patterns", [])), list(old.get("topics", []))
        for r in c.get("remove", []):
            if r not in pats and r not in topics:
                _fail(p, text, r, f"category {cid!r}: cannot remove {r!r}: not a pattern of the base taxonomy",
                      after=f"[categories.{cid}")
            pats, topics = [x for x in pats if x != r], [x for x in topics if x != r]
        pats += [s for s in c.get("patterns", []) if s not in pats]
        topics += [s for s in c.get("topics", []) if s not in topics]
        exclude = list(old.get("exclude", [])) + [w for w in c.get("exclude", []) if w not in old.get("exclude", [])]
        merged[cid] = {**old, **{k: v for k, v in c.items()
                                 if k not in ("patterns", "topics", "exclude", "remove", "token_patterns")},
                       "patterns": pats,
                       "topics": topics,
                       "exclude": exclude,
                       "token_patterns": list(old.get("token_patterns", [])) + list(c.get("token_patterns", []))}
    return merged


def _category(cid: str, c: dict[str, Any]) -> Category:
    return Category(
        id=cid,
        description=str(c.get("description", "")),
        label=str(c.get("label", cid.replace("_", " "))),
        others=c.get("others", "drop"),
        patterns=tuple(c.get("patterns", [])),
        topics=tuple(c.get("topics", [])),
        exclude=frozenset(w.lower() for w in c.get("exclude", [])),
        token_patterns=tuple((tp["id"], tuple(tp["pattern"])) for tp in c.get("token_patterns", [])),
    )


__all__ = ["Category", "Taxonomy", "default_path", "load_taxonomy", "parse_pattern"]
