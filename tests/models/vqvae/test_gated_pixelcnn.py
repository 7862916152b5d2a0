import numpy as np
import pytest

from keras_stackgan.models.vqvae import (
    VQVAE2,
    GatedPixelCNN,
    GatedPixelCNNBlock,
    VQPriorTrainer,
    VQVAE2Pipeline,
    sample_indices,
    sampling_uniforms,
)
from keras_stackgan.pretrained.load import load_preset_dir
from tests.test_case import run_model_saving_test, run_serialization_test

AUTOENCODER = {
    "image_size": 16,
    "hidden_filters": 8,
    "residual_filters": 4,
    "num_embeddings": 5,
    "embedding_dim": 4,
}


def _prior(**kwargs):
    options = {"filters": 8, "num_layers": 3, "first_kernel_size": 5, **kwargs}
    return GatedPixelCNN(6, 5, **options)


def _inputs(prior, n=1, seed=0):
    rng = np.random.default_rng(seed)
    inputs = {"indices": rng.integers(0, 5, (n, 6, 6)).astype("int32")}
    if prior.condition_size:
        inputs["condition"] = rng.integers(0, 4, (n, 3, 3)).astype("int32")
    if prior.num_classes:
        inputs["labels"] = rng.integers(0, prior.num_classes, (n,)).astype("int32")
    return inputs


@pytest.mark.parametrize(
    "options",
    [{}, {"num_classes": 3, "condition_size": 3, "condition_embeddings": 4}],
    ids=["unconditional", "conditional"],
)
def test_outputs_are_causal_in_raster_order(options):
    """Changing the code at position p changes no logits at positions <= p (raster order) and
    every logit after it (no blind spot)."""
    prior = _prior(first_kernel_size=7, **options)  # reaches the whole 6x6 grid
    inputs = _inputs(prior)
    batch = {key: np.repeat(value, 37, axis=0) for key, value in inputs.items()}
    for p in range(36):  # example p + 1 has the code at position p changed
        row, column = divmod(p, 6)
        batch["indices"][p + 1, row, column] = (batch["indices"][p + 1, row, column] + 1) % 5
    logits = prior(batch).numpy().reshape(37, 36, 5)
    difference = np.abs(logits[1:] - logits[:1]).max(axis=-1)  # [perturbed p, position]
    for p in range(36):
        np.testing.assert_array_equal(difference[p, : p + 1], 0.0)
        assert np.all(difference[p, p + 1 :] > 0), f"blind spot after position {p}"


def test_round_trip_config_and_saving(tmp_path):
    prior = _prior(num_classes=3, condition_size=3, condition_embeddings=4)
    run_serialization_test(prior)
    run_model_saving_test(prior, _inputs(prior, n=2), tmp_path)
    logits = prior(_inputs(prior, n=2))
    assert logits.shape == (2, 6, 6, 5) and logits.dtype == "float32"
    run_serialization_test(GatedPixelCNNBlock(8, 5, "A", conditional=True))
    with pytest.raises(ValueError, match="mask_type"):
        GatedPixelCNNBlock(8, mask_type="C")


def test_sampling_is_seeded_in_range_and_batch_independent():
    prior = GatedPixelCNN(4, 5, filters=4, num_layers=1, condition_size=2, condition_embeddings=4)
    condition = np.random.default_rng(1).integers(0, 4, (3, 2, 2)).astype("int32")
    uniforms = sampling_uniforms(3, 4, seed=7, salt=1)
    codes = sample_indices(prior, uniforms, condition=condition).numpy()
    assert codes.shape == (3, 4, 4) and codes.min() >= 0 and codes.max() < 5
    first_two = sample_indices(prior, uniforms[:2], condition=condition[:2]).numpy()
    np.testing.assert_array_equal(first_two, codes[:2])
    other = sample_indices(prior, sampling_uniforms(3, 4, seed=8, salt=1), condition=condition)
    assert not np.array_equal(other.numpy(), codes)


@pytest.mark.slow  # ~13 s on a loaded 2-core machine (the sampler's while loop is traced)
def test_prior_fit_lowers_the_loss_and_pipeline_preset_round_trip(tmp_path):
    autoencoder = VQVAE2(**AUTOENCODER)
    top = GatedPixelCNN(2, 5, filters=8, num_layers=2, first_kernel_size=3, name="top_prior")
    bottom = GatedPixelCNN(
        4, 5, filters=8, num_layers=2, first_kernel_size=3, condition_size=2,
        condition_embeddings=5, name="bottom_prior",
    )  # fmt: skip
    trainer = VQPriorTrainer(autoencoder, bottom, top)
    assert run_serialization_test(trainer).top_prior is not None
    trainer.compile(jit_compile=False)
    assert all(not v.path.startswith("vqvae2") for v in trainer.trainable_variables)
    x = np.random.default_rng(0).uniform(-1, 1, (16, 16, 16, 3)).astype("float32")
    before = trainer.evaluate(x, batch_size=8, verbose=0, return_dict=True)["loss"]
    trainer.fit(x, batch_size=8, epochs=3, verbose=0)
    assert trainer.evaluate(x, batch_size=8, verbose=0, return_dict=True)["loss"] < before

    pipeline = VQVAE2Pipeline(autoencoder, bottom, top, name="vq-toy")
    images = pipeline.generate(3, seed=0)
    assert images.shape == (3, 16, 16, 3) and images.dtype == np.uint8
    np.testing.assert_array_equal(images, pipeline.generate(3, seed=0, batch_size=2))
    uint8 = ((x[:2] + 1) * 127.5).astype("uint8")
    assert pipeline.reconstruct(uint8).shape == (2, 16, 16, 3)
    codes = pipeline.encode(uint8)
    np.testing.assert_array_equal(pipeline.decode(codes), pipeline.reconstruct(uint8))
    pipeline.save_preset(tmp_path / "preset", dataset="toy", training={})
    loaded = load_preset_dir(tmp_path / "preset")
    assert isinstance(loaded, VQVAE2Pipeline) and loaded.name == "vq-toy"
    np.testing.assert_array_equal(loaded.generate(3, seed=0), images)


@pytest.mark.slow  # traces the prior's sampling loop into a SavedModel
def test_exported_sampler_matches_the_pipeline(tmp_path):
    import tensorflow as tf

    from keras_stackgan.sampler_export import export_sampler

    top = GatedPixelCNN(2, 5, filters=4, num_layers=1, first_kernel_size=3, name="top_prior")
    bottom = GatedPixelCNN(
        4, 5, filters=4, num_layers=1, first_kernel_size=3, condition_size=2,
        condition_embeddings=5, name="bottom_prior",
    )  # fmt: skip
    pipeline = VQVAE2Pipeline(VQVAE2(**AUTOENCODER), bottom, top)
    served = tf.saved_model.load(str(export_sampler(pipeline, tmp_path / "sampler")))
    images = served.generate(seed=tf.constant(3, tf.int64), num_images=tf.constant(4))["images"]
    np.testing.assert_array_equal(images.numpy(), pipeline.generate(4, seed=3))
