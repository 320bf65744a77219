"""Markdown/HTML noise out, prose in: what the analysis reads (``Reflection.text``).

Code blocks, HTML comments, scripts, images and URLs go; link text, emphasised words and
inline code stay. Headings, list items and table rows each become their own paragraph
(separated by a blank line) so they do not run into the next sentence.
"""
from __future__ import annotations

import html
import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_RAW_BLOCK = re.compile(r"<(script|style|pre|svg|iframe)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.S | re.I)
_BLOCK_TAG = re.compile(r"<(?:br|hr)\s*/?>|</?(?:p|div|li|ul|ol|h[1-6]|table|tr|blockquote|section|details|summary)\b[^>]*>", re.I)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")

_HR = re.compile(r"^ {0,3}([-*_=])(?:[ \t]*\1){2,}[ \t]*$")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*(?=\S)([^*]+?)(?<=\S)\*\*|__(?=\S)([^_]+?)(?<=\S)__)\s*:?\s*$")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_QUOTE = re.compile(r"^\s{0,3}(?:>[ \t]?)+")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$")
# Possessive runs and bracket-free classes keep every pattern linear: a note of 100,000 "[["
# or a line of spaces took hours with backtracking (benchmarks/bench_hostile.py).
_TABLE_SEP = re.compile(r"^\s*+\|?\s*+:?-{3,}:?\s*+(?:\|\s*+:?-{3,}:?\s*+)*+\|?\s*$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")

_URL_BODY = r"[^\s<>]*[^\s<>.,;:!?'\")\]]"
_IMAGE = re.compile(r"!\[[^\[\]]*\](?:\([^)]*\)|\[[^\[\]]*\])")
_LINK = re.compile(r"\[([^\[\]]*)\]\(\s*<?[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REF_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_WIKI = re.compile(r"\[\[([^\[\]|#]+)(?:#[^\[\]|]*)?(?:\|([^\[\]]+))?\]\]")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^>\s]*>", re.I)
_BARE_URL = re.compile(rf"(?<![\w@/])(?:(?:https?|ftp)://|www\.){_URL_BODY}", re.I)
_FOOTNOTE = re.compile(r"\[\^[^\[\]]+\]")
_CODE = re.compile(r"(`+)(.+?)\1")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?![\w_])")
_STRIKE = re.compile(r"~~(.+?)~~")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_MARKUP = re.compile(r"[\[\]`*_~<>&\\!]|://|www\.", re.I)  # a line without these is plain prose
_SPACES = re.compile(r"[ \t\u00a0]+")


def _drop_fences(text: str) -> str:
    out, fence = [], None
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m[1]
            out.append("")
        elif fence is not None:
            if m and m[1][0] == fence[0] and len(m[1]) >= len(fence) and not line.strip().strip(fence[0]):
                fence = None
            out.append("")  # keep line count stable-ish; blank lines collapse later
        else:
            out.append(line)
    return "\n".join(out)


def _heading_text(m: re.Match) -> str:
    return next((g for g in m.groups() if g), "")


def clean_inline(s: str) -> str:
    """Inline Markdown out of one line: images and URLs dropped, link and emphasis text kept."""
    if not _MARKUP.search(s):
        return _SPACES.sub(" ", s).strip()
    s = _IMAGE.sub("", s)
    s = _WIKI.sub(lambda m: m[2] or m[1], s)
    s = _LINK.sub(r"\1", s)
    s = _REF_LINK.sub(r"\1", s)
    s = _AUTOLINK.sub("", s)
    s = _BARE_URL.sub("", s)
    s = _FOOTNOTE.sub("", s)
    s = _CODE.sub(lambda m: m[2].strip(), s)
    s = _STRONG.sub(r"\2", s)
    s = _EM_STAR.sub(r"\1", s)
    s = _EM_UNDER.sub(r"\1", s)
    s = _STRIKE.sub(r"\1", s)
    s = _ESCAPE.sub(r"\1", s)
    s = html.unescape(s)
    s = _SPACES.sub(" ", s).strip()
    # "See (  )" leftovers once a URL is gone
    return re.sub(r"\(\s*\)|\[\s*\]", "", s).strip()


def unclosed_comment_line(raw: str) -> int | None:
    """0-based line of an HTML comment ``<!--`` never closed: everything after it is dropped."""
    text = _drop_fences(raw)  # keeps one output line per input line
    for m in _COMMENT.finditer(text):
        if not m[0].endswith("-->"):
            return text.count("\n", 0, m.start())
    return None


def clean_markdown(raw: str) -> str:
    """The prose of a Markdown or plain-text note, one paragraph per block.

    Example:
        >>> clean_markdown("## Onsite\\nSee [my notes](https://x.io).\\n```py\\nprint(1)\\n```")
        'Onsite\\n\\nSee my notes.'
    """
    text = _drop_fences(raw)
    text = _COMMENT.sub("", text)
    text = _RAW_BLOCK.sub("\n", text)
    text = _BLOCK_TAG.sub("\n", text)
    text = _TAG.sub("", text)
    blocks: list[list[str]] = []
    current: list[str] = []

    def close() -> None:
        nonlocal current
        if current:
            blocks.append(current)
        current = []

    for line in text.split("\n"):
        if not line.strip() or _HR.match(line) or _REF_DEF.match(line) or _TABLE_SEP.match(line):
            close()  # also ends a setext heading, whose underline looks like a rule
            continue
        line = _QUOTE.sub("", line)
        heading = _ATX.match(line) or _BOLD_LINE.match(line)
        if heading:
            close()
            current = [_heading_text(heading)]
            close()
            continue
        if _TABLE_ROW.match(line):
            close()
            cells = [clean_inline(c) for c in line.strip().strip("|").split("|")]
            current = ["; ".join(c for c in cells if c)]
            close()
            continue
        if _LIST.match(line):
            close()
            line = _LIST.sub("", line)
        current.append(line)
    close()
    paragraphs = []
    for block in blocks:
        lines = [c for c in (clean_inline(ln) for ln in block) if c]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def first_heading(raw: str, max_lines: int = 10) -> str | None:
    """The text of the first heading in the first lines of a note, if any."""
    for line in raw.split("\n")[:max_lines]:
        if m := (_ATX.match(line) or _BOLD_LINE.match(line)):
            title = clean_inline(_heading_text(m))
            if title:
                return title
    return None
