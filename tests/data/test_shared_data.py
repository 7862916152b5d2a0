"""Integration tests on the real subsets in ``../shared/data`` (skipped when absent).

The expected counts are those of ``../shared/data/README.md``.
"""

import numpy as np
import pytest

from keras_stackgan.data import (
    ClassNameCaptioner,
    CUBAttributeCaptioner,
    DataWarning,
    EmbeddingCache,
    load_cat_to_name,
    load_pickle,
    make_stackgan_dataset,
    read_coco,
    read_cub,
    read_cub_crops,
    read_oxford102,
)
from tests.data.layouts import HashingEncoder


def test_birds_counts(shared_data):
    birds = shared_data / "birds"
    train, report = read_cub(birds, "train")
    assert len(train) == 275 and report.num_skipped == 0
    # The 8,855-entry class_info.pickle does not match the 275 filenames: noted, not fatal.
    assert any("8855 class numbers for 275 filenames" in p.reason for p in report.notes)
    assert {r.class_id for r in train} == {1, 2, 4, 6, 9}  # classes 002, 003, 005, 007, 010
    assert all(len(r.captions) == 10 and r.bbox is not None for r in train)
    with pytest.warns(DataWarning, match="2665 skipped"):
        test, report = read_cub(birds, "test")
    assert len(test) == 268 and report.num_skipped == 2933 - 268
    assert report.skipped_by_reason() == {"missing image": 2665}
    everything, report = read_cub(birds, None)
    assert len(everything) == 543 and report.num_skipped == 0
    assert {r.class_id for r in everything} == set(range(10))
    # Reed's captions with mangled spaces are repaired, not dropped.
    assert all("\ufffd" not in c for r in everything for c in r.captions)
    assert len(load_pickle(birds / "train" / "class_info.pickle")) == 8855


def test_bird_crops_counts_and_attribute_captions(shared_data):
    records, report = read_cub_crops(shared_data / "bird_crops100")
    assert len(records) == 5902 and report.num_skipped == 0
    assert len({r.class_id for r in records}) == 100
    assert len(read_cub_crops(shared_data / "bird_crops100", "train").records) == 2999
    assert len(read_cub_crops(shared_data / "bird_crops100", "test").records) == 2903
    captioner = CUBAttributeCaptioner.from_cub_dir(shared_data / "birds" / "CUB_200_2011")
    assert captioner.class_table.shape == (200, 312)
    # Every species name resolves to its CUB class.
    species = {r.class_name for r in records}
    assert len({captioner.class_index(name) for name in species}) == 100
    captioned = captioner.attach(records[:50], num_captions=10, seed=0)
    assert all(len(r.captions) == 10 and "bird" in r.captions[0] for r in captioned)


def test_flowers_counts(shared_data):
    flowers = shared_data / "flowers"
    records, report = read_oxford102(flowers)
    assert len(records) == 8189 and report.num_skipped == 0
    assert {r.class_id for r in records} == set(range(102))
    counts = {s: len(read_oxford102(flowers, s).records) for s in ("train", "valid", "test")}
    assert counts == {"train": 6552, "valid": 818, "test": 819}
    names = load_cat_to_name(flowers / "cat_to_name.json")
    assert len(names) == 102 and records[0].class_name == names[records[0].class_id + 1]
    captioned = ClassNameCaptioner(noun="flower").attach(records[:3])
    assert captioned[0].captions[0].startswith("a photo of a")


def test_coco_counts(shared_data):
    train, report = read_coco(shared_data / "coco_mini", "train2017")
    val, _ = read_coco(shared_data / "coco_mini", "val2017")
    assert (len(train), len(val)) == (80, 79) and report.num_skipped == 0
    assert all(len(r.captions) == 5 for r in train + val)


def test_birds_pipeline_end_to_end(shared_data, tmp_path):
    records, _ = read_cub(shared_data / "birds", "train")
    encoder = HashingEncoder(embedding_dim=32)
    embeddings = EmbeddingCache(tmp_path).embed_records(records, encoder, "birds_train")
    assert embeddings.values.shape == (2750, 32)
    dataset = make_stackgan_dataset(
        records, embeddings, batch_size=16, seed=0, extras=("class_id", "wrong_class_id")
    )
    real, text, wrong, extra = next(iter(dataset))
    assert real.shape == (16, 64, 64, 3) and text.shape == (16, 32)
    assert -1.0 <= float(np.min(real)) and float(np.max(wrong)) <= 1.0
    assert np.all(extra["class_id"].numpy() != extra["wrong_class_id"].numpy())


def test_flowers_pipeline_stage2_from_disk(shared_data):
    records, _ = read_oxford102(shared_data / "flowers", "valid")
    records = ClassNameCaptioner(noun="flower").attach(records)
    dense = np.random.default_rng(0).normal(size=(len(records), 6, 8)).astype(np.float32)
    dataset = make_stackgan_dataset(records, dense, batch_size=8, image_size=256, cache="none")
    real, text, wrong = next(iter(dataset))
    assert real.shape == (8, 256, 256, 3) and wrong.shape == (8, 256, 256, 3)
