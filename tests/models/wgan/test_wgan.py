"""WGAN (weight clipping): networks, trainer, the n_critic split, clipping, losses by hand."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan import losses
from keras_stackgan.models.dcgan import DCGANGenerator
from keras_stackgan.models.wgan import (
    WGAN,
    WGANCritic,
    WGANGenerator,
    wgan_config,
    wgan_optimizers,
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
TINY = wgan_config("small", noise_dim=8, image_size=8, gf_dim=4, df_dim=4, batch_size=2)
# Tracing the unrolled critic updates costs seconds per model on a loaded CPU, so the harness
# runs eagerly with two critic updates; test_n_critic_and_clipping runs the paper's 5 in graph.
EAGER = {"run_eagerly": True, "jit_compile": False, "n_critic": 2}
# 16 px: the critic has a batch-normalised block (whose scales the clip must catch).
SMALL = wgan_config("small", noise_dim=8, image_size=16, gf_dim=8, df_dim=8, batch_size=4)


def real_images(n=4, seed=0, size=8):
    return np.random.default_rng(seed).uniform(-1, 1, (n, size, size, 3)).astype("float32")


def make_gan(config=TINY):
    return WGAN.from_wgan_config(config, seed=0)


def test_generator_network(tmp_path):
    generator = WGANGenerator(noise_dim=8, image_size=16, gf_dim=4, kernel_size=3)
    noise = np.random.default_rng(0).normal(size=(3, 8)).astype("float32")
    images = np.asarray(generator({"noise": noise}, training=False))
    assert images.shape == (3, 16, 16, 3) and images.dtype == np.float32
    assert -1.0 <= images.min() and images.max() <= 1.0
    assert (generator.num_classes, generator.code_dim, generator.channels) == (0, 0, 3)
    assert isinstance(generator, DCGANGenerator) and WGANGenerator().kernel_size == 4
    run_network_tests(generator, {"noise": noise[:2]}, tmp_path)
    grey = WGANGenerator(noise_dim=8, image_size=8, channels=1, gf_dim=4)
    assert grey({"noise": np.zeros((1, 8), "float32")}).shape == (1, 8, 8, 1)
    with pytest.raises(ValueError, match="image_size"):
        WGANGenerator(image_size=48)


def test_critic_network(tmp_path):
    critic = WGANCritic(image_size=16, df_dim=4)
    scores = critic(real_images(3, size=16), training=False)
    assert scores.shape == (3, 1) and scores.dtype == "float32"
    run_network_tests(critic, real_images(2, size=16), tmp_path)
    with pytest.raises(ValueError, match="normalization"):
        WGANCritic(normalization="instance")
    digits = WGANCritic(image_size=28, channels=1, df_dim=4)  # MNIST: a 7x7 base
    assert digits(np.zeros((1, 28, 28, 1), "float32")).shape == (1, 1)
    # No sigmoid: the score is unbounded, not a probability.
    plain = WGANCritic(image_size=8, df_dim=4, normalization=None)
    score = plain.get_layer("score")
    score.set_weights([np.full(score.kernel.shape, 100.0, "float32"), np.zeros(1, "float32")])
    assert abs(np.asarray(plain(np.ones((1, 8, 8, 3), "float32")))).max() > 1.0


def test_trainer_saving(tmp_path):
    restored = run_trainer_saving_test(make_gan, dataset_of(real_images()), tmp_path, EAGER)
    assert restored.get_compile_config()["n_critic"] == 2
    assert restored.get_compile_config()["clip_value"] == 0.01


def test_fit_learns():
    images = gradient_images(2)[:, ::4, ::4]  # two 16 px gradients
    data = dataset_of(np.repeat(images, 10, axis=0))  # 5 critic updates of m = 4
    # Faster than the paper (RMSprop 5e-5, clip 0.01), or 75 steps would not move this tiny
    # critic (measured: the distance drops to 0.14-0.24 of the untrained one on 3 seeds; with
    # clip 0.01 it stays above 0.6).
    kwargs = {
        "g_optimizer": keras.optimizers.RMSprop(1e-3),
        "d_optimizer": keras.optimizers.RMSprop(1e-3),
        "clip_value": 0.1,
        "jit_compile": False,  # graph mode, the paper's n_critic = 5
    }
    made = []
    run_fit_learns_test(
        lambda: made.append(make_gan(SMALL)) or made[-1],
        images,
        data,
        steps=75,
        compile_kwargs=kwargs,
    )
    gan = made[-1]
    assert int(gan.g_optimizer.iterations) == 75
    assert int(gan.d_optimizer.iterations) == 5 * int(gan.g_optimizer.iterations)
    for variable in gan.discriminator.trainable_variables:
        assert np.all(np.abs(np.asarray(variable)) <= 0.1 + 1e-7), variable.path


def test_mixed_precision():
    run_mixed_precision_test(make_gan, dataset_of(real_images()), EAGER)


def test_generator_pipeline():
    run_generator_pipeline_test(make_gan().generator)


def test_n_critic_and_clipping():
    gan = make_gan(SMALL)
    gan.compile(run_eagerly=True)  # the paper's n_critic = 5 and clip 0.01
    # The batch-norm scales start at ~1: outside the clip box before training.
    assert max(float(np.abs(v).max()) for v in gan.discriminator.get_weights()) > 0.5
    images = real_images(20, size=16)
    data = dataset_of(images, np.arange(20, dtype="int32"))  # labels are ignored
    history = gan.fit(data, steps_per_epoch=2, epochs=1, verbose=0).history
    assert set(history) == {"d_loss", "g_loss", "wasserstein"}
    assert all(np.isfinite(v[-1]) for v in history.values())
    assert int(gan.g_optimizer.iterations) == 2
    assert int(gan.d_optimizer.iterations) == 5 * int(gan.g_optimizer.iterations)
    for variable in gan.discriminator.trainable_variables:
        assert np.all(np.abs(np.asarray(variable)) <= 0.01 + 1e-7), variable.path
    gammas = [v for v in gan.discriminator.trainable_variables if "gamma" in v.path]
    assert gammas and all(np.isclose(np.asarray(g), 0.01).any() for g in gammas)  # clipped
    # Moving statistics are not parameters: the authors' clamp leaves them alone too.
    variances = [v for v in gan.discriminator.non_trainable_variables if "variance" in v.path]
    assert any(float(np.abs(np.asarray(v)).max()) > 0.01 for v in variances)
    # A batch that is not a multiple of n_critic is refused (when traced, or when it runs).
    with pytest.raises((ValueError, tf.errors.InvalidArgumentError), match="n_critic"):
        gan.fit(dataset_of(real_images(7, size=16)), steps_per_epoch=1, verbose=0)


def test_batch_option_and_config_checks():
    gan = make_gan()
    gan.compile(**EAGER)
    with pytest.raises(ValueError, match="n_critic"):
        gan.unpack_batch(real_images(5))
    with pytest.raises(ValueError, match="shape"):
        gan.unpack_batch(real_images(4, size=16))
    with pytest.raises(ValueError, match="float"):
        gan.unpack_batch(np.zeros((4, 8, 8, 3), "uint8"))
    with pytest.raises(ValueError, match="n_critic"):
        make_gan().compile(n_critic=0)
    with pytest.raises(ValueError, match="clip_value"):
        make_gan().compile(clip_value=0.0)
    with pytest.raises(ValueError, match="image_size"):
        WGAN(WGANGenerator(8, 16, gf_dim=4), WGANCritic(32, df_dim=4))
    # The paper's optimizers and configuration.
    for optimizer in (gan.g_optimizer, gan.d_optimizer):
        assert isinstance(optimizer, keras.optimizers.RMSprop)
        assert float(optimizer.learning_rate) == pytest.approx(5e-5)
    g_opt, _ = wgan_optimizers(wgan_config("paper"))
    assert isinstance(g_opt, keras.optimizers.RMSprop)
    paper = wgan_config("paper")
    assert (paper.n_critic, paper.clip_value, paper.fit_batch_size) == (5, 0.01, 320)
    assert wgan_config(paper.to_dict()) == paper
    with pytest.raises(ValueError, match="Unknown"):
        wgan_config("huge")


def test_losses_estimate_and_split_by_hand():
    rng = np.random.default_rng(0)
    real, fake = rng.normal(size=(6, 1)), rng.normal(size=(6, 1)) + 1.0
    critic = losses.wasserstein_critic_loss(real, fake)
    assert float(critic) == pytest.approx(fake.mean() - real.mean(), rel=1e-6)
    assert float(losses.wasserstein_generator_loss(fake)) == pytest.approx(-fake.mean(), rel=1e-6)

    gan = make_gan()
    images, fakes = real_images(4), real_images(4, seed=1)
    loss, logs = gan.discriminator_loss({"real": images}, {"images": fakes}, training=False)
    d_real = np.asarray(gan.discriminator(images, training=False)).mean()
    d_fake = np.asarray(gan.discriminator(fakes, training=False)).mean()
    assert float(loss) == pytest.approx(d_fake - d_real, abs=1e-6)
    assert float(logs["wasserstein"]) == pytest.approx(d_real - d_fake, abs=1e-6)

    # The fit batch splits into n_critic chunks of m, in order.
    gan.compile(jit_compile=False)
    real = real_images(10)
    fakes = real[::-1].copy()
    chunks = gan.critic_batches({"real": real}, {"images": fakes})
    assert len(chunks) == 5
    for i, (batch, fake) in enumerate(chunks):
        np.testing.assert_array_equal(batch["real"], real[2 * i : 2 * i + 2])
        np.testing.assert_array_equal(fake["images"], fakes[2 * i : 2 * i + 2])
