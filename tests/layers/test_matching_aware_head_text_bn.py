"""``MatchingAwareHead(text_batch_norm=True)``: main_cls_int.lua's ``Linear -> BN -> LeakyReLU``."""

import numpy as np

from keras_stackgan.layers import MatchingAwareHead
from tests.test_case import run_serialization_test

FEATURES = np.random.default_rng(1).normal(size=(4, 4, 4, 5)).astype("float32")
TEXT = np.random.default_rng(2).normal(size=(4, 10)).astype("float32")


def test_text_batch_norm_layer_exists_only_when_on():
    off = MatchingAwareHead(filters=8, projection_dim=6)
    on = MatchingAwareHead(filters=8, projection_dim=6, text_batch_norm=True)
    for head in (off, on):
        logits = head([FEATURES, TEXT], training=True)
        assert tuple(logits.shape) == (4, 1) and logits.dtype == "float32"
    assert off.text_bn is None
    assert not any("text_bn" in w.path for w in off.weights)
    assert on.text_bn is not None
    bn_weights = sorted(w.path.split("/")[-1] for w in on.weights if "text_bn" in w.path)
    assert bn_weights == ["beta", "gamma", "moving_mean", "moving_variance"]
    assert on.text_bn.moving_mean.shape == (6,)
    assert len(on.weights) == len(off.weights) + 4


def test_text_batch_norm_uses_batch_statistics_in_training():
    head = MatchingAwareHead(filters=8, projection_dim=6, text_batch_norm=True)
    head([FEATURES, TEXT], training=False)
    # Training mode normalises with the batch's statistics and updates the moving mean.
    before = head.text_bn.moving_mean.numpy().copy()
    head([FEATURES, TEXT], training=True)
    assert not np.allclose(before, head.text_bn.moving_mean.numpy())


def test_config_round_trip_and_old_configs():
    head = MatchingAwareHead(filters=8, projection_dim=4, text_batch_norm=True)
    head([FEATURES, TEXT])
    revived = run_serialization_test(head)
    assert revived.text_batch_norm is True and revived.get_config()["text_batch_norm"] is True
    old = MatchingAwareHead(filters=8, projection_dim=4).get_config()
    del old["text_batch_norm"]  # a config saved before the option existed
    legacy = MatchingAwareHead.from_config(old)
    assert legacy.text_batch_norm is False and legacy.text_bn is None
