import pickle

import numpy as np
import pytest

from keras_stackgan.data import (
    DataError,
    DataWarning,
    read_coco,
    read_cub_crops,
    read_image_folder,
    read_manifest,
    read_oxford102,
)
from tests.data import layouts


def test_cub_crops_splits_and_classes(tmp_path):
    root = layouts.make_cub_crops(tmp_path / "crops")
    records, report = read_cub_crops(root)
    assert len(records) == 6 and report.num_skipped == 0
    assert [r.class_id for r in records] == [0, 0, 0, 1, 1, 1]
    assert records[3].class_name == "Beta_Bird" and records[3].key == "Beta_Bird/0003"
    assert records[0].bbox is None and records[0].captions == ()
    train, _ = read_cub_crops(root, "train")  # flag 0 marks training images by default
    test, _ = read_cub_crops(root, "test")
    assert (len(train), len(test)) == (4, 2)
    assert [r.key for r in test] == ["Alpha_Bird/0002", "Beta_Bird/0005"]
    assert len(read_cub_crops(root, "train", train_flag=1).records) == 2


def test_cub_crops_missing_image(tmp_path):
    root = layouts.make_cub_crops(tmp_path / "crops")
    (root / "images" / "Alpha_Bird" / "0001.jpg").unlink()
    with pytest.warns(DataWarning):
        records, report = read_cub_crops(root)
    assert len(records) == 5 and report.skipped_by_reason() == {"missing image": 1}


def test_flowers_labels_csv(tmp_path):
    root = layouts.make_flowers(tmp_path / "flowers")
    records, report = read_oxford102(root)
    assert len(records) == 6 and report.num_skipped == 0
    assert records[0].key == "jpg/image_00001" and records[0].class_id == 0
    assert records[1].class_name == "english marigold" and records[0].captions == ()
    counts = {s: len(read_oxford102(root, s).records) for s in ("train", "valid", "test")}
    assert counts == {"train": 4, "valid": 1, "test": 1}


def test_flowers_reed_captions_and_stackgan_pickle(tmp_path):
    root = layouts.make_flowers(tmp_path / "flowers", with_text=True)
    (root / "text_c10" / "class_00003" / "image_00006.txt").unlink()
    with pytest.warns(DataWarning, match="1 skipped"):
        records, report = read_oxford102(root)
    assert len(records) == 5 and report.skipped_by_reason() == {"missing caption file": 1}
    assert records[0].captions == tuple(layouts.captions_for("jpg/image_00001"))
    layouts.write_pickle(
        root / "train" / "filenames.pickle", ["jpg/image_00004", "jpg/image_00002"]
    )
    records, _ = read_oxford102(root, "train")
    assert [r.key for r in records] == ["jpg/image_00004", "jpg/image_00002"]
    assert [r.class_id for r in records] == [0, 1]


def test_flowers_matlab_labels(tmp_path):
    scipy_io = pytest.importorskip("scipy.io")
    root = layouts.make_flowers(tmp_path / "flowers")
    (root / "labels.csv").unlink()
    scipy_io.savemat(root / "imagelabels.mat", {"labels": np.array([[1, 2, 3, 1, 2, 3]])})
    scipy_io.savemat(
        root / "setid.mat",
        {"trnid": np.array([[1, 2, 4]]), "valid": np.array([[3]]), "tstid": np.array([[5, 6]])},
    )
    records, _ = read_oxford102(root, "test")
    assert [r.key for r in records] == ["jpg/image_00005", "jpg/image_00006"]
    assert [r.class_id for r in records] == [1, 2]


def test_flowers_without_labels_is_a_clear_error(tmp_path):
    root = layouts.make_flowers(tmp_path / "flowers")
    (root / "labels.csv").unlink()
    with pytest.raises(FileNotFoundError, match="No class labels"):
        read_oxford102(root)


