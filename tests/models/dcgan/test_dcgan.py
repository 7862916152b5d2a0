"""DCGAN (Radford et al. 2016): the architecture guidelines, both image-size variants, the
paper's optimizer, and the harness's save/load, fit, mixed-precision and pipeline checks."""

import keras
import numpy as np
import pytest

from keras_stackgan.data import make_labelled_dataset
from keras_stackgan.layers import ConvBlock, DeconvBlock
from keras_stackgan.models.dcgan import (
    DCGAN,
    DCGANDiscriminator,
    DCGANGenerator,
    base_and_doublings,
    dcgan_config,
)
from keras_stackgan.models.gan import GAN
from tests.models.adversarial_harness import (
    dataset_of,
    run_fit_learns_test,
    run_generator_pipeline_test,
    run_mixed_precision_test,
    run_network_tests,
    run_trainer_saving_test,
)
from tests.models.gan.test_gan import NO_XLA, fixed_images

# 16 px RGB with tiny widths: the paper's layer rules, small enough for CPU tests.
TINY = dcgan_config("small", noise_dim=8, image_size=16, gf_dim=8, df_dim=8)


def make_gan():
    return DCGAN.from_dcgan_config(TINY, seed=3)


def _blocks(model, kind):
    return [layer for layer in model.layers if isinstance(layer, kind)]


def test_networks(tmp_path):
    g = DCGANGenerator(noise_dim=8, image_size=16, channels=3, gf_dim=4, kernel_size=4)
    z = np.random.default_rng(0).normal(size=(3, 8)).astype("float32")
    images = np.asarray(g({"noise": z}, training=False))
    assert images.shape == (3, 16, 16, 3) and images.dtype == np.float32
    assert -1.0 <= images.min() and images.max() <= 1.0
    assert (g.noise_dim, g.image_size, g.channels, g.num_classes, g.code_dim) == (8, 16, 3, 0, 0)
    run_network_tests(g, {"noise": z}, tmp_path)

    d = DCGANDiscriminator(image_size=16, channels=3, df_dim=4, kernel_size=4)
    logits = d(images, training=False)
    assert logits.shape == (3, 1) and logits.dtype == "float32"
    run_network_tests(d, images, tmp_path)


def test_paper_architecture_follows_the_guidelines():
    """Section 3's rules on the paper's 64 px networks: 4x4x1024 projection, strided and
    fractionally-strided convolutions only, BN except G's output and D's input, ReLU + tanh
    in G, LeakyReLU(0.2) in D, no pooling, no fully connected hidden layers."""
    gan = DCGAN.from_dcgan_config("paper")
    g, d = gan.generator, gan.discriminator
    dense = _blocks(g, keras.layers.Dense)
    assert [layer.units for layer in dense] == [4 * 4 * 1024]  # the projection, nothing else
    ups = _blocks(g, DeconvBlock)
    assert [b.filters for b in ups] == [512, 256, 128, 3]
    assert [b.batch_norm for b in ups] == [True, True, True, False]
    assert [b.activation for b in ups] == ["relu", "relu", "relu", None]  # then tanh
    assert all(b.strides == 2 and b.kernel_size == 5 for b in ups)
    assert len(_blocks(g, keras.layers.BatchNormalization)) == 1  # the projection's
    downs = _blocks(d, ConvBlock)
    assert [b.filters for b in downs] == [64, 128, 256, 512]
    assert [b.batch_norm for b in downs] == [False, True, True, True]
    assert all(b.activation == "leaky_relu" and b.strides == 2 for b in downs)
    assert [layer.units for layer in _blocks(d, keras.layers.Dense)] == [1]  # the output
    pooling = (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)
    assert not any(isinstance(layer, pooling) for model in (g, d) for layer in model.layers)
    assert d.get_layer("down_3").compute_output_shape((None, 8, 8, 256)) == (None, 4, 4, 512)
    x = keras.random.uniform((1, 100))
    assert g({"noise": x}).shape == (1, 64, 64, 3)
    assert isinstance(gan, GAN)  # DCGAN is the GAN step with these networks


def test_mnist_variants():
    """28 px from a 7x7 base and 32 px from a 4x4 base, one grey channel, same rules."""
    for size, base, widths in [(28, 7, [8, 1]), (32, 4, [16, 8, 1])]:
        assert base_and_doublings(size)[0] == base
        gan = DCGAN.from_dcgan_config(TINY, image_size=size, channels=1, flip=False)
        g, d = gan.generator, gan.discriminator
        assert g.get_layer("project").units == base * base * 2 * widths[0]
        assert [b.filters for b in _blocks(g, DeconvBlock)] == widths
        images = g({"noise": np.zeros((2, 8), "float32")})
        assert images.shape == (2, size, size, 1)
        assert d(images).shape == (2, 1)
    with pytest.raises(ValueError, match="4 or 7 times"):
        DCGANGenerator(image_size=48)


def test_default_optimizers_and_synchronized_bn():
    """The paper's Adam(2e-4, beta_1=0.5) for both players; ``synchronized_bn`` reaches every
    batch normalisation of both networks and their configs."""
    gan = DCGAN.from_dcgan_config(TINY, synchronized_bn=True)
    gan.compile()
    for optimizer in (gan.g_optimizer, gan.d_optimizer):
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert float(optimizer.learning_rate) == pytest.approx(2e-4)
        assert optimizer.beta_1 == 0.5 and optimizer.beta_2 == 0.999
    assert gan.g_optimizer is not gan.d_optimizer
    norms = [
        layer
        for model in (gan.generator, gan.discriminator)
        for layer in model._flatten_layers()
        if isinstance(layer, keras.layers.BatchNormalization)
    ]
    assert len(norms) == 2 + 1  # G: projection + one up block; D: the second down block
    assert all(layer.synchronized for layer in norms)
    assert gan.generator.get_config()["synchronized_bn"] is True
    assert DCGANDiscriminator.from_config(gan.discriminator.get_config()).synchronized_bn


def test_trainer_saving_on_labelled_batches(tmp_path):
    """Save/load of a trainer fitted on ``make_labelled_dataset`` batches (images, labels),
    flipped, as the recipe feeds them."""
    images = ((fixed_images(8, 16, 3) + 1) * 127.5).astype("uint8")
    data = make_labelled_dataset(
        images, np.zeros(8, "int32"), batch_size=4, flip=True, seed=0, repeat=True
    )
    restored = run_trainer_saving_test(make_gan, data, tmp_path, NO_XLA)
    assert isinstance(restored, DCGAN)


@pytest.mark.slow
def test_fit_learns():
    # Batches of 16 (each fixed image 4 times) and D at half G's learning rate: on 4 images
    # the tiny D otherwise wins before G has learned anything.
    images = fixed_images(4, 16, 3)
    run_fit_learns_test(
        make_gan,
        images,
        dataset_of(np.tile(images, (4, 1, 1, 1))),
        steps=400,
        compile_kwargs={
            "g_optimizer": keras.optimizers.Adam(2e-3, beta_1=0.5),
            "d_optimizer": keras.optimizers.Adam(1e-3, beta_1=0.5),
            **NO_XLA,
        },
    )


@pytest.mark.slow
def test_mixed_precision():
    run_mixed_precision_test(make_gan, dataset_of(fixed_images(4, 16, 3)), NO_XLA)


def test_generator_pipeline():
    run_generator_pipeline_test(make_gan().generator)
