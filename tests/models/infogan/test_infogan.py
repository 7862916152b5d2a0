"""InfoGAN: generator, D/Q network, trainer, and the information term against numpy."""

import math

import keras
import numpy as np
import pytest

from keras_stackgan.losses import information_loss
from keras_stackgan.models.infogan import (
    InfoGAN,
    InfoGANDiscriminator,
    InfoGANGenerator,
    infogan_config,
)
from keras_stackgan.models.noise import stateless_normal
from keras_stackgan.pretrained.generator_pipeline import GeneratorPipeline
from keras_stackgan.visual.code_sweep import code_sweep, code_sweep_sheet
from tests.models.adversarial_harness import (
    dataset_of,
    run_fit_learns_test,
    run_generator_pipeline_test,
    run_mixed_precision_test,
    run_network_tests,
    run_trainer_saving_test,
)

NUM_CLASSES, CODE_DIM, SIZE = 4, 2, 12
TINY = infogan_config(
    "small",
    num_classes=NUM_CLASSES,
    code_dim=CODE_DIM,
    image_size=SIZE,
    noise_dim=6,
    hidden_dim=16,
    gf_dim=4,
    df_dim=4,
    d_hidden_dim=16,
    q_hidden_dim=8,
    # With the paper's FC batch norms D cannot separate a batch of these 4 repeated images
    # from a fake batch by their means (see InfoGANDiscriminator), and G does not move in a
    # test's 150 steps; the networks are saved and reloaded with them below.
    fc_batch_norm=False,
)
EAGER = {"jit_compile": False, "run_eagerly": True}  # see tests/models/cgan/test_cgan.py


def fast():
    """No XLA, and G and D both at Adam(1e-3) for the short fits."""
    return {
        "jit_compile": False,
        "g_optimizer": keras.optimizers.Adam(1e-3, beta_1=0.5),
        "d_optimizer": keras.optimizers.Adam(1e-3, beta_1=0.5),
    }


def fixed_digits():
    """Four fixed "digits" (bars and squares) on a black (-1) canvas, ``[4, 12, 12, 1]``."""
    images = -np.ones((4, SIZE, SIZE, 1), "float32")
    images[0, 2:10, 5:7] = 1.0
    images[1, 5:7, 2:10] = 1.0
    images[2, 2:5, 2:5] = 1.0
    images[3, 7:10, 7:10] = 1.0
    return images


def generator_inputs(n=4, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "noise": rng.normal(size=(n, TINY.noise_dim)).astype("float32"),
        "labels": (np.arange(n) % NUM_CLASSES).astype("int32"),
        "codes": rng.uniform(-1, 1, (n, CODE_DIM)).astype("float32"),
    }


def make_gan():
    return InfoGAN.from_infogan_config(TINY, seed=0)


