"""The learning curve of text-to-image runs (issue 17): ``curve.csv`` rows every N epochs that
measure the generator like ``evaluate_preset``, kept across resumed runs."""

import numpy as np
import pytest

from keras_stackgan.callbacks import read_curve
from keras_stackgan.evaluation import CURVE_FILE, HeldOutMetrics
from keras_stackgan.models.stackgan import StageIGAN
from keras_stackgan.pretrained.pipeline import StackGANPipeline
from keras_stackgan.pretrained.training import stage_file
from tests.data.layouts import HashingEncoder, cub_key, make_cub, write_pickle
from tests.models.stackgan.conftest import TINY
from tests.pretrained.test_resume import train

pytestmark = pytest.mark.filterwarnings("ignore::keras_stackgan.data.DataWarning")


def test_stage1_curve_measures_the_run_and_resumes(tmp_path):
    data_dir = tmp_path / "data"
    birds = make_cub(data_dir / "birds")
    # Held-out images of 3 classes, so that R-precision has mismatched captions to rank.
    write_pickle(birds / "test" / "filenames.pickle", [cub_key(i) for i in (1, 2, 3, 6)])
    write_pickle(birds / "test" / "class_info.pickle", [np.int64(c) for c in (1, 1, 2, 3)])
    run_dir = tmp_path / "run" / "stage1"
    train(data_dir, run_dir, epochs=2, curve_every=1, curve_images=10)
    rows = read_curve(run_dir / CURVE_FILE)
    assert [r["epoch"] for r in rows] == [1, 2]
    assert [r["generator_steps"] for r in rows] == [3, 6]  # 6 images, batch 2
    for key in ("proxy_is", "proxy_is_std", "proxy_fid", "r_precision", "d_loss", "kl"):
        assert np.isfinite(rows[-1][key]), key
    assert rows[0]["proxy_fid"] != rows[1]["proxy_fid"]  # the generator changed

    # The last row is the held-out evaluation of the epoch-2 generator snapshot.
    gan = StageIGAN.from_stackgan_config(TINY.replace(embedding_dim=16))
    gan.generator.load_weights(str(run_dir / stage_file(1)))
    encoder = HashingEncoder(16)
    held_out = HeldOutMetrics("cub", data_dir, ("fid",), num_images=10, seed=0)
    embeddings = encoder.encode(list(held_out.captions))
    generated = held_out.generate(StackGANPipeline(encoder, gan.generator), embeddings=embeddings)
    fid = held_out.generated_values(generated)["proxy_fid"]
    np.testing.assert_allclose(rows[-1]["proxy_fid"], fid, rtol=1e-5)

    # A rerun continues the curve; every=2 measures only even epochs.
    train(data_dir, run_dir, epochs=4, curve_every=2, curve_images=10)
    assert [r["epoch"] for r in read_curve(run_dir / CURVE_FILE)] == [1, 2, 4]


def test_r_precision_needs_captions_of_two_classes(tmp_path):
    make_cub(tmp_path / "birds")  # held-out images of one class
    with pytest.raises(ValueError, match="two classes"):
        HeldOutMetrics("cub", tmp_path, ("r_precision",), num_images=4)
