"""The ``keras-stackgan`` command line: help, listing, bad input, and the README's generate."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from PIL import Image

from keras_stackgan import cli
from keras_stackgan.pretrained import list_pretrained


def test_help_and_missing_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("generate", "list", "export", "train", "evaluate"):
        assert command in out
    with pytest.raises(SystemExit) as exit_info:
        cli.main([])
    assert exit_info.value.code == 2


def test_list_prints_the_shipped_presets(capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    for name in list_pretrained():
        assert name in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["generate", "a bird", "--preset", "../cub"], "Unknown pretrained model"),
        (["generate", "a bird", "--num", "0"], "--num must be >= 1"),
        (["generate", "  "], "non-empty sentence"),
        (["train", "--preset", "flowers", "--stage", "2", "--data-dir", "."], "only Stage-I"),
        (["train", "--preset", "cub", "--data-dir", "/no/such/dir"], "is not a folder"),
    ],
)
def test_bad_input_is_one_line_and_nonzero(argv, message, capsys, tmp_path):
    assert (
        cli.main([*argv, *(["-o", str(tmp_path / "x.png")] if argv[0] == "generate" else [])]) == 2
    )
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and err.startswith("keras-stackgan")


def test_evaluate_refuses_an_unknown_condition(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["evaluate", "--data-dir", ".", "--condition", "median"])
    assert exit_info.value.code == 2 and "invalid choice: 'median'" in capsys.readouterr().err


@pytest.mark.parametrize("flags, condition", [([], "sample"), (["--condition", "mean"], "mean")])
def test_evaluate_passes_the_condition_mode(monkeypatch, capsys, flags, condition):
    import keras_stackgan.evaluation as evaluation

    calls = []

    class Report:
        def table(self):
            return "table"

    def fake_evaluate(preset, data_dir, **kwargs):
        calls.append(kwargs)
        return Report()

    monkeypatch.setattr(evaluation, "evaluate_preset", fake_evaluate)
    assert cli.main(["evaluate", "--data-dir", ".", *flags]) == 0
    assert calls[0]["condition"] == condition and "table" in capsys.readouterr().out


@pytest.mark.skipif("cub" not in list_pretrained(), reason="the cub preset is not shipped")
def test_generate_console_script_offline(tmp_path):
    """The README's command: the console script writes a grid of 256x256 images, with every
    network route closed (proxies pointing nowhere, hub/keras downloads disabled)."""
    script = shutil.which("keras-stackgan")
    command = [script] if script else [sys.executable, "-m", "keras_stackgan.cli"]
    output = tmp_path / "out.png"
    offline = {
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "",
        "KERAS_HOME": str(tmp_path / "keras_home"),
        "TFHUB_CACHE_DIR": str(tmp_path / "tfhub"),
        "HF_HUB_OFFLINE": "1",
    }
    result = subprocess.run(
        [*command, "generate", "a small red bird with black wings", "-o", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **offline},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "256x256" in result.stdout
    with Image.open(output) as image:
        # 8 images of 256 px in 4 columns and 2 rows, 2 px apart.
        assert image.size == (4 * 258 + 2, 2 * 258 + 2)


def _style_encoder_shipped() -> bool:
    if "gan-int-cls-cub" not in list_pretrained():
        return False
    from keras_stackgan.pretrained.load import CONFIG_FILE, preset_dir

    config = json.loads((preset_dir("gan-int-cls-cub") / CONFIG_FILE).read_text())
    return bool(config.get("style_encoder"))


def test_style_bad_input(tmp_path, capsys):

    photo, text_file = tmp_path / "bird.png", tmp_path / "notes.txt"
    Image.new("RGB", (90, 70), (200, 30, 30)).save(photo)
    text_file.write_text("not an image")
    output = ["-o", str(tmp_path / "style.png")]
    cases = [
        ([str(text_file), "--text", "a bird"], "not an image"),
        ([str(photo), "--text", " "], "non-empty --text"),
        ([str(photo), "--text", "a bird", "--preset", "../x"], "Unknown pretrained model"),
    ]
    if "flowers" in list_pretrained():  # a StackGAN preset: no style encoder
        cases.append(([str(photo), "--text", "a bird", "--preset", "flowers"], "no style encoder"))
    for argv, message in cases:
        assert cli.main(["style", *argv, *output]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and message in err, err


@pytest.mark.skipif(not _style_encoder_shipped(), reason="no GAN-INT-CLS style encoder shipped")
def test_style_writes_one_row_per_image(tmp_path, capsys):

    photos = []
    for i, colour in enumerate([(200, 30, 30), (30, 30, 200)]):
        photos.append(tmp_path / f"bird{i}.jpg")
        Image.new("RGB", (120, 100), colour).save(photos[-1])
    output = tmp_path / "style.png"
    argv = ["style", *map(str, photos), "--text", "a yellow bird", "--text", "a black bird"]
    assert cli.main([*argv, "-o", str(output)]) == 0
    assert "2 images x 2 sentences" in capsys.readouterr().out
    with Image.open(output) as sheet:  # 2 rows x (query + 2 sentences) of 64 px cells
        assert sheet.size[0] == 3 * 66 + 2 and sheet.size[1] > 2 * 66 + 2


# === Issue 18: the output is checked before anything is loaded or generated ===


@pytest.fixture
def no_model(monkeypatch):
    """Fails the test if a command gets as far as loading a model."""

    def refuse(*args, **kwargs):
        raise AssertionError("the output should have been refused before loading a model")

    monkeypatch.setattr("keras_stackgan.pretrained.load.load_pretrained", refuse)


def test_unwritable_output_is_one_line_before_generating(no_model, monkeypatch, tmp_path, capsys):
    def denied(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(cli, "open", denied, raising=False)
    for command in (["generate", "a bird"], ["style", str(tmp_path / "q.png"), "--text", "a"]):
        assert cli.main([*command, "-o", str(tmp_path / "locked" / "out.png")]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and "Permission denied" in err, err


@pytest.mark.parametrize("name", ["out", "out.txt", "sheet."])
def test_output_without_image_extension_is_refused_first(no_model, tmp_path, capsys, name):
    assert cli.main(["generate", "a bird", "-o", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "not an image file name" in err, err


def test_output_that_is_a_folder_is_refused(no_model, tmp_path, capsys):
    assert cli.main(["generate", "a bird", "-o", str(tmp_path)]) == 2
    assert "not an image file name" in capsys.readouterr().err  # a folder has no extension
    (tmp_path / "dir.png").mkdir()
    assert cli.main(["generate", "a bird", "-o", str(tmp_path / "dir.png")]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_export_onto_a_regular_file_is_one_line(no_model, tmp_path, capsys):
    target = tmp_path / "model"
    target.write_text("not a folder")
    assert cli.main(["export", "--preset", "cub", "-o", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "is a file" in err, err
    assert target.read_text() == "not a folder"


def test_export_version_defaults_to_the_next_one():
    export = cli.build_parser().parse_args(["export", "-o", "m"])
    assert export.version is None


def test_diverged_training_is_one_line_and_status_1(monkeypatch, tmp_path, capsys):
    from keras_stackgan.callbacks import NonFiniteError

    def diverge(*args, **kwargs):
        raise NonFiniteError("Training diverged at epoch 3, step 7: d_loss = nan.", 3, 7)

    monkeypatch.setattr("keras_stackgan.pretrained.training.train_stage", diverge)
    assert cli.main(["train", "--preset", "cub", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "keras-stackgan train: Training diverged at epoch 3, step 7: d_loss = nan."
