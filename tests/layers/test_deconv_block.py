"""DeconvBlock: DCGAN's fractionally-strided convolution block."""

import os

import keras
import numpy as np
import pytest

from keras_stackgan.layers import DeconvBlock
from tests.test_case import assert_outputs_equal, run_serialization_test

X = np.random.default_rng(0).normal(size=(2, 4, 4, 6)).astype("float32")


def test_shapes_options_and_saving(tmp_path):
    block = DeconvBlock(5, kernel_size=5, synchronized_bn=True)
    y = block(X, training=True)
    assert tuple(y.shape) == (2, 8, 8, 5) and float(np.min(y)) >= 0.0  # BN then ReLU
    assert tuple(block.compute_output_shape(X.shape)) == (2, 8, 8, 5)
    assert block.bn.synchronized and not block.deconv.use_bias  # no bias before BN
    out = DeconvBlock(3, strides=4, batch_norm=False, activation=None)
    assert out.bn is None and out.deconv.use_bias
    assert tuple(out(X).shape) == (2, 16, 16, 3) and float(np.min(out(X))) < 0.0
    with pytest.raises(ValueError, match="activation"):
        DeconvBlock(4, activation="tanh")

    revived = run_serialization_test(block)
    revived(X)
    revived.set_weights(block.get_weights())
    assert_outputs_equal(block(X, training=False), revived(X, training=False))
    inputs = keras.Input((4, 4, 6))
    model = keras.Model(inputs, DeconvBlock(5, name="up")(inputs))
    path = os.path.join(tmp_path, "deconv.keras")
    model.save(path)
    assert_outputs_equal(model(X), keras.saving.load_model(path)(X))
