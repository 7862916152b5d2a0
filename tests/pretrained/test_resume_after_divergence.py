"""Issue 15: after a run diverges, rerunning it resumes from the last finite checkpoint."""

import keras
import numpy as np
import pytest

from keras_stackgan.callbacks import NonFiniteError
from keras_stackgan.data import make_labelled_dataset
from keras_stackgan.models.gan import GAN
from keras_stackgan.pretrained.training import epochs_done
from keras_stackgan.pretrained.zoo_training import GENERATOR_FILE, train_zoo_model

IMAGES = np.random.default_rng(0).integers(0, 256, (32, 8, 8, 1), dtype=np.uint8)


def _run(run_dir, epochs, nan_data=False):
    keras.utils.set_random_seed(0)
    gan = GAN.from_gan_config(
        "small", seed=0, image_size=8, channels=1, g_hidden_units=(16,), d_hidden_units=(16,)
    )
    gan.compile(jit_compile=False)

    def make_data(epoch):
        data = make_labelled_dataset(
            IMAGES, np.zeros(32, int), batch_size=8, seed=0, repeat=True, initial_epoch=epoch
        )
        # A corrupted input stream (NaN images) makes every loss NaN from the first batch on.
        return data.map(lambda x, y: (x * float("nan"), y)) if nan_data else data

    return train_zoo_model(
        gan,
        make_data,
        run_dir,
        steps_per_epoch=4,
        epochs=epochs,
        summary={"family": "gan", "seed": 0},
        verbose=0,
    )


def test_a_diverged_run_resumes_from_its_last_finite_epoch(tmp_path, capsys):
    run_dir = tmp_path / "run"
    _run(run_dir, epochs=2)
    before = (run_dir / GENERATOR_FILE).read_bytes()

    with pytest.raises(NonFiniteError, match="epoch 3"):
        _run(run_dir, epochs=4, nan_data=True)  # diverges in epoch 3
    assert (run_dir / GENERATOR_FILE).read_bytes() == before  # nothing of epoch 3 written
    assert epochs_done(run_dir) == 2

    summary = _run(run_dir, epochs=3)
    assert "resuming after epoch 2 of 3" in capsys.readouterr().out
    assert summary["epochs_done"] == 3
    import h5py

    with h5py.File(run_dir / GENERATOR_FILE) as file:
        arrays = []
        file.visititems(lambda _, obj: arrays.append(obj[()]) if hasattr(obj, "shape") else None)
    assert arrays and all(np.all(np.isfinite(a)) for a in arrays)
