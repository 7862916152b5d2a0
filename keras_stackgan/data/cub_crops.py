"""Class-labelled bird crops in a CUB-style layout with comma-separated, 0-based tables.

This is the layout of ``../shared/data/bird_crops100`` (5,902 crops of 100 CUB species):
```
bird_crops100/
  classes.txt               <class id>, <Species_Name>          (0-based)
  images.txt                <image id>, <Species_Name>/NNNN.jpg (0-based)
  image_class_labels.txt    <image id>, <class id>
  train_test_split.txt      <image id>, <flag>
  images/<Species_Name>/NNNN.jpg
```
Species names match CUB's ``classes.txt`` without the ``NNN.`` prefix, so CUB's class-level
attribute table gives them captions (``CUBAttributeCaptioner``).
"""

from __future__ import annotations

import os
from pathlib import Path

from keras_stackgan.data.image_checks import Verify, keep_readable_images
from keras_stackgan.data.records import DataError, ImageRecord, OnError, ProblemLog, ReadResult
from keras_stackgan.data.text_files import read_table


def read_cub_crops(
    root: str | os.PathLike,
    split: str | None = None,
    *,
    train_flag: int = 0,
    on_error: OnError = "skip",
    verify: Verify = "header",
) -> ReadResult:
    """Reads a class-only, comma-separated CUB-style folder (``bird_crops100``) into records.

    Records have ``class_id`` from ``image_class_labels.txt`` (0-based), ``class_name`` the
    species (``"Black_footed_Albatross"``), no bounding box (the images are already crops) and
    no captions: attach some with ``CUBAttributeCaptioner.attach``.

    Args:
        root: the folder holding ``images.txt`` and ``images/``.
        split: ``"train"``, ``"test"`` or None for all images.
        train_flag: int. The ``train_test_split.txt`` value that marks a training image.
            Defaults to 0: in ``bird_crops100`` the flag is inverted with respect to its
            README's ``<is training?>`` (flag 0 holds 2,999 images, the README's training
            count, and per species matches CUB's own training split); use 1 for files that
            follow CUB's convention.
        on_error: ``"skip"`` or ``"raise"`` (see ``ProblemLog``).
        verify: image check, see ``check_image_file``.

    Returns:
        ``ReadResult(records, report)``.

    Raises:
        FileNotFoundError: if a table is missing.
        DataError: for malformed tables, or any bad item under ``on_error="raise"``.
    """
    root = Path(root)
    if split not in (None, "train", "test"):
        raise ValueError(f'split must be "train", "test" or None, received {split!r}')
    log = ProblemLog(root, on_error)
    try:
        classes = {int(i): name for i, name in read_table(root / "classes.txt", 2, sep=",")}
        paths = {int(i): p for i, p in read_table(root / "images.txt", 2, sep=",")}
        labels = {int(i): int(c) for i, c in read_table(root / "image_class_labels.txt", 2, ",")}
        flags = {}
        if split is not None:
            flags = {int(i): int(f) for i, f in read_table(root / "train_test_split.txt", 2, ",")}
    except ValueError as error:
        raise DataError(root, str(error)) from error

    records = []
    for image_id, relative in paths.items():
        image_path = root / "images" / relative
        if split is not None:
            flag = flags.get(image_id)
            if flag is None:
                log.skip(image_path, "no row in train_test_split.txt")
                continue
            if (flag == train_flag) != (split == "train"):
                continue
        class_id = labels.get(image_id)
        if class_id is None or class_id not in classes:
            log.skip(image_path, f"no valid class label (image id {image_id})")
            continue
        records.append(
            ImageRecord(
                image_path=str(image_path),
                key=os.path.splitext(relative)[0],
                class_id=class_id,
                split=split,
                class_name=classes[class_id],
            )
        )
    records = keep_readable_images(records, log, verify)
    return log.finish(records)
