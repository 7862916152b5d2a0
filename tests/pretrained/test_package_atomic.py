"""``write_preset`` / ``write_generator_preset`` never leave a half-written preset (issue 15).

The new preset is built in a hidden sibling folder and swapped into place once complete, so a
SIGKILL during the write leaves the previous preset whole and loadable under its name.
"""

import os
import signal
import subprocess
import sys

import numpy as np
import pytest

from keras_stackgan.pretrained.load import load_preset_dir
from keras_stackgan.pretrained.package import write_generator_preset, write_preset
from tests.conftest import REPO_ROOT
from tests.pretrained.test_generator_presets import TinyConditionalGenerator

CHILD = """
import os, signal, sys
sys.path.insert(0, {repo!r})
import keras
from keras_stackgan.pretrained.package import write_generator_preset
from tests.pretrained.test_generator_presets import TinyConditionalGenerator

def save_half_then_die(self, path, *args, **kwargs):
    with open(path, "wb") as file:
        file.write(b"\\x89HDF\\r\\n\\x1a\\n half a weights file")
    os.kill(os.getpid(), signal.SIGKILL)

keras.Model.save_weights = save_half_then_die
generator = TinyConditionalGenerator()
write_generator_preset({preset!r}, family="test", dataset="new", generator=generator)
"""


def folder_bytes(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def generated(directory):
    return load_preset_dir(directory).generate(labels=[0, 1, 2], seed=0)


def test_a_preset_killed_mid_write_leaves_the_previous_one_whole(tmp_path):
    """A child rewriting an existing preset is SIGKILLed in the middle of its weights file:
    the preset folder still holds exactly the old files (which load), only a hidden
    ``.<name>.writing-<pid>`` folder is left, and the next write removes it."""
    preset = tmp_path / "mine"
    write_generator_preset(
        preset, family="test", dataset="old", generator=TinyConditionalGenerator()
    )
    (preset / "samples.png").write_bytes(b"a sheet the recipe wrote")
    before, images = folder_bytes(preset), generated(preset)

    script = CHILD.format(repo=str(REPO_ROOT), preset=str(preset))
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    child = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True)
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]

    assert folder_bytes(preset) == before
    np.testing.assert_array_equal(generated(preset), images)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "mine"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".mine.writing-")

    write_generator_preset(
        preset, family="test", dataset="new", generator=TinyConditionalGenerator()
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]
    assert (preset / "samples.png").read_bytes() == b"a sheet the recipe wrote"  # kept
    assert load_preset_dir(preset).metadata["dataset"] == "new"


def test_a_failed_write_changes_nothing(tmp_path):
    """An error while writing (here: the style encoder cannot be saved) leaves no preset folder
    when there was none, and the old folder untouched when there was one."""
    import keras

    from keras_stackgan.models.stackgan import StageIGAN
    from tests.models.stackgan.conftest import TINY

    def disk_full(*args, **kwargs):
        raise OSError("disk full")

    unsavable = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    object.__setattr__(unsavable, "save_weights", disk_full)
    stage1 = StageIGAN.from_stackgan_config(TINY).generator
    options = dict(family="stackgan", text_encoder="x", stage1_generator=stage1)
    with pytest.raises(OSError, match="disk full"):
        write_preset(tmp_path / "fresh", style_encoder=unsavable, **options)
    assert list(tmp_path.iterdir()) == []

    write_preset(tmp_path / "kept", **options)
    before = folder_bytes(tmp_path / "kept")
    with pytest.raises(OSError, match="disk full"):
        write_preset(tmp_path / "kept", style_encoder=unsavable, **options)
    assert folder_bytes(tmp_path / "kept") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept"]
