"""DCGAN's first step under ``MirroredStrategy`` (2 logical CPUs) equals the one-device step.

Runs in a subprocess (``dcgan_distributed_worker``): logical devices must be configured before
TensorFlow initialises. With ``synchronized_bn=True`` the global batch is normalised the same
way whatever the number of replicas, and the training noise is drawn per global batch
(``keras_stackgan.models.noise``), so every weight must agree after the step.
"""

import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import REPO_ROOT


@pytest.mark.slow
def test_mirrored_first_step_gives_the_single_device_weights(tmp_path):
    out = tmp_path / "dcgan.npz"
    process = subprocess.run(
        [sys.executable, "-m", "tests.models.dcgan.dcgan_distributed_worker", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
    result = np.load(out)
    assert list(result["replicas"]) == [1, 2]
    assert not result["jit"].any()  # "auto" picks plain graph mode under MirroredStrategy
    np.testing.assert_allclose(result["mirrored_metrics"], result["single_metrics"], atol=1e-5)
    count = sum(1 for key in result.files if key.startswith("single_") and key[7:].isdigit())
    assert count > 10
    for i in range(count):
        single, mirrored = result[f"single_{i}"], result[f"mirrored_{i}"]
        np.testing.assert_allclose(mirrored, single, rtol=1e-4, atol=1e-6, err_msg=f"weight {i}")
    # The step changed the weights: the comparison is not between two initial states.
    changed = [not np.allclose(result[f"initial_{i}"], result[f"single_{i}"]) for i in range(count)]
    assert sum(changed) > count // 2, changed
