"""Training callbacks on a tiny Stage-I GAN: sample sheets, snapshots, timings, budgets."""

import csv
import json
import shutil

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


# === Issue 18: non-finite losses and weights, backups that survive kills ===


def test_stop_on_non_finite_reads_every_log_key():
    """Any model's logs (``d_loss``, ``kl``, a new family's ``info_loss``...) are checked; the
    error names the epoch, the step and the loss."""
    from keras_stackgan.callbacks import NonFiniteError, StopOnNonFinite

    callback = StopOnNonFinite()
    callback.on_epoch_begin(2)
    callback.on_train_batch_end(0, {"d_loss": 0.7, "g_loss": np.float32(1.5), "lr": 1e-4})
    with pytest.raises(NonFiniteError, match=r"epoch 3, step 5: info_loss = inf") as error:
        callback.on_train_batch_end(4, {"d_loss": 0.7, "info_loss": float("inf")})
    assert error.value.epoch == 3 and error.value.step == 5
    with pytest.raises(FloatingPointError, match="end of epoch 3: val_kl = nan"):
        callback.on_epoch_end(2, {"val_kl": np.array(np.nan, np.float32)})


def test_checkpoints_refuse_non_finite_weights(gan_and_data, tmp_path):
    from keras_stackgan.callbacks import NonFiniteError, ResumableBackup

    gan, _ = gan_and_data
    checkpoint = GeneratorCheckpoint(tmp_path / "g.weights.h5")
    backup = ResumableBackup(tmp_path / "backup")
    for callback in (checkpoint, backup):
        callback.set_model(gan)
    checkpoint.on_epoch_end(0)
    good = (tmp_path / "g.weights.h5").read_bytes()
    kernel = gan.generator.trainable_weights[0]
    kernel.assign(np.full(kernel.shape, np.nan, "float32"))
    with pytest.raises(NonFiniteError, match="NaN or inf"):
        checkpoint.on_epoch_end(1)
    with pytest.raises(NonFiniteError, match="training state of epoch 2"):
        backup.on_epoch_end(1)
    assert (tmp_path / "g.weights.h5").read_bytes() == good  # the last good snapshot stays
    assert not (tmp_path / "backup").exists()


def _backup_state(directory, epoch, payload):
    """A backup folder's latest pair: an HDF5 file holding ``payload`` and the metadata."""
    import h5py

    directory.mkdir(parents=True, exist_ok=True)
    with h5py.File(directory / "latest.weights.h5", "w") as file:
        file["w"] = np.full(64, payload, "float32")
    (directory / "training_metadata.json").write_text(json.dumps({"epoch": epoch, "batch": 0}))


def _keep_as_previous(directory):
    for name in ("latest.weights.h5", "training_metadata.json"):
        shutil.copyfile(directory / name, directory / f"{name}.bkp")


def _commit(directory, epoch):
    from keras_stackgan.callbacks.resumable_backup import file_sha256

    digest = file_sha256(directory / "latest.weights.h5")
    (directory / "committed.json").write_text(json.dumps({"epoch": epoch, "sha256": digest}))


