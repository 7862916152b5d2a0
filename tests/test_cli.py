"""The ``keras-stackgan`` command line: help, listing, bad input, and the README's generate."""

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
