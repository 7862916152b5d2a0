"""Shapes, value ranges, parameter counts and save/load round trips of the GAN-INT-CLS models."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.models.gan_int_cls import (
    GANINTCLS,
    BottleneckBlock,
    GANINTCLSDiscriminator,
    GANINTCLSGenerator,
    StyleEncoder,
    StyleEncoderTrainer,
    gan_int_cls_config,
    gan_int_cls_learning_rate,
    gan_int_cls_optimizers,
)
from tests.models.gan_int_cls.conftest import TINY, generator_inputs, random_batch
from tests.test_case import assert_outputs_equal, run_model_saving_test, run_serialization_test


def _check_images(images, size, batch):
    images = np.asarray(images)
    assert images.shape == (batch, size, size, 3)
    assert images.dtype == np.float32
    assert images.min() >= -1.0 and images.max() <= 1.0


@pytest.mark.parametrize("name", ["paper", "small"])
def test_shapes_ranges_and_parameter_counts(name):
    config = gan_int_cls_config(name)
    g = GANINTCLSGenerator(
        config.embedding_dim, config.noise_dim, config.projection_dim, config.gf_dim
    )
    d = GANINTCLSDiscriminator(config.embedding_dim, 64, config.df_dim, config.projection_dim)
    s = StyleEncoder(config.noise_dim, 64, config.style_df_dim)
    inputs = generator_inputs(1, config)
    images = g(inputs, training=False)["images"]
    _check_images(images, 64, 1)
    logits = d({"images": images, "embedding": inputs["embedding"]})
    assert logits.shape == (1, 1) and logits.dtype == "float32"
    noise = s(images)
    assert noise.shape == (1, config.noise_dim) and noise.dtype == "float32"
    counts = {m.name: m.count_params() for m in (g, d, s)}
    print(f"\nparameter counts ({name} config): {counts}")
    if name == "paper":
        # netG / netD of main_cls_int.lua with ngf=128, ndf=64, nt=128, txtSize=1024 have
        # 18.91M and 3.23M parameters (counted by hand from the Torch layer list).
        assert 18_500_000 < counts[g.name] < 19_300_000
        assert 3_100_000 < counts[d.name] < 3_400_000


def test_generator_depends_on_text_and_noise():
    g = GANINTCLSGenerator(16, noise_dim=8, gf_dim=4)
    base = generator_inputs(2)
    images = g(base, training=False)["images"]
    for key in ("embedding", "noise"):
        changed = dict(base, **{key: base[key][::-1].copy()})
        assert not np.allclose(images, g(changed, training=False)["images"])


def test_image_sizes():
    g = GANINTCLSGenerator(16, noise_dim=8, gf_dim=4, image_size=32)
    assert g(generator_inputs(1), training=False)["images"].shape == (1, 32, 32, 3)
    with pytest.raises(ValueError, match="image_size"):
        GANINTCLSGenerator(16, image_size=48)
    with pytest.raises(ValueError, match="image_size"):
        GANINTCLSDiscriminator(16, image_size=100)
    with pytest.raises(ValueError, match="px"):
        GANINTCLS(
            GANINTCLSGenerator(16, noise_dim=8, gf_dim=4, image_size=32),
            GANINTCLSDiscriminator(16, 64, df_dim=4),
        )


def test_bottleneck_block():
    x = np.random.default_rng(0).normal(size=(2, 4, 4, 8)).astype("float32")
    block = BottleneckBlock()
    y = block(x, training=True)
    assert tuple(y.shape) == x.shape and float(np.min(y)) >= 0.0
    assert block.reduce.filters == 2 and block.expand.filters == 8
    revived = run_serialization_test(block)
    revived(x)
    revived.set_weights(block.get_weights())
    assert_outputs_equal(block(x, training=False), revived(x, training=False))
    for w in block.expand.weights:  # zero residual branch: the block is relu(x)
        if "gamma" in w.path:
            w.assign(np.zeros(w.shape))
    np.testing.assert_allclose(block(x, training=False), np.maximum(x, 0), atol=1e-6)
    with pytest.raises(ValueError, match="reduction"):
        BottleneckBlock(reduction=0)


@pytest.mark.parametrize(
    "model_fn, inputs",
    [
        (lambda: GANINTCLSGenerator(16, noise_dim=8, gf_dim=4), generator_inputs(2)),
        (
            lambda: GANINTCLSDiscriminator(16, 64, df_dim=4),
            {"images": random_batch(2)[0], "embedding": random_batch(2)[1]},
        ),
        (lambda: StyleEncoder(8, 64, df_dim=4), random_batch(2)[0]),
        (
            lambda: StyleEncoderTrainer(
                GANINTCLSGenerator(16, noise_dim=8, gf_dim=4), StyleEncoder(8, 64, 4), seed=1
            ),
            random_batch(2)[0],
        ),
    ],
)
def test_saving_round_trip(model_fn, inputs, tmp_path):
    model = model_fn()
    run_serialization_test(model)
    run_model_saving_test(model, inputs, tmp_path)


def test_trainer_saving_round_trip(tmp_path):
    gan = GANINTCLS.from_gan_int_cls_config(TINY, seed=3)
    run_serialization_test(gan)
    gan.compile(
        *gan_int_cls_optimizers(TINY, 10),
        variant="gan-cls",
        interpolation_weight=0.5,
        jit_compile=False,
        run_eagerly=True,
    )
    gan.fit(tf.data.Dataset.from_tensors(random_batch(4)), epochs=1, verbose=0)
    restored = run_model_saving_test(gan, generator_inputs(4), tmp_path)
    # Variant, loss weights and optimizer state come back with a .keras file.
    assert restored.variant.name == "gan-cls"
    assert restored.interpolation_weight == 0.5 and restored.wrong_weight == 0.5
    assert [m.name for m in restored.metrics] == [m.name for m in gan.metrics]
    for name in ("g_optimizer", "d_optimizer"):
        original, loaded = getattr(gan, name), getattr(restored, name)
        assert int(loaded.iterations) == int(original.iterations) == 1
        for a, b in zip(original.variables, loaded.variables, strict=True):
            np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_generate_is_seeded_and_validated():
    gan = GANINTCLS.from_gan_int_cls_config(TINY)
    embeddings = random_batch(3)[1]
    images = gan.generate(embeddings, seed=7)
    _check_images(images, 64, 3)
    np.testing.assert_array_equal(images, gan.generate(embeddings, seed=7))
    assert not np.allclose(images, gan.generate(embeddings, seed=8))
    noise = generator_inputs(3)["noise"]
    expected = gan.generator({"embedding": embeddings, "noise": noise}, training=False)["images"]
    np.testing.assert_allclose(gan.generate(embeddings, noise=noise), expected, atol=1e-6)
    with pytest.raises(ValueError, match=r"\[n, 16\]"):
        gan.generate(np.zeros((2, 15), "float32"))


def test_config_resolution_and_optimizers():
    assert gan_int_cls_config("paper").gf_dim == 128
    assert gan_int_cls_config("small", batch_size=8).batch_size == 8
    assert gan_int_cls_config({"embedding_dim": 384}).embedding_dim == 384
    with pytest.raises(ValueError, match="available"):
        gan_int_cls_config("huge")
    with pytest.raises(ValueError, match="Unknown"):
        gan_int_cls_config({"gf": 4})
    config = gan_int_cls_config("small")
    assert type(config).from_dict(config.to_dict()) == config
    assert config.embedding_dim == 384 and config.batch_size == 32
    g_opt, d_opt = gan_int_cls_optimizers(gan_int_cls_config("paper"), steps_per_epoch=10)
    assert g_opt is not d_opt and g_opt.beta_1 == 0.5
    schedule = gan_int_cls_learning_rate(gan_int_cls_config("paper"), steps_per_epoch=10)
    assert float(schedule(999)) == pytest.approx(2e-4)
    assert float(schedule(1000)) == pytest.approx(1e-4)


def test_keras_registry_names():
    for cls in (
        BottleneckBlock,
        GANINTCLSGenerator,
        GANINTCLSDiscriminator,
        GANINTCLS,
        StyleEncoder,
        StyleEncoderTrainer,
    ):
        assert keras.saving.get_registered_name(cls) == f"keras_stackgan>{cls.__name__}"
