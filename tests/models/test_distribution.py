"""tf.distribute: the same fit on one device, on 2 mirrored devices, and on 2 workers.

Each configuration runs in its own process (logical devices must be configured before TensorFlow
starts). The tiny model uses synchronized batch normalisation, so the global batch is normalised
the same way whatever the number of replicas, and the training noise is drawn per global batch
(``keras_stackgan.models.noise``), so first-step losses must agree.
"""

import json
import os
import socket
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

METRICS = ("d_loss", "g_loss", "kl", "d_real", "d_wrong", "d_fake")


def _run(mode, out, jit_auto=False, env=None, wait=True):
    args = [sys.executable, "-m", "tests.models.distributed_worker", mode, str(out)]
    if jit_auto:
        args.append("auto")
    process = subprocess.Popen(
        args,
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return _wait(process, out) if wait else process


def _wait(process, out):
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output[-3000:]
    return json.loads(out.read_text())


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_mirrored_first_step_matches_single_device(tmp_path):
    # XLA draws other normals from the same bits, so compare without XLA on both sides; the
    # default jit_compile="auto" must pick plain graph mode under MirroredStrategy.
    single = _run("single", tmp_path / "single.json")
    mirrored = _run("mirrored", tmp_path / "mirrored.json", jit_auto=True)
    assert single["replicas"] == 1 and mirrored["replicas"] == 2
    assert single["jit_compile"] is False and mirrored["jit_compile"] is False
    for name in METRICS:
        assert mirrored[name] == pytest.approx(single[name], abs=1e-4), name
    assert mirrored["weights_checksum"] == pytest.approx(single["weights_checksum"], rel=1e-5)


def test_multi_worker_mirrored_two_processes(tmp_path):
    ports = [_free_port(), _free_port()]
    cluster = {"worker": [f"127.0.0.1:{p}" for p in ports]}
    processes = [
        _run(
            "multiworker",
            tmp_path / f"worker{i}.json",
            env={
                "TF_CONFIG": json.dumps(
                    {"cluster": cluster, "task": {"type": "worker", "index": i}}
                )
            },
            wait=False,
        )
        for i in range(2)
    ]
    results = [_wait(p, tmp_path / f"worker{i}.json") for i, p in enumerate(processes)]
    single = _run("single", tmp_path / "single.json")
    for result in results:
        assert result["replicas"] == 2
        for name in METRICS:
            assert result[name] == pytest.approx(single[name], abs=1e-4), name
        assert result["weights_checksum"] == pytest.approx(single["weights_checksum"], rel=1e-5)
