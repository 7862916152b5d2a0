import keras
import numpy as np
import pytest

from keras_stackgan.models.vqvae import (
    VQVAE,
    VQVAE2,
    ResidualStack,
    VQVAETrainer,
    build_autoencoder,
    vqvae_config,
)
from tests.test_case import run_model_saving_test, run_serialization_test

TINY = {
    "image_size": 16,
    "hidden_filters": 8,
    "residual_filters": 4,
    "num_embeddings": 8,
    "embedding_dim": 4,
}


def _images(n=16, seed=0):
    """Images in [-1, 1]: a few flat colours, easy to reconstruct."""
    colours = np.random.default_rng(seed).uniform(-1, 1, (4, 1, 1, 3))
    return np.repeat(colours, n // 4, axis=0) * np.ones((n, 16, 16, 3), "float32")


@pytest.mark.parametrize("cls", [VQVAE, VQVAE2])
def test_round_trip_config_saving_and_decoding_of_own_codes(cls, tmp_path):
    model = cls(**TINY, ema=cls is VQVAE2)
    run_serialization_test(model)
    x = _images(4)
    run_model_saving_test(model, x, tmp_path)
    out = model(x)
    assert out["reconstruction"].shape == (4, 16, 16, 3)
    assert out["reconstruction"].dtype == "float32"
    codes = [out[f"{level}_indices"] for level in model.levels]
    for level, grid in zip(model.levels, codes):
        assert grid.shape == (4, *(model.grid_sizes[level],) * 2) and grid.dtype == "int32"
    np.testing.assert_allclose(model.decode_indices(*codes), out["reconstruction"], atol=1e-5)
    run_serialization_test(ResidualStack(2, 4))


def test_trainer_round_trip_and_fit_lowers_the_loss():
    trainer = VQVAETrainer(VQVAE2(**TINY, ema=True), commitment_cost=0.25)
    assert run_serialization_test(trainer).levels == ("top", "bottom")
    trainer.compile(keras.optimizers.Adam(1e-2), jit_compile=False)
    history = trainer.fit(_images(), batch_size=4, epochs=6, verbose=0).history
    assert history["reconstruction_mse"][-1] < 0.95 * history["reconstruction_mse"][0]
    assert history["loss"][-1] < history["loss"][0]
    assert set(history) == {
        "loss", "reconstruction_mse", "commitment", "top_perplexity", "bottom_perplexity"
    }  # fmt: skip
    config = trainer.get_compile_config()  # the optimizer round-trips (saving .keras uses it)
    assert keras.optimizers.deserialize(config["optimizer"]).learning_rate == 1e-2


def test_mixed_float16_losses_are_finite_float32():
    keras.mixed_precision.set_global_policy("mixed_float16")
    config = vqvae_config("small", levels=1, ema=False, **TINY)
    trainer = VQVAETrainer(build_autoencoder(config))
    trainer.compile(jit_compile=False)
    assert isinstance(trainer.optimizer, keras.optimizers.LossScaleOptimizer)
    logs = trainer.fit(_images(8), batch_size=4, epochs=1, verbose=0).history
    assert all(np.isfinite(values[-1]) for values in logs.values())
    values = trainer.losses_of(_images(4))
    assert all(keras.ops.convert_to_tensor(v).dtype == "float32" for v in values.values())
    assert trainer.autoencoder.get_layer("quantizer").codebook.dtype == "float32"
