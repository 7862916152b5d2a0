"""``kill -9`` right after a checkpoint, then the same command again (issue 15).

Three ways of training are killed in a subprocess: a user's own ``fit`` with our callbacks
(``StopOnNonFinite``, ``ResumableBackup``, ``resume_epoch`` and the epoch-keyed data stream),
``keras-stackgan train`` and a zoo recipe (``recipes/train_cgan.py``, ``train_zoo_model``).
The child SIGKILLs itself just after ``ResumableBackup`` has committed epoch ``K``, a hook
installed through a ``sitecustomize`` module on the child's ``PYTHONPATH``, so the commands
themselves are the real ones. The rerun must resume after epoch ``K`` with the optimizers
(``iterations``: learning-rate schedule position and training noise, which is keyed by it)
and epoch ``K + 1``'s own data order, so its losses and final weights equal an uninterrupted
run's. Each case starts two child processes (TensorFlow imports), so all are ``slow``.
"""

import csv
import json
import os
import runpy
import signal
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import REPO_ROOT
from tests.data.layouts import HashingEncoder, make_cub
from tests.models.stackgan.conftest import TINY

pytestmark = pytest.mark.filterwarnings("ignore::keras_stackgan.data.DataWarning")
EPOCHS, KILL_AFTER = 3, 2

# Installed in every child: SIGKILL right after the backup of epoch KS_KILL_AFTER_EPOCH; the
# CLI's tiny settings (a "tiny-test" StackGAN config, the hashing text encoder).
SITECUSTOMIZE = """
import os
if os.environ.get("KS_TEST_HOOKS"):
    import signal
    import warnings

    warnings.simplefilter("ignore")
    from keras_stackgan.callbacks import ResumableBackup

    kill_after = int(os.environ.get("KS_KILL_AFTER_EPOCH") or 0)
    original = ResumableBackup.on_epoch_end

    def on_epoch_end(self, epoch, logs=None):
        original(self, epoch, logs)
        if epoch + 1 == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)

    ResumableBackup.on_epoch_end = on_epoch_end
    import tests.pretrained.test_kill_resume as harness

    harness.install_tiny_cli_settings()
"""

# A user's own training script: our callbacks, resume_epoch, the epoch-keyed stream.
USER_SCRIPT = """
import json
import sys
from pathlib import Path

import keras
import numpy as np

from keras_stackgan.callbacks import ResumableBackup, StopOnNonFinite, resume_epoch
from keras_stackgan.data import steps_per_epoch
from keras_stackgan.models.stackgan import StageIGAN
from keras_stackgan.pretrained.training import training_data
from tests.data.layouts import HashingEncoder
from tests.models.stackgan.conftest import TINY

data_dir, run_dir, epochs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
run_dir.mkdir(parents=True, exist_ok=True)
start = resume_epoch(run_dir / "backup")  # 0 for a new run
records, _, data = training_data(
    "cub", data_dir, HashingEncoder(16), run_dir / "embeddings", batch_size=2,
    image_size=64, load_size=TINY.stage1_load_size, seed=0, initial_epoch=start,
)
keras.utils.set_random_seed(0)
gan = StageIGAN.from_stackgan_config(TINY, seed=0)
schedule = keras.optimizers.schedules.ExponentialDecay(2e-3, decay_steps=2, decay_rate=0.5)
gan.compile(keras.optimizers.Adam(schedule, 0.5), keras.optimizers.Adam(1e-3, 0.5),
            jit_compile=False)
gan.generate(np.zeros((1, 16), "float32"), seed=0)  # BackupAndRestore restores a built model
gan.fit(
    data, epochs=epochs, initial_epoch=start, steps_per_epoch=steps_per_epoch(len(records), 2),
    shuffle=False, verbose=0,
    callbacks=[
        StopOnNonFinite(),
        keras.callbacks.CSVLogger(str(run_dir / "history.csv"), append=True),
        ResumableBackup(run_dir / "backup"),
    ],
)
state = {
    "iterations": int(gan.g_optimizer.iterations.numpy()),
    "learning_rate": float(np.asarray(gan.g_optimizer.learning_rate)),
}
(run_dir / "state.json").write_text(json.dumps(state))
gan.generator.save_weights(str(run_dir / "generator.weights.h5"))
"""


def install_tiny_cli_settings():
    """``--config tiny-test`` (TINY, batch 2) and the hashing encoder for ``train_stage``."""
    import importlib

    from keras_stackgan.pretrained import training

    configs = importlib.import_module("keras_stackgan.models.stackgan.stackgan_config")

    configs.CONFIGS["tiny-test"] = TINY.replace(batch_size=2)
    training.default_encoder = lambda encoder=None: encoder or HashingEncoder(16)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("kill")
    make_cub(root / "data" / "birds")  # 6 training images: 3 steps of 2 per epoch
    hooks = root / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE)
    (root / "user_fit.py").write_text(USER_SCRIPT)
    return root


def run_child(workspace, argv, kill_after=0):
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(workspace / "hooks"), str(REPO_ROOT)]),
        "KS_TEST_HOOKS": "1",
        "KS_KILL_AFTER_EPOCH": str(kill_after),
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    child = subprocess.run(
        [sys.executable, *argv], env=env, capture_output=True, cwd=workspace, timeout=600
    )
    return child.returncode, child.stderr.decode(errors="replace")[-3000:]


def rows(path):
    with open(path, newline="") as file:
        return list(csv.DictReader(file))


def loss_table(history_rows, names):
    return np.array([[float(r[n]) for n in names] for r in history_rows])


