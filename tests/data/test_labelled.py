"""Labelled Oxford-102 and CUB-crop image sets for class-conditional GANs, and their batches."""

import numpy as np
import pytest

from keras_stackgan.data import (
    DataError,
    LabelledImages,
    load_labelled_cub_crops,
    load_labelled_oxford102,
    make_labelled_dataset,
)
from tests.data import layouts


def dominant_channel(images):
    """Index of the strongest colour channel of each image (the fixtures are solid colours)."""
    return images.reshape(len(images), -1, 3).mean(axis=1).argmax(axis=1)


def test_labelled_oxford102(tmp_path):
    root = layouts.make_flowers(tmp_path / "flowers")
    data = load_labelled_oxford102(root, "train", image_size=16)
    assert isinstance(data, LabelledImages)
    images, labels, names = data
    # train rows of make_flowers: images 1, 2, 4, 6 with classes 1, 2, 1, 3.
    assert images.shape == (4, 16, 16, 3) and images.dtype == np.uint8
    assert labels.dtype == np.int32 and labels.tolist() == [0, 1, 0, 2]
    assert names == ["pink primrose", "english marigold", "fire lily"]
    # CLASS_COLORS: red, green, blue; the decoded colour tells the class.
    assert dominant_channel(images).tolist() == [0, 1, 0, 2]
    test = load_labelled_oxford102(root, "test", image_size=16)
    assert test.labels.tolist() == [1] and test.class_names == names  # all classes, any split
    assert load_labelled_oxford102(root, "train", num_classes=102).class_names[101] == "class 102"


def test_labelled_oxford102_without_names_and_bad_class(tmp_path):
    root = layouts.make_flowers(tmp_path / "flowers")
    (root / "cat_to_name.json").unlink()
    assert load_labelled_oxford102(root, "train").class_names == ["class 1", "class 2", "class 3"]
    with pytest.raises(DataError, match=r"label 2 of item 3 is outside 0\.\.1") as info:
        load_labelled_oxford102(root, "train", num_classes=2)
    assert info.value.path.endswith("labels.csv")


def test_labelled_cub_crops(tmp_path):
    root = layouts.make_cub_crops(tmp_path / "crops")
    images, labels, names = load_labelled_cub_crops(root, "train", image_size=8)
    # make_cub_crops: 2 species x 3 crops, flag 0 (train) for the first two of each.
    assert images.shape == (4, 8, 8, 3) and labels.tolist() == [0, 0, 1, 1]
    assert names == ["Alpha_Bird", "Beta_Bird"]
    assert dominant_channel(images).tolist() == [0, 0, 1, 1]
    test = load_labelled_cub_crops(root, "test", image_size=8)
    assert test.labels.tolist() == [0, 1]


def test_labelled_dataset_on_flowers(tmp_path):
    root = layouts.make_flowers(tmp_path / "flowers")
    images, labels, names = load_labelled_oxford102(root, None, image_size=16)
    dataset = make_labelled_dataset(
        images, labels, batch_size=3, num_classes=len(names), image_size=8, flip=True, seed=0
    )
    out = [(x.numpy(), y.numpy()) for x, y in dataset]
    assert len(out) == 2
    x, y = out[0]
    assert x.shape == (3, 8, 8, 3) and x.dtype == np.float32 and y.dtype == np.int32
    assert x.min() >= -1 and x.max() <= 1
    # The solid colour survives resizing and flipping, so labels still match the images.
    for x, y in out:
        assert dominant_channel(x + 1).tolist() == y.tolist()


def test_shared_labelled_sets(shared_data):
    flowers = load_labelled_oxford102(shared_data / "flowers", "test", verify="none")
    assert flowers.images.shape == (819, 64, 64, 3) and len(flowers.class_names) == 102
    assert flowers.labels.min() >= 0 and flowers.labels.max() <= 101
    crops = load_labelled_cub_crops(
        shared_data / "bird_crops100", "test", image_size=16, verify="none"
    )
    assert crops.images.shape == (2903, 16, 16, 3) and len(crops.class_names) == 100
    assert crops.class_names[0] == "Black_footed_Albatross"


def test_endless_seeded_stream_resumes_at_an_epoch():
    """With a seed and repeat, epoch e's batches do not depend on where the stream started."""
    from keras_stackgan.data import make_labelled_dataset

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (10, 4, 4, 3), dtype=np.uint8)
    labels = np.arange(10) % 3
    kwargs = dict(batch_size=4, seed=7, repeat=True, flip=True)
    straight = [b for b in make_labelled_dataset(images, labels, **kwargs).take(6)]
    resumed = [b for b in make_labelled_dataset(images, labels, initial_epoch=1, **kwargs).take(4)]
    for (x, y), (rx, ry) in zip(straight[2:], resumed):  # 2 batches per epoch
        np.testing.assert_array_equal(x.numpy(), rx.numpy())
        np.testing.assert_array_equal(y.numpy(), ry.numpy())
    assert not np.array_equal(straight[0][1].numpy(), straight[2][1].numpy())
