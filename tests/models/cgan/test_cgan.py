"""Conditional GAN: both generators and discriminators, the trainer, and label dependence."""

import keras
import numpy as np
import pytest

from keras_stackgan.models.cgan import (
    CBNGenerator,
    CGANDiscriminator,
    CGANGenerator,
    ConditionalGAN,
    ProjectionDiscriminator,
    cgan_config,
)
from tests.models.adversarial_harness import (
    dataset_of,
    run_fit_learns_test,
    run_generator_pipeline_test,
    run_mixed_precision_test,
    run_network_tests,
    run_trainer_saving_test,
)

NUM_CLASSES = 4
SIZE = 12  # a multiple of 4, small enough for CPU tests
TINY = cgan_config(
    "small",
    num_classes=NUM_CLASSES,
    image_size=SIZE,
    noise_dim=8,
    gf_dim=4,
    df_dim=4,
    feature_dim=8,
)
TINY_PAPER = cgan_config(
    "paper",
    num_classes=NUM_CLASSES,
    image_size=SIZE,
    noise_dim=8,
    noise_units=8,
    label_units=8,
    hidden_units=16,
    image_units=8,
    d_label_units=4,
    joint_units=8,
)
# XLA compiles (and, for a step or two, graph tracing) cost far more than these tiny steps;
# the fit test runs the traced graph.
EAGER = {"jit_compile": False, "run_eagerly": True}


def fast_optimizers():
    return {
        "jit_compile": False,
        "g_optimizer": keras.optimizers.Adam(1e-3, beta_1=0.5),
        "d_optimizer": keras.optimizers.Adam(1e-3, beta_1=0.5),
    }


def fixed_digits():
    """Four fixed "digits": a bar in a different place per class, on a black (-1) canvas."""
    images = -np.ones((NUM_CLASSES, SIZE, SIZE, 1), "float32")
    images[0, 2:10, 5:7] = 1.0  # vertical bar
    images[1, 5:7, 2:10] = 1.0  # horizontal bar
    images[2, 2:5, 2:5] = 1.0  # top-left square
    images[3, 7:10, 7:10] = 1.0  # bottom-right square
    return images, np.arange(NUM_CLASSES, dtype="int32")


def generator_inputs(n=4, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "noise": rng.normal(size=(n, TINY.noise_dim)).astype("float32"),
        "labels": (np.arange(n) % NUM_CLASSES).astype("int32"),
    }


def make_cbn_gan():
    return ConditionalGAN.from_cgan_config(TINY, seed=0)


def make_paper_gan():
    return ConditionalGAN.from_cgan_config(TINY_PAPER, seed=0)


@pytest.mark.parametrize("make", [make_cbn_gan, make_paper_gan], ids=["cbn", "paper"])
def test_networks_save_and_reload(make, tmp_path):
    gan = make()
    images, labels = fixed_digits()
    out = run_network_tests(gan.generator, generator_inputs(), tmp_path)
    out = np.asarray(out(generator_inputs(), training=False))
    assert out.shape == (4, SIZE, SIZE, 1) and out.dtype == np.float32
    assert -1.0 <= out.min() and out.max() <= 1.0
    run_network_tests(gan.discriminator, {"images": images, "labels": labels}, tmp_path)


def test_trainer_saving(tmp_path):
    run_trainer_saving_test(make_cbn_gan, dataset_of(*fixed_digits()), tmp_path, EAGER)


def test_fit_learns_the_fixed_digits():
    images, labels = fixed_digits()
    data = dataset_of(np.repeat(images, 4, 0), np.repeat(labels, 4, 0))
    history, before, after = run_fit_learns_test(
        make_cbn_gan, images, data, steps=150, compile_kwargs=fast_optimizers()
    )
    assert set(history) == {"d_loss", "g_loss", "d_real", "d_fake"}


@pytest.mark.slow  # a trainer per policy (float16, bfloat16): 5-8 s on 2 loaded cores
def test_mixed_precision():
    run_mixed_precision_test(make_cbn_gan, dataset_of(*fixed_digits()), EAGER)


