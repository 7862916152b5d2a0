import numpy as np
import pytest

from keras_stackgan.models.noise import stateless_generation_noise


def test_same_seed_same_noise_and_other_seed_other_noise():
    z, eps = stateless_generation_noise(5, 7, 3, seed=11)
    z2, _ = stateless_generation_noise(5, 7, 3, seed=11)
    z3, _ = stateless_generation_noise(5, 7, 3, seed=12)
    assert z.shape == (5, 7) and eps.shape == (5, 3)
    np.testing.assert_array_equal(z, z2)
    assert not np.allclose(z, z3)
    np.testing.assert_array_equal(eps, 0.0)  # the CA mean unless sampled


def test_sampled_condition_and_no_condition():
    _, eps = stateless_generation_noise(400, 2, 3, seed=0, sample_condition=True)
    assert abs(float(np.std(eps)) - 1.0) < 0.1
    z, none = stateless_generation_noise(4, 2, None, seed=0)
    assert none is None and z.shape == (4, 2)


@pytest.mark.parametrize("truncation", [0.5, 1.0, 3.0])
def test_truncation_bounds_and_spread(truncation):
    z, _ = stateless_generation_noise(2000, 8, None, seed=1, truncation=truncation)
    z = np.asarray(z)
    assert np.all(np.abs(z) <= truncation + 1e-5)
    # Truncated to [-t, t] but still normal-shaped: a uniform on [-t, t] has std t / sqrt(3).
    if truncation >= 3.0:
        assert abs(z.std() - 0.986) < 0.03
    else:
        assert z.std() < truncation / np.sqrt(3.0)


def test_bad_truncation():
    with pytest.raises(ValueError, match="truncation"):
        stateless_generation_noise(2, 2, None, seed=0, truncation=0.0)


def test_condition_truncation_truncates_epsilon_alone():
    z, eps = stateless_generation_noise(
        2000, 8, 4, seed=3, sample_condition=True, condition_truncation=2.0
    )
    z_plain, eps_plain = stateless_generation_noise(2000, 8, 4, seed=3, sample_condition=True)
    np.testing.assert_array_equal(z, z_plain)  # z stays an untruncated standard normal
    assert np.abs(np.asarray(z)).max() > 2.0
    eps = np.asarray(eps)
    assert np.all(np.abs(eps) <= 2.0 + 1e-5) and 0.8 < eps.std() < 0.9  # N(0,1) cut at 2: 0.880
    assert not np.allclose(eps, eps_plain)


def test_condition_truncation_keeps_existing_arguments():
    # Without condition_truncation, epsilon follows truncation exactly as before.
    _, eps = stateless_generation_noise(50, 3, 4, seed=5, sample_condition=True, truncation=1.0)
    _, same = stateless_generation_noise(
        50, 3, 4, seed=5, sample_condition=True, truncation=1.0, condition_truncation=None
    )
    np.testing.assert_array_equal(eps, same)
    # It replaces truncation for epsilon only, and does nothing for the CA mean.
    z, eps2 = stateless_generation_noise(
        50, 3, 4, seed=5, sample_condition=True, truncation=1.0, condition_truncation=1.0
    )
    np.testing.assert_array_equal(eps, eps2)
    _, zeros = stateless_generation_noise(50, 3, 4, seed=5, condition_truncation=2.0)
    np.testing.assert_array_equal(zeros, 0.0)
    with pytest.raises(ValueError, match="truncation"):
        stateless_generation_noise(2, 2, 2, seed=0, sample_condition=True, condition_truncation=-1)
