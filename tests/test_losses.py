import numpy as np
import pytest

from keras_stackgan import losses


def _bce(logit, target):
    p = 1 / (1 + np.exp(-logit))
    return -(target * np.log(p) + (1 - target) * np.log(1 - p))


REAL = np.array([[2.0], [0.5]], "float32")
WRONG = np.array([[-1.0], [0.3]], "float32")
FAKE = np.array([[0.0], [-3.0]], "float32")


def test_discriminator_loss_matches_hand_computation():
    real = np.mean(_bce(REAL, 1))
    wrong = np.mean(_bce(WRONG, 0))
    fake = np.mean(_bce(FAKE, 0))
    # by hand, first element: -log(sigmoid(2)) = log(1 + e^-2)
    assert real == pytest.approx((np.log1p(np.exp(-2.0)) + np.log1p(np.exp(-0.5))) / 2)
    terms = losses.discriminator_loss(REAL, WRONG, FAKE)
    assert float(terms["loss"]) == pytest.approx(real + 0.5 * (wrong + fake), rel=1e-6)
    assert float(terms["real"]) == pytest.approx(real, rel=1e-6)
    assert float(terms["wrong"]) == pytest.approx(wrong, rel=1e-6)
    assert float(terms["fake"]) == pytest.approx(fake, rel=1e-6)
    weighted = losses.discriminator_loss(REAL, WRONG, FAKE, wrong_weight=0.25)
    assert float(weighted["loss"]) == pytest.approx(real + 0.25 * wrong + 0.75 * fake, rel=1e-6)


def test_plain_conditional_gan_loss_has_no_wrong_term():
    terms = losses.discriminator_loss(REAL, None, FAKE)
    expected = np.mean(_bce(REAL, 1)) + np.mean(_bce(FAKE, 0))
    assert float(terms["loss"]) == pytest.approx(expected, rel=1e-6)
    assert float(terms["wrong"]) == 0.0


def test_generator_loss():
    assert float(losses.generator_loss(FAKE)) == pytest.approx(np.mean(_bce(FAKE, 1)), rel=1e-6)
    # At logit 0 every BCE is log 2.
    assert float(losses.generator_loss(np.zeros((4, 1)))) == pytest.approx(np.log(2), rel=1e-6)


def test_losses_are_float32_for_float16_logits():
    assert losses.generator_loss(FAKE.astype("float16")).dtype == "float32"
    terms = losses.discriminator_loss(*(x.astype("float16") for x in (REAL, WRONG, FAKE)))
    assert all(v.dtype == "float32" for v in terms.values())


UNCOND_REAL = np.array([[1.5], [-0.5]], "float32")
UNCOND_FAKE = np.array([[-2.0], [0.7]], "float32")


def test_uncond_discriminator_loss_is_stackgan_pytorch_formula():
    # StackGAN-Pytorch miscc/utils.py compute_discriminator_loss with get_uncond_logits:
    # errD = (errD_real + uncond_errD_real) / 2 + (errD_fake + errD_wrong + uncond_errD_fake) / 3
    real, wrong, fake = np.mean(_bce(REAL, 1)), np.mean(_bce(WRONG, 0)), np.mean(_bce(FAKE, 0))
    uncond_real, uncond_fake = np.mean(_bce(UNCOND_REAL, 1)), np.mean(_bce(UNCOND_FAKE, 0))
    terms = losses.uncond_discriminator_loss(REAL, WRONG, FAKE, UNCOND_REAL, UNCOND_FAKE)
    expected = (real + uncond_real) / 2 + (fake + wrong + uncond_fake) / 3
    np.testing.assert_allclose(terms["loss"], expected, rtol=1e-6)
    for name, value in [
        ("real", real),
        ("wrong", wrong),
        ("fake", fake),
        ("uncond_real", uncond_real),
        ("uncond_fake", uncond_fake),
    ]:
        np.testing.assert_allclose(terms[name], value, rtol=1e-6)
        assert terms[name].dtype == "float32"
    # Another wrong_weight moves weight between the conditional negatives only.
    other = losses.uncond_discriminator_loss(
        REAL, WRONG, FAKE, UNCOND_REAL, UNCOND_FAKE, wrong_weight=0.25
    )
    expected = (real + uncond_real) / 2 + (2 * (0.25 * wrong + 0.75 * fake) + uncond_fake) / 3
    np.testing.assert_allclose(other["loss"], expected, rtol=1e-6)


def test_uncond_generator_loss_adds_the_unconditional_term():
    # compute_generator_loss: errD_fake + uncond_errD_fake, both with the real label.
    expected = np.mean(_bce(FAKE, 1)) + np.mean(_bce(UNCOND_FAKE, 1))
    loss = losses.uncond_generator_loss(FAKE, UNCOND_FAKE.astype("float16"))
    assert loss.dtype == "float32"
    np.testing.assert_allclose(loss, expected, rtol=1e-3)
