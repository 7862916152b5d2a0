"""The one test harness every adversarial family runs (after keras-hub's ``run_*_test``).

A family's test module builds a tiny trainer and a few fixed batches, then calls:

- ``run_network_tests(network, inputs, tmp_path)``: ``get_config``/``from_config`` and a ``.keras``
  and ``.weights.h5`` round trip with identical outputs (generators and discriminators);
- ``run_trainer_saving_test(make_gan, data, tmp_path)``: the trainer compiles, fits one step,
  saves to ``.keras`` and reloads with identical generator outputs and compile config;
- ``run_fit_learns_test(make_gan, images, data, steps)``: a tiny ``fit`` on a few fixed images
  brings the generated images closer to them (nearest-real distance halves);
- ``run_mixed_precision_test(make_gan, data)``: under ``mixed_float16`` the optimizers are
  ``LossScaleOptimizer``s and the losses are finite float32; under ``mixed_bfloat16`` too;
- ``run_generator_pipeline_test(generator)``: ``GeneratorPipeline`` gives seeded uint8 images.
"""

from __future__ import annotations

import os

import keras
import numpy as np
import tensorflow as tf

from tests.test_case import assert_outputs_equal, run_model_saving_test, run_serialization_test


def run_network_tests(network, inputs, tmp_path, atol=0.0):
    """Config round trip and ``.keras`` / ``.weights.h5`` saving of one network."""
    run_serialization_test(network)
    return run_model_saving_test(network, inputs, tmp_path, atol=atol)


def _generator_inputs(gan, n=4, seed=0):
    rng = np.random.default_rng(seed)
    generator = gan.generator
    inputs = {"noise": rng.normal(size=(n, generator.noise_dim)).astype("float32")}
    if getattr(generator, "num_classes", 0):
        inputs["labels"] = (np.arange(n) % generator.num_classes).astype("int32")
    if getattr(generator, "code_dim", 0):
        inputs["codes"] = rng.uniform(-1, 1, (n, generator.code_dim)).astype("float32")
    return inputs


def run_trainer_saving_test(make_gan, data, tmp_path, compile_kwargs=None):
    """A trainer fitted one step survives ``.keras`` saving: same generator outputs, same
    compile config, and it can keep training after loading."""
    gan = make_gan()
    gan.compile(**(compile_kwargs or {}))
    gan.fit(data.take(1), verbose=0)
    inputs = _generator_inputs(gan)
    expected = gan.generator(inputs, training=False)

    path = os.path.join(tmp_path, "trainer.keras")
    gan.save(path)
    restored = keras.saving.load_model(path)
    assert type(restored) is type(gan)
    assert restored.get_compile_config() == gan.get_compile_config()
    assert_outputs_equal(expected, restored.generator(inputs, training=False))
    logs = restored.fit(data.take(1), verbose=0).history
    assert all(np.isfinite(v[-1]) for v in logs.values()), logs
    return restored


def nearest_real_distance(fakes, reals) -> float:
    """Mean over fakes of the mean squared distance to the closest real image."""
    fakes = np.asarray(fakes, "float64").reshape(len(fakes), -1)
    reals = np.asarray(reals, "float64").reshape(len(reals), -1)
    distances = ((fakes[:, None, :] - reals[None, :, :]) ** 2).mean(-1)
    return float(distances.min(axis=1).mean())


def run_fit_learns_test(make_gan, images, data, steps, compile_kwargs=None, factor=0.5):
    """``fit`` on a few fixed images: the fakes' nearest-real distance drops by ``factor``.

    Args:
        make_gan: callable returning a fresh trainer.
        images: the fixed real images float ``[k, S, S, C]`` in [-1, 1].
        data: a repeated ``tf.data.Dataset`` of the family's batches of those images.
        steps: int, ``fit`` steps.
        factor: the trained distance must be below ``factor`` times the untrained one.

    Returns:
        ``(history, before, after)``.
    """
    gan = make_gan()
    gan.compile(**(compile_kwargs or {}))
    inputs = _generator_inputs(gan, n=16, seed=1)
    before = nearest_real_distance(gan.generator(inputs, training=False), images)
    history = gan.fit(data, steps_per_epoch=steps, epochs=1, verbose=0).history
    after = nearest_real_distance(gan.generator(inputs, training=False), images)
    assert all(np.isfinite(v[-1]) for v in history.values()), history
    assert after < factor * before, (before, after)
    return history, before, after


def run_mixed_precision_test(make_gan, data, compile_kwargs=None):
    """Finite float32 losses under ``mixed_float16`` (loss-scaled) and ``mixed_bfloat16``."""
    results = {}
    for policy in ("mixed_float16", "mixed_bfloat16"):
        keras.mixed_precision.set_global_policy(policy)
        try:
            gan = make_gan()
            gan.compile(**(compile_kwargs or {}))
            scaled = isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)
            assert scaled == (policy == "mixed_float16"), policy
            history = gan.fit(data.take(2), epochs=2, verbose=0).history
        finally:
            keras.mixed_precision.set_global_policy("float32")
        for name, values in history.items():
            assert all(np.isfinite(values)), (policy, name, values)
        results[policy] = history
    return results


def run_generator_pipeline_test(generator, num_classes=0, code_dim=0):
    """``GeneratorPipeline`` over ``generator``: uint8, the model's shape, seeded, batch-free."""
    from keras_stackgan.pretrained.generator_pipeline import GeneratorPipeline

    pipeline = GeneratorPipeline(generator, name="test")
    kwargs = {}
    if num_classes:
        kwargs["labels"] = list(range(min(num_classes, 3)))
    images = pipeline.generate(3, seed=5, **kwargs)
    size, channels = generator.image_size, getattr(generator, "channels", 3)
    assert images.dtype == np.uint8 and images.shape == (3, size, size, channels)
    again = pipeline.generate(3, seed=5, batch_size=1, **kwargs)
    np.testing.assert_array_equal(images, again)
    other = pipeline.generate(3, seed=6, **kwargs)
    assert not np.array_equal(images, other)
    return pipeline


def dataset_of(*arrays, batch_size=None):
    """A repeated ``tf.data.Dataset`` of whole-array batches (or ``batch_size`` batches)."""
    data = tf.data.Dataset.from_tensor_slices(arrays if len(arrays) > 1 else arrays[0])
    data = data.batch(batch_size or len(arrays[0]), drop_remainder=True)
    return data.repeat()