def test_coco_groups_captions_and_skips_uncaptioned(tmp_path):
    root = layouts.make_coco(tmp_path / "coco")
    with pytest.warns(DataWarning, match="1 skipped"):
        records, report = read_coco(root, "val2017")
    assert [len(r.captions) for r in records] == [5, 6]
    assert records[0].captions[0] == "A photo 0." and records[0].class_id == -1
    assert records[0].key == "000000000011"
    assert report.skipped_by_reason() == {"no caption in the annotation file": 1}
    assert any("unknown image 12345" in p.reason for p in report.notes)
    with pytest.raises(DataError, match="000000000033.jpg"):
        read_coco(root, "val2017", on_error="raise")


def test_coco_rejects_other_json(tmp_path):
    (tmp_path / "annotations").mkdir()
    (tmp_path / "annotations" / "captions_x.json").write_text('{"images": []}')
    with pytest.raises(DataError, match="COCO captions JSON"):
        read_coco(tmp_path, "x")


def test_image_folder_with_sibling_captions(tmp_path):
    root = tmp_path / "mine"
    for name, color in [("cats/a", 0), ("cats/b", 0), ("dogs/c", 1)]:
        layouts.write_image(root / f"{name}.jpg", layouts.CLASS_COLORS[color])
        layouts.write_lines(root / f"{name}.txt", [f"a photo of {name}", "another line"], "\r\n")
    layouts.write_image(root / "loose.png", (1, 2, 3), fmt="PNG")
    (root / "loose.txt").write_text("")
    with pytest.warns(DataWarning, match="empty caption file"):
        records, report = read_image_folder(root)
    assert [r.key for r in records] == ["cats/a", "cats/b", "dogs/c"]
    assert records[0].captions == ("a photo of cats/a", "another line")
    assert all(r.class_id == -1 for r in records)
    with pytest.warns(DataWarning, match="not in a class subfolder"):
        records, _ = read_image_folder(root, class_from_subfolder=True)
    assert [(r.class_id, r.class_name) for r in records] == [(0, "cats"), (0, "cats"), (1, "dogs")]


def test_csv_manifest_merges_rows(tmp_path):
    for name in ("x", "y"):
        layouts.write_image(tmp_path / "img" / f"{name}.jpg", (9, 9, 9))
    (tmp_path / "m.csv").write_text(
        'image,caption,class\nimg/x.jpg,"a red, round thing",fruit\nimg/x.jpg,second,fruit\n'
        "img/y.jpg,,veg\nimg/z.jpg,missing file,veg\n"
    )
    with pytest.warns(DataWarning, match="2 skipped"):
        records, report = read_manifest(tmp_path / "m.csv")
    assert len(records) == 1 and records[0].captions == ("a red, round thing", "second")
    assert records[0].class_name == "fruit" and records[0].class_id == 0
    assert report.skipped_by_reason() == {"no caption (manifest line 4)": 1, "missing image": 1}


def test_jsonl_manifest(tmp_path):
    layouts.write_image(tmp_path / "a.png", (1, 1, 1), fmt="PNG")
    layouts.write_image(tmp_path / "b.jpg", (1, 1, 1))
    (tmp_path / "m.jsonl").write_text(
        '{"image": "a.png", "captions": ["one", "two"], "split": "train"}\n'
        "not json\n"
        '{"image": "b.jpg", "caption": "three"}\n'
    )
    with pytest.warns(DataWarning, match="invalid JSON line"):
        records, _ = read_manifest(tmp_path / "m.jsonl")
    assert [r.captions for r in records] == [("one", "two"), ("three",)]
    assert records[0].split == "train" and records[1].class_id == -1


def test_manifest_without_caption_column(tmp_path):
    (tmp_path / "m.csv").write_text("image,label\na.jpg,1\n")
    with pytest.raises(DataError, match="caption column"):
        read_manifest(tmp_path / "m.csv")


def test_split_pickle_must_be_list_of_str(tmp_path):
    root = layouts.make_flowers(tmp_path / "flowers")
    (root / "train").mkdir()
    (root / "train" / "filenames.pickle").write_bytes(pickle.dumps({1: 2}, protocol=2))
    with pytest.raises(DataError, match="list of str"):
        read_oxford102(root, "train")
