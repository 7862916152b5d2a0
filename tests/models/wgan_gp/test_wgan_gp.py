"""WGAN-GP: networks, trainer, the gradient penalty by hand, eps ~ U[0, 1], XLA, n_critic."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan import losses
from keras_stackgan.models.wgan_gp import (
    WGANGP,
    WGANGPCritic,
    WGANGPGenerator,
    wgan_gp_config,
    wgan_gp_optimizers,
)
from tests.models.adversarial_harness import (
    dataset_of,
    run_fit_learns_test,
    run_generator_pipeline_test,
    run_mixed_precision_test,
    run_network_tests,
    run_trainer_saving_test,
)
from tests.models.stackgan.conftest import gradient_images

# Tiny widths at 8 px, m = 2 images per critic update: a fit batch holds n_critic * 2.
TINY = wgan_gp_config("small", noise_dim=8, image_size=8, gf_dim=4, df_dim=4, batch_size=2)
# Tracing the unrolled critic updates (with second-order gradients) costs seconds per model on
# a loaded CPU, so the harness runs eagerly with two critic updates; the n_critic test runs the
# paper's 5 in graph mode, test_penalty_under_xla and the slow fit test run XLA.
EAGER = {"run_eagerly": True, "jit_compile": False, "n_critic": 2}
SIZE = 16 * 16 * 3  # the linear critic's input


def real_images(n=4, seed=0, size=8):
    return np.random.default_rng(seed).uniform(-1, 1, (n, size, size, 3)).astype("float32")


def make_gan(config=TINY):
    return WGANGP.from_wgan_gp_config(config, seed=0)


def linear_critic(w):
    """``D(x) = <w, x>``: its gradient is ``w`` everywhere, of norm ``||w||``."""
    critic = keras.Sequential(
        [keras.Input((16, 16, 3)), keras.layers.Flatten(), keras.layers.Dense(1, use_bias=False)]
    )
    critic.layers[-1].set_weights([w.reshape(SIZE, 1).astype("float32")])
    return critic


def test_networks(tmp_path):
    (tmp_path / "g").mkdir()
    (tmp_path / "d").mkdir()
    generator = WGANGPGenerator(noise_dim=8, image_size=16, gf_dim=4)
    assert (generator.noise_dim, generator.kernel_size) == (8, 5)
    noise = np.random.default_rng(0).normal(size=(2, 8)).astype("float32")
    run_network_tests(generator, {"noise": noise}, tmp_path / "g")
    critic = WGANGPCritic(image_size=16, df_dim=4)
    assert (critic.normalization, critic.kernel_size) == ("layer", 5)
    run_network_tests(critic, real_images(2, size=16), tmp_path / "d")
    with pytest.raises(ValueError, match="batch norm"):
        WGANGPCritic(normalization="batch")
    with pytest.raises(ValueError, match="batch norm"):
        wgan_gp_config("small", normalization="batch")
    # No batch norm: an example's score must not depend on the rest of the batch.
    critic = WGANGPCritic(image_size=16, df_dim=4)
    images = real_images(4, size=16)
    alone = np.asarray(critic(images[:1], training=True))
    together = np.asarray(critic(images, training=True))[:1]
    np.testing.assert_allclose(alone, together, atol=1e-6)


def test_trainer_saving(tmp_path):
    restored = run_trainer_saving_test(make_gan, dataset_of(real_images()), tmp_path, EAGER)
    assert restored.get_compile_config()["gradient_penalty_weight"] == 10.0
    assert restored.get_compile_config()["n_critic"] == 2


def test_fit_learns():
    images = gradient_images(2)[:, ::8, ::8]  # two 8 px gradients
    data = dataset_of(np.repeat(images, 20, axis=0))  # 5 critic updates of m = 8
    config = TINY.replace(gf_dim=16, df_dim=16, batch_size=8)
    # Faster than the paper (Adam 1e-4 for both), the critic 4x faster than G, or 75 steps
    # would not move these networks (measured: 0.35-0.39 of the untrained distance, 3 seeds).
    kwargs = {
        "g_optimizer": keras.optimizers.Adam(5e-4, beta_1=0.0, beta_2=0.9),
        "d_optimizer": keras.optimizers.Adam(2e-3, beta_1=0.0, beta_2=0.9),
        "jit_compile": False,  # graph mode, the paper's n_critic = 5
    }
    made = []
    run_fit_learns_test(
        lambda: made.append(make_gan(config)) or made[-1],
        images,
        data,
        steps=75,
        compile_kwargs=kwargs,
    )
    # Graph mode with the paper's n_critic = 5: five critic updates per generator update.
    gan = made[-1]
    assert int(gan.g_optimizer.iterations) == 75
    assert int(gan.d_optimizer.iterations) == 5 * int(gan.g_optimizer.iterations)


def test_mixed_precision():
    run_mixed_precision_test(make_gan, dataset_of(real_images()), EAGER)


def test_generator_pipeline():
    run_generator_pipeline_test(make_gan().generator)


def test_gradient_penalty_of_a_linear_critic_by_hand():
    rng = np.random.default_rng(0)
    w = rng.normal(size=SIZE) * 0.02  # ||w|| ~ 0.55: a penalty far from 0
    gan = WGANGP(WGANGPGenerator(8, 16, gf_dim=4), linear_critic(w), seed=0)
    real, fake = real_images(6, size=16), real_images(6, seed=1, size=16)
    norm = np.linalg.norm(w)
    penalty = gan.gradient_penalty(real, fake, step=0, training=False)
    assert float(penalty) == pytest.approx((norm - 1.0) ** 2, rel=1e-5)

    # The critic loss: mean(D(fake)) - mean(D(real)) + 10 (||w|| - 1)^2 ...
    loss, logs = gan.discriminator_loss({"real": real}, {"images": fake}, training=False)
    d_real, d_fake = real.reshape(6, -1) @ w, fake.reshape(6, -1) @ w
    expected = d_fake.mean() - d_real.mean() + 10.0 * (norm - 1.0) ** 2
    assert float(loss) == pytest.approx(expected, rel=1e-4)
    assert float(logs["wasserstein"]) == pytest.approx(d_real.mean() - d_fake.mean(), rel=1e-4)
    assert float(logs["gradient_penalty"]) == pytest.approx((norm - 1.0) ** 2, rel=1e-5)

    # ... and its gradient through the inner tape: d/dw (||w|| - 1)^2 = 2 (||w|| - 1) w / ||w||.
    kernel = gan.discriminator.trainable_variables[0]
    with tf.GradientTape() as tape:
        penalty = gan.gradient_penalty(real, fake, step=0, training=True)
    gradient = np.asarray(tape.gradient(penalty, kernel)).ravel()
    np.testing.assert_allclose(gradient, 2 * (norm - 1) * w / norm, rtol=1e-4, atol=1e-8)

    # A unit-norm w pays nothing.
    unit = WGANGP(WGANGPGenerator(8, 16, gf_dim=4), linear_critic(w / norm), seed=0)
    assert float(unit.gradient_penalty(real, fake, 0, False)) == pytest.approx(0.0, abs=1e-8)
    assert float(losses.gradient_penalty(np.zeros((2, 3)))) == pytest.approx(1.0, abs=1e-5)


def test_interpolation_weights_are_uniform_per_example():
    gan = make_gan()
    rng = np.random.default_rng(0)
    real = rng.uniform(0.5, 1.0, (512, 8, 8, 3)).astype("float32")
    fake = rng.uniform(-1.0, -0.5, (512, 8, 8, 3)).astype("float32")
    x_hat = np.asarray(gan.interpolates(real, fake, step=7))
    # Between real and fake, pixel by pixel.
    assert np.all(x_hat <= np.maximum(real, fake) + 1e-6)
    assert np.all(x_hat >= np.minimum(real, fake) - 1e-6)
    # One eps per example: (x_hat - fake) / (real - fake) is constant within an image.
    eps = (x_hat - fake) / (real - fake)
    per_example = eps.reshape(512, -1)
    assert np.ptp(per_example, axis=1).max() < 1e-4
    eps = per_example[:, 0]
    # U[0, 1]: inside [0, 1], spread over it (a normal would leave it; U's sd is 0.289).
    assert eps.min() >= 0.0 and eps.max() <= 1.0
    assert eps.min() < 0.02 and eps.max() > 0.98
    assert np.std(eps) == pytest.approx(1 / np.sqrt(12), abs=0.03)
    counts, _ = np.histogram(eps, bins=4, range=(0, 1))
    assert counts.min() > 512 / 4 * 0.7
    # Each critic update (a new step) draws new weights.
    other = np.asarray(gan.interpolates(real, fake, step=8))
    assert not np.allclose(other, x_hat)


def test_n_critic_updates_per_step_and_metrics():
    gan = make_gan()
    gan.compile(run_eagerly=True)  # the paper's n_critic = 5 (graph mode: test_fit_learns)
    data = dataset_of(real_images(10), np.arange(10, dtype="int32"))  # labels are ignored
    history = gan.fit(data, steps_per_epoch=3, epochs=1, verbose=0).history
    assert set(history) == {"d_loss", "g_loss", "wasserstein", "gradient_penalty"}
    assert all(np.isfinite(v[-1]) for v in history.values())
    assert int(gan.g_optimizer.iterations) == 3
    assert int(gan.d_optimizer.iterations) == 5 * int(gan.g_optimizer.iterations)
    for optimizer in (gan.g_optimizer, gan.d_optimizer):
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert float(optimizer.learning_rate) == pytest.approx(1e-4)
        assert (optimizer.beta_1, optimizer.beta_2) == (0.0, 0.9)
    g_opt, _ = wgan_gp_optimizers(wgan_gp_config("paper"))
    assert (g_opt.beta_1, g_opt.beta_2) == (0.0, 0.9)
    with pytest.raises(ValueError, match="gradient_penalty_weight"):
        make_gan().compile(gradient_penalty_weight=-1.0)


def _critic_loss_and_gradients(gan, real, fake):
    variables = gan.discriminator.trainable_variables

    def loss_and_gradients():
        with tf.GradientTape() as tape:
            loss, logs = gan.discriminator_loss({"real": real}, {"images": fake}, False)
        return loss, logs["gradient_penalty"], tape.gradient(loss, variables)

    return loss_and_gradients


def test_penalty_under_xla():
    # The critic's loss with its inner tape, and the gradient of that loss, XLA-compiled, in
    # float32 and under mixed_float16 (where the loss and the penalty stay float32).
    real, fake = real_images(4), real_images(4, seed=1)
    for policy, tolerance in (("float32", 1e-4), ("mixed_float16", 2e-2)):
        keras.mixed_precision.set_global_policy(policy)
        loss_and_gradients = _critic_loss_and_gradients(make_gan(), real, fake)
        plain = loss_and_gradients()
        compiled = tf.function(loss_and_gradients, jit_compile=True)()
        keras.mixed_precision.set_global_policy("float32")
        assert compiled[0].dtype == "float32" and compiled[1].dtype == "float32"
        for a, b in zip(plain[:2], compiled[:2], strict=True):
            assert float(b) == pytest.approx(float(a), rel=tolerance, abs=tolerance), policy
        for a, b in zip(plain[2], compiled[2], strict=True):
            assert np.all(np.isfinite(np.asarray(b))), policy
            np.testing.assert_allclose(np.asarray(b), np.asarray(a), rtol=0.1, atol=tolerance)


@pytest.mark.slow
def test_fit_under_xla_and_mixed_float16():
    # XLA (the default on one GPU) under mixed_float16.
    keras.mixed_precision.set_global_policy("mixed_float16")
    gan = make_gan()
    gan.compile(jit_compile=True)
    assert gan.get_compile_config()["jit_compile"] is True
    history = gan.fit(dataset_of(real_images(10)), steps_per_epoch=2, epochs=1, verbose=0).history
    assert all(np.isfinite(v[-1]) for v in history.values())
    # The loss-scale optimizer skips (and does not count) an update whose scaled gradients
    # overflow while it lowers its initial scale of 2**15: at most 5 per generator update.
    assert 0 < int(gan.d_optimizer.iterations) <= 5 * int(gan.g_optimizer.iterations)
