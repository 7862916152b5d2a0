"""Throughput of ``SentenceEncoder`` (shipped all-MiniLM-L6-v2): sentences per second.

Measures ``encoder.encode`` (the compiled graph: in-graph tokenization, 6-layer BERT, pooling)
on bird captions at batch sizes 1 and 64, after a warm-up call, and prints one table::

    python benchmarks/text_encoder.py            # add --seconds 10 for steadier numbers
"""

from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402

from keras_stackgan.text import SentenceEncoder  # noqa: E402

CAPTIONS = [
    "this bird has a white belly, grey wings and a short orange beak.",
    "a small red bird with black wings and a pointed beak",
    "the large seabird has a hooked bill and long narrow wings",
    "a yellow bird with black streaks on its back and a tiny bill",
]


def measure(encoder: SentenceEncoder, batch_size: int, seconds: float) -> tuple[float, float]:
    """Returns (sentences per second, milliseconds per batch) over about ``seconds``."""
    texts = (CAPTIONS * (batch_size // len(CAPTIONS) + 1))[:batch_size]
    encoder.encode(texts, batch_size=batch_size)  # warm-up (traces once per encoder)
    calls, start = 0, time.perf_counter()
    while True:
        encoder.encode(texts, batch_size=batch_size)
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and calls >= 3:
            break
    return calls * batch_size / elapsed, 1000 * elapsed / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 64])
    parser.add_argument("--seconds", type=float, default=5.0, help="time per batch size")
    args = parser.parse_args()

    encoder = SentenceEncoder.from_pretrained()
    devices = ", ".join(d.device_type for d in tf.config.list_logical_devices()) or "CPU"
    print(
        f"SentenceEncoder all_minilm_l6_v2_en, sequence_length={encoder.sequence_length}, "
        f"TF {tf.__version__}, {devices}, {os.cpu_count()} CPU cores ({platform.machine()})"
    )
    print(f"| {'batch':>5} | {'sentences/s':>11} | {'ms/batch':>8} |")
    print(f"|{'-' * 7}|{'-' * 13}|{'-' * 10}|")
    for batch_size in args.batch_sizes:
        rate, ms = measure(encoder, batch_size, args.seconds)
        print(f"| {batch_size:>5} | {rate:>11.1f} | {ms:>8.1f} |")


if __name__ == "__main__":
    main()
