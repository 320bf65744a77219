"""Reading bytes safely and turning them into text (BOMs, bad UTF-8, binaries, line endings)."""
from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from .base import ProblemLog

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _cp1252_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    # Bytes that are not UTF-8 are most often Windows-1252 (Notepad, old Word exports);
    # decoding only the bad bytes keeps the rest of a mostly-UTF-8 file intact.
    bad = err.object[err.start : err.end]
    return bad.decode("cp1252", errors="replace"), err.end


codecs.register_error("reflect_nlp_cp1252", _cp1252_fallback)


def read_bytes(path: Path, source: str, max_bytes: int, problems: ProblemLog) -> bytes | None:
    """Read a regular file opened read-only, or log why not and return None."""
    try:
        st = os.stat(path)
    except OSError as e:
        problems.add(source, None, "unreadable", f"cannot read ({e.strerror or e}); check the file exists and its permissions", "skipped")
        return None
    if not stat.S_ISREG(st.st_mode):
        problems.add(source, None, "not_a_file", "not a regular file (device, pipe or socket)", "skipped")
        return None
    if st.st_size > max_bytes:
        problems.add(
            source, None, "too_large",
            f"{st.st_size:,} bytes is over the {max_bytes:,}-byte limit; raise max_bytes to read it",
            "skipped",
        )
        return None
    try:
        with open(path, "rb") as fh:  # read-only: the journal is never modified
            data = fh.read(max_bytes + 1)
    except OSError as e:
        problems.add(source, None, "unreadable", f"cannot read ({e.strerror or e}); check its permissions", "skipped")
        return None
    if len(data) > max_bytes:  # grew while we looked
        problems.add(source, None, "too_large", f"over the {max_bytes:,}-byte limit; raise max_bytes to read it", "skipped")
        return None
    return data


def decode(data: bytes, source: str, problems: ProblemLog) -> str | None:
    """Bytes -> text with ``\\n`` line endings; None (and a logged problem) for binary data."""
    if data.startswith(codecs.BOM_UTF8):
        problems.add(source, 1, "bom", "starts with a UTF-8 byte-order mark (removed)")
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            problems.add(source, None, "binary", "looks like UTF-16 but does not decode; save it as UTF-8", "skipped")
            return None
        problems.add(source, 1, "bom", "UTF-16 file with a byte-order mark (decoded; UTF-8 is preferred)")
        return normalise_newlines(text)
    if b"\x00" in data[:8192]:
        problems.add(source, None, "binary", "binary file (contains NUL bytes), not a text note", "skipped")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        problems.add(
            source, line, "invalid_utf8",
            f"not valid UTF-8 (byte 0x{data[e.start]:02x}); read those bytes as Windows-1252. Save the file as UTF-8 to silence this",
        )
        text = data.decode("utf-8", errors="reflect_nlp_cp1252")
    return normalise_newlines(text.replace("\x00", ""))


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF (mixed endings are common in synced notes)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")

