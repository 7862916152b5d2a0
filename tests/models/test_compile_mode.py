"""The compile-mode rule (``keras_stackgan.models.compile_mode``)."""

import keras
import pytest
import tensorflow as tf

from keras_stackgan.models import compile_mode
from keras_stackgan.models.stackgan import StageIGAN
from tests.models.stackgan.conftest import TINY

CPU_ONLY = not tf.config.list_physical_devices("GPU")


def test_explicit_jit_compile_is_kept():
    assert compile_mode.resolve_jit_compile(True) is True
    assert compile_mode.resolve_jit_compile(False) is False


@pytest.mark.skipif(not CPU_ONLY, reason="the CPU rule")
def test_auto_is_graph_mode_on_cpu_for_every_trainer_compile():
    assert compile_mode.resolve_jit_compile("auto") is False
    gan = StageIGAN.from_stackgan_config(TINY)
    gan.compile()
    assert gan.jit_compile is False
    assert gan.get_compile_config()["jit_compile"] is False


@pytest.mark.parametrize("has_bf16, expected", [(True, "mixed_bfloat16"), (False, "float32")])
@pytest.mark.skipif(not CPU_ONLY, reason="the CPU rule")
def test_auto_precision_follows_native_bfloat16(monkeypatch, has_bf16, expected):
    monkeypatch.setattr(compile_mode, "cpu_has_bf16", lambda: has_bf16)
    assert compile_mode.default_precision() == expected
    assert compile_mode.resolve_precision("auto") == expected
    assert compile_mode.resolve_precision(None) == expected


def test_cpu_flags_detect_bfloat16(monkeypatch):
    monkeypatch.setattr(compile_mode, "cpu_flags", lambda: frozenset({"avx512f", "avx512_bf16"}))
    assert compile_mode.cpu_has_bf16()
    monkeypatch.setattr(compile_mode, "cpu_flags", lambda: frozenset({"avx2"}))
    assert not compile_mode.cpu_has_bf16()


def test_precision_scope_builds_under_the_policy_and_restores_it():
    with compile_mode.precision_scope("mixed_bfloat16") as name:
        assert name == "mixed_bfloat16"
        assert keras.mixed_precision.dtype_policy().name == "mixed_bfloat16"
    assert keras.mixed_precision.dtype_policy().name == "float32"
    with pytest.raises(ValueError, match="precision"):
        compile_mode.resolve_precision("bfloat16")


@pytest.mark.skipif(not CPU_ONLY, reason="the CPU rule")
def test_auto_is_xla_for_mnist_sized_trainers_on_cpu():
    from keras_stackgan.models.dcgan import DCGAN, dcgan_config

    assert compile_mode.resolve_jit_compile("auto", image_size=28) is True
    assert compile_mode.resolve_jit_compile("auto", image_size=64) is False
    assert compile_mode.resolve_jit_compile("auto", image_size=None) is False
    config = dcgan_config("small", image_size=28, channels=1, gf_dim=8, df_dim=8)
    gan = DCGAN.from_dcgan_config(config, seed=0)
    assert compile_mode.trainer_image_size(gan) == 28
    gan.compile()
    assert gan.jit_compile is True
