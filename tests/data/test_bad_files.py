"""Every bad data file of issue 15, made by the test, in every reader (CUB, CUB crops,
Oxford-102, image folders).

Unusable files (truncated JPEG, zero bytes, a text file named ``.jpg``, a missing, empty or
duplicate entry) are skipped and counted in the reader's problem report, or with
``on_error="raise"`` refused by a ``DataError`` naming the file. Unusual but valid images
(1x1, grayscale, CMYK, RGBA, 16-bit PNG) and captions in invalid UTF-8 are kept, and the
pipeline decodes every kept image to RGB ``[64, 64, 3]``: nothing fails mid-epoch.
"""

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from keras_stackgan.data import (
    DataError,
    read_cub,
    read_cub_crops,
    read_image_folder,
    read_oxford102,
)
from keras_stackgan.data.image_ops import load_image
from tests.data import layouts

pytestmark = pytest.mark.filterwarnings("ignore::keras_stackgan.data.DataWarning")


def folder_layout(root):
    for i, color in enumerate(layouts.CLASS_COLORS[:3]):
        layouts.write_image(root / f"photo_{i}.jpg", color)
        layouts.write_lines(root / f"photo_{i}.txt", [f"a photo number {i}"])
    return root


# reader name -> (make layout, read, relative path of one image, of its caption file or None)
READERS = {
    "cub": (
        layouts.make_cub,
        lambda root, **kw: read_cub(root, "train", **kw),
        f"CUB_200_2011/images/{layouts.cub_key(3)}.jpg",
        f"text_c10/{layouts.cub_key(3)}.txt",
    ),
    "cub_crops": (
        layouts.make_cub_crops,
        lambda root, **kw: read_cub_crops(root, **kw),
        "images/Alpha_Bird/0000.jpg",
        None,
    ),
    "oxford102": (
        lambda root: layouts.make_flowers(root, with_text=True),
        lambda root, **kw: read_oxford102(root, **kw),
        "jpg/image_00001.jpg",
        "text_c10/class_00001/image_00001.txt",
    ),
    "folder": (
        folder_layout,
        lambda root, **kw: read_image_folder(root, **kw),
        "photo_0.jpg",
        "photo_0.txt",
    ),
}


def truncated_jpeg(path):
    layouts.write_noise_image(path, size=(64, 64))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


UNUSABLE_IMAGES = {
    "truncated JPEG": (truncated_jpeg, "truncated image"),
    "zero-byte file": (lambda path: path.write_bytes(b""), "empty image file"),
    "text file named .jpg": (
        lambda path: path.write_text("not an image\n", encoding="utf-8"),
        "unreadable image",
    ),
}


def baseline(name, tmp_path):
    make, read, image, caption = READERS[name]
    root = make(tmp_path / name)
    if name == "cub":  # without the layout's key of a missing image, so strict mode reads on
        keys = [layouts.cub_key(i) for i in range(3, 9)]
        layouts.write_pickle(root / "train" / "filenames.pickle", keys)
    records, report = read(root)
    return root, read, image, caption, len(records), report.skipped_by_reason()


def assert_one_more_skip(before, after, reason):
    expected = dict(before)
    expected[reason] = expected.get(reason, 0) + 1
    assert after == expected


@pytest.mark.parametrize("reader", READERS)
def test_unusable_images_are_skipped_and_counted_or_refused(tmp_path, reader):
    root, read, image, _, count, skipped = baseline(reader, tmp_path)
    for case, (write, reason) in UNUSABLE_IMAGES.items():
        write(root / image)
        records, report = read(root)
        assert len(records) == count - 1, case
        assert_one_more_skip(skipped, report.skipped_by_reason(), reason)
        assert str(root / image) in {str(p.path) for p in report.skipped}, case
        with pytest.raises(DataError, match=str(root / image).replace(".", r"\.")):
            read(root, on_error="raise")


@pytest.mark.parametrize("reader", [r for r in READERS if READERS[r][3]])
def test_missing_and_empty_caption_files_are_skipped(tmp_path, reader):
    root, read, image, caption, count, skipped = baseline(reader, tmp_path)
    (root / caption).write_text("", encoding="utf-8")
    records, report = read(root)
    assert len(records) == count - 1
    assert_one_more_skip(skipped, report.skipped_by_reason(), "empty caption file")
    (root / caption).unlink()
    records, report = read(root)
    assert len(records) == count - 1
    assert_one_more_skip(skipped, report.skipped_by_reason(), "missing caption file")
    with pytest.raises(DataError, match=caption.split("/")[-1].replace(".", r"\.")):
        read(root, on_error="raise")


@pytest.mark.parametrize("reader", [r for r in READERS if READERS[r][3]])
def test_invalid_utf8_caption_is_kept_with_a_note(tmp_path, reader):
    root, read, image, caption, count, _ = baseline(reader, tmp_path)
    (root / caption).write_bytes(b"a bird with \xff\xfe wings\nthis one is caf\xe9 brown\n")
    records, report = read(root)
    assert len(records) == count
    record = next(r for r in records if str(r.image_path) == str(root / image))
    assert len(record.captions) == 2 and all(isinstance(c, str) for c in record.captions)
    assert any("UTF-8" in p.reason for p in report.notes)


