"""GAN-INT-CLS's discriminator text projection with batch normalisation (``main_cls_int.lua``)."""

import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.models.gan_int_cls import (
    GANINTCLS,
    GANINTCLSDiscriminator,
    gan_int_cls_config,
)
from tests.models.adversarial_harness import run_network_tests
from tests.models.gan_int_cls.conftest import TINY, random_batch


def _inputs(batch=4):
    real, embeddings, _ = random_batch(batch)
    return {"images": real, "embedding": embeddings}


def test_paper_config_turns_it_on_small_leaves_it_off():
    assert gan_int_cls_config("paper").text_batch_norm is True
    assert gan_int_cls_config("small").text_batch_norm is False
    # A config dict recorded before the field existed resolves as it did (off).
    recorded = gan_int_cls_config("small").to_dict()
    del recorded["text_batch_norm"]
    assert gan_int_cls_config(recorded).text_batch_norm is False
    config = gan_int_cls_config("paper")
    assert type(config).from_dict(config.to_dict()) == config


@pytest.mark.parametrize("text_batch_norm", [False, True])
def test_trainer_builds_the_configured_discriminator(text_batch_norm):
    gan = GANINTCLS.from_gan_int_cls_config(TINY.replace(text_batch_norm=text_batch_norm))
    d = gan.discriminator
    assert d.text_batch_norm is text_batch_norm
    head = d.get_layer("head")
    assert (head.text_bn is not None) is text_batch_norm


def test_discriminator_config_and_saving_round_trip(tmp_path):
    d = GANINTCLSDiscriminator(16, 64, df_dim=4, projection_dim=8, text_batch_norm=True)
    d(_inputs(), training=True)  # moves the moving statistics away from their initial values
    restored = run_network_tests(d, _inputs(), tmp_path, atol=1e-6)
    assert restored.text_batch_norm is True
    assert restored.get_layer("head").text_bn is not None


def test_old_discriminator_configs_load_without_batch_norm():
    d = GANINTCLSDiscriminator(16, 64, df_dim=4, projection_dim=8)
    config = d.get_config()
    assert config["text_batch_norm"] is False
    del config["text_batch_norm"]
    old = GANINTCLSDiscriminator.from_config(config)
    assert old.text_batch_norm is False and old.get_layer("head").text_bn is None
    assert old.count_params() == d.count_params()
    on = GANINTCLSDiscriminator(16, 64, df_dim=4, projection_dim=8, text_batch_norm=True)
    assert on.count_params() == d.count_params() + 4 * 8  # gamma, beta, moving mean, var


def test_tiny_fit_with_text_batch_norm_is_finite():
    gan = GANINTCLS.from_gan_int_cls_config(TINY.replace(text_batch_norm=True), seed=0)
    gan.compile(jit_compile=False)
    data = tf.data.Dataset.from_tensors(random_batch(8))
    history = gan.fit(data.repeat(2), epochs=1, verbose=0).history
    assert all(np.isfinite(v[-1]) for v in history.values()), history
