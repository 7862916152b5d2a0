"""Tiny datasets in each exact on-disk layout, written by the tests into ``tmp_path``."""

from __future__ import annotations

import json
import pickle
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

# One colour per class, far apart, so a decoded image tells which class it came from.
CLASS_COLORS = [(220, 30, 30), (30, 200, 40), (40, 60, 230), (230, 220, 40), (200, 40, 220)]


def write_image(path: Path, color, size=(48, 36), fmt: str = "JPEG") -> Path:
    """A solid-colour image of ``size`` (width, height)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, tuple(color)).save(path, fmt, quality=95)
    return path


def write_noise_image(path: Path, size=(64, 64), seed: int = 0) -> Path:
    """A random-noise JPEG (large entropy-coded data, so a truncated copy still has a header)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path, "JPEG", quality=95)
    return path


def write_lines(path: Path, lines, newline: str = "\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(newline.join(lines).encode("utf-8") + newline.encode())
    return path


def write_pickle(path: Path, obj, protocol: int = 2) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(obj, protocol=protocol))
    return path


def captions_for(key: str, n: int = 10) -> list[str]:
    return [f"caption {i} of {key.rsplit('/', 1)[-1].lower()}" for i in range(n)]


CUB_CLASSES = ["001.Alpha_Bird", "002.Beta_Bird", "003.Gamma_Bird", "004.Delta_Bird"]
# (image id, class number, file stem); class 004 has no images (like the public subset).
CUB_IMAGES = [
    (1, 1, "Alpha_Bird_0001_1"),
    (2, 1, "Alpha_Bird_0002_2"),
    (3, 2, "Beta_Bird_0001_3"),
    (4, 2, "Beta_Bird_0002_4"),
    (5, 2, "Beta_Bird_0003_5"),
    (6, 3, "Gamma_Bird_0001_6"),
    (7, 3, "Gamma_Bird_0002_7"),
    (8, 3, "Gamma_Bird_0003_8"),
]
CUB_BOX = (4.0, 6.0, 20.0, 14.0)


def cub_key(image_id: int) -> str:
    _, number, stem = CUB_IMAGES[image_id - 1]
    return f"{CUB_CLASSES[number - 1]}/{stem}"


def make_cub(root: Path) -> Path:
    """StackGAN's ``Data/birds``: 8 images of 3 classes, 10 captions each, split pickles.

    ``train/filenames.pickle`` lists the 6 images of classes 002-003 plus one key with no image;
    its ``class_info.pickle`` is longer than the filenames (as in the public subset).
    ``test/filenames.pickle`` lists class 001's 2 images with a matching ``class_info``.
    ``images.txt`` has Windows line endings; ``image_class_labels.txt`` lists 10 ids.
    """
    cub = root / "CUB_200_2011"
    write_lines(cub / "classes.txt", [f"{i + 1} {c}" for i, c in enumerate(CUB_CLASSES)])
    write_lines(
        cub / "images.txt",
        [f"{i} {cub_key(i)}.jpg" for i, _, _ in CUB_IMAGES],
        newline="\r\n",
    )
    write_lines(
        cub / "image_class_labels.txt",
        [f"{i} {c}" for i, c, _ in CUB_IMAGES] + ["9 4", "10 4"],
    )
    write_lines(
        cub / "bounding_boxes.txt", [f"{i} " + " ".join(map(str, CUB_BOX)) for i, *_ in CUB_IMAGES]
    )
    write_lines(
        cub / "train_test_split.txt", [f"{i} {i % 2}" for i, *_ in CUB_IMAGES] + ["9 1", "10 0"]
    )
    for image_id, number, _ in CUB_IMAGES:
        key = cub_key(image_id)
        write_image(cub / "images" / f"{key}.jpg", CLASS_COLORS[number - 1])
        write_lines(root / "text_c10" / f"{key}.txt", captions_for(key))
    train_keys = [cub_key(i) for i in range(3, 9)] + ["003.Gamma_Bird/Gamma_Bird_0099_99"]
    write_pickle(root / "train" / "filenames.pickle", train_keys)
    write_pickle(root / "train" / "class_info.pickle", [np.int64(2)] * 20)
    write_pickle(root / "test" / "filenames.pickle", [cub_key(1), cub_key(2)])
    write_pickle(root / "test" / "class_info.pickle", [np.int64(1), np.int64(1)])
    return root


