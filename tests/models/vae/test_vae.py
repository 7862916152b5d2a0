import json

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.losses import bernoulli_nll, gaussian_kl
from keras_stackgan.models.vae import (
    VAE,
    ConvVAEDecoder,
    ConvVAEEncoder,
    VAEDecoder,
    VAEEncoder,
    VAEPipeline,
    build_vae,
    vae_config,
)
from keras_stackgan.pretrained.load import load_preset_dir
from keras_stackgan.visual.autoencoder import encoded_interpolation, latent_traversal
from tests.test_case import run_model_saving_test, run_serialization_test

TINY = {"image_size": 8, "channels": 1, "latent_dim": 3, "hidden_dim": 16}


def _digits(n=64, seed=0):
    """Images in [-1, 1]: bright squares at a few positions (a learnable toy 'dataset')."""
    rng = np.random.default_rng(seed)
    images = -np.ones((n, 8, 8, 1), "float32")
    for image, k in zip(images, rng.integers(0, 4, n)):
        image[2 * k : 2 * k + 3, 2:6] = 1.0
    return images


def test_networks_round_trip_config_and_saving(tmp_path):
    cases = [
        (VAEEncoder(**TINY), np.zeros((2, 8, 8, 1), "float32")),
        (VAEDecoder(**TINY), np.ones((2, 3), "float32")),
        (ConvVAEEncoder(16, 3, latent_dim=4, filters=4), np.zeros((2, 16, 16, 3), "float32")),
        (ConvVAEDecoder(16, 3, latent_dim=4, filters=4), np.ones((2, 4), "float32")),
    ]
    for network, inputs in cases:
        run_serialization_test(network)
        run_model_saving_test(network, inputs, tmp_path)
        outputs = network(inputs)
        for output in outputs.values() if isinstance(outputs, dict) else [outputs]:
            assert output.dtype == "float32"


def test_gaussian_kl_and_bernoulli_nll_match_numpy():
    rng = np.random.default_rng(0)
    mean, log_var = rng.normal(size=(2, 5, 4)).astype("float32")
    expected = np.mean(-0.5 * np.sum(1 + log_var - mean**2 - np.exp(log_var), axis=1))
    np.testing.assert_allclose(gaussian_kl(mean, log_var), expected, rtol=1e-5)
    assert float(gaussian_kl(np.zeros((3, 2)), np.zeros((3, 2)))) == 0.0
    targets = rng.uniform(size=(5, 3, 3, 1)).astype("float32")
    logits = rng.normal(size=(5, 3, 3, 1)).astype("float32")
    p = 1 / (1 + np.exp(-logits))
    nll = -(targets * np.log(p) + (1 - targets) * np.log(1 - p)).reshape(5, -1).sum(1).mean()
    np.testing.assert_allclose(bernoulli_nll(targets, logits), nll, rtol=1e-5)


def test_negative_elbo_matches_numpy_with_given_noise():
    vae = VAE(VAEEncoder(**TINY), VAEDecoder(**TINY), seed=0)
    x = _digits(4)
    epsilon = np.random.default_rng(2).normal(size=(4, 3)).astype("float32")
    losses = vae.negative_elbo(x, epsilon)
    q = vae.encoder(x)
    mean, log_var = q["mean"].numpy(), q["log_var"].numpy()
    logits = vae.decoder(mean + np.exp(0.5 * log_var) * epsilon).numpy()
    kl = np.mean(0.5 * np.sum(np.exp(log_var) + mean**2 - 1 - log_var, axis=1))
    np.testing.assert_allclose(losses["kl"], kl, rtol=1e-5)
    np.testing.assert_allclose(losses["reconstruction"], bernoulli_nll((x + 1) / 2, logits))
    np.testing.assert_allclose(losses["loss"], losses["kl"] + losses["reconstruction"])


def test_trainer_config_round_trip_and_fit_lowers_the_loss(tmp_path):
    vae = VAE(VAEEncoder(**TINY), VAEDecoder(**TINY), seed=0)
    revived = run_serialization_test(vae)
    assert revived.seed == 0 and revived.latent_dim == 3
    vae.compile(keras.optimizers.Adam(1e-2), jit_compile=False)
    data = tf.data.Dataset.from_tensor_slices(_digits()).batch(16)
    before = vae.evaluate(data, verbose=0, return_dict=True)["loss"]
    history = vae.fit(data, epochs=8, verbose=0)
    after = vae.evaluate(data, verbose=0, return_dict=True)["loss"]
    assert after < 0.8 * before
    assert set(history.history) == {"loss", "reconstruction", "kl"}
    vae.save(tmp_path / "vae.keras")  # the compile config (optimizer) round-trips too
    restored = keras.saving.load_model(tmp_path / "vae.keras")
    assert isinstance(restored.optimizer, keras.optimizers.Adam)
    restored_loss = restored.evaluate(data, verbose=0, return_dict=True)["loss"]
    np.testing.assert_allclose(restored_loss, after, rtol=1e-6)


