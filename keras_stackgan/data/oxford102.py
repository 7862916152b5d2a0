"""Oxford-102 flowers: ``jpg/image_XXXXX.jpg`` with labels from a CSV, MATLAB files or pickles.

Accepted layouts (any combination; the first label source found is used):
```
flowers/
  jpg/image_00001.jpg ...
  labels.csv              image,split,class_id   (class ids 1-102)
  cat_to_name.json        {"1": "pink primrose", ...}            (optional)
  imagelabels.mat         labels [1, 8189], 1-102                (official release)
  setid.mat               trnid, valid, tstid: 1-based image numbers
  text_c10/class_00001/image_06734.txt   Reed et al.'s 10 captions (optional)
  train/filenames.pickle, class_info.pickle   StackGAN's split ("jpg/image_06734")
```
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Literal

from keras_stackgan.data.image_checks import Verify, keep_readable_images
from keras_stackgan.data.records import DataError, ImageRecord, OnError, ProblemLog, ReadResult
from keras_stackgan.data.stackgan_split import has_stackgan_split, load_stackgan_split
from keras_stackgan.data.text_files import load_captions, read_lines

_SPLITS = ("train", "valid", "test")
_SETID_KEYS = {"train": "trnid", "valid": "valid", "test": "tstid"}
_CLASS_FOLDER = re.compile(r"class_(\d+)$")


def load_cat_to_name(path: str | os.PathLike) -> dict[int, str]:
    """``cat_to_name.json`` as ``{1-based class number: flower name}``."""
    with open(path, encoding="utf-8") as file:
        return {int(k): str(v) for k, v in json.load(file).items()}


def read_oxford102(
    root: str | os.PathLike,
    split: str | None = None,
    *,
    split_source: Literal["auto", "stackgan", "labels"] = "auto",
    captions: bool | None = None,
    on_error: OnError = "skip",
    verify: Verify = "header",
) -> ReadResult:
    """Reads Oxford-102 flowers into ``ImageRecord``s (0-based class ids, no bounding boxes).

    Args:
        root: the flowers folder holding ``jpg/``.
        split: ``"train"``, ``"valid"``, ``"test"`` or None for all images.
        split_source: ``"stackgan"``: ``root/<split>/filenames.pickle``; ``"labels"``: the
            split column of ``labels.csv`` or ``setid.mat`` (``trnid``/``valid``/``tstid``);
            ``"auto"`` (default): the pickle when it exists, else the labels.
        captions: bool or None. Read ``text_c10/class_XXXXX/<image>.txt`` (records without one
            are skipped); None (default) reads them when ``text_c10/`` exists. Without
            captions, use ``ClassNameCaptioner`` for ``"a photo of a pink primrose"`` captions.
        on_error: ``"skip"`` or ``"raise"`` (see ``ProblemLog``).
        verify: image check, see ``check_image_file``.

    Returns:
        ``ReadResult(records, report)``; ``class_name`` comes from ``cat_to_name.json`` when
        present.

    Raises:
        FileNotFoundError: if there is no ``jpg/`` folder, or no labels, captions or split
            pickle to take classes or the split from.
        DataError: for malformed label files, or any bad item under ``on_error="raise"``.
    """
    root = Path(root)
    image_dir = root / "jpg"
    if not image_dir.is_dir():
        raise FileNotFoundError(f"No Oxford-102 image folder {image_dir}.")
    if split not in (None, *_SPLITS):
        raise ValueError(f"split must be one of {_SPLITS} or None, received {split!r}")
    text_dir = root / "text_c10"
    if captions is None:
        captions = text_dir.is_dir()
    elif captions and not text_dir.is_dir():
        raise FileNotFoundError(f"captions=True but there is no caption folder {text_dir}.")
    log = ProblemLog(root, on_error)

    caption_files = _index_caption_files(text_dir) if text_dir.is_dir() else {}
    labels, splits = _read_labels(root)
    names = (
        load_cat_to_name(root / "cat_to_name.json") if (root / "cat_to_name.json").is_file() else {}
    )

    use_pickle = split_source == "stackgan" or (
        split_source == "auto" and has_stackgan_split(root, split)
    )
    pickle_numbers = None
    if use_pickle:
        keys, pickle_numbers = load_stackgan_split(root / split, log)
        stems = [k.rsplit("/", 1)[-1] for k in keys]
    elif split is not None and splits is None:
        raise FileNotFoundError(
            f"No split for {root}: need labels.csv, setid.mat or "
            f"{root / split / 'filenames.pickle'}."
        )
    elif labels is not None:
        stems = [s for s in labels if split is None or splits[s] == split]
    elif caption_files:
        stems = sorted(caption_files)
    else:
        raise FileNotFoundError(
            f"No class labels for {root}: need labels.csv, imagelabels.mat, text_c10/class_XXXXX "
            "folders or a StackGAN split pickle."
        )

    records = []
    for position, stem in enumerate(stems):
        image_path = image_dir / (stem + ".jpg")
        if verify != "none" and not image_path.is_file():
            # Said first: a split entry without its image is missing, whatever its label.
            log.skip(image_path, "missing image: no such file")
            continue
        number = None
        if labels is not None:
            number = labels.get(stem)
        elif pickle_numbers is not None:
            number = pickle_numbers[position]
        elif stem in caption_files:
            number = caption_files[stem][1]
        if number is None:
            log.skip(image_path, "no class label for this image")
            continue
        record_captions: list[str] = []
        if captions:
            if stem not in caption_files:
                log.skip(image_path, f"missing caption file: no {stem}.txt under {text_dir}")
                continue
            record_captions = load_captions(caption_files[stem][0], log)
            if record_captions is None:
                continue
        records.append(
            ImageRecord(
                image_path=str(image_path),
                key=f"jpg/{stem}",
                class_id=number - 1,
                captions=tuple(record_captions),
                split=split if split is not None else (splits or {}).get(stem),
                class_name=names.get(number),
            )
        )
    records = keep_readable_images(records, log, verify)
    return log.finish(records)


def _index_caption_files(text_dir: Path) -> dict[str, tuple[Path, int | None]]:
    """``{image stem: (caption path, 1-based class from the class_XXXXX folder)}``."""
    index = {}
    for folder in sorted(p for p in text_dir.iterdir() if p.is_dir()):
        match = _CLASS_FOLDER.match(folder.name)
        number = int(match.group(1)) if match else None
        for file in folder.iterdir():
            if file.suffix == ".txt":
                index[file.stem] = (file, number)
    return index


def _read_labels(root: Path) -> tuple[dict[str, int] | None, dict[str, str] | None]:
    """``({image stem: 1-based class}, {image stem: split})`` from labels.csv or the .mat files."""
    csv_path = root / "labels.csv"
    if csv_path.is_file():
        lines = read_lines(csv_path)
        header = [h.strip() for h in lines[0].split(",")]
        if header[:3] != ["image", "split", "class_id"]:
            raise DataError(csv_path, f"expected header image,split,class_id, found {lines[0]!r}")
        labels, splits = {}, {}
        for number, line in enumerate(lines[1:], start=2):
            fields = [f.strip() for f in line.split(",")]
            if len(fields) < 3 or not fields[2].isdigit():
                raise DataError(csv_path, f"line {number}: malformed row {line!r}")
            stem = os.path.splitext(fields[0])[0]
            labels[stem] = int(fields[2])
            splits[stem] = fields[1]
        return labels, splits
    mat_path = root / "imagelabels.mat"
    if mat_path.is_file():
        # scipy is imported only here: MATLAB files are the one format TF/numpy cannot read.
        from scipy.io import loadmat

        numbers = loadmat(mat_path)["labels"].reshape(-1)
        labels = {f"image_{i + 1:05d}": int(c) for i, c in enumerate(numbers)}
        splits = None
        if (root / "setid.mat").is_file():
            setid = loadmat(root / "setid.mat")
            splits = {
                f"image_{int(i):05d}": name
                for name, key in _SETID_KEYS.items()
                for i in setid[key].reshape(-1)
            }
        return labels, splits
    return None, None