def test_generator_pipeline():
    run_generator_pipeline_test(make_cbn_gan().generator, num_classes=NUM_CLASSES)


@pytest.mark.parametrize(
    "discriminator",
    [
        ProjectionDiscriminator(NUM_CLASSES, SIZE, df_dim=4, feature_dim=8),
        CGANDiscriminator(NUM_CLASSES, SIZE, image_units=8, label_units=4, joint_units=8),
    ],
    ids=["projection", "paper"],
)
def test_discriminator_output_depends_on_the_label(discriminator):
    images, _ = fixed_digits()
    logits = [
        np.asarray(
            discriminator(
                {"images": images, "labels": np.full(NUM_CLASSES, k, "int32")}, training=False
            )
        )
        for k in range(NUM_CLASSES)
    ]
    assert logits[0].shape == (NUM_CLASSES, 1) and logits[0].dtype == np.float32
    for k in range(1, NUM_CLASSES):
        assert np.abs(logits[k] - logits[0]).max() > 1e-6, k


def test_projection_logit_is_psi_plus_label_projection():
    d = ProjectionDiscriminator(NUM_CLASSES, SIZE, df_dim=4, feature_dim=8)
    images, labels = fixed_digits()
    logits = np.asarray(d({"images": images, "labels": labels}, training=False))
    # phi(x) is psi's input; the logit minus psi(phi) must be <embed(y), phi(x)>.
    phi_fn = keras.Model(d.inputs, d.get_layer("psi").input)
    phi = np.asarray(phi_fn({"images": images, "labels": labels}, training=False))
    kernel, bias = (w.numpy() for w in d.get_layer("psi").weights)
    table = d.get_layer("embed").embeddings.numpy()
    expected = phi @ kernel + bias + (table[labels] * phi).sum(-1, keepdims=True)
    np.testing.assert_allclose(logits, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("make", [CBNGenerator, CGANGenerator], ids=["cbn", "paper"])
def test_generator_output_differs_between_labels(make):
    g = make(NUM_CLASSES, noise_dim=8, image_size=SIZE)
    # Untrained CBN gammas are all 1 and betas 0: give each class its own (as training does).
    for layer in g.layers:
        if hasattr(layer, "beta") and hasattr(layer, "gamma"):
            rng = np.random.default_rng(0)
            layer.beta.assign(rng.normal(0, 0.5, layer.beta.shape).astype("float32"))
    noise = np.random.default_rng(1).normal(size=(1, 8)).astype("float32")
    out = [
        np.asarray(g({"noise": noise, "labels": np.array([k], "int32")}, training=False))
        for k in range(2)
    ]
    assert np.abs(out[0] - out[1]).mean() > 1e-3


def test_configs_and_bad_batches():
    for name in ("paper", "cbn", "small"):
        config = cgan_config(name)
        assert config.image_size == 28 and config.num_classes == 10
    gan = ConditionalGAN.from_cgan_config("small")
    assert isinstance(gan.generator, CBNGenerator)
    assert isinstance(gan.discriminator, ProjectionDiscriminator)
    with pytest.raises(ValueError, match="Unknown CGANConfig"):
        cgan_config("large")
    with pytest.raises(ValueError, match="generator must be"):
        cgan_config("small", generator="mlp")
    with pytest.raises(ValueError, match="num_classes"):
        ConditionalGAN(
            CBNGenerator(3, 8, 4, SIZE), ProjectionDiscriminator(4, SIZE, df_dim=4, feature_dim=8)
        )
    images, labels = fixed_digits()
    small = make_cbn_gan()
    with pytest.raises(ValueError, match="images, labels"):
        small.unpack_batch(images)
    with pytest.raises(ValueError, match="labels must be integer"):
        small.unpack_batch((images, labels.astype("float32")))
    with pytest.raises(ValueError, match="images must have shape"):
        small.unpack_batch((images[:, :8], labels))
