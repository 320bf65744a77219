"""An exact, faster stand-in for the matching step of spaCy's stock ``attribute_ruler``.

The stock component runs a Matcher that tries all of its patterns (179 in en_core_web_sm) at
every token: a large share of the pipeline's time for rules that are nearly all one-token
lookups of a tag or a word. ``speed_up(nlp)`` compiles those patterns into dict lookups by
tag and lower-cased form and sets the same attributes in the same order (later rules win, as
in ``AttributeRuler.match``). If any pattern uses something this compiler does not know, the
stock matcher stays. The component, its name and its config are unchanged.
"""
from __future__ import annotations

import operator
import re
from typing import Any

from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

# Matcher attribute -> the Token attribute with the same value (as a string or a bool)
_ATTRS = {"ORTH": "orth_", "TEXT": "orth_", "LOWER": "lower_", "TAG": "tag_", "POS": "pos_",
          "DEP": "dep_", "IS_SPACE": "is_space", "IS_PUNCT": "is_punct", "IS_ALPHA": "is_alpha"}


class _Unsupported(Exception):
    pass


def _check(attr: str, value: Any) -> tuple[str, str, Any]:
    """(token attribute, operator, value) for one key of a token pattern."""
    name = _ATTRS.get(attr.upper())
    if name is None:
        raise _Unsupported(attr)
    flag = name.startswith("is_")
    if isinstance(value, bool) and flag:
        return name, "==", value
    if isinstance(value, str) and not flag:
        return name, "==", value
    if isinstance(value, dict) and len(value) == 1 and not flag:
        (op, arg), = value.items()
        if op in ("IN", "NOT_IN") and all(isinstance(v, str) for v in arg):
            return name, op, frozenset(arg)
        if op == "REGEX" and isinstance(arg, str):
            return name, op, re.compile(arg)
    raise _Unsupported(f"{attr}: {value!r}")


def _token_checks(spec: Any) -> tuple[tuple[str, str, Any], ...]:
    if not isinstance(spec, dict) or not spec or "OP" in spec:
        raise _Unsupported(repr(spec))
    return tuple(_check(a, v) for a, v in spec.items())


def _passes(tok: Token, checks: tuple[tuple[str, str, Any], ...]) -> bool:
    """Whether ``tok`` matches one token of a pattern (plain data, so the rules pickle)."""
    for name, op, value in checks:
        v = getattr(tok, name)
        if op == "==":
            ok = v == value
        elif op == "IN":
            ok = v in value
        elif op == "NOT_IN":
            ok = v not in value
        else:  # REGEX, as the Matcher applies it: re.search on the attribute's string
            ok = value.search(v) is not None
        if not ok:
            return False
    return True


class CompiledRules:
    """The stock ruler's patterns, matched by a lookup on each token's attributes.

    Whether a pattern's first token matches depends only on the few attributes the patterns
    read (lower-cased form, tag, dependency, ...): the rules that start at a token are memoised
    per combination of those values, so most tokens cost one dict lookup.
    """

    def __init__(self, ruler) -> None:
        # rules[k] = (patterns, attrs, index); a pattern is a list of per-token checks
        self.rules: list[tuple[list[list[tuple]], dict, int]] = []
        if len(ruler.matcher) != len(ruler.attrs):
            raise _Unsupported("rules and matcher keys differ")
        # what the rules were compiled from: AttributeRuler.add appends a rule, clear() (also run
        # by from_bytes/from_disk) makes a new Matcher
        self.ruler, self._matcher, self._n = ruler, ruler.matcher, len(ruler.attrs)
        read: set[str] = set()
        for k, (attrs, index) in enumerate(zip(ruler.attrs, ruler.indices)):
            entry = ruler.matcher.get(str(k))  # AttributeRuler.add keys rule k as str(k)
            if entry is None or entry[0] is not None:
                raise _Unsupported(f"rule {k}")
            patterns = []
            for pattern in entry[1]:
                checks = [_token_checks(spec) for spec in pattern]
                read |= {name for name, _, _ in checks[0]}
                patterns.append(checks)
            self.rules.append((patterns, attrs, index))
        self._key = operator.attrgetter(*sorted(read or {"orth"}))
        self._starts: dict[Any, tuple[tuple[int, int], ...]] = {}
        self._merged: dict[tuple[int, ...], dict] = {}

    def _starting(self, tok: Token) -> tuple[tuple[int, int], ...]:
        key = self._key(tok)
        found = self._starts.get(key)
        if found is None:
            if len(self._starts) > 200_000:  # bounded: memory must not grow with the journal
                self._starts.clear()
            found = self._starts[key] = tuple(
                (k, j) for k, (patterns, _, _) in enumerate(self.rules)
                for j, pattern in enumerate(patterns) if _passes(tok, pattern[0]))
        return found

    def matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(rule, start, end) of every match, deduplicated per rule like the Matcher's, in the
        order ``AttributeRuler.match`` applies them (by rule, then position)."""
        if self.ruler.matcher is not self._matcher or len(self.ruler.attrs) != self._n:
            # rules changed after compiling: compile again, or go back to the stock matcher
            # (AttributeRuler.__call__ looks set_annotations up after this returns)
            _install(self.ruler)
            return self.ruler.match(doc)
        toks = list(doc)
        n = len(toks)
        found: set[tuple[int, int, int]] = set()
        for i, tok in enumerate(toks):
            for k, j in self._starting(tok):
                pattern = self.rules[k][0][j]
                end = i + len(pattern)
                if end == i + 1 or (end <= n and all(_passes(toks[i + m], c) for m, c in enumerate(pattern) if m)):
                    found.add((k, i, end))
        return sorted(found)

    def apply(self, doc: Doc, matches: list[tuple[int, int, int]]) -> Doc:
        """Set the matched rules' attributes; several rules on one token merge, the later winning."""
        per_token: dict[int, list[int]] = {}
        for k, start, end in matches:
            index = self.rules[k][2]
            target = start + index if index >= 0 else end + index
            if not start <= target < end:
                raise IndexError(f"attribute rule {k}: index {index} outside its match")
            rules = per_token.setdefault(target, [])
            if k not in rules:  # the same rule twice on a token sets the same values
                rules.append(k)
        for i, rules in per_token.items():
            key = tuple(rules)
            attrs = self._merged.get(key)
            if attrs is None:
                attrs = self._merged[key] = {}
                for k in rules:
                    attrs.update(self.rules[k][1])
            set_token_attrs(doc[i], attrs)
        return doc


def speed_up(nlp) -> bool:
    """Give the pipeline's ``attribute_ruler`` compiled rules; False (and no change) if its
    patterns use anything the compiler does not know. Rules added to the ruler later (or
    loaded with from_disk/from_bytes) are compiled on the next doc, or use the stock matcher."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    return _install(nlp.get_pipe("attribute_ruler"))


def _install(ruler) -> bool:
    try:
        rules = CompiledRules(ruler)
        if any("_" in attrs for _, attrs, _ in rules.rules):  # extension values: keep the stock path
            raise _Unsupported("_")
    except _Unsupported:
        ruler.__dict__.pop("match", None)  # the class's own methods again
        ruler.__dict__.pop("set_annotations", None)
        return False
    # AttributeRuler.__call__ runs self.match then self.set_annotations: replace both on this
    # instance, so its name, config and serialisation stay the stock component's.
    ruler.match = rules.matches
    ruler.set_annotations = rules.apply
    return True
