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
