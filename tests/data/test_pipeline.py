import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.data import (
    CaptionEmbeddings,
    DataWarning,
    ImageRecord,
    make_stackgan_dataset,
    pipeline,
    steps_per_epoch,
)
from tests.data import layouts

NUM_CLASSES = 4
PER_CLASS = 3


@pytest.fixture
def dataset_parts(tmp_path):
    """12 solid-colour images of 4 classes; record i has 2 + i % 3 captions.

    Every caption gets a one-hot embedding (row r of the identity), so an embedding tells
    exactly which captions were chosen.
    """
    records, counts = [], []
    for i in range(NUM_CLASSES * PER_CLASS):
        cls = i // PER_CLASS
        path = layouts.write_image(tmp_path / f"{i}.jpg", layouts.CLASS_COLORS[cls], size=(40, 30))
        count = 2 + i % 3
        captions = tuple(f"caption {j} of image {i}" for j in range(count))
        records.append(
            ImageRecord(str(path), f"img{i}", cls, captions, bbox=(5.0, 5.0, 20.0, 15.0))
        )
        counts.append(count)
    splits = np.concatenate([[0], np.cumsum(counts)])
    embeddings = CaptionEmbeddings(np.eye(splits[-1], dtype=np.float32), splits)
    return records, embeddings


def as_numpy(dataset):
    return [tf.nest.map_structure(lambda t: t.numpy(), batch) for batch in dataset]


def class_of_color(images):
    """Nearest class colour of each image's mean colour ([B, S, S, 3] in [-1, 1])."""
    means = (images.mean(axis=(1, 2)) + 1.0) * 127.5
    palette = np.array(layouts.CLASS_COLORS[:NUM_CLASSES], np.float32)
    return np.argmin(((means[:, None] - palette[None]) ** 2).sum(-1), axis=1)


def test_batches_shapes_dtypes_and_ranges(dataset_parts):
    records, embeddings = dataset_parts
    dataset = make_stackgan_dataset(records, embeddings, batch_size=5, seed=0)
    batches = as_numpy(dataset)
    assert len(batches) == 2 == steps_per_epoch(12, 5)
    real, text, wrong = batches[0]
    assert real.shape == (5, 64, 64, 3) and wrong.shape == (5, 64, 64, 3)
    assert text.shape == (5, embeddings.embedding_dim)
    assert real.dtype == text.dtype == wrong.dtype == np.float32
    assert real.min() >= -1.0 and real.max() <= 1.0 and wrong.min() >= -1.0
    spec = dataset.element_spec
    assert spec[0].shape.as_list() == [5, 64, 64, 3] and spec[1].shape.as_list() == [5, 36]


def test_real_and_wrong_images_classes_and_captions(dataset_parts):
    records, embeddings = dataset_parts
    extras = ("class_id", "wrong_class_id", "index", "wrong_index", "caption")
    dataset = make_stackgan_dataset(records, embeddings, batch_size=4, seed=1, extras=extras)
    chosen = {i: set() for i in range(len(records))}
    for _ in range(6):
        for real, text, wrong, extra in as_numpy(dataset):
            index = extra["index"]
            np.testing.assert_array_equal(extra["class_id"], [records[i].class_id for i in index])
            np.testing.assert_array_equal(class_of_color(real), extra["class_id"])
            np.testing.assert_array_equal(class_of_color(wrong), extra["wrong_class_id"])
            assert np.all(extra["wrong_class_id"] != extra["class_id"])
            for row, i in enumerate(index):
                start, stop = embeddings.row_splits[i : i + 2]
                (hot,) = np.flatnonzero(text[row])
                assert start <= hot < stop and text[row, hot] == 1.0
                chosen[i].add(hot - start)
                assert extra["caption"][row].decode() == records[i].captions[hot - start]
    # Over 6 epochs most records were seen with more than one of their captions.
    assert sum(len(c) > 1 for c in chosen.values()) >= 8


