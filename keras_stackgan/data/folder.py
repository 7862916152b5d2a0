"""User data: a folder of ``image.jpg`` + ``image.txt`` pairs, or a CSV/JSONL manifest."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from keras_stackgan.data.image_checks import (
    DEFAULT_MAX_PIXELS,
    IMAGE_EXTENSIONS,
    Verify,
    keep_readable_images,
)
from keras_stackgan.data.records import DataError, ImageRecord, OnError, ProblemLog, ReadResult
from keras_stackgan.data.text_files import clean_caption, load_captions

_IMAGE_COLUMNS = ("image", "file_name", "filename", "path")
_CLASS_COLUMNS = ("class", "label", "class_name")


def read_image_folder(
    root: str | os.PathLike,
    *,
    class_from_subfolder: bool = False,
    on_error: OnError = "skip",
    verify: Verify = "header",
    max_pixels: int | None = DEFAULT_MAX_PIXELS,
) -> ReadResult:
    """Reads every image under ``root`` (recursively) with captions from its sibling ``.txt``.

    ``photos/cat.jpg`` takes its captions from ``photos/cat.txt``, one per non-blank line.
    Images without a caption file, or with an empty one, are skipped and reported.

    Args:
        root: folder to walk. Images are ``.jpg``, ``.jpeg``, ``.png``, ``.gif``, ``.bmp``.
        class_from_subfolder: bool. Use the first-level subfolder as the class (0-based ids in
            sorted name order; images directly in ``root`` are skipped). Default False:
            ``class_id=-1`` for all.
        on_error: ``"skip"`` or ``"raise"`` (see ``ProblemLog``).
        verify: image check, see ``check_image_file``.
        max_pixels: int or None. Images with more pixels are skipped and reported (default
            Pillow's 89.5 megapixels; see ``check_image_file``).

    Returns:
        ``ReadResult(records, report)``, records sorted by path; keys are the paths relative to
        ``root`` without extension.
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"No image folder {root}.")
    log = ProblemLog(root, on_error)
    images = sorted(
        p for p in root.rglob("*") if p.suffix.lower() in IMAGE_EXTENSIONS and p.is_file()
    )
    class_names = sorted({p.relative_to(root).parts[0] for p in images if p.parent != root})
    class_ids = {name: i for i, name in enumerate(class_names)}
    records = []
    for path in images:
        relative = path.relative_to(root)
        class_id, class_name = -1, None
        if class_from_subfolder:
            if path.parent == root:
                log.skip(path, "not in a class subfolder (class_from_subfolder=True)")
                continue
            class_name = relative.parts[0]
            class_id = class_ids[class_name]
        captions = load_captions(path.with_suffix(".txt"), log)
        if captions is None:
            continue
        records.append(
            ImageRecord(
                image_path=str(path),
                key=relative.with_suffix("").as_posix(),
                class_id=class_id,
                captions=tuple(captions),
                class_name=class_name,
            )
        )
    records = keep_readable_images(records, log, verify, max_pixels=max_pixels)
    return log.finish(records)


def read_manifest(
    path: str | os.PathLike,
    *,
    image_root: str | os.PathLike | None = None,
    on_error: OnError = "skip",
    verify: Verify = "header",
    max_pixels: int | None = DEFAULT_MAX_PIXELS,
) -> ReadResult:
    """Reads a CSV or JSON-lines manifest of images and captions.

    CSV (``.csv``): a header with an image column (``image``, ``file_name``, ``filename`` or
    ``path``), a ``caption`` column, and optionally ``class``/``label`` and ``split``. Rows
    naming the same image are merged into one record with several captions.

    JSONL (``.jsonl``/``.json`` with one object per line): ``{"image": ..., "caption": str}``
    or ``{"image": ..., "captions": [str, ...]}``, optionally ``"class"`` and ``"split"``.

    Classes are given 0-based ids in sorted order of their names; without a class column every
    record has ``class_id=-1``.

    Args:
        path: the manifest file.
        image_root: folder that relative image paths start from; defaults to the manifest's
            folder.
        on_error: ``"skip"`` or ``"raise"`` (see ``ProblemLog``).
        verify: image check, see ``check_image_file``.
        max_pixels: int or None. Images with more pixels are skipped and reported (default
            Pillow's 89.5 megapixels; see ``check_image_file``).

    Returns:
        ``ReadResult(records, report)`` in order of first appearance.

    Raises:
        DataError: for a manifest without image or caption column, or invalid JSON lines
            (under ``on_error="raise"``; skipped and reported otherwise).
    """
    path = Path(path)
    image_root = Path(image_root) if image_root is not None else path.parent
    log = ProblemLog(path, on_error)
    rows = _manifest_rows(path, log)

    merged: dict[str, dict] = {}
    for line_number, row in rows:
        image = next((row[c] for c in _IMAGE_COLUMNS if row.get(c)), None)
        if image is None:
            log.skip(f"{path}:{line_number}", "row has no image path")
            continue
        texts = row.get("captions")
        if texts is None:
            texts = [row.get("caption", "")]
        if isinstance(texts, str):
            texts = [texts]
        entry = merged.setdefault(
            str(image),
            {
                "captions": [],
                "class": next((row[c] for c in _CLASS_COLUMNS if row.get(c) is not None), None),
                "split": row.get("split") or None,
                "line": line_number,
            },
        )
        for text in texts:
            caption, repaired = clean_caption(str(text))
            if repaired:
                log.note(f"{path}:{line_number}", "mangled spaces replaced in caption")
            if caption:
                entry["captions"].append(caption)

    names = sorted({str(e["class"]) for e in merged.values() if e["class"] is not None})
    class_ids = {name: i for i, name in enumerate(names)}
    records = []
    for image, entry in merged.items():
        image_path = Path(image) if os.path.isabs(image) else image_root / image
        if not entry["captions"]:
            log.skip(image_path, f"no caption (manifest line {entry['line']})")
            continue
        class_name = None if entry["class"] is None else str(entry["class"])
        records.append(
            ImageRecord(
                image_path=str(image_path),
                key=os.path.splitext(str(image).replace("\\", "/"))[0],
                class_id=class_ids.get(class_name, -1),
                captions=tuple(entry["captions"]),
                split=entry["split"],
                class_name=class_name,
            )
        )
    records = keep_readable_images(records, log, verify, max_pixels=max_pixels)
    return log.finish(records)


def _manifest_rows(path: Path, log: ProblemLog) -> list[tuple[int, dict]]:
    """``(line number, row dict)`` pairs of a CSV or JSONL manifest."""
    if path.suffix.lower() == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            fields = [f.strip() for f in reader.fieldnames or []]
            if not set(fields) & set(_IMAGE_COLUMNS) or "caption" not in fields:
                raise DataError(
                    path, f"CSV manifest needs an image column and a caption column, has {fields}"
                )
            reader.fieldnames = fields
            return [(reader.line_num, row) for row in reader]
    rows = []
    with open(path, encoding="utf-8-sig") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                log.skip(f"{path}:{number}", f"invalid JSON line: {error}")
                continue
            if not isinstance(row, dict):
                log.skip(f"{path}:{number}", "JSON line is not an object")
                continue
            rows.append((number, row))
    return rows
