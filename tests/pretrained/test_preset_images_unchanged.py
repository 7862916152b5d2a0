"""Every shipped preset draws byte-identical images for a seed, as when its digests were recorded.

oneDNN picks its kernels by CPU, so the bytes are only comparable on the instruction set they
were recorded on. ``fixtures/preset_image_digests.json`` holds one set per kind of CPU: ``sha256``
recorded on AVX-512 + AVX512-BF16 with the code of commit 0c61405 (before the adversarial base
existed), ``avx2`` (AVX2 without AVX-512) recorded later with then-current code and weights. On
any other CPU the test skips and says why. Record a set for the CPU you are on (after shipping
new weights, for example) with::

    python tests/pretrained/test_preset_images_unchanged.py --record
"""

import hashlib
import json
import sys
from pathlib import Path

import pytest

PATH = Path(__file__).parent / "fixtures" / "preset_image_digests.json"
FIXTURE = json.loads(PATH.read_text("utf-8"))


def cpu_kind() -> str | None:
    """``"avx512_bf16"``, ``"avx2"`` (without AVX-512) or None, from ``/proc/cpuinfo``."""
    try:
        flags = set(Path("/proc/cpuinfo").read_text().split())
    except OSError:
        return None
    if "avx512f" in flags and "avx512_bf16" in flags:
        return "avx512_bf16"
    if "avx2" in flags and "avx512f" not in flags:
        return "avx2"
    return None


def recorded_digests(kind: str | None) -> dict:
    """The ``{"preset|options": sha256}`` set of a CPU kind (empty when none was recorded)."""
    if kind == "avx512_bf16":
        return FIXTURE["sha256"]
    return FIXTURE.get(kind, {}).get("sha256", {}) if kind else {}


def draw(pipeline, options: str):
    """The uint8 images a digest key's ``options`` names."""
    if options == "stage1":
        _, images = pipeline.generate(FIXTURE["texts"], seed=0, return_stage1=True)
        return images
    return pipeline.generate(FIXTURE["texts"], FIXTURE["images_per_text"], **json.loads(options))


def digests_now(keys) -> dict:
    import keras_stackgan

    result, pipelines = {}, {}
    for key in keys:
        preset, options = key.split("|")
        if preset not in pipelines:
            pipelines[preset] = keras_stackgan.load_pretrained(preset)
        result[key] = hashlib.sha256(draw(pipelines[preset], options).tobytes()).hexdigest()
    return result


@pytest.mark.skipif(
    not recorded_digests(cpu_kind()), reason=f"no digests recorded for this CPU ({cpu_kind()})"
)
def test_shipped_presets_draw_the_recorded_images():
    import keras_stackgan

    digests = recorded_digests(cpu_kind())
    assert {key.split("|")[0] for key in digests} <= set(keras_stackgan.list_pretrained())
    now = digests_now(digests)
    for key, expected in digests.items():
        assert now[key] == expected, key


def record() -> None:
    """Records this CPU kind's digests (the keys of the AVX-512 set) into the fixture."""
    import subprocess

    import tensorflow as tf

    from keras_stackgan.models.autotune import machine

    kind = cpu_kind()
    if kind is None or kind == "avx512_bf16":
        raise SystemExit(f"record the {kind} set by hand only with a reason: it pins 0c61405")
    FIXTURE[kind] = {
        "recorded_on": f"{machine()}, TensorFlow {tf.__version__}, code and weights of commit "
        + subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=PATH.parent
        ).stdout.strip(),
        "sha256": digests_now(FIXTURE["sha256"]),
    }
    PATH.write_text(json.dumps(FIXTURE, indent=2) + "\n", encoding="utf-8")
    print(f"recorded {len(FIXTURE[kind]['sha256'])} digests for {kind} in {PATH}")


if __name__ == "__main__" and "--record" in sys.argv:
    record()