def test_mean_of_several_captions(dataset_parts):
    records, embeddings = dataset_parts
    dataset = make_stackgan_dataset(
        records, embeddings, batch_size=12, seed=2, captions_per_example=4, extras=("index",)
    )
    ((_, text, _, extra),) = as_numpy(dataset)
    for row, i in enumerate(extra["index"]):
        count = len(records[i].captions)
        k = min(4, count)
        start, stop = embeddings.row_splits[i : i + 2]
        nonzero = np.flatnonzero(text[row])
        assert len(nonzero) == k and np.all((start <= nonzero) & (nonzero < stop))
        np.testing.assert_allclose(text[row, nonzero], 1.0 / k)


def test_deterministic_under_seed(dataset_parts):
    records, embeddings = dataset_parts

    def two_epochs(seed, **kwargs):
        dataset = make_stackgan_dataset(records, embeddings, batch_size=4, seed=seed, **kwargs)
        return as_numpy(dataset) + as_numpy(dataset)

    first, again = two_epochs(7), two_epochs(7)
    for a, b in zip(first, again, strict=True):
        for x, y in zip(a, b, strict=True):
            np.testing.assert_array_equal(x, y)
    # Epochs differ from each other, and another seed gives other batches.
    assert not np.array_equal(first[0][0], first[3][0])
    assert not np.array_equal(first[0][1], two_epochs(8)[0][1])
    # Decoding from disk every epoch gives exactly what the in-memory bank gives.
    for a, b in zip(first, two_epochs(7, cache="none"), strict=True):
        for x, y in zip(a, b, strict=True):
            np.testing.assert_array_equal(x, y)


def test_records_without_classes_get_a_different_image(dataset_parts):
    records, embeddings = dataset_parts
    records = [ImageRecord(r.image_path, r.key, -1, r.captions) for r in records]
    dataset = make_stackgan_dataset(
        records, embeddings, batch_size=6, seed=3, extras=("index", "wrong_index")
    )
    for _ in range(5):
        for *_, extra in as_numpy(dataset):
            assert np.all(extra["index"] != extra["wrong_index"])


def test_single_class_warns_and_uses_other_images(dataset_parts):
    records, embeddings = dataset_parts
    records = [ImageRecord(r.image_path, r.key, 0, r.captions) for r in records]
    with pytest.warns(DataWarning, match="same class"):
        dataset = make_stackgan_dataset(
            records, embeddings, batch_size=6, seed=3, extras=("index", "wrong_index")
        )
    for *_, extra in as_numpy(dataset):
        assert np.all(extra["index"] != extra["wrong_index"])


def test_drop_remainder_repeat_and_unshuffled_order(dataset_parts):
    records, embeddings = dataset_parts
    kwargs = dict(batch_size=5, seed=0, shuffle=False, extras=("index",))
    batches = as_numpy(make_stackgan_dataset(records, embeddings, drop_remainder=False, **kwargs))
    assert [len(b[0]) for b in batches] == [5, 5, 2]
    np.testing.assert_array_equal(np.concatenate([b[3]["index"] for b in batches]), range(12))
    assert steps_per_epoch(12, 5, drop_remainder=False) == 3
    repeated = make_stackgan_dataset(records, embeddings, repeat=True, **kwargs)
    assert len(as_numpy(repeated.take(7))) == 7


def test_stage2_size_and_bbox_off(dataset_parts):
    records, embeddings = dataset_parts
    dataset = make_stackgan_dataset(
        records[:4], embeddings.select(range(4)), batch_size=2, image_size=256, bbox_crop=False
    )
    real, text, wrong = next(iter(dataset))
    assert real.shape == (2, 256, 256, 3) and wrong.shape == (2, 256, 256, 3)


def test_dense_precomputed_style_embeddings(dataset_parts):
    records, _ = dataset_parts
    dense = np.random.default_rng(0).normal(size=(12, 10, 8)).astype(np.float32)
    dataset = make_stackgan_dataset(records, dense, batch_size=3, seed=0, extras=("index",))
    for _, text, _, extra in as_numpy(dataset):
        for row, i in enumerate(extra["index"]):
            assert np.isclose(dense[i], text[row]).all(axis=1).any()


