"""The four variants' losses on fixed logits against values computed by hand with numpy."""

import numpy as np
import pytest

from keras_stackgan.models.gan_int_cls import (
    VARIANTS,
    interpolate_embeddings,
    resolve_variant,
    variant_discriminator_loss,
    variant_generator_loss,
)

REAL = np.array([[2.0], [-0.5], [1.0], [0.3]], "float32")
WRONG = np.array([[0.7], [-1.2], [0.1], [2.5]], "float32")
FAKE = np.array([[-1.5], [0.4], [-0.2], [1.1]], "float32")
INTERPOLATED = np.array([[0.9], [-2.0]], "float32")  # batch // 2 interpolated images


def bce(logits, label):
    """Binary cross-entropy of sigmoid(logits) against a constant label, batch mean."""
    p = 1.0 / (1.0 + np.exp(-logits.astype("float64")))
    return float(-np.mean(label * np.log(p) + (1.0 - label) * np.log(1.0 - p)))


def hand_losses(variant, wrong_weight, interpolation_weight):
    if variant in ("gan", "gan-int"):
        d = bce(REAL, 1) + bce(FAKE, 0)
    else:
        d = bce(REAL, 1) + wrong_weight * bce(WRONG, 0) + (1 - wrong_weight) * bce(FAKE, 0)
    g = bce(FAKE, 1)
    if variant in ("gan-int", "gan-int-cls"):
        # main_cls_int.lua's criterion_interp: one weighted BCE mean over all 1.5B images.
        scores = np.concatenate([FAKE, INTERPOLATED])
        weights = np.concatenate(
            [np.ones(len(FAKE)), np.full(len(INTERPOLATED), interpolation_weight)]
        )
        p = 1.0 / (1.0 + np.exp(-scores[:, 0].astype("float64")))
        g = float(-np.sum(weights * np.log(p)) / len(scores))
    return d, g


@pytest.mark.parametrize("variant", ["gan", "gan-cls", "gan-int", "gan-int-cls"])
@pytest.mark.parametrize("wrong_weight, interpolation_weight", [(0.5, 1.0), (0.25, 0.5)])
def test_variant_losses_match_hand_computed_values(variant, wrong_weight, interpolation_weight):
    expected_d, expected_g = hand_losses(variant, wrong_weight, interpolation_weight)
    d = variant_discriminator_loss(variant, REAL, WRONG, FAKE, wrong_weight)
    g = variant_generator_loss(variant, FAKE, INTERPOLATED, interpolation_weight)
    assert float(d["loss"]) == pytest.approx(expected_d, rel=1e-5)
    assert float(g["loss"]) == pytest.approx(expected_g, rel=1e-5)
    assert float(d["real"]) == pytest.approx(bce(REAL, 1), rel=1e-5)
    assert float(g["fake"]) == pytest.approx(bce(FAKE, 1), rel=1e-5)
    if VARIANTS[variant].interpolation:
        assert float(g["interpolated"]) == pytest.approx(bce(INTERPOLATED, 1), rel=1e-5)
    else:
        assert "interpolated" not in g


def test_authors_weights_by_default():
    """CLS: real + (wrong + fake) / 2 (main_cls_int.lua with cls_weight=0.5); INT weight 1."""
    d = variant_discriminator_loss("gan-int-cls", REAL, WRONG, FAKE)
    expected = bce(REAL, 1) + (bce(WRONG, 0) + bce(FAKE, 0)) / 2
    assert float(d["loss"]) == pytest.approx(expected, rel=1e-5)
    g = variant_generator_loss("gan-int-cls", FAKE, INTERPOLATED)
    # B matched and B/2 interpolated images at weight 1: the matched term weighs twice as much.
    expected = (2 * bce(FAKE, 1) + bce(INTERPOLATED, 1)) / 3
    assert float(g["loss"]) == pytest.approx(expected, rel=1e-5)


def test_terms_a_variant_does_not_have_are_not_needed():
    d = variant_discriminator_loss("gan", REAL, None, FAKE)
    assert float(d["wrong"]) == 0.0
    assert float(variant_generator_loss("gan-cls", FAKE)["loss"]) == pytest.approx(bce(FAKE, 1))
    with pytest.raises(ValueError, match="interpolated_logits"):
        variant_generator_loss("gan-int", FAKE)


def test_interpolate_embeddings_mixes_the_first_half_with_the_second():
    t = np.arange(12, dtype="float32").reshape(4, 3)
    mixed = np.asarray(interpolate_embeddings(t, 0.5))
    assert mixed.shape == (2, 3)
    np.testing.assert_allclose(mixed, (t[:2] + t[2:]) / 2)
    np.testing.assert_allclose(np.asarray(interpolate_embeddings(t, 1.0)), t[:2])
    np.testing.assert_allclose(
        np.asarray(interpolate_embeddings(t, 0.25))[1], 0.25 * t[1] + 0.75 * t[3]
    )
    odd = np.arange(15, dtype="float32").reshape(5, 3)  # the last row has no partner
    np.testing.assert_allclose(
        np.asarray(interpolate_embeddings(odd, 0.5)), (odd[:2] + odd[2:4]) / 2
    )


def test_resolve_variant_and_metric_names():
    assert resolve_variant("GAN_INT_CLS") is VARIANTS["gan-int-cls"]
    assert resolve_variant(VARIANTS["gan"]) is VARIANTS["gan"]
    with pytest.raises(ValueError, match="available"):
        resolve_variant("gan-int-cls-2")
    assert VARIANTS["gan"].metric_names == ("d_loss", "g_loss", "d_real", "d_fake")
    assert VARIANTS["gan-int-cls"].metric_names == (
        "d_loss",
        "g_loss",
        "d_real",
        "d_wrong",
        "d_fake",
        "g_int",
    )
