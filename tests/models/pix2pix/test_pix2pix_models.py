"""The U-Net, the PatchGAN and NoiseDropout: shapes, ranges, options, receptive field, saving."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.models.pix2pix import (
    NoiseDropout,
    PatchGANDiscriminator,
    UNetGenerator,
    patchgan_output_size,
    patchgan_receptive_field,
    pix2pix_config,
    unet_widths,
)
from tests.models.adversarial_harness import run_network_tests
from tests.models.pix2pix.conftest import generator_inputs
from tests.test_case import assert_outputs_equal


def test_unet_shapes_range_and_saving(tmp_path):
    generator = UNetGenerator(image_size=16, gf_dim=4, name="g")
    inputs = generator_inputs(generator, 2)
    out = generator(inputs, training=False)
    assert out.shape == (2, 16, 16, 3) and out.dtype == "float32"
    assert -1.0 <= float(np.min(out)) and float(np.max(out)) <= 1.0
    run_network_tests(generator, inputs, tmp_path)


def test_unet_widths_and_dropout_noise_dim():
    assert unet_widths(256, 64) == [64, 128, 256, 512, 512, 512, 512, 512]
    assert unet_widths(64, 16, max_multiplier=4) == [16, 32, 64, 64, 64, 64]
    generator = UNetGenerator(image_size=64, gf_dim=16, max_multiplier=4)
    # The 3 deepest decoder blocks: 2x2x64, 4x4x64, 8x8x64 dropped units.
    assert generator.dropout_noise_dim == 4 * 64 + 16 * 64 + 64 * 64
    with pytest.raises(ValueError, match="power of two"):
        UNetGenerator(image_size=48)


def test_dropout_noise_is_the_only_randomness_and_optional_at_inference():
    on = UNetGenerator(image_size=16, gf_dim=4, dropout_at_inference=True)
    off = UNetGenerator.from_config({**on.get_config(), "dropout_at_inference": False})
    off.set_weights(on.get_weights())
    a, b = generator_inputs(on, 2, seed=0), generator_inputs(on, 2, seed=1)
    b["images"] = a["images"]
    # The paper's test-time dropout: other masks, other outputs; the same masks, the same.
    assert not np.allclose(on(a, training=False), on(b, training=False))
    assert_outputs_equal(on(a, training=False), on(a, training=False))
    # Without it, inference ignores the noise; training still drops.
    assert_outputs_equal(off(a, training=False), off(b, training=False))
    assert not np.allclose(off(a, training=True), off(b, training=True))


def test_instance_norm_option_is_per_image(tmp_path):
    generator = UNetGenerator(image_size=16, gf_dim=4, norm="instance", dropout_rate=0.0)
    assert any(isinstance(layer, keras.layers.GroupNormalization) for layer in generator.layers)
    inputs = generator_inputs(generator, 3)
    together = generator(inputs, training=True)
    alone = generator({k: v[:1] for k, v in inputs.items()}, training=True)
    np.testing.assert_allclose(together[:1], alone, atol=1e-5)  # no batch statistics
    run_network_tests(generator, inputs, tmp_path)


def test_noise_dropout_masks_and_scales():
    layer = NoiseDropout(0.5, at_inference=False)
    x = np.ones((1, 2, 2, 1), "float32")
    noise = np.array([[0.1, 0.6, 0.4, 0.9]], "float32")
    np.testing.assert_array_equal(layer(x, noise, training=True)[0, ..., 0], [[0, 2], [0, 2]])
    np.testing.assert_array_equal(layer(x, noise, training=False), x)
    revived = NoiseDropout.from_config(layer.get_config())
    assert (revived.rate, revived.at_inference) == (0.5, False)
    with pytest.raises(ValueError, match="rate"):
        NoiseDropout(1.0)


@pytest.mark.parametrize(("layers", "size", "grid"), [(1, 64, 30), (2, 64, 14), (3, 128, 14)])
def test_patchgan_output_shape_and_receptive_field(layers, size, grid):
    # Batch norm at inference is a per-channel affine map, so the gradient shows the field
    # (instance norm's spatial statistics would connect every pixel to every logit).
    d = PatchGANDiscriminator(image_size=size, df_dim=4, num_layers=layers)
    assert patchgan_output_size(size, layers) == grid
    x = tf.random.uniform((1, size, size, 3), -1, 1)
    with tf.GradientTape() as tape:
        tape.watch(x)
        logits = d({"condition": x, "image": x}, training=False)
        centre = logits[0, grid // 2, grid // 2, 0]
    assert logits.shape == (1, grid, grid, 1) and logits.dtype == "float32"
    # The pixels that move the centre logit form a square of the documented side.
    seen = np.nonzero(np.abs(tape.gradient(centre, x).numpy()[0]).sum(axis=-1))
    side = [int(axis.max() - axis.min() + 1) for axis in seen]
    assert side == [patchgan_receptive_field(layers)] * 2 == [d.receptive_field] * 2
    assert [patchgan_receptive_field(n) for n in range(1, 6)] == [16, 34, 70, 142, 286]


def test_patchgan_saving(tmp_path):
    d = PatchGANDiscriminator(image_size=16, df_dim=4, num_layers=1, name="d")
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (2, 16, 16, 3)).astype("float32")
    run_network_tests(d, {"condition": x, "image": x[::-1].copy()}, tmp_path)
    with pytest.raises(ValueError, match="no patch"):
        PatchGANDiscriminator(image_size=16, num_layers=3)


def test_configs():
    paper, small = pix2pix_config("paper"), pix2pix_config("small")
    assert (paper.image_size, paper.gf_dim, paper.d_layers, paper.lambda_l1) == (256, 64, 3, 100)
    assert patchgan_receptive_field(paper.d_layers) == 70
    assert small.image_size == 64 and small.replace(norm="instance").norm == "instance"
    assert pix2pix_config(small.to_dict()) == small
    with pytest.raises(ValueError, match="Unknown"):
        pix2pix_config("huge")
    with pytest.raises(ValueError, match="norm"):
        small.replace(norm="layer")
