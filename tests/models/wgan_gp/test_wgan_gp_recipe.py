"""recipes/train_wgan_gp.py end to end on 100 real flowers and tiny widths (slow)."""

import json
import sys

import pytest

from tests.conftest import load_recipe


def _recipe():
    return load_recipe("train_wgan_gp")


@pytest.mark.slow
@pytest.mark.parametrize("model", ["wgan-gp", "wgan"])
def test_recipe_tracks_the_curve_resumes_and_packages(model, shared_data, tmp_path, monkeypatch):
    import keras_stackgan.assets
    import keras_stackgan.data
    from keras_stackgan.pretrained.load import load_preset_dir

    recipe = _recipe()
    for name in (
        "keras_stackgan.models.wgan.wgan_config",
        "keras_stackgan.models.wgan_gp.wgan_gp_config",
    ):
        module = sys.modules[name]
        tiny = module.CONFIGS["small"].replace(gf_dim=4, df_dim=4, batch_size=4)
        monkeypatch.setitem(module.CONFIGS, "small", tiny)
    load = keras_stackgan.data.load_labelled_oxford102

    def first_100(*args, **kwargs):
        loaded = load(*args, **kwargs)
        return type(loaded)(loaded.images[:100], loaded.labels[:100], loaded.class_names)

    monkeypatch.setattr(keras_stackgan.data, "load_labelled_oxford102", first_100)
    found = keras_stackgan.assets.saved_model_path  # the evaluators stay where they are

    def package_in_tmp(*parts):
        return tmp_path / parts[0] if parts == ("pkg",) else found(*parts)

    monkeypatch.setattr(keras_stackgan.assets, "saved_model_path", package_in_tmp)
    run_dir = tmp_path / "run"
    common = ["--model", model, "--data-dir", str(shared_data), "--run-dir", str(run_dir)]
    tune = [] if model == "wgan" else ["--no-autotune"]  # one tunes, both record the mode
    first = recipe.main([*common, "--epochs", "1", "--curve-images", "64", *tune])
    run = json.loads((run_dir / "run.json").read_text())
    assert run["compile_machine"] and isinstance(run["jit_compile"], bool)
    assert first["epochs_done"] == 1 and first["steps_per_epoch"] == 100 // 20
    assert [row["epoch"] for row in recipe.read_curve(run_dir / "curve.csv")] == [1]

    second = recipe.main(
        [*common, "--epochs", "2", "--curve-images", "64", "--package", "pkg", "--num-eval", "64"]
    )
    assert second["epochs_done"] == 2
    rows = recipe.read_curve(run_dir / "curve.csv")
    assert [row["epoch"] for row in rows] == [1, 2]
    assert rows[-1]["generator_steps"] == 10 and rows[-1]["proxy_fid"] > 0
    package = tmp_path / "pkg"
    for name in ("config.json", "generator.weights.h5", "samples.png", "curve.png", "README.md"):
        assert (package / name).is_file(), name
    evaluation = json.loads((package / "evaluation.json").read_text())
    assert evaluation["num_images"] == 64 and evaluation["curve"]["all"]["points"] == 2
    assert json.loads((package / "config.json").read_text())["family"] == model
    card = (package / "README.md").read_text()
    assert "proxy-FID" in card and "--package pkg" in card
    assert load_preset_dir(package).generate(2, seed=0).shape == (2, 64, 64, 3)
