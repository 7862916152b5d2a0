"""Images/second of text-to-image generation: the Python pipeline and the exported SavedModel.

For the ``cub`` preset, Stage-I only (64 px) and the full pipeline (256 px), at batch 1 and 16:
``StackGANPipeline.generate`` (sentence encoder + generators, uint8 out) and the
``generate_from_text`` signature of the SavedModel written by ``export_saved_model`` (loaded
with ``tf.saved_model.load``). Each row: one warm-up call, then calls for ``--seconds``. One
table::

    python benchmarks/generate.py
    python benchmarks/generate.py --preset flowers --stages 64
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402

from keras_stackgan.export import export_saved_model  # noqa: E402
from keras_stackgan.pretrained import load_pretrained  # noqa: E402

SENTENCE = "this bird is red with black wings and a short beak."


def rate(call, batch: int, seconds: float) -> float:
    call()  # warm-up: tracing, first allocations
    calls, start = 0, time.perf_counter()
    while True:
        call()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and calls >= 2:
            return batch * calls / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", default="cub")
    parser.add_argument("--stages", nargs="+", default=["64", "256"])
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()

    print(
        f"TF {tf.__version__}, {os.cpu_count()} CPU cores ({platform.machine()}), preset "
        f"{args.preset!r}, {args.seconds:.0f} s per row"
    )
    print(
        f"| {'stage':<12} | {'batch':>5} | {'pipeline.generate img/s':>23} | "
        f"{'SavedModel img/s':>16} |"
    )
    print(f"|{'-' * 14}|{'-' * 7}|{'-' * 25}|{'-' * 18}|")
    for stage in args.stages:
        pipeline = load_pretrained(args.preset, stage)
        with tempfile.TemporaryDirectory() as directory:
            served = tf.saved_model.load(str(export_saved_model(pipeline, directory)))
            signature = served.signatures["generate_from_text"]
            for batch in args.batches:
                python_rate, served_rate = measure(pipeline, signature, batch, args.seconds)
                label = "Stage-I 64" if stage == "64" else f"full {pipeline.image_size}"
                print(
                    f"| {label:<12} | {batch:>5} | {python_rate:>23.1f} | {served_rate:>16.1f} |",
                    flush=True,
                )


def measure(pipeline, signature, batch: int, seconds: float) -> tuple[float, float]:
    """``(pipeline img/s, SavedModel img/s)`` for ``batch`` sentences per call."""
    texts = [SENTENCE] * batch
    tensor, seed = tf.constant(texts), tf.constant(0, tf.int64)
    python_rate = rate(lambda: pipeline.generate(texts, seed=0), batch, seconds)
    served_rate = rate(lambda: signature(texts=tensor, seed=seed), batch, seconds)
    return python_rate, served_rate


if __name__ == "__main__":
    main()
