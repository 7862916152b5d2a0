"""``keras_stackgan.models.autotune``: timing picks the mode, the seed keeps the weights, a run
keeps the mode it recorded, and the recipes expose it."""

import json

import keras
import numpy as np
import tensorflow as tf

from keras_stackgan.models import autotune, compile_mode
from keras_stackgan.models.autotune import CompileMode
from keras_stackgan.models.dcgan import DCGAN, dcgan_config
from tests.conftest import load_recipe

TINY = dcgan_config("small", noise_dim=8, image_size=16, gf_dim=8, df_dim=8)


def _build(jit_compile):
    gan = DCGAN.from_dcgan_config(TINY, seed=3)
    gan.compile(*DCGAN.config_optimizers(TINY), jit_compile=jit_compile)
    return gan


def _make_data(initial_epoch):
    images = np.random.default_rng(initial_epoch).uniform(-1, 1, (8, 16, 16, 3)).astype("float32")
    return tf.data.Dataset.from_tensors(images).repeat()


def test_candidate_modes_leave_open_only_the_auto_dimensions():
    precisions = ["float32"] + (["mixed_bfloat16"] if compile_mode.bf16_native() else [])
    every = autotune.candidate_modes()
    assert every == [CompileMode(p, j) for p in precisions for j in (False, True)]
    assert autotune.candidate_modes("float32", False) == [CompileMode("float32", False)]
    assert autotune.candidate_modes("float32") == [
        CompileMode("float32", False),
        CompileMode("float32", True),
    ]
    assert CompileMode("mixed_bfloat16", False).label == "graph/bf16"


def test_autotune_times_every_candidate_and_returns_the_fastest():
    modes = [CompileMode("float32", False), CompileMode("float32", True)]
    lines = []
    best, timings = autotune.autotune(
        _build, _make_data(0), modes, steps=3, warmup=1, log=lines.append
    )
    assert set(timings) == {"graph/f32", "xla/f32"}
    assert all(seconds > 0 for seconds in timings.values())
    assert timings[best.label] == min(timings.values())
    assert len(lines) == 3 and best.label in lines[-1]


def test_tuned_trainer_has_the_initial_weights_of_an_untuned_build(monkeypatch):
    keras.backend.clear_session()
    keras.utils.set_random_seed(5)
    plain = _build(False)
    # Whatever the timing says, pick XLA: the tuned build must still start from seed 5's weights.
    monkeypatch.setattr(
        autotune, "autotune", lambda build, data, modes, **kw: (CompileMode("float32", True), {})
    )
    tuned, mode = autotune.tuned_trainer(_build, _make_data, seed=5, precision="float32", log=None)
    assert mode == CompileMode("float32", True) and tuned.jit_compile is True
    for a, b in zip(plain.generator.weights, tuned.generator.weights, strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert [w.path for w in plain.weights] == [w.path for w in tuned.weights]


def test_a_resumed_run_keeps_its_recorded_mode_and_tunes_nothing(tmp_path, monkeypatch):
    recorded = CompileMode("float32", True).summary()
    assert recorded["compile_machine"] == autotune.machine()
    (tmp_path / "run.json").write_text(json.dumps(recorded), encoding="utf-8")

    def no_timing(*args, **kwargs):
        raise AssertionError("a resumed run must not be re-tuned")

    monkeypatch.setattr(autotune, "autotune", no_timing)
    model, mode = autotune.tuned_trainer(_build, _make_data, seed=0, run_dir=tmp_path, log=None)
    assert mode == CompileMode("float32", True)
    assert model.dtype_policy.name == "float32" and model.jit_compile is True


def test_a_run_moved_to_another_kind_of_machine_is_tuned_again(tmp_path, monkeypatch):
    other = {**CompileMode("float32", True).summary(), "compile_machine": "another CPU; avx2"}
    (tmp_path / "run.json").write_text(json.dumps(other), encoding="utf-8")
    assert autotune.recorded_mode(tmp_path) == {}
    timed = []

    def fake(build, data, modes, **kwargs):
        timed.append(modes)
        return modes[0], {}

    monkeypatch.setattr(autotune, "autotune", fake)
    _, mode = autotune.tuned_trainer(_build, _make_data, seed=0, run_dir=tmp_path, log=None)
    assert timed == [autotune.candidate_modes()] and mode == timed[0][0]


def test_without_autotuning_the_rule_resolves_auto():
    model, mode = autotune.tuned_trainer(
        _build, _make_data, seed=0, precision="float32", autotune_modes=False, log=None
    )
    rule = compile_mode.resolve_jit_compile("auto", 16)
    assert mode == CompileMode("float32", rule) and model.jit_compile is rule


def test_dcgan_recipe_tunes_a_new_run_records_the_mode_and_resumes_in_it(tmp_path, monkeypatch):
    """``recipes/train_dcgan.py --dataset mnist`` on 64 generated digits: a new run times
    graph and XLA (float32 fixed), records the pick, and its resumption re-uses it untimed."""
    from tests.data.test_mnist import write_mnist

    write_mnist(tmp_path / "data" / "mnist", n=64)
    recipe = load_recipe("train_dcgan")
    assert recipe.parse_args([]).autotune is True
    assert recipe.parse_args(["--no-autotune"]).autotune is False
    timed = []
    real_autotune = autotune.autotune

    def spy(build, data, modes, **kwargs):
        timed.append(modes)
        return real_autotune(build, data, modes, steps=2, warmup=1, log=None)

    monkeypatch.setattr(autotune, "autotune", spy)
    run_dir = tmp_path / "run"
    common = ["--dataset", "mnist", "--data-dir", str(tmp_path / "data"), "--run-dir", str(run_dir)]
    common += ["--precision", "float32", "--batch-size", "32"]
    first = recipe.main([*common, "--epochs", "1"])
    assert timed == [[CompileMode("float32", False), CompileMode("float32", True)]]
    run = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert run["precision"] == "float32" and isinstance(run["jit_compile"], bool)
    assert run["compile_machine"] == autotune.machine()
    assert first["epochs_done"] == 1

    second = recipe.main([*common, "--epochs", "2"])
    assert len(timed) == 1, "the resumed run was timed again"
    assert second["epochs_done"] == 2
    assert json.loads((run_dir / "run.json").read_text())["jit_compile"] == run["jit_compile"]
