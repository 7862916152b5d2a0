"""``keras-stackgan [<command>] --help`` answers fast, without importing TensorFlow or Keras.

Each call runs in a fresh interpreter (the test process has TensorFlow loaded already).
"""

import subprocess
import sys
import time

import pytest

from keras_stackgan import cli

# argparse has no public listing of sub-commands; its subparsers action holds them.
COMMANDS = sorted(cli.build_parser()._subparsers._group_actions[0].choices)

CHECK = """
import sys
from keras_stackgan.cli import main
try:
    main({argv!r})
except SystemExit as exit:
    assert exit.code == 0, exit.code
heavy = sorted(m for m in ("tensorflow", "keras", "keras_hub", "flask") if m in sys.modules)
assert not heavy, heavy
"""


@pytest.fixture(autouse=True)
def _reset_keras_state():
    """Overrides the suite's Keras reset: these tests must not import Keras themselves."""
    yield


def test_every_command_is_listed():
    assert {"generate", "style", "list", "export", "train", "evaluate", "serve"} <= set(COMMANDS)


@pytest.mark.parametrize(
    "argv", [["--help"]] + [[command, "--help"] for command in COMMANDS], ids=" ".join
)
def test_help_is_fast_and_does_not_import_tensorflow(argv):
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(argv=argv)], capture_output=True, text=True, timeout=60
    )
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr[-2000:]
    assert "usage: keras-stackgan" in result.stdout
    assert result.stderr == ""  # no TensorFlow log lines
    assert seconds < 1.5, f"{argv} took {seconds:.2f} s"


def test_serve_without_the_extra_says_what_to_install():
    code = "import sys; sys.modules['flask'] = None\nfrom keras_stackgan.cli import main\n"
    code += "sys.exit(main(['serve']))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "[serve] extra" in result.stderr and 'pip install -e ".[serve]"' in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
