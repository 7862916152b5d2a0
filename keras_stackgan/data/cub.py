"""CUB-200-2011 birds in StackGAN's ``Data/birds`` layout, with Reed et al.'s captions.

```
birds/
  CUB_200_2011/images.txt             <id> <class folder>/<image>.jpg
  CUB_200_2011/bounding_boxes.txt     <id> <x> <y> <width> <height>
  CUB_200_2011/image_class_labels.txt <id> <class number, 1-based>
  CUB_200_2011/classes.txt            <class number> <NNN.Name>
  CUB_200_2011/train_test_split.txt   <id> <1 if train else 0>
  CUB_200_2011/images/<class folder>/<image>.jpg
  text_c10/<class folder>/<image>.txt 10 captions, one per line
  train/filenames.pickle, class_info.pickle   StackGAN's class-disjoint split (optional)
  test/filenames.pickle,  class_info.pickle
```
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from keras_stackgan.data.image_checks import Verify, keep_readable_images
from keras_stackgan.data.records import DataError, ImageRecord, OnError, ProblemLog, ReadResult
from keras_stackgan.data.stackgan_split import has_stackgan_split, load_stackgan_split
from keras_stackgan.data.text_files import load_captions, read_table

CUB_DIR = "CUB_200_2011"
TEXT_DIR = "text_c10"


def find_cub_dir(root: str | os.PathLike) -> Path:
    """The ``CUB_200_2011`` folder: ``root/CUB_200_2011``, or ``root`` itself.

    Raises:
        FileNotFoundError: if neither holds ``images.txt``.
    """
    root = Path(root)
    for candidate in (root / CUB_DIR, root):
        if (candidate / "images.txt").is_file():
            return candidate
    raise FileNotFoundError(
        f"No CUB-200-2011 under {root}: expected {root / CUB_DIR / 'images.txt'} "
        "(StackGAN's Data/birds layout) or images.txt directly in it."
    )


def read_cub_classes(cub_dir: str | os.PathLike) -> dict[int, str]:
    """CUB's ``classes.txt`` as ``{1-based class number: "NNN.Name"}``."""
    return {int(n): name for n, name in read_table(Path(cub_dir) / "classes.txt", 2)}