@pytest.mark.parametrize(
    "moment",
    ["during the weights write", "during the metadata write", "before the commit"],
)
def test_resume_epoch_after_a_kill_inside_a_backup_write(tmp_path, moment):
    """Every moment of epoch 5's backup write leaves a state that resumes after epoch 4 (the
    last complete one) and is repaired so that Keras loads exactly that state."""
    from keras_stackgan.callbacks import resume_epoch

    backup = tmp_path / "backup"
    _backup_state(backup, 4, 4.0)
    _commit(backup, 4)
    epoch4 = (backup / "latest.weights.h5").read_bytes()
    _keep_as_previous(backup)  # double_checkpoint's copies, then epoch 5 is written:
    _backup_state(backup, 5, 5.0)
    if moment == "during the weights write":
        (backup / "training_metadata.json").write_text(json.dumps({"epoch": 4, "batch": 0}))
        torn = (backup / "latest.weights.h5").read_bytes()
        (backup / "latest.weights.h5").write_bytes(torn[: len(torn) // 2])
    elif moment == "during the metadata write":
        (backup / "training_metadata.json").write_text('{"epo')
    assert resume_epoch(backup) == 4
    assert (backup / "latest.weights.h5").read_bytes() == epoch4
    assert json.loads((backup / "training_metadata.json").read_text())["epoch"] == 4
    assert resume_epoch(backup) == 4  # idempotent


def test_resume_epoch_complete_first_and_legacy_states(tmp_path):
    from keras_stackgan.callbacks import resume_epoch

    assert resume_epoch(tmp_path / "none") == 0
    healthy = tmp_path / "healthy"
    _backup_state(healthy, 7, 7.0)
    _commit(healthy, 7)
    assert resume_epoch(healthy) == 7
    legacy = tmp_path / "legacy"  # written by BackupAndRestore alone: no commit marker
    _backup_state(legacy, 3, 3.0)
    assert resume_epoch(legacy) == 3
    first = tmp_path / "first"  # killed while writing its very first backup
    _backup_state(first, 1, 1.0)
    (first / "latest.weights.h5").write_bytes(b"\x89HDF\r\n")
    (first / "training_metadata.json").unlink()
    assert resume_epoch(first) == 0
    assert not first.exists() and list(tmp_path.glob("first.incomplete-*"))


def test_resumable_backup_survives_a_torn_metadata_file(tmp_path):
    """Plain Keras' BackupAndRestore fails every rerun with JSONDecodeError here."""
    from keras_stackgan.callbacks import ResumableBackup

    def model():
        keras.utils.set_random_seed(0)
        net = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        net.compile(keras.optimizers.Adam(0.1), "mse")
        return net

    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    backup = tmp_path / "backup"
    model().fit(x, y, epochs=2, callbacks=[ResumableBackup(backup)], verbose=0)
    assert backup.is_dir()  # kept after fit ends
    _keep_as_previous(backup)  # epoch 3's write starts...
    (backup / "training_metadata.json").write_text("{")  # ...and is killed mid-metadata
    history = model().fit(x, y, epochs=4, callbacks=[ResumableBackup(backup)], verbose=0)
    assert len(history.history["loss"]) == 2  # epochs 3 and 4 only


def test_quality_curve_rows_every_n_epochs_and_resumes(gan_and_data, tmp_path):
    from keras_stackgan.callbacks import QualityCurve, read_curve

    gan, data = gan_and_data  # 2 steps per epoch
    calls = []

    def measure(model):
        calls.append(int(model.g_optimizer.iterations))
        return {"score": 0.5 * len(calls)}

    path = tmp_path / "curve.csv"
    curve = QualityCurve(path, measure, every=2, log_keys=("d_loss", "absent"))
    gan.fit(data, epochs=4, callbacks=[curve], verbose=0)
    rows = read_curve(path)
    assert [r["epoch"] for r in rows] == [2, 4] and calls == [4, 8]
    assert [r["generator_steps"] for r in rows] == [4, 8] and rows[1]["score"] == 1.0
    assert rows[0]["d_loss"] > 0 and rows[0]["absent"] is None
    assert 0 < rows[0]["train_seconds"] < rows[1]["train_seconds"]
    header = path.read_text().splitlines()[0]
    assert header == "epoch,generator_steps,d_loss,absent,score,train_seconds"

    # A resumed run replays epoch 4 (its row is replaced) and continues the time.
    resumed = QualityCurve(path, measure, every=2, log_keys=("d_loss", "absent"))
    gan.fit(data, initial_epoch=2, epochs=6, callbacks=[resumed], verbose=0)
    rows = read_curve(path)
    assert [r["epoch"] for r in rows] == [2, 4, 6] and rows[1]["score"] == 1.5
    assert rows[2]["train_seconds"] > rows[1]["train_seconds"] > 0
    with pytest.raises(ValueError, match="every"):
        QualityCurve(path, measure, every=0)