def make_cub_attributes(cub_dir: Path) -> Path:
    """A 4-class attribute table with a handful of CUB's attribute names."""
    names = [
        "has_bill_shape::cone",
        "has_bill_shape::hooked",
        "has_wing_color::black",
        "has_wing_color::blue",
        "has_crown_color::red",
        "has_crown_color::yellow",
        "has_bill_length::shorter_than_head",
        "has_size::small_(5_-_9_in)",
        "has_primary_color::red",
        "has_breast_pattern::spotted",
    ]
    write_lines(cub_dir / "attributes.txt", [f"{i + 1} {n}" for i, n in enumerate(names)], "\r\n")
    table = [
        [90, 0, 80, 0, 100, 0, 90, 100, 90, 0],  # 001: cone bill, black wings, red crown
        [0, 90, 0, 85, 0, 95, 0, 100, 0, 80],  # 002: hooked bill, blue wings, yellow crown
        [50, 50, 50, 50, 50, 50, 50, 50, 50, 50],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],  # 004: nothing known
    ]
    write_lines(
        cub_dir / "attributes" / "class_attribute_labels_continuous.txt",
        [" ".join(f"{v:.4f}" for v in row) for row in table],
    )
    return cub_dir


def make_cub_crops(root: Path) -> Path:
    """``bird_crops100`` layout: 2 species x 3 crops, comma tables, 0-based, flag 0 = train."""
    species = ["Alpha_Bird", "Beta_Bird"]
    write_lines(root / "classes.txt", [f"{i}, {s}" for i, s in enumerate(species)])
    images, labels, flags = [], [], []
    for image_id in range(6):
        cls = image_id // 3
        relative = f"{species[cls]}/{image_id:04d}.jpg"
        write_image(root / "images" / relative, CLASS_COLORS[cls], size=(32, 32))
        images.append(f"{image_id}, {relative}")
        labels.append(f"{image_id}, {cls}")
        flags.append(f"{image_id}, {int(image_id % 3 == 2)}")
    write_lines(root / "images.txt", images)
    write_lines(root / "image_class_labels.txt", labels)
    write_lines(root / "train_test_split.txt", flags)
    return root


def make_flowers(root: Path, with_text: bool = False) -> Path:
    """Oxford-102 with ``labels.csv`` and ``cat_to_name.json``: 6 images of 3 classes."""
    rows = ["image,split,class_id"]
    splits = ["train", "train", "valid", "train", "test", "train"]
    for i in range(6):
        number = i % 3 + 1
        stem = f"image_{i + 1:05d}"
        write_image(root / "jpg" / f"{stem}.jpg", CLASS_COLORS[number - 1], size=(24, 24))
        rows.append(f"{stem}.jpg,{splits[i]},{number}")
        if with_text:
            write_lines(
                root / "text_c10" / f"class_{number:05d}" / f"{stem}.txt", captions_for(stem)
            )
    write_lines(root / "labels.csv", rows)
    (root / "cat_to_name.json").write_text(
        json.dumps({"1": "pink primrose", "2": "english marigold", "3": "fire lily"})
    )
    return root


def make_coco(root: Path, split: str = "val2017") -> Path:
    """COCO captions JSON for 3 images (5, 6 and 0 captions) plus one orphan caption."""
    images, annotations = [], []
    for n, (image_id, count) in enumerate([(11, 5), (22, 6), (33, 0)]):
        name = f"{image_id:012d}.jpg"
        write_image(root / split / name, CLASS_COLORS[n], size=(40, 30))
        images.append({"id": image_id, "file_name": name, "width": 40, "height": 30})
        for c in range(count):
            annotations.append(
                {"id": image_id * 100 + c, "image_id": image_id, "caption": f" A photo {c}.\n"}
            )
    annotations.append({"id": 999, "image_id": 12345, "caption": "orphan"})
    (root / "annotations").mkdir(parents=True, exist_ok=True)
    (root / "annotations" / f"captions_{split}.json").write_text(
        json.dumps({"info": {}, "licenses": [], "images": images, "annotations": annotations})
    )
    return root


class HashingEncoder:
    """A tiny text encoder for tests: hashed bag of words, L2-normalised, float32."""

    def __init__(self, embedding_dim: int = 16, name: str = "hashing_bow"):
        self.embedding_dim = embedding_dim
        self.name = name
        self.calls = 0
        self.encoded = 0

    def encode(self, texts):
        self.calls += 1
        self.encoded += len(texts)
        out = np.zeros((len(texts), self.embedding_dim), np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, zlib.crc32(word.encode()) % self.embedding_dim] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