def write_kind(path, kind):
    """A valid image of an unusual kind at ``path`` (its extension's format)."""
    fmt = "PNG" if path.suffix == ".png" else "JPEG"
    rng = np.random.default_rng(0)
    if kind == "1x1":
        Image.new("RGB", (1, 1), (200, 30, 30)).save(path, fmt)
    elif kind == "grayscale":
        Image.fromarray(rng.integers(0, 256, (40, 30), dtype=np.uint8), "L").save(path, fmt)
    elif kind == "CMYK":
        Image.new("CMYK", (40, 30), (0, 200, 200, 10)).save(path, "JPEG")
    elif kind == "RGBA":
        Image.new("RGBA", (40, 30), (30, 200, 40, 128)).save(path, "PNG")
    elif kind == "16-bit PNG":
        pixels = rng.integers(0, 65536, (40, 30), dtype=np.uint16)
        Image.fromarray(pixels).save(path, "PNG")  # mode I;16
    return path


JPEG_KINDS = ["1x1", "grayscale", "CMYK"]
PNG_KINDS = ["1x1", "grayscale", "RGBA", "16-bit PNG"]


@pytest.mark.parametrize("reader", READERS)
def test_unusual_valid_images_are_kept_and_decode_to_rgb(tmp_path, reader):
    """1x1, grayscale and CMYK JPEGs in every reader (their files are ``.jpg``); in a folder,
    also RGBA and 16-bit PNGs. Each is kept, and ``load_image`` (the pipeline's decoder, with
    and without a crop box) gives uint8 ``[64, 64, 3]``."""
    root, read, image, _, count, skipped = baseline(reader, tmp_path)
    paths = []
    for kind in JPEG_KINDS:
        write_kind(root / image, kind)
        records, report = read(root)
        assert len(records) == count and report.skipped_by_reason() == skipped, kind
        paths.append(write_kind(tmp_path / f"{kind}.jpg", kind))
    if reader == "folder":
        for kind in PNG_KINDS:
            write_kind(root / f"extra_{kind[:2]}.png", kind)
            layouts.write_lines(root / f"extra_{kind[:2]}.txt", [f"a {kind} picture"])
            paths.append(write_kind(tmp_path / f"{kind}.png", kind))
        records, report = read(root)
        assert len(records) == count + len(PNG_KINDS) and report.skipped_by_reason() == skipped
    for path in paths:
        for use_bbox in (False, True):
            out = load_image(
                tf.constant(str(path)), tf.constant([0.0, 0.0, 1.0, 1.0]), use_bbox, 64
            )
            assert out.shape == (64, 64, 3) and out.dtype == tf.uint8, path.name


def test_duplicate_ids_and_split_entries_naming_missing_images(tmp_path):
    """A duplicate id in CUB's ``images.txt`` and in the crops' ``images.txt``, a duplicate
    row in Oxford-102's ``labels.csv``, split files naming images that do not exist: each
    duplicate counted once (or noted), each missing image skipped and counted."""
    cub = layouts.make_cub(tmp_path / "cub")
    images_txt = cub / "CUB_200_2011" / "images.txt"
    lines = images_txt.read_text().splitlines()
    images_txt.write_text("\n".join([*lines, lines[-1]]) + "\n")
    records, report = read_cub(cub, "train")
    assert len({r.key for r in records}) == len(records)
    assert report.skipped_by_reason().get("missing image") == 1  # the pickle's ghost key
    records, report = read_cub(cub, "train", split_source="cub")
    assert len({r.key for r in records}) == len(records)

    crops = layouts.make_cub_crops(tmp_path / "crops")
    with open(crops / "images.txt", "a") as file:
        file.write("0, Alpha_Bird/0000.jpg\n")
    records, report = read_cub_crops(crops)
    assert len({r.key for r in records}) == len(records) == 6
    # (an images.txt entry without its file: test_other_readers.py::test_cub_crops_missing_image)

    flowers = layouts.make_flowers(tmp_path / "flowers")
    with open(flowers / "labels.csv", "a") as file:
        file.write("image_00001.jpg,train,1\nimage_00099.jpg,train,2\n")
    records, report = read_oxford102(flowers, "train")
    assert len({r.key for r in records}) == len(records)
    assert report.skipped_by_reason().get("missing image") == 1
    layouts.write_pickle(
        flowers / "train" / "filenames.pickle",
        ["jpg/image_00004", "jpg/image_00004", "jpg/image_00077"],
    )
    records, report = read_oxford102(flowers, "train")
    assert [r.key for r in records] == ["jpg/image_00004"]
    assert report.skipped_by_reason() == {"missing image": 1}
    assert any("duplicate" in p.reason for p in report.notes)
