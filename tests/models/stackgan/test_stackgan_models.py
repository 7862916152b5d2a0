"""Shapes, value ranges, parameter counts and save/load round trips of every StackGAN model."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.models.stackgan import (
    StackGAN,
    StackGANDiscriminator,
    StageIGAN,
    StageIGenerator,
    StageIIGAN,
    StageIIGenerator,
    stackgan_config,
)
from tests.models.stackgan.conftest import TINY, random_batch
from tests.test_case import run_model_saving_test, run_serialization_test


def _stage1_inputs(batch, config, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "embedding": rng.normal(size=(batch, config.embedding_dim)).astype("float32"),
        "noise": rng.normal(size=(batch, config.noise_dim)).astype("float32"),
        "ca_noise": rng.normal(size=(batch, config.condition_dim)).astype("float32"),
    }


def _check_image(images, size, batch):
    images = np.asarray(images)
    assert images.shape == (batch, size, size, 3)
    assert images.dtype == np.float32
    assert images.min() >= -1.0 and images.max() <= 1.0


@pytest.mark.parametrize("name", ["paper", "small"])
def test_shapes_ranges_and_parameter_counts(name):
    config = stackgan_config(name)
    g1 = StageIGenerator(
        config.embedding_dim, config.condition_dim, config.noise_dim, config.stage1_gf_dim
    )
    d1 = StackGANDiscriminator(config.embedding_dim, 64, config.stage1_df_dim)
    g2 = StageIIGenerator(
        config.embedding_dim, config.condition_dim, config.stage2_gf_dim, config.stage2_image_size
    )
    d2 = StackGANDiscriminator(config.embedding_dim, config.stage2_image_size, config.stage2_df_dim)
    inputs = {k: keras.ops.convert_to_tensor(v) for k, v in _stage1_inputs(1, config).items()}
    out1 = g1(inputs, training=False)
    _check_image(out1["images"], 64, 1)
    assert out1["mu"].shape == out1["logvar"].shape == (1, config.condition_dim)
    assert d1({"images": out1["images"], "embedding": inputs["embedding"]}).shape == (1, 1)
    out2 = g2(
        {"images": out1["images"], "embedding": inputs["embedding"], "ca_noise": inputs["ca_noise"]}
    )
    _check_image(out2["images"], config.stage2_image_size, 1)
    logits = d2({"images": out2["images"], "embedding": inputs["embedding"]})
    assert logits.shape == (1, 1) and logits.dtype == "float32"
    counts = {m.name: m.count_params() for m in (g1, d1, g2, d2)}
    print(f"\nparameter counts ({name} config): {counts}")
    if name == "paper":
        # StackGAN-Pytorch's STAGE1_G / STAGE1_D / STAGE2_G / STAGE2_D have these sizes up to
        # the text-projection layers, which differ with the embedding width.
        assert 10_000_000 < counts[g1.name] < 11_000_000
        assert 2_500_000 < counts[d1.name] < 3_500_000
        assert 25_000_000 < counts[g2.name] < 27_000_000
        assert 68_000_000 < counts[d2.name] < 70_000_000


def test_generator_depends_on_text_and_noise():
    g = StageIGenerator(16, gf_dim=8)
    base = _stage1_inputs(2, TINY)
    images = g(base, training=False)["images"]
    for key in ("embedding", "noise"):
        changed = dict(base, **{key: base[key][::-1].copy()})
        assert not np.allclose(images, g(changed, training=False)["images"])


def test_stage2_sizes_and_residual_blocks():
    assert StageIIGenerator(16, gf_dim=4, image_size=128).num_residual_blocks == 2
    assert StageIIGenerator(16, gf_dim=4, image_size=256).num_residual_blocks == 4
    with pytest.raises(ValueError, match="image_size"):
        StageIIGenerator(16, gf_dim=4, image_size=100)
    with pytest.raises(ValueError, match="image_size"):
        StackGANDiscriminator(16, image_size=48)


@pytest.mark.parametrize(
    "model_fn, inputs",
    [
        (lambda: StageIGenerator(16, gf_dim=8), _stage1_inputs(2, TINY)),
        (
            lambda: StageIIGenerator(16, gf_dim=8, image_size=128),
            {
                "images": random_batch(2, 64)[0],
                "embedding": random_batch(2, 64)[1],
                "ca_noise": np.zeros((2, 128), "float32"),
            },
        ),
        (
            lambda: StackGANDiscriminator(16, 128, df_dim=4),
            {"images": random_batch(2, 128)[0], "embedding": random_batch(2, 128)[1]},
        ),
        (
            lambda: StackGAN(
                StageIGenerator(16, gf_dim=8), StageIIGenerator(16, gf_dim=8, image_size=128)
            ),
            _stage1_inputs(2, TINY),
        ),
    ],
)
def test_saving_round_trip(model_fn, inputs, tmp_path):
    model = model_fn()
    run_serialization_test(model)
    run_model_saving_test(model, inputs, tmp_path)


@pytest.mark.parametrize("stage", [1, 2])
def test_trainer_saving_round_trip(stage, tmp_path, stage1_dataset):
    gan = StageIGAN.from_stackgan_config(TINY, seed=3)
    if stage == 2:
        gan = StageIIGAN.from_stackgan_config(gan.generator, TINY, seed=3)
        data = random_batch(8, 128)
    else:
        data = random_batch(8, 64)
    gan.compile(jit_compile=False)
    gan.fit(tf.data.Dataset.from_tensors(data), epochs=1, verbose=0)
    inputs = {"embedding": data[1][:4], "noise": _stage1_inputs(4, TINY)["noise"]}
    restored = run_model_saving_test(gan, inputs, tmp_path)
    # Optimizer state and compile arguments come back with a .keras file.
    assert restored.kl_coefficient == gan.kl_coefficient
    for name in ("g_optimizer", "d_optimizer"):
        original, loaded = getattr(gan, name), getattr(restored, name)
        assert int(loaded.iterations) == int(original.iterations) == 1
        for a, b in zip(original.variables, loaded.variables, strict=True):
            np.testing.assert_array_equal(a.numpy(), b.numpy())
    if stage == 2:
        assert not restored.stage1_generator.trainable


def test_stackgan_generate_is_seeded_and_validated():
    model = StackGAN(StageIGenerator(16, gf_dim=8), StageIIGenerator(16, gf_dim=8, image_size=128))
    embeddings = random_batch(3, 64)[1]
    images, sketches = model.generate(embeddings, seed=7, return_stage1=True)
    _check_image(images, 128, 3)
    _check_image(sketches, 64, 3)
    np.testing.assert_array_equal(images, model.generate(embeddings, seed=7))
    # An untrained Stage-II barely reacts to its input, so compare the Stage-I sketches.
    _, other = model.generate(embeddings, seed=8, return_stage1=True)
    assert not np.allclose(sketches, other)
    _, sampled = model.generate(embeddings, seed=7, sample_condition=True, return_stage1=True)
    assert not np.allclose(sketches, sampled)
    truncated = model.generate(embeddings, seed=7, truncation=0.5)
    assert truncated.shape == images.shape
    with pytest.raises(ValueError, match=r"\[n, 16\]"):
        model.generate(np.zeros((2, 15), "float32"))
    with pytest.raises(ValueError, match="noise must have shape"):
        model.generate(embeddings, noise=np.zeros((3, 99)))


def test_trainer_rejects_mismatched_networks():
    g1 = StageIGenerator(16, gf_dim=8)
    with pytest.raises(ValueError, match="px"):
        StageIGAN(g1, StackGANDiscriminator(16, 128, df_dim=4))
    with pytest.raises(ValueError, match="embeddings"):
        StageIIGAN(
            g1,
            StageIIGenerator(32, gf_dim=8, image_size=128),
            StackGANDiscriminator(32, 128, df_dim=4),
        )


def test_config_resolution():
    assert stackgan_config("paper").embedding_dim == 1024
    assert stackgan_config("small", batch_size=8).batch_size == 8
    assert stackgan_config({"embedding_dim": 384}).embedding_dim == 384
    with pytest.raises(ValueError, match="available"):
        stackgan_config("huge")
    with pytest.raises(ValueError, match="Unknown"):
        stackgan_config({"embeding_dim": 384})
    config = stackgan_config("small")
    assert type(config).from_dict(config.to_dict()) == config


def test_keras_registry_names():
    for cls in (StageIGenerator, StageIIGenerator, StackGANDiscriminator, StackGAN, StageIGAN):
        assert keras.saving.get_registered_name(cls) == f"keras_stackgan>{cls.__name__}"
