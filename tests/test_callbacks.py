"""Training callbacks on a tiny Stage-I GAN: sample sheets, snapshots, timings, budgets."""

import csv

import keras
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from keras_stackgan.callbacks import EpochTimer, GeneratorCheckpoint, SampleGrid, TimeBudget
from keras_stackgan.models.stackgan import StageIGAN
from tests.models.stackgan.conftest import TINY, random_batch


@pytest.fixture
def gan_and_data():
    gan = StageIGAN.from_stackgan_config(TINY, seed=0)
    gan.compile(jit_compile=False)
    data = tf.data.Dataset.from_tensor_slices(random_batch(8, 64)).batch(4, drop_remainder=True)
    return gan, data


def test_callbacks_in_fit(gan_and_data, tmp_path):
    gan, data = gan_and_data
    captions = ["a red bird", "a blue bird"]
    grid = SampleGrid(
        np.ones((2, 16), "float32"), captions, tmp_path / "samples", 3, log_dir=tmp_path / "tb"
    )
    checkpoint = GeneratorCheckpoint(tmp_path / "g.weights.h5")
    callbacks = [
        EpochTimer(),
        keras.callbacks.CSVLogger(str(tmp_path / "history.csv")),
        checkpoint,
        grid,
    ]
    gan.fit(data, epochs=2, callbacks=callbacks, verbose=0)
    sheets = sorted(p.name for p in (tmp_path / "samples").iterdir())
    assert sheets == ["epoch_0001.png", "epoch_0002.png"]
    with Image.open(tmp_path / "samples" / "epoch_0002.png") as sheet:
        assert sheet.size[0] == 2 * 66 + 2 and sheet.size[1] > 3 * 66  # 2 columns, 3 rows
    # Fixed noise: rendering again with the same weights gives the same images.
    np.testing.assert_array_equal(grid.render(), grid.render())
    assert list((tmp_path / "tb" / "samples").iterdir())  # TensorBoard image summaries
    with open(tmp_path / "history.csv") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 2 and float(rows[0]["epoch_seconds"]) > 0
    # The snapshot is the generator of the last epoch.
    fresh = StageIGAN.from_stackgan_config(TINY).generator
    fresh.load_weights(str(tmp_path / "g.weights.h5"))
    for a, b in zip(fresh.weights, gan.generator.weights, strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_time_budget_stops_at_an_epoch_end(gan_and_data):
    gan, data = gan_and_data
    budget = TimeBudget(minutes=0.0)
    history = gan.fit(data, epochs=5, callbacks=[budget], verbose=0)
    assert len(history.history["d_loss"]) == 1 and budget.stopped_epoch == 1
    unlimited = TimeBudget(None)
    history = gan.fit(data, epochs=2, callbacks=[unlimited], verbose=0)
    assert len(history.history["d_loss"]) == 2 and unlimited.stopped_epoch is None


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="weights.h5"):
        GeneratorCheckpoint(tmp_path / "g.h5")
    with pytest.raises(ValueError, match="captions"):
        SampleGrid(np.ones((3, 4)), ["a", "b"], tmp_path)