def test_argument_errors(dataset_parts):
    records, embeddings = dataset_parts
    with pytest.raises(ValueError, match="aligned"):
        make_stackgan_dataset(records[:5], embeddings)
    with pytest.raises(ValueError, match="at least 2"):
        make_stackgan_dataset(records[:1], embeddings.select([0]))
    with pytest.raises(ValueError, match="Unknown extras"):
        make_stackgan_dataset(records, embeddings, extras=("label",))
    with pytest.raises(ValueError, match="load_size"):
        make_stackgan_dataset(records, embeddings, image_size=64, load_size=32)
    with pytest.raises(ValueError, match="no caption embedding"):
        CaptionEmbeddings(np.zeros((2, 3)), [0, 2, 2])


def test_mirrored_strategy_distribution(dataset_parts):
    records, embeddings = dataset_parts
    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    global_batch = 4 * strategy.num_replicas_in_sync
    dataset = make_stackgan_dataset(records, embeddings, batch_size=global_batch, seed=0)
    distributed = strategy.experimental_distribute_dataset(dataset)
    count = 0
    for real, text, _wrong in distributed:
        local = strategy.experimental_local_results(real)
        assert sum(t.shape[0] for t in local) == global_batch
        assert local[0].shape[1:] == (64, 64, 3) and local[0].dtype == tf.float32
        assert strategy.experimental_local_results(text)[0].shape[1] == 36
        count += 1
    assert count == 3


class TinyMatcher(keras.Model):
    """Scores (image, text) pairs; trained to tell real pairs from wrong ones."""

    def __init__(self):
        super().__init__(name="tiny_matcher")
        self.image_head = keras.layers.Dense(8)
        self.text_head = keras.layers.Dense(8)
        self.loss_tracker = keras.metrics.Mean(name="loss")

    def call(self, inputs):
        images, text = inputs
        pooled = keras.ops.mean(images, axis=(1, 2))
        return keras.ops.sum(self.image_head(pooled) * self.text_head(text), axis=-1)

    def train_step(self, data):
        real, text, wrong = data
        with tf.GradientTape() as tape:
            loss = keras.ops.mean(
                keras.ops.softplus(-self((real, text))) + keras.ops.softplus(self((wrong, text)))
            )
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    @property
    def metrics(self):
        return [self.loss_tracker]


def test_model_fit_consumes_the_dataset(dataset_parts):
    records, embeddings = dataset_parts
    dataset = make_stackgan_dataset(records, embeddings, batch_size=4, seed=0)
    model = TinyMatcher()
    model.compile(optimizer=keras.optimizers.Adam(1e-2))
    history = model.fit(dataset, epochs=2, verbose=0, shuffle=False)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
    keras.backend.clear_session()


def test_small_sources_are_banked_at_their_own_size(tmp_path, monkeypatch):
    """Images smaller than the load size: a native-size bank, enlarged per example, gives the
    same batches as decoding every epoch, in a memory budget the full-size bank exceeds."""
    rng = np.random.default_rng(0)
    records = []
    for i in range(6):
        pixels = rng.integers(0, 256, (24, 24, 3), dtype=np.uint8)
        path = tmp_path / f"{i}.png"  # lossless, so both routes decode identical pixels
        keras.utils.save_img(path, pixels)
        records.append(ImageRecord(str(path), f"img{i}", i % 2, ("a caption",)))
    embeddings = np.ones((6, 1, 3), np.float32)
    budget = 6 * 24 * 24 * 3  # the native bank fits, the 76 px bank does not
    sizes = []
    real_load_images = pipeline.load_images
    monkeypatch.setattr(
        pipeline,
        "load_images",
        lambda r, size, **kw: sizes.append(size) or real_load_images(r, size, **kw),
    )
    banked = make_stackgan_dataset(
        records, embeddings, batch_size=3, seed=1, cache="auto", cache_max_bytes=budget
    )
    decoded = make_stackgan_dataset(records, embeddings, batch_size=3, seed=1, cache="none")
    for a, b in zip(as_numpy(banked), as_numpy(decoded), strict=True):
        for x, y in zip(a, b, strict=True):
            np.testing.assert_allclose(x, y, atol=1.5 / 127.5)
    assert sizes == [24]
