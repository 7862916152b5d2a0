"""``ImageRecord`` (one image and its text) and ``ReadReport`` (what a reader skipped, and why).

Every reader returns a ``ReadResult``: the records it kept and a report of each problem it met,
with the path and the reason. ``on_error="skip"`` drops the bad item, logs it and warns once
with a summary; ``on_error="raise"`` raises ``DataError`` at the first problem. Nothing is
dropped silently.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import warnings
from collections import Counter
from typing import Literal, NamedTuple

logger = logging.getLogger("keras_stackgan.data")

OnError = Literal["skip", "raise"]


class DataWarning(UserWarning):
    """Warned once per read when a reader skipped items (filter it with ``warnings``)."""


class DataError(ValueError):
    """A dataset file is missing, unreadable or inconsistent (raised with ``on_error="raise"``).

    Attributes:
        path: str. The offending file (or the list file that names it).
        reason: str. What is wrong with it.
    """

    def __init__(self, path: str | os.PathLike, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


@dataclasses.dataclass(frozen=True)
class ImageRecord:
    """One training image with its class and captions.

    Attributes:
        image_path: str. Absolute or root-relative path of the image file (JPEG, PNG, GIF, BMP).
        key: str. Identifier unique within the dataset, in StackGAN's style where one exists
            (``"002.Laysan_Albatross/Laysan_Albatross_0002_1027"``, ``"jpg/image_00001"``).
        class_id: int. 0-based class index, or -1 when the dataset has no classes.
        captions: tuple of str. The human (or generated) captions; may be empty for
            class-only datasets until captions are attached.
        bbox: ``(x, y, width, height)`` floats in pixels of the original image, or None.
        split: str or None. ``"train"``, ``"valid"``, ``"test"``, or None when unknown.
        class_name: str or None. Human-readable class name (``"001.Black_footed_Albatross"``).
    """

    image_path: str
    key: str
    class_id: int = -1
    captions: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None
    split: str | None = None
    class_name: str | None = None

    def with_captions(self, captions: list[str] | tuple[str, ...]) -> ImageRecord:
        """A copy of this record with ``captions`` replaced."""
        return dataclasses.replace(self, captions=tuple(captions))


@dataclasses.dataclass(frozen=True)
class Problem:
    """One problem met while reading: the path and a human-readable reason."""

    path: str
    reason: str


@dataclasses.dataclass
class ReadReport:
    """What a reader kept, skipped and repaired.

    Attributes:
        source: str. The dataset root or list file that was read.
        num_records: int. Records returned.
        skipped: list of ``Problem``. One per dropped item (missing image, corrupt file, empty
            caption file, pickle entry without image...).
        notes: list of ``Problem``. Things repaired or ignored that did not drop a record
            (captions with mangled characters cleaned, mismatched ``class_info.pickle``...).
    """

    source: str
    num_records: int = 0
    skipped: list[Problem] = dataclasses.field(default_factory=list)
    notes: list[Problem] = dataclasses.field(default_factory=list)

    @property
    def num_skipped(self) -> int:
        """How many items were dropped."""
        return len(self.skipped)

    def skipped_by_reason(self) -> dict[str, int]:
        """Counts of dropped items per reason (the reason text up to its first colon)."""
        return dict(Counter(p.reason.split(":", 1)[0] for p in self.skipped))

    def merge(self, other: ReadReport) -> None:
        """Appends ``other``'s skips and notes to this report (``num_records`` unchanged)."""
        self.skipped.extend(other.skipped)
        self.notes.extend(other.notes)

    def summary(self, max_items: int = 5) -> str:
        """A few lines: counts, then the first ``max_items`` skipped paths with reasons."""
        lines = [f"{self.source}: {self.num_records} records, {self.num_skipped} skipped"]
        if self.skipped:
            lines.append(f"  skipped by reason: {self.skipped_by_reason()}")
            lines += [f"  skipped {p.path}: {p.reason}" for p in self.skipped[:max_items]]
            if self.num_skipped > max_items:
                lines.append(f"  ... and {self.num_skipped - max_items} more (see .skipped)")
        lines += [f"  note {p.path}: {p.reason}" for p in self.notes[:max_items]]
        if len(self.notes) > max_items:
            lines.append(f"  ... and {len(self.notes) - max_items} more notes (see .notes)")
        return "\n".join(lines)


class ReadResult(NamedTuple):
    """A reader's output: ``records, report = read_cub(...)``."""

    records: list[ImageRecord]
    report: ReadReport


class ProblemLog:
    """Collects problems for a reader and applies its ``on_error`` policy.

    Written by hand because neither ``warnings`` nor ``logging`` counts and returns what was
    dropped; readers call ``skip`` for each bad item and ``finish`` once.

    Args:
        source: str or path. What is being read (for messages).
        on_error: ``"skip"`` or ``"raise"``.
    """

    def __init__(self, source: str | os.PathLike, on_error: OnError):
        if on_error not in ("skip", "raise"):
            raise ValueError(f'on_error must be "skip" or "raise", received {on_error!r}')
        self.on_error = on_error
        self.report = ReadReport(source=str(source))

    def skip(self, path: str | os.PathLike, reason: str) -> None:
        """Records a dropped item, or raises ``DataError`` under ``on_error="raise"``."""
        if self.on_error == "raise":
            raise DataError(path, reason)
        self.report.skipped.append(Problem(str(path), reason))
        logger.info("skipped %s: %s", path, reason)

    def note(self, path: str | os.PathLike, reason: str) -> None:
        """Records something repaired or ignored that keeps the item (never raises)."""
        self.report.notes.append(Problem(str(path), reason))
        logger.info("note %s: %s", path, reason)

    def finish(self, records: list[ImageRecord]) -> ReadResult:
        """Sets the record count, warns once if anything was skipped, returns the result."""
        self.report.num_records = len(records)
        if self.report.skipped:
            warnings.warn(self.report.summary(), DataWarning, stacklevel=3)
        elif self.report.notes:
            logger.warning(self.report.summary())
        return ReadResult(records, self.report)
