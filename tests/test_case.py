"""Shared checks that every layer and model test runs (after keras-hub's ``TestCase``).

``run_serialization_test`` rebuilds an object from its ``get_config`` and checks the config is
complete; ``run_model_saving_test`` saves to ``.keras`` and ``.weights.h5`` and checks that the
reloaded object reproduces the outputs exactly on the same inputs.
"""

from __future__ import annotations

import os

import keras
import numpy as np


def _as_list(outputs):
    if isinstance(outputs, dict):
        return [outputs[k] for k in sorted(outputs)]
    if isinstance(outputs, list | tuple):
        return list(outputs)
    return [outputs]


def assert_outputs_equal(a, b, atol=0.0):
    for x, y in zip(_as_list(a), _as_list(b), strict=True):
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(x), keras.ops.convert_to_numpy(y), atol=atol, rtol=0
        )


def run_serialization_test(obj):
    """``from_config(get_config())`` gives an object with the same config, via Keras' registry."""
    config = obj.get_config()
    serialized = keras.saving.serialize_keras_object(obj)
    revived = keras.saving.deserialize_keras_object(serialized)
    assert type(revived) is type(obj)
    assert revived.get_config() == config
    return revived


def run_model_saving_test(model, inputs, tmp_path, call_kwargs=None, atol=0.0):
    """Round-trips ``model`` through ``.keras`` and ``.weights.h5``; outputs must match."""
    call_kwargs = call_kwargs or {}
    expected = model(inputs, training=False, **call_kwargs)

    path = os.path.join(tmp_path, "model.keras")
    model.save(path)
    restored = keras.saving.load_model(path)
    assert type(restored) is type(model)
    assert_outputs_equal(expected, restored(inputs, training=False, **call_kwargs), atol)

    weights_path = os.path.join(tmp_path, "model.weights.h5")
    model.save_weights(weights_path)
    fresh = type(model).from_config(model.get_config())
    fresh(inputs, training=False, **call_kwargs)
    fresh.load_weights(weights_path)
    assert_outputs_equal(expected, fresh(inputs, training=False, **call_kwargs), atol)
    return restored
