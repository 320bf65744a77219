"""Front matter: YAML between ``---`` fences (Jekyll, Hugo, Obsidian) or TOML between ``+++``.

YAML is read with the safe loader only, the block is size-capped, and alias expansion is
counted before anything is built, so a "billion laughs" block is rejected, not expanded.
"""
from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml

from .base import ProblemLog

MAX_FRONT_MATTER_CHARS = 64_000
MAX_NODES = 10_000  # after alias expansion; real front matter has a few dozen

# The C loader (libyaml) is ~10x faster and just as safe: SafeConstructor either way.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = re.compile(r"(-{3,}|\+{3,})[ \t]*")
_KEY = re.compile(r"^\s{0,2}[\"']?([^:=\"'#\n]+?)[\"']?\s*[:=]")


class _TooBig(Exception):
    pass


def _expanded_size(node: yaml.Node, memo: dict[int, int], active: set[int]) -> int:
    key = id(node)
    if key in memo:
        return memo[key]
    if key in active:  # a recursive alias
        raise _TooBig
    active.add(key)
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(n, memo, active) for n in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, memo, active) + _expanded_size(v, memo, active) for k, v in node.value)
    active.discard(key)
    if size > MAX_NODES:
        raise _TooBig
    memo[key] = size
    return size


def safe_yaml(text: str) -> Any:
    """``yaml.safe_load`` that refuses blocks expanding to more than MAX_NODES nodes.

    Raises:
        yaml.YAMLError: malformed YAML, or a tag that is not plain data (e.g. !!python/...).
        ValueError: the block expands beyond MAX_NODES (an alias bomb).
    """
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            if "*" in text:  # without an alias nothing can expand: skip the walk
                _expanded_size(node, {}, set())
        except _TooBig:
            raise ValueError(f"expands to more than {MAX_NODES:,} values (aliases nested too deep)") from None
        return loader.construct_document(node)
    finally:
        loader.dispose()


def split_front_matter(text: str, source: str, problems: ProblemLog) -> tuple[dict[str, Any], dict[str, int], str, int]:
    """Split ``text`` into (metadata, key -> line, body, first line of body).

    Bad front matter is logged with its line and the body is still returned as text.
    """
    first, _, rest = text.partition("\n")
    m = _OPEN.fullmatch(first)
    if not m:
        return {}, {}, text, 1
    fence = m[1][0]
    close = re.compile(rf"^(?:{re.escape(fence)}{{3,}}{'|[.]{3}' if fence == '-' else ''})[ \t]*$", re.M)
    end = close.search(rest, 0, MAX_FRONT_MATTER_CHARS + 1)
    if not end:
        if len(rest) > MAX_FRONT_MATTER_CHARS:
            msg = f"front matter is not closed within {MAX_FRONT_MATTER_CHARS:,} characters; read the file as text"
        else:
            msg = f"front matter opened with {first.strip()!r} is never closed; read the file as text"
        problems.add(source, 1, "bad_front_matter", msg)
        return {}, {}, text, 1
    block = rest[: end.start()]
    body = rest[end.end() :].removeprefix("\n")
    body_line = 2 + block.count("\n") + 1
    lines: dict[str, int] = {}
    for i, ln in enumerate(block.split("\n")):
        if (k := _KEY.match(ln)) and k[1].strip() not in lines:
            lines[k[1].strip()] = i + 2
    try:
        meta = tomllib.loads(block) if fence == "+" else safe_yaml(block)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = 2 + mark.line if mark else 1
        why = (e.problem or str(e)).strip()
        problems.add(source, line, "bad_yaml", f"front matter is not valid YAML ({why}); its fields were ignored, the body was read as text")
        return {}, {}, body, body_line
    except tomllib.TOMLDecodeError as e:
        at = re.search(r"line (\d+)", str(e))
        problems.add(source, 1 + int(at[1]) if at else 1, "bad_yaml", f"front matter is not valid TOML ({e}); its fields were ignored")
        return {}, {}, body, body_line
    except (yaml.YAMLError, ValueError, RecursionError) as e:
        why = "nested too deep" if isinstance(e, RecursionError) else str(e).strip().split("\n")[0]
        problems.add(source, 1, "bad_yaml", f"front matter rejected ({why}); its fields were ignored, the body was read as text")
        return {}, {}, body, body_line
    if meta is None:
        return {}, {}, body, body_line
    if not isinstance(meta, dict):
        problems.add(source, 2, "bad_yaml", "front matter is not a list of 'key: value' lines; ignored")
        return {}, {}, body, body_line
    return meta, lines, body, body_line
