"""Resumable training runs (issue 18): a rerun continues where the last one stopped.

``train_stage`` runs on a tiny CUB layout in ``tmp_path`` with a hashing text encoder and tiny
widths (3 steps per epoch). New names are imported inside the tests, so that on code without
them the tests fail on the behaviour, not at collection.
"""

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from keras_stackgan.pretrained.training import stage_file, train_stage
from tests.conftest import REPO_ROOT
from tests.data.layouts import HashingEncoder, make_cub
from tests.models.stackgan.conftest import TINY

METRICS = ("d_loss", "g_loss", "kl", "d_real", "d_wrong", "d_fake")
pytestmark = pytest.mark.filterwarnings("ignore::keras_stackgan.data.DataWarning")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("resume")
    make_cub(root / "data" / "birds")  # 6 training images of 2 classes
    return root / "data"


def train(data_dir, run_dir, epochs, batch_size=2, **kwargs):
    return train_stage(
        "cub",
        1,
        data_dir,
        run_dir,
        config=TINY,
        epochs=epochs,
        encoder=HashingEncoder(16),
        cache_dir=run_dir.parent / "embeddings",
        batch_size=batch_size,
        jit_compile=False,
        verbose=0,
        **kwargs,
    )


def history(run_dir):
    with open(run_dir / "history.csv", newline="") as file:
        return list(csv.DictReader(file))


def losses(rows):
    return np.array([[float(row[m]) for m in METRICS] for row in rows])


def generator_arrays(run_dir):
    import h5py

    arrays = {}

    def visit(name, item):
        if isinstance(item, h5py.Dataset):
            arrays[name] = item[()]

    with h5py.File(run_dir / stage_file(1), "r") as file:
        file.visititems(visit)
    return arrays


def assert_same_generator(run_a, run_b):
    first, second = generator_arrays(run_a), generator_arrays(run_b)
    assert first and first.keys() == second.keys()
    for name in first:
        np.testing.assert_allclose(first[name], second[name], rtol=1e-4, atol=1e-5, err_msg=name)


@pytest.fixture(scope="module")
def straight(data_dir):
    """Three epochs in one call: the reference every resumed run must reproduce."""
    run_dir = data_dir.parent / "straight"
    train(data_dir, run_dir, 3)
    return run_dir


def test_rerun_continues_finished_and_time_limited_runs(data_dir, straight, tmp_path, capsys):
    """1 epoch; a rerun to 3 stopped by ``minutes=0`` after epoch 2; a rerun to 3: every epoch
    once, with the losses and final weights of 3 epochs straight (both networks, both
    optimizers and the schedule position restored, epoch k's own data order); a rerun with
    another batch size is refused; a last call says the run is complete and rewrites nothing."""
    resumed = tmp_path / "resumed"
    train(data_dir, resumed, 1)
    assert train(data_dir, resumed, 3, minutes=0.0)["epochs_done"] == 2
    assert "resuming after epoch 1 of 3" in capsys.readouterr().out
    with pytest.raises(ValueError, match="other config"):  # a rerun must not mix two runs
        train(data_dir, resumed, 3, batch_size=3)
    assert train(data_dir, resumed, 3)["epochs_done"] == 3

    rows = history(resumed)
    assert [row["epoch"] for row in rows] == ["0", "1", "2"]
    np.testing.assert_allclose(losses(rows), losses(history(straight)), rtol=1e-4, atol=1e-5)
    assert_same_generator(straight, resumed)

    weights = resumed / stage_file(1)
    mtime = os.stat(weights).st_mtime_ns
    capsys.readouterr()
    assert train(data_dir, resumed, 3)["epochs_done"] == 3
    assert "complete, 3 of 3 epochs" in capsys.readouterr().out
    assert os.stat(weights).st_mtime_ns == mtime and len(history(resumed)) == 3


def test_kill_during_checkpoint_write_resumes_from_last_complete(straight, data_dir, tmp_path):
    """The files a SIGKILL leaves while epoch 3's ``latest.weights.h5`` is being rewritten:
    the ``.bkp`` copies of epoch 2 made, the new weights cut short, epoch 2's metadata and
    commit marker. The rerun resumes after epoch 2 and redoes epoch 3 exactly."""
    run_dir = tmp_path / "torn"
    shutil.copytree(straight, run_dir)  # its backup holds epoch 3, and epoch 2 as .bkp
    backup = run_dir / "backup"
    weights = backup / "latest.weights.h5"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 3])
    shutil.copyfile(backup / "training_metadata.json.bkp", backup / "training_metadata.json")
    digest = hashlib.sha256((backup / "latest.weights.h5.bkp").read_bytes()).hexdigest()
    marker = {"epoch": 2, "sha256": digest}
    (backup / "committed.json").write_text(json.dumps(marker))

    assert train(data_dir, run_dir, 3)["epochs_done"] == 3
    redone = history(run_dir)[-1]  # appended by the rerun
    assert redone["epoch"] == "2"
    np.testing.assert_allclose(
        losses([redone]), losses(history(straight)[2:]), rtol=1e-4, atol=1e-5
    )
    assert_same_generator(straight, run_dir)