def read_cub(
    root: str | os.PathLike,
    split: str | None = "train",
    *,
    split_source: Literal["auto", "stackgan", "cub"] = "auto",
    captions: bool = True,
    on_error: OnError = "skip",
    verify: Verify = "header",
) -> ReadResult:
    """Reads CUB-200-2011 (StackGAN ``Data/birds`` layout) into ``ImageRecord``s.

    Class ids come from ``image_class_labels.txt`` (0-based: CUB class ``001`` is 0); bounding
    boxes from ``bounding_boxes.txt`` as ``(x, y, width, height)`` pixels; captions from
    ``text_c10/<key>.txt``. Keys are StackGAN's, e.g.
    ``"002.Laysan_Albatross/Laysan_Albatross_0002_1027"``.

    Args:
        root: the ``Data/birds`` folder (holding ``CUB_200_2011/`` and ``text_c10/``), or a
            ``CUB_200_2011`` folder (then captions are looked for in a sibling ``text_c10``).
        split: ``"train"``, ``"test"``, or None for every image in ``images.txt``.
        split_source: ``"stackgan"``: the images listed in ``root/<split>/filenames.pickle``
            (StackGAN's class-disjoint split, in pickle order); ``"cub"``: CUB's own
            ``train_test_split.txt``; ``"auto"`` (default): the pickle when it exists.
        captions: bool. Read ``text_c10`` captions; records without a caption file (or with an
            empty one) are then skipped. With False, records have no captions (attach
            attribute captions later).
        on_error: ``"skip"`` (default): drop and report bad items; ``"raise"``: raise
            ``DataError`` at the first one.
        verify: image check, see ``check_image_file`` (``"header"`` by default).

    Returns:
        ``ReadResult(records, report)``.

    Raises:
        FileNotFoundError: if ``root`` has no CUB-200-2011 tables.
        DataError: for malformed tables or pickles, or any bad item under ``on_error="raise"``.
    """
    root = Path(root)
    cub_dir = find_cub_dir(root)
    text_dir = cub_dir.parent / TEXT_DIR
    if captions and not text_dir.is_dir():
        raise FileNotFoundError(
            f"No caption folder {text_dir}; pass captions=False for images without captions."
        )
    if split not in (None, "train", "test"):
        raise ValueError(f'split must be "train", "test" or None, received {split!r}')
    if split_source not in ("auto", "stackgan", "cub"):
        raise ValueError(f'split_source must be "auto", "stackgan" or "cub", got {split_source!r}')
    log = ProblemLog(root, on_error)

    try:
        paths = {int(i): p for i, p in read_table(cub_dir / "images.txt", 2)}
        classes = read_cub_classes(cub_dir)
        labels = _optional_table(cub_dir / "image_class_labels.txt", 2)
        boxes = _optional_table(cub_dir / "bounding_boxes.txt", 5)
    except ValueError as error:
        raise DataError(cub_dir, str(error)) from error
    labels = {int(i): int(c) for i, c in labels}
    boxes = {int(row[0]): tuple(float(v) for v in row[1:]) for row in boxes}
    id_of_key = {_strip_ext(p): i for i, p in paths.items()}

    use_pickle = split_source == "stackgan" or (
        split_source == "auto" and has_stackgan_split(cub_dir.parent, split)
    )
    if split is None:
        keys, numbers = [_strip_ext(p) for p in paths.values()], None
    elif use_pickle:
        keys, numbers = load_stackgan_split(cub_dir.parent / split, log)
    else:
        is_train = {int(i): f == "1" for i, f in read_table(cub_dir / "train_test_split.txt", 2)}
        want = split == "train"
        keys = [_strip_ext(p) for i, p in paths.items() if is_train.get(i) == want]
        numbers = None

    records = []
    for position, key in enumerate(keys):
        image_id = id_of_key.get(key)
        image_path = cub_dir / "images" / (paths[image_id] if image_id else key + ".jpg")
        if image_id is None and not image_path.is_file():
            log.skip(image_path, "missing image: listed in filenames.pickle, not on disk")
            continue
        number = labels.get(image_id) or _class_number_from_key(key)
        if numbers is not None and number is not None and numbers[position] != number:
            log.note(image_path, f"class_info.pickle says {numbers[position]}, labels {number}")
        if number is None:
            log.skip(image_path, "no class label in image_class_labels.txt or folder name")
            continue
        bbox = _valid_box(boxes.get(image_id), image_path, log)
        record_captions: list[str] = []
        if captions:
            record_captions = load_captions(text_dir / (key + ".txt"), log)
            if record_captions is None:
                continue
        records.append(
            ImageRecord(
                image_path=str(image_path),
                key=key,
                class_id=number - 1,
                captions=tuple(record_captions),
                bbox=bbox,
                split=split,
                class_name=classes.get(number),
            )
        )
    records = keep_readable_images(records, log, verify)
    return log.finish(records)


def _optional_table(path: Path, num_columns: int) -> list[list[str]]:
    return read_table(path, num_columns) if path.is_file() else []


def _strip_ext(path: str) -> str:
    return os.path.splitext(path.replace("\\", "/"))[0]


def _class_number_from_key(key: str) -> int | None:
    """``"002.Laysan_Albatross/..."`` -> 2 (CUB's class folders start with the number)."""
    head = key.split("/", 1)[0].split(".", 1)[0]
    return int(head) if head.isdigit() else None


def _valid_box(box, image_path: Path, log: ProblemLog):
    if box is None:
        log.note(image_path, "no bounding box: the whole image is used")
        return None
    if box[2] <= 0 or box[3] <= 0:
        log.note(image_path, f"degenerate bounding box {box}: the whole image is used")
        return None
    return box