def h5_arrays(path):
    import h5py

    arrays = {}
    with h5py.File(path, "r") as file:
        file.visititems(lambda n, i: arrays.setdefault(n, i[()]) if hasattr(i, "shape") else None)
    return arrays


def assert_same_weights(first, second):
    a, b = h5_arrays(first), h5_arrays(second)
    assert a and a.keys() == b.keys()
    for name in a:
        np.testing.assert_allclose(a[name], b[name], rtol=1e-4, atol=1e-5, err_msg=name)


def kill_then_rerun(workspace, argv, run_dir, history):
    """Runs ``argv`` killed after epoch KILL_AFTER, checks what the kill left, reruns it."""
    status, stderr = run_child(workspace, argv, kill_after=KILL_AFTER)
    assert status == -signal.SIGKILL, stderr
    committed = json.loads((run_dir / "backup" / "committed.json").read_text())
    assert committed["epoch"] == KILL_AFTER
    assert [r["epoch"] for r in rows(history)] == [str(e) for e in range(KILL_AFTER)]
    status, stderr = run_child(workspace, argv)  # the same command again
    assert status == 0, stderr
    assert [r["epoch"] for r in rows(history)] == [str(e) for e in range(EPOCHS)]


@pytest.mark.slow  # two child processes: 35-65 s on 2 shared cores
def test_users_own_fit_killed_after_a_checkpoint_resumes_exactly(workspace, tmp_path):
    """A user's script with ``ResumableBackup`` + ``StopOnNonFinite`` and an ``Adam`` on an
    ``ExponentialDecay`` schedule: killed after epoch 2's backup, rerun, epoch 3's losses, the
    schedule position (``iterations``, learning rate) and the weights equal a straight run's."""
    data = workspace / "data"
    straight, killed = tmp_path / "straight", tmp_path / "killed"
    script = str(workspace / "user_fit.py")
    argv = [script, str(data), str(killed), str(EPOCHS)]
    with pytest.MonkeyPatch.context() as patch:  # the straight run in this process (faster)
        patch.setattr(sys, "argv", [script, str(data), str(straight), str(EPOCHS)])
        runpy.run_path(script, run_name="__main__")
    kill_then_rerun(workspace, argv, killed, killed / "history.csv")

    names = ("d_loss", "g_loss", "kl")
    np.testing.assert_allclose(
        loss_table(rows(killed / "history.csv"), names),
        loss_table(rows(straight / "history.csv"), names),
        rtol=1e-4,
        atol=1e-5,
    )
    state = json.loads((killed / "state.json").read_text())
    assert state == pytest.approx(json.loads((straight / "state.json").read_text()))
    assert state["iterations"] == EPOCHS * 3
    assert_same_weights(straight / "generator.weights.h5", killed / "generator.weights.h5")


@pytest.mark.slow
def test_cli_train_killed_after_a_checkpoint_resumes_exactly(workspace, tmp_path):
    """``keras-stackgan train --epochs 3``, killed after epoch 2's backup, the same command
    again: epoch 3 is trained once, with an uninterrupted run's losses and generator."""
    from keras_stackgan.pretrained.training import stage_file

    def argv(run_dir):
        return [
            *("-m", "keras_stackgan.cli", "train", "--preset", "cub", "--config", "tiny-test"),
            *("--data-dir", str(workspace / "data"), "--run-dir", str(run_dir)),
            *("--epochs", str(EPOCHS)),
        ]

    straight, killed = tmp_path / "straight", tmp_path / "killed"
    status, stderr = run_child(workspace, argv(straight))
    assert status == 0, stderr
    kill_then_rerun(workspace, argv(killed), killed / "stage1", killed / "stage1" / "history.csv")
    names = ("d_loss", "g_loss", "kl", "d_real", "d_wrong", "d_fake")
    np.testing.assert_allclose(
        loss_table(rows(killed / "stage1" / "history.csv"), names),
        loss_table(rows(straight / "stage1" / "history.csv"), names),
        rtol=1e-4,
        atol=1e-5,
    )
    assert_same_weights(straight / "stage1" / stage_file(1), killed / "stage1" / stage_file(1))


@pytest.mark.slow
def test_zoo_recipe_killed_after_a_checkpoint_resumes_exactly(workspace, tmp_path):
    """``python recipes/train_cgan.py --epochs 3`` (``train_zoo_model``) on 128 generated
    digits, killed after epoch 2's backup, the same command again: as an uninterrupted run."""
    from tests.data.test_mnist import write_mnist

    write_mnist(tmp_path / "data" / "mnist", n=128)
    recipe = str(REPO_ROOT / "recipes" / "train_cgan.py")

    def argv(run_dir):
        return [recipe, "--data-dir", str(tmp_path / "data"), "--run-dir", str(run_dir)] + [
            *("--epochs", str(EPOCHS), "--config", "small"),
            "--no-autotune",  # both runs in the same mode, whatever the timing would say
        ]

    straight, killed = tmp_path / "straight", tmp_path / "killed"
    status, stderr = run_child(workspace, argv(straight))
    assert status == 0, stderr
    kill_then_rerun(workspace, argv(killed), killed, killed / "history.csv")
    first = rows(straight / "history.csv")[0]
    names = [n for n in first if n.endswith("loss") and first[n] not in ("", "NA")]
    assert names
    np.testing.assert_allclose(
        loss_table(rows(killed / "history.csv"), names),
        loss_table(rows(straight / "history.csv"), names),
        rtol=1e-4,
        atol=1e-5,
    )
    assert_same_weights(straight / "generator.weights.h5", killed / "generator.weights.h5")
