"""GAN (Goodfellow et al. 2014): the MLP networks, the trainer's step and its two G objectives."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan import losses
from keras_stackgan.models.gan import (
    GAN,
    GANDiscriminator,
    GANGenerator,
    adam_optimizers,
    gan_config,
)
from tests.models.adversarial_harness import (
    dataset_of,
    run_fit_learns_test,
    run_generator_pipeline_test,
    run_mixed_precision_test,
    run_network_tests,
    run_trainer_saving_test,
)

# Tiny widths, no dropout: the paper's networks, small enough for CPU tests.
TINY = gan_config(
    "small",
    noise_dim=8,
    image_size=8,
    channels=1,
    g_hidden_units=(32,),
    d_hidden_units=(32,),
)


def fixed_images(n=4, size=8, channels=1):
    """``n`` fixed, learnable images in [-1, 1]: ramps and a checkerboard."""
    yy, xx = np.mgrid[0:size, 0:size] / (size - 1)
    patterns = [2 * xx - 1, 2 * yy - 1, 1 - 2 * xx, np.where((xx * 3).astype(int) % 2, 1.0, -1.0)]
    images = np.stack([patterns[i % 4] for i in range(n)])[..., None]
    return np.repeat(images, channels, axis=-1).astype("float32")


# Plain graph mode: XLA compilation costs more than these tiny steps save.
NO_XLA = {"jit_compile": False}


def make_gan(**changes):
    return GAN.from_gan_config(TINY.replace(**changes), seed=3)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def test_networks(tmp_path):
    g = GANGenerator(noise_dim=8, image_size=8, channels=3, hidden_units=(16, 16))
    z = np.random.default_rng(0).normal(size=(3, 8)).astype("float32")
    images = np.asarray(g({"noise": z}))
    assert images.shape == (3, 8, 8, 3) and images.dtype == np.float32
    assert -1.0 <= images.min() and images.max() <= 1.0
    assert (g.noise_dim, g.image_size, g.channels, g.num_classes, g.code_dim) == (8, 8, 3, 0, 0)
    run_network_tests(g, {"noise": z}, tmp_path)

    d = GANDiscriminator(image_size=8, channels=3, hidden_units=(16,), dropout=0.5)
    logits = d(images, training=False)
    assert logits.shape == (3, 1) and logits.dtype == "float32"
    run_network_tests(d, images, tmp_path)
    with pytest.raises(ValueError, match="activation"):
        GANGenerator(activation="tanh")
    with pytest.raises(ValueError, match="dropout"):
        GANDiscriminator(dropout=1.0)


def test_paper_config_is_goodfellow_mnist_model():
    config = gan_config("paper")
    gan = GAN.from_gan_config(config)
    dense = keras.layers.Dense
    g_units = [layer.units for layer in gan.generator.layers if isinstance(layer, dense)]
    d_units = [layer.units for layer in gan.discriminator.layers if isinstance(layer, dense)]
    # mnist.yaml: z of 100 -> 1200 -> 1200 -> 784 pixels; D 784 -> 240 -> 240 -> 1.
    assert g_units == [1200, 1200, 784] and d_units == [240, 240, 1]
    assert gan.generator.noise_dim == 100
    drops = [x.rate for x in gan.discriminator.layers if isinstance(x, keras.layers.Dropout)]
    assert drops == [0.2, 0.5, 0.5]
    assert (config.batch_size, config.image_size, config.channels) == (100, 28, 1)
    assert gan_config(config.to_dict()) == config  # JSON-style round trip (tuples from lists)
    with pytest.raises(ValueError, match="Unknown GANConfig"):
        gan_config("huge")
    with pytest.raises(ValueError, match="fields"):
        gan_config({"depth": 3})
    g_opt, d_opt = adam_optimizers(config)
    assert float(g_opt.learning_rate) == pytest.approx(2e-4) and g_opt.beta_1 == 0.5
    assert g_opt is not d_opt


def test_losses_match_the_paper_formulas():
    real = np.array([[2.0], [-1.0], [0.5]], "float32")
    fake = np.array([[-3.0], [0.0], [1.5]], "float32")
    d_real, d_fake = _sigmoid(real), _sigmoid(fake)
    # D: -E[log D(x)] - E[log(1 - D(G(z)))]
    expected_d = -np.mean(np.log(d_real)) - np.mean(np.log(1 - d_fake))
    got_d = losses.discriminator_loss(real, None, fake)["loss"]
    np.testing.assert_allclose(float(got_d), expected_d, rtol=1e-6)
    # G, non-saturating: -E[log D(G(z))]; minimax: E[log(1 - D(G(z)))]
    np.testing.assert_allclose(
        float(losses.generator_loss(fake)), -np.mean(np.log(d_fake)), rtol=1e-6
    )
    minimax = losses.minimax_generator_loss(fake)
    assert minimax.dtype == "float32"
    np.testing.assert_allclose(float(minimax), np.mean(np.log(1 - d_fake)), rtol=1e-6)
    # Float16 logits still give float32 losses.
    assert losses.minimax_generator_loss(fake.astype("float16")).dtype == "float32"


def test_generator_loss_option_selects_the_objective():
    gan = make_gan()
    batch = gan.unpack_batch(fixed_images())
    fakes = gan.generate_fakes(batch, 0, training=False)
    p = _sigmoid(np.asarray(gan.discriminator(fakes["images"]), "float64"))
    expected = {"non_saturating": -np.mean(np.log(p)), "minimax": np.mean(np.log(1 - p))}
    for objective, value in expected.items():
        gan.compile(generator_loss=objective)
        loss, logs = gan.generator_loss(batch, fakes, training=False)
        np.testing.assert_allclose(float(loss), value, rtol=1e-5)
        assert logs == {} and gan.get_compile_config()["generator_loss"] == objective
    with pytest.raises(ValueError, match="generator_loss"):
        gan.compile(generator_loss="wasserstein")


def test_train_step_follows_algorithm_1():
    """One step by hand: D's loss with the initial networks, then G's loss scored by the
    updated D on the initial G's fakes, with the step's noise z."""
    images = fixed_images()
    gan = make_gan()
    gan.compile(g_optimizer="sgd", d_optimizer="sgd", jit_compile=False)
    z = gan.normal_noise(4, TINY.noise_dim, tf.constant(0, "int64"), 1)
    g0 = gan.generator.get_weights()
    fake0 = np.asarray(gan.generator({"noise": z}))
    p_real = _sigmoid(np.asarray(gan.discriminator(images), "float64"))
    p_fake = _sigmoid(np.asarray(gan.discriminator(fake0), "float64"))
    d_expected = -np.mean(np.log(p_real)) - np.mean(np.log(1 - p_fake))

    logs = gan.fit(dataset_of(images).take(1), verbose=0).history
    np.testing.assert_allclose(logs["d_loss"][0], d_expected, rtol=1e-5)
    np.testing.assert_allclose(logs["d_real"][0], p_real.mean(), rtol=1e-5)
    after_g = gan.generator.get_weights()
    gan.generator.set_weights(g0)  # G's loss is computed before G's update ...
    p_fake_updated = _sigmoid(np.asarray(gan.discriminator(gan.generator({"noise": z})), "float64"))
    np.testing.assert_allclose(logs["g_loss"][0], -np.mean(np.log(p_fake_updated)), rtol=1e-5)
    assert not np.allclose(p_fake_updated, p_fake)  # ... by the updated D
    assert any(not np.allclose(a, b) for a, b in zip(after_g, g0, strict=True))


def test_batches_of_images_or_images_with_labels():
    gan = make_gan()
    images = fixed_images()
    labels = np.arange(4, dtype="int32")
    for data in (images, (images,), (images, labels), [images, labels]):
        assert gan.unpack_batch(data)["real"] is images
    gan.compile(**NO_XLA)
    history = gan.fit(dataset_of(images, labels).take(2), verbose=0).history
    assert set(history) == {"d_loss", "g_loss", "d_real", "d_fake"}
    with pytest.raises(ValueError, match=r"shape \[batch, 8, 8, 1\]"):
        gan.unpack_batch(np.zeros((4, 8, 8, 3), "float32"))
    with pytest.raises(ValueError, match="float"):
        gan.unpack_batch(np.zeros((4, 8, 8, 1), "uint8"))
    with pytest.raises(ValueError, match="length 3"):
        gan.unpack_batch((images, labels, labels))
    with pytest.raises(ValueError, match="dict"):
        gan.unpack_batch({"images": images})
    with pytest.raises(ValueError, match="discriminator takes"):
        GAN(GANGenerator(8, 8, 1, (8,)), GANDiscriminator(16, 1, (8,)))


def test_trainer_saving(tmp_path):
    data = dataset_of(fixed_images())
    restored = run_trainer_saving_test(
        make_gan, data, tmp_path, compile_kwargs={"generator_loss": "minimax", **NO_XLA}
    )
    assert restored.generator_loss_type == "minimax"


def test_fit_learns():
    images = fixed_images()
    run_fit_learns_test(
        make_gan,
        images,
        dataset_of(images),
        steps=200,
        compile_kwargs={
            "g_optimizer": keras.optimizers.Adam(5e-3, beta_1=0.5),
            "d_optimizer": keras.optimizers.Adam(5e-3, beta_1=0.5),
            **NO_XLA,
        },
    )


def test_mixed_precision():
    run_mixed_precision_test(make_gan, dataset_of(fixed_images()), NO_XLA)


def test_generator_pipeline():
    run_generator_pipeline_test(make_gan().generator)