def test_mixed_float16_losses_are_finite_float32():
    keras.mixed_precision.set_global_policy("mixed_float16")
    vae = build_vae(vae_config("flowers-small", image_size=16, latent_dim=4, filters=4), seed=0)
    vae.compile(jit_compile=False)
    assert isinstance(vae.optimizer, keras.optimizers.LossScaleOptimizer)
    images = np.random.default_rng(0).uniform(-1, 1, (8, 16, 16, 3)).astype("float32")
    logs = vae.fit(images, batch_size=4, epochs=1, verbose=0).history
    assert all(np.isfinite(v[-1]) for v in logs.values())
    losses = vae.negative_elbo(images, np.zeros((8, 4), "float32"))
    assert all(value.dtype == "float32" for value in losses.values())


def test_pipeline_generate_encode_decode_and_preset_round_trip(tmp_path):
    pipeline = VAEPipeline(VAEEncoder(**TINY), VAEDecoder(**TINY), name="vae-toy")
    images = pipeline.generate(5, seed=3)
    assert images.shape == (5, 8, 8, 1) and images.dtype == np.uint8
    np.testing.assert_array_equal(images, pipeline.generate(5, seed=3, batch_size=2))
    assert not np.array_equal(images, pipeline.generate(5, seed=4))
    z = pipeline.encode(images)
    assert z.shape == (5, 3) and z.dtype == np.float32
    np.testing.assert_array_equal(pipeline.reconstruct(images), pipeline.decode(z))
    with pytest.raises(ValueError, match="uint8"):
        pipeline.encode(images.astype("float32"))
    assert latent_traversal(pipeline, dims=[0, 2], steps=4).shape == (2, 4, 8, 8, 1)
    assert encoded_interpolation(pipeline, images[:2], images[2:4], 3).shape == (2, 3, 8, 8, 1)

    pipeline.save_preset(tmp_path / "preset", dataset="toy", training={"epochs": 0})
    config = json.loads((tmp_path / "preset" / "config.json").read_text())
    assert config["pipeline"] == "keras_stackgan>VAEPipeline"
    loaded = load_preset_dir(tmp_path / "preset")
    assert isinstance(loaded, VAEPipeline) and loaded.name == "vae-toy"
    np.testing.assert_array_equal(loaded.generate(5, seed=3), images)
    assert VAEPipeline.from_config(pipeline.get_config()).latent_dim == 3


def test_cli_generates_a_sheet_from_the_shipped_preset(tmp_path, capsys):
    from keras_stackgan.cli import main

    assert (
        main(["generate", "--preset", "vae-mnist", "--num", "4", "-o", str(tmp_path / "v.png")])
        == 0
    )
    assert (tmp_path / "v.png").is_file() and "vae-mnist" in capsys.readouterr().out
    assert main(["generate", "--preset", "vae-mnist", "--label", "3"]) == 2


def test_exported_sampler_matches_the_pipeline(tmp_path):
    from keras_stackgan.sampler_export import export_sampler

    pipeline = VAEPipeline(VAEEncoder(**TINY), VAEDecoder(**TINY), name="vae-toy")
    served = tf.saved_model.load(str(export_sampler(pipeline, tmp_path / "sampler")))
    images = served.generate(seed=tf.constant(5, tf.int64), num_images=tf.constant(6))["images"]
    np.testing.assert_array_equal(images.numpy(), pipeline.generate(6, seed=5))
    with pytest.raises(ValueError, match="not empty"):
        export_sampler(pipeline, tmp_path / "sampler")


def test_recipe_dataset_option_picks_config_run_dir_and_preset_folder():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "recipes" / "train_vae_mnist.py"
    spec = importlib.util.spec_from_file_location("train_vae_mnist", path)
    recipe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(recipe)
    mnist = recipe.parse_args(["--package"])
    assert (mnist.config, mnist.run_dir) == ("small", "runs/vae-mnist")
    assert Path(mnist.package).name == "vae_mnist"
    flowers = recipe.parse_args(["--dataset", "flowers", "--package"])
    assert (flowers.config, flowers.run_dir) == ("flowers-small", "runs/vae-flowers")
    assert Path(flowers.package).name == "vae_flowers" and flowers.fid_samples == 1000
    assert recipe.parse_args(["--dataset", "flowers"]).package is None