def test_old_run_without_backup_is_not_overwritten(data_dir, tmp_path):
    """A run dir with a trained generator and history but no backup (what runs trained before
    the backup was kept look like) is refused instead of silently retrained from scratch."""
    run_dir = tmp_path / "old"
    run_dir.mkdir()
    (run_dir / stage_file(1)).write_bytes(b"trained weights")
    (run_dir / "history.csv").write_text("epoch,d_loss\n0,1.0\n1,0.9\n")
    with pytest.raises(ValueError, match="no backup to resume from"):
        train(data_dir, run_dir, 4)
    assert (run_dir / stage_file(1)).read_bytes() == b"trained weights"


def test_diverging_run_stops_before_writing_anything(data_dir, tmp_path):
    """``Adam(1e3)`` through the driver's callbacks: one error naming the epoch, step and
    losses at the first NaN; no generator snapshot, backup or sample sheet is written."""
    import keras
    import tensorflow as tf

    from keras_stackgan.models.stackgan import StageIGAN
    from keras_stackgan.pretrained.training import run_callbacks
    from tests.models.stackgan.conftest import random_batch

    gan = StageIGAN.from_stackgan_config(TINY, seed=0)
    gan.compile(keras.optimizers.Adam(1e3), keras.optimizers.Adam(1e3), jit_compile=False)
    gan.generate(np.zeros((1, 16), "float32"), seed=0)
    data = tf.data.Dataset.from_tensor_slices(random_batch(8, 64)).batch(4, drop_remainder=True)
    run_dir = tmp_path / "diverged"
    run_dir.mkdir()
    callbacks = run_callbacks(run_dir, "g.weights.h5", "cub", HashingEncoder(16))
    with pytest.raises(FloatingPointError, match=r"epoch 1, step \d+: .*= (nan|inf)"):
        gan.fit(data, epochs=3, callbacks=callbacks, verbose=0)
    assert not (run_dir / "g.weights.h5").exists()
    assert not (run_dir / "backup").exists() and not (run_dir / "samples").exists()


def test_gan_int_cls_recipe_resumes_a_time_limited_run(data_dir, tmp_path, capsys):
    """The GAN-INT-CLS recipe shares the driver: a ``minutes=0`` stop after epoch 1, then a
    rerun trains epoch 2 only."""
    import importlib.util

    from tests.models.gan_int_cls.conftest import TINY as TINY_GAN_INT_CLS

    path = REPO_ROOT / "recipes" / "train_gan_int_cls.py"
    spec = importlib.util.spec_from_file_location("train_gan_int_cls", path)
    recipe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(recipe)
    run_dir = tmp_path / "gan-int-cls"
    options = dict(
        config=TINY_GAN_INT_CLS,
        encoder=HashingEncoder(16),
        cache_dir=tmp_path / "embeddings",
        batch_size=2,
        jit_compile=False,
        verbose=0,
    )
    first = recipe.train_gan_int_cls("cub", data_dir, run_dir, epochs=2, minutes=0.0, **options)
    assert first["epochs_done"] == 1
    assert (
        recipe.train_gan_int_cls("cub", data_dir, run_dir, epochs=2, **options)["epochs_done"] == 2
    )
    assert "resuming after epoch 1 of 2" in capsys.readouterr().out
    assert [row["epoch"] for row in history(run_dir)] == ["0", "1"]


# === Slow: SIGKILL at random moments, then rerun until done (issue 15) ===

CHILD = """
import sys, warnings
sys.path.insert(0, {repo!r})
warnings.simplefilter("ignore")
from tests.pretrained.test_resume import train
from pathlib import Path
train(Path({data!r}), Path({run!r}), {epochs}, batch_size=6)
"""


@pytest.mark.slow
def test_random_sigkills_during_training_never_block_a_rerun(data_dir, tmp_path):
    """A child trains 15 one-step epochs (so most wall time after start-up is spent in the
    epoch-end writes: sheet, snapshot, CSV, backup); once it has finished an epoch it is
    SIGKILLed at a random moment of the next 1.5 s, and rerun, until a rerun completes. Every
    rerun must start, and the final history and weights must equal an uninterrupted run's."""
    from keras_stackgan.pretrained.training import _history

    epochs, rng = 15, np.random.default_rng(0)
    straight = tmp_path / "straight"
    train(data_dir, straight, epochs, batch_size=6)

    run_dir = tmp_path / "killed"
    script = CHILD.format(repo=str(REPO_ROOT), data=str(data_dir), run=str(run_dir), epochs=epochs)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    kills = 0
    for _ in range(40):
        child = subprocess.Popen([sys.executable, "-c", script], env=env, stderr=subprocess.PIPE)
        start_rows = len(_history(run_dir))
        deadline = time.monotonic() + 240
        # Wait until this child has finished an epoch of its own, then kill it a moment later.
        while child.poll() is None and time.monotonic() < deadline:
            if len(_history(run_dir)) > start_rows:
                break
            time.sleep(0.02)
        if child.poll() is None:
            time.sleep(rng.uniform(0.0, 1.5))
            child.send_signal(signal.SIGKILL)
            kills += 1
        _, stderr = child.communicate(timeout=240)
        assert child.returncode in (0, -signal.SIGKILL), stderr.decode()[-3000:]
        if child.returncode == 0:
            break
    assert kills >= 5 and child.returncode == 0
    rows = _history(run_dir)
    assert [int(r["epoch"]) for r in rows] == list(range(epochs))
    np.testing.assert_allclose(losses(rows), losses(history(straight)), rtol=1e-4, atol=1e-5)
    assert_same_generator(straight, run_dir)
    assert json.loads((run_dir / "backup" / "committed.json").read_text())["epoch"] == epochs