def numpy_information(class_logits, labels, mean, codes, log_std=None, w_cat=1.0, w_cont=1.0):
    shifted = class_logits - class_logits.max(-1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    categorical = -log_softmax[np.arange(len(labels)), labels].mean()
    log_std = np.zeros_like(mean) if log_std is None else log_std
    sigma = np.exp(log_std)
    nll = 0.5 * np.log(2 * np.pi) + log_std + (codes - mean) ** 2 / (2 * sigma**2)
    continuous = nll.sum(-1).mean()
    return w_cat * categorical + w_cont * continuous, categorical, continuous


@pytest.mark.parametrize("learned_std", [False, True], ids=["std_1", "learned_std"])
def test_information_loss_matches_numpy(learned_std):
    rng = np.random.default_rng(0)
    class_logits = rng.normal(size=(5, NUM_CLASSES)).astype("float32") * 3
    labels = np.array([0, 3, 1, 1, 2], "int32")
    mean = rng.normal(size=(5, CODE_DIM)).astype("float32")
    codes = rng.uniform(-1, 1, (5, CODE_DIM)).astype("float32")
    log_std = rng.normal(0, 0.3, (5, CODE_DIM)).astype("float32") if learned_std else None
    terms = information_loss(class_logits, labels, mean, codes, log_std, 1.0, 0.5)
    total, categorical, continuous = numpy_information(
        class_logits, labels, mean, codes, log_std, 1.0, 0.5
    )
    np.testing.assert_allclose(float(terms["categorical"]), categorical, rtol=1e-5)
    np.testing.assert_allclose(float(terms["continuous"]), continuous, rtol=1e-5)
    np.testing.assert_allclose(float(terms["loss"]), total, rtol=1e-5)
    # A perfect Q with sigma = 1: only the constants remain (0 nats for c1).
    perfect = information_loss(np.eye(4)[labels] * 100.0, labels, codes, codes)
    np.testing.assert_allclose(float(perfect["categorical"]), 0.0, atol=1e-5)
    np.testing.assert_allclose(
        float(perfect["continuous"]), CODE_DIM * 0.5 * math.log(2 * math.pi), rtol=1e-6
    )
    assert information_loss(class_logits.astype("float16"), labels, mean, codes)["loss"].dtype == (
        "float32"
    )


def test_trainer_information_term_uses_q_on_the_fakes():
    gan = make_gan()
    gan.compile(categorical_weight=1.0, continuous_weight=0.25, jit_compile=False)
    batch = {"real": fixed_digits()}
    fakes = gan.generate_fakes(batch, step=3, training=False)
    assert set(fakes) == {"images", "labels", "codes"}
    codes = np.asarray(fakes["codes"])
    assert codes.min() >= -1.0 and codes.max() <= 1.0
    labels = np.asarray(fakes["labels"])
    assert labels.min() >= 0 and labels.max() < NUM_CLASSES
    q = gan.discriminator(fakes["images"], training=False)
    assert {k: v.shape for k, v in q.items()} == {
        "logits": (4, 1),
        "class_logits": (4, NUM_CLASSES),
        "code_mean": (4, CODE_DIM),
    }
    terms = gan.information(fakes, q)
    expected, _, _ = numpy_information(
        np.asarray(q["class_logits"]), labels, np.asarray(q["code_mean"]), codes, None, 1.0, 0.25
    )
    np.testing.assert_allclose(float(terms["loss"]), expected, rtol=1e-5)


def test_networks_save_and_reload(tmp_path):
    # The paper's FC batch norms (the TINY trainer's networks without them are saved and
    # reloaded by test_trainer_saving).
    gan = InfoGAN.from_infogan_config(TINY.replace(fc_batch_norm=True))
    out = run_network_tests(gan.generator, generator_inputs(), tmp_path)
    images = np.asarray(out(generator_inputs(), training=False))
    assert images.shape == (4, SIZE, SIZE, 1) and images.dtype == np.float32
    assert -1.0 <= images.min() and images.max() <= 1.0
    run_network_tests(gan.discriminator, fixed_digits(), tmp_path)


def test_generator_follows_every_code():
    g = make_gan().generator
    base = generator_inputs()
    images = np.asarray(g(base, training=False))
    for key in ("noise", "labels", "codes"):
        changed = dict(base, **{key: base[key][::-1].copy()})
        assert not np.allclose(images, np.asarray(g(changed, training=False))), key


def test_trainer_saving(tmp_path):
    run_trainer_saving_test(make_gan, dataset_of(fixed_digits()), tmp_path, EAGER)


def test_fit_learns_and_trains_q():
    images = fixed_digits()
    made = {}

    def make():
        made["gan"] = make_gan()
        made["q_before"] = made["gan"].discriminator.get_layer("q_codes").get_weights()[0]
        return made["gan"]

    history, _, _ = run_fit_learns_test(
        make, images, dataset_of(np.repeat(images, 4, 0)), steps=150, compile_kwargs=fast()
    )
    assert set(history) == {"d_loss", "g_loss", "info_loss", "q_accuracy", "d_real", "d_fake"}
    q_after = made["gan"].discriminator.get_layer("q_codes").get_weights()[0]
    assert not np.allclose(made["q_before"], q_after)  # D's update trains Q


def test_information_term_makes_the_code_recoverable():
    # The paper's networks (FC batch norms): within 80 steps G and Q agree on c1.
    gan = InfoGAN.from_infogan_config(TINY.replace(fc_batch_norm=True), seed=0)
    gan.compile(**fast())
    gan.fit(dataset_of(np.repeat(fixed_digits(), 4, 0)), steps_per_epoch=80, verbose=0)
    # Fresh fakes (a step the fit never drew), read back by Q in inference mode.
    fakes = gan.generate_fakes({"real": np.zeros((64, SIZE, SIZE, 1), "float32")}, 10**6, False)
    q = gan.discriminator(fakes["images"], training=False)
    predicted = np.argmax(np.asarray(q["class_logits"]), axis=-1)
    accuracy = np.mean(predicted == np.asarray(fakes["labels"]))
    assert accuracy > 0.45, accuracy  # chance: 0.25 (1 / NUM_CLASSES; 3 sigma at 64: 0.41)


@pytest.mark.slow  # a trainer per policy (float16, bfloat16): 5-8 s on 2 loaded cores
def test_mixed_precision():
    run_mixed_precision_test(make_gan, dataset_of(fixed_digits()), EAGER)


def test_generator_pipeline():
    pipeline = run_generator_pipeline_test(
        make_gan().generator, num_classes=NUM_CLASSES, code_dim=CODE_DIM
    )
    assert pipeline.code_dim == CODE_DIM
    sweep = pipeline.generate(labels=[1] * 3, codes=[[-1.0, 0.0], [0.0, 0.0], [1.0, 0.0]], seed=0)
    assert sweep.shape == (3, SIZE, SIZE, 1)


def test_code_sweep_sheet_has_the_papers_layout():
    pipeline = GeneratorPipeline(make_gan().generator)
    grid = code_sweep(pipeline, 1, steps=3, seed=0)
    assert grid.shape == (NUM_CLASSES, 3, SIZE, SIZE, 1) and grid.dtype == np.uint8
    # Row k: categorical value k, one z, code 1 at -1, 0, 1 and code 0 at 0.
    z = np.asarray(stateless_normal([NUM_CLASSES, TINY.noise_dim], 0, 1))
    expected = pipeline.images_from_inputs(
        np.repeat(z[2:3], 3, 0), np.full(3, 2, "int32"), np.array([[0, -1], [0, 0], [0, 1.0]])
    )
    np.testing.assert_array_equal(grid[2], np.asarray(expected))
    sheet = code_sweep_sheet(pipeline, 0, steps=3)
    assert sheet.width == 3 * (SIZE + 2) + 2 and sheet.height > NUM_CLASSES * (SIZE + 2)
    with pytest.raises(ValueError, match="code_index"):
        code_sweep(pipeline, CODE_DIM)


def test_paper_config_and_defaults():
    config = infogan_config("paper")
    assert (config.noise_dim, config.num_classes, config.code_dim) == (62, 10, 2)
    gan = InfoGAN.from_infogan_config("paper")
    g_optimizer, d_optimizer = gan.default_optimizers()
    assert float(g_optimizer.learning_rate) == pytest.approx(1e-3)
    assert float(d_optimizer.learning_rate) == pytest.approx(2e-4)
    assert float(g_optimizer.beta_1) == float(d_optimizer.beta_1) == 0.5
    small = make_gan()
    small.compile(continuous_weight=0.5, jit_compile=False)
    assert small.get_compile_config()["continuous_weight"] == 0.5
    # Appendix C.1 widths: FC 1024 -> 7x7x128 -> deconv 64 -> deconv 1.
    assert gan.generator.get_layer("fc_2").units == 7 * 7 * 128
    assert gan.discriminator.get_layer("q_hidden").units == 128
    with pytest.raises(ValueError, match="code_dim"):
        InfoGAN(
            InfoGANGenerator(6, NUM_CLASSES, 3, 16, 4, SIZE),
            InfoGANDiscriminator(NUM_CLASSES, 2, SIZE, df_dim=4),
        )
    with pytest.raises(ValueError, match="categorical_weight"):
        make_gan().compile(categorical_weight=-1.0)
    with pytest.raises(ValueError, match="images must have shape"):
        make_gan().unpack_batch(fixed_digits()[:, :8])
