"""Reading the small text files of dataset layouts: id tables and caption files.

Written by hand (not ``numpy.loadtxt``/``csv``) because the layouts mix separators (CUB uses
spaces, ``bird_crops100`` uses ``", "``), some files have Windows line endings or a byte-order
mark, and captions downloaded from the web carry mangled characters that must be reported.
"""

from __future__ import annotations

import os
import re
import unicodedata

# Runs of characters that stand for a lost space in scraped captions: U+FFFD (undecodable
# byte), no-break and zero-width spaces.
_MANGLED_SPACE = re.compile("[\ufffd\u00a0\u200b\u2000-\u200a\u202f\u3000]+")
_WHITESPACE = re.compile(r"\s+")


def read_lines(path: str | os.PathLike) -> list[str]:
    """Non-empty lines of a UTF-8 text file, stripped (``\\r\\n``, ``\\r`` and a BOM removed).

    Args:
        path: path of the file.

    Returns:
        list of str, one per non-blank line.

    Raises:
        FileNotFoundError: if the file does not exist.
        UnicodeDecodeError: if the file is not UTF-8.
    """
    with open(path, encoding="utf-8-sig", newline=None) as file:
        return [line.strip() for line in file if line.strip()]


def read_table(path: str | os.PathLike, num_columns: int, sep: str | None = None) -> list[list]:
    """Rows of an id table such as CUB's ``images.txt`` (``<id> <value> ...``).

    Args:
        path: path of the table.
        num_columns: int. Fields per row; the last field keeps any extra separators (so paths
            with spaces survive).
        sep: str or None. Field separator; None splits on whitespace, ``","`` on commas
            (fields are stripped either way).

    Returns:
        list of rows, each a list of ``num_columns`` str.

    Raises:
        ValueError: if a row has fewer than ``num_columns`` fields (message names the line).
    """
    rows = []
    for number, line in enumerate(read_lines(path), start=1):
        fields = [f.strip() for f in line.split(sep, num_columns - 1)]
        if len(fields) < num_columns:
            raise ValueError(
                f"{path}, line {number}: expected {num_columns} fields, found {len(fields)}: "
                f"{line!r}"
            )
        rows.append(fields)
    return rows


def clean_caption(text: str) -> tuple[str, bool]:
    """Normalises one caption: NFC, mangled spaces to spaces, whitespace collapsed.

    Args:
        text: str. A raw caption line.

    Returns:
        ``(caption, repaired)``: the cleaned caption (possibly empty) and whether any
        character other than ordinary whitespace had to be replaced.
    """
    normalized = unicodedata.normalize("NFC", text)
    replaced = _MANGLED_SPACE.sub(" ", normalized)
    return _WHITESPACE.sub(" ", replaced).strip(), replaced != normalized


def read_caption_file(path: str | os.PathLike) -> tuple[list[str], list[str]]:
    """Captions of one image: one per non-blank line of a text file.

    Invalid UTF-8 is decoded as Windows-1252 (what editors on Windows write) and reported.

    Args:
        path: path of the caption file.

    Returns:
        ``(captions, notes)``: the cleaned, non-empty captions, and a list of notes describing
        anything repaired (empty when the file was clean).

    Raises:
        FileNotFoundError: if the file does not exist.
    """
    with open(path, "rb") as file:
        raw = file.read()
    notes = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        notes.append("not valid UTF-8, decoded as Windows-1252")
    captions = []
    repaired = 0
    for line in text.splitlines():
        caption, changed = clean_caption(line)
        repaired += changed
        if caption:
            captions.append(caption)
    if repaired:
        notes.append(f"{repaired} caption(s) had mangled non-ASCII spaces replaced")
    return captions, notes


def load_captions(path: str | os.PathLike, log) -> list[str] | None:
    """Captions from ``path`` for a reader: problems go to ``log`` (a ``ProblemLog``).

    Returns:
        The list of captions, or None (after ``log.skip``) when the file is missing, unreadable
        or has no caption.
    """
    try:
        captions, notes = read_caption_file(path)
    except FileNotFoundError:
        log.skip(path, "missing caption file")
        return None
    except OSError as error:
        log.skip(path, f"unreadable caption file: {error}")
        return None
    for note in notes:
        log.note(path, note)
    if not captions:
        log.skip(path, "empty caption file: no non-blank line")
        return None
    return captions
