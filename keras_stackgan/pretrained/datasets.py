"""The training data of each shipped preset, assembled from the shared real-data folders.

- ``cub``: ``birds`` (CUB images with Reed et al.'s 10 human captions each, StackGAN's split)
  plus ``bird_crops100`` (CUB bird crops of 100 species, captioned by
  ``CUBAttributeCaptioner`` from CUB's class-level attribute table). Class ids are CUB's
  (0-based, 200 classes), so wrong images are drawn across both folders by species.
- ``flowers``: Oxford-102 at 64x64 with class-name captions from ``ClassNameCaptioner``.

Every preset holds out the test split of each source (``split="test"`` reads it back).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from keras_stackgan.data import (
    ClassNameCaptioner,
    CUBAttributeCaptioner,
    ImageRecord,
    load_cat_to_name,
    read_cub,
    read_cub_crops,
    read_oxford102,
)
from keras_stackgan.data.class_captions import readable_class_name
from keras_stackgan.data.cub import find_cub_dir, read_cub_classes

# Seed of the attribute captions attached to class-only bird crops (part of the preset).
ATTRIBUTE_CAPTION_SEED = 0


def cub_records(data_dir: str | os.PathLike, split: str = "train") -> list[ImageRecord]:
    """Records of the ``cub`` preset: ``data_dir/birds`` + ``data_dir/bird_crops100``.

    Args:
        data_dir: folder holding ``birds/`` (StackGAN layout) and, optionally,
            ``bird_crops100/``.
        split: ``"train"`` or ``"test"``.

    Returns:
        list of ``ImageRecord`` with captions and CUB class ids (0-based).
    """
    data_dir = Path(data_dir)
    birds = data_dir / "birds"
    records = list(read_cub(birds, split).records)
    crops_dir = data_dir / "bird_crops100"
    if crops_dir.is_dir():
        cub_dir = find_cub_dir(birds)
        by_name = {
            readable_class_name(name): number - 1
            for number, name in read_cub_classes(cub_dir).items()
        }
        captioner = CUBAttributeCaptioner.from_cub_dir(cub_dir)
        crops = captioner.attach(
            read_cub_crops(crops_dir, split).records, seed=ATTRIBUTE_CAPTION_SEED
        )
        records += [
            dataclasses.replace(r, class_id=by_name[readable_class_name(r.class_name)])
            for r in crops
        ]
    return records


def flowers_records(data_dir: str | os.PathLike, split: str = "train") -> list[ImageRecord]:
    """Records of the ``flowers`` preset: ``data_dir/flowers`` with class-name captions.

    Args:
        data_dir: folder holding ``flowers/`` (``jpg/``, ``labels.csv``, ``cat_to_name.json``).
        split: ``"train"``, ``"valid"`` or ``"test"``.
    """
    root = Path(data_dir) / "flowers"
    records = read_oxford102(root, split).records
    names = {k - 1: v for k, v in load_cat_to_name(root / "cat_to_name.json").items()}
    return ClassNameCaptioner(names, noun="flower").attach(records)


PRESET_RECORDS = {"cub": cub_records, "flowers": flowers_records}


def preset_records(
    dataset: str, data_dir: str | os.PathLike, split: str = "train"
) -> list[ImageRecord]:
    """Records of the preset data ``dataset`` (``"cub"`` or ``"flowers"``)."""
    if dataset not in PRESET_RECORDS:
        raise ValueError(f"Unknown preset dataset {dataset!r}; available: {sorted(PRESET_RECORDS)}")
    return PRESET_RECORDS[dataset](data_dir, split)
