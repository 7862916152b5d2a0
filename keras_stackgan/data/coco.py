"""COCO captions: ``annotations/captions_<split>.json`` and the ``<split>/`` image folder."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

from keras_stackgan.data.image_checks import Verify, keep_readable_images
from keras_stackgan.data.records import DataError, ImageRecord, OnError, ProblemLog, ReadResult
from keras_stackgan.data.text_files import clean_caption


def read_coco(
    root: str | os.PathLike,
    split: str = "train2017",
    *,
    annotations: str | os.PathLike | None = None,
    image_dir: str | os.PathLike | None = None,
    on_error: OnError = "skip",
    verify: Verify = "header",
) -> ReadResult:
    """Reads a COCO captions split into ``ImageRecord``s (no classes, no bounding boxes).

    Records come in the order of the JSON's ``images`` list, keyed by the file stem
    (``"000000397133"``), ``class_id=-1`` and the image's captions (5 to 7 in COCO) cleaned of
    stray whitespace. Images without any caption are skipped and reported.

    Args:
        root: the COCO folder holding ``annotations/`` and the image folders.
        split: str. ``"train2017"``, ``"val2017"``, ``"train2014"``...
        annotations: path of the captions JSON; defaults to
            ``root/annotations/captions_<split>.json``.
        image_dir: folder of the images; defaults to ``root/<split>``.
        on_error: ``"skip"`` or ``"raise"`` (see ``ProblemLog``).
        verify: image check, see ``check_image_file``.

    Returns:
        ``ReadResult(records, report)``.

    Raises:
        FileNotFoundError: if the annotation file does not exist.
        DataError: if it is not COCO captions JSON, or any bad item under ``on_error="raise"``.
    """
    root = Path(root)
    annotations = Path(annotations or root / "annotations" / f"captions_{split}.json")
    image_dir = Path(image_dir or root / split)
    with open(annotations, encoding="utf-8") as file:
        try:
            data = json.load(file)
        except json.JSONDecodeError as error:
            raise DataError(annotations, f"not valid JSON: {error}") from error
    if not isinstance(data, dict) or "images" not in data or "annotations" not in data:
        raise DataError(annotations, 'expected COCO captions JSON with "images" and "annotations"')
    log = ProblemLog(annotations, on_error)

    captions = defaultdict(list)
    known_ids = {image["id"] for image in data["images"]}
    for annotation in data["annotations"]:
        image_id = annotation.get("image_id")
        if image_id not in known_ids:
            log.note(annotations, f"caption {annotation.get('id')} names unknown image {image_id}")
            continue
        caption, repaired = clean_caption(str(annotation.get("caption", "")))
        if repaired:
            log.note(annotations, f"caption {annotation.get('id')}: mangled spaces replaced")
        if caption:
            captions[image_id].append(caption)
        else:
            log.note(annotations, f"caption {annotation.get('id')} is empty, dropped")

    records = []
    for image in data["images"]:
        image_path = image_dir / image["file_name"]
        if not captions.get(image["id"]):
            log.skip(image_path, "no caption in the annotation file")
            continue
        records.append(
            ImageRecord(
                image_path=str(image_path),
                key=os.path.splitext(image["file_name"])[0],
                captions=tuple(captions[image["id"]]),
                split=split,
            )
        )
    records = keep_readable_images(records, log, verify)
    return log.finish(records)
