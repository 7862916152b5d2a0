"""Images/second of the full StackGAN input pipeline on the shared birds and flowers.

Reads the records, builds ``make_stackgan_dataset`` (decode, bbox crop, resize to 76/304,
random 64/256 crop, flip, [-1, 1], random caption embedding, other-class wrong image) and
counts training examples per second (each example carries a real and a wrong image) over a
few seconds of steady state, after one warm-up batch. Embeddings are random
``[N, 10, D]`` arrays standing in for char-CNN-RNN vectors, so no text encoder runs. One table::

    python benchmarks/input_pipeline.py                  # data from ../shared/data
    python benchmarks/input_pipeline.py --seconds 10 --cache auto none
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_stackgan.data import make_stackgan_dataset, read_cub, read_oxford102  # noqa: E402
from keras_stackgan.data.image_ops import load_size_for  # noqa: E402
from keras_stackgan.data.pipeline import DEFAULT_CACHE_BYTES, native_bank_size  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def read(name: str, data_dir: Path):
    if name == "birds":
        return read_cub(data_dir / "birds", None).records
    return read_oxford102(data_dir / "flowers").records


def measure(records, size, cache, batch, seconds, dim):
    embeddings = np.random.default_rng(0).normal(size=(len(records), 10, dim)).astype(np.float32)
    start = time.perf_counter()
    dataset = make_stackgan_dataset(
        records, embeddings, batch_size=batch, image_size=size, cache=cache, repeat=True
    )
    iterator = iter(dataset)
    next(iterator)  # warm-up: tracing, first decodes
    build = time.perf_counter() - start
    batches, start = 0, time.perf_counter()
    while True:
        next(iterator)
        batches += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and batches >= 3:
            return batch * batches / elapsed, build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--datasets", nargs="+", default=["birds", "flowers"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[64, 256])
    parser.add_argument("--cache", nargs="+", default=["auto"], choices=["auto", "none"])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--embedding-dim", type=int, default=1024)
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per row")
    args = parser.parse_args()

    print(
        f"TF {tf.__version__}, {os.cpu_count()} CPU cores ({platform.machine()}), batch "
        f"{args.batch}, embeddings [N, 10, {args.embedding_dim}], data {args.data_dir}"
    )
    print(
        f"| {'dataset':<7} | {'size':>4} | {'images':>6} | {'decoded':<15} | "
        f"{'setup s':>7} | {'images/s':>8} |"
    )
    print(f"|{'-' * 9}|{'-' * 6}|{'-' * 8}|{'-' * 17}|{'-' * 9}|{'-' * 10}|")
    for name in args.datasets:
        records = read(name, args.data_dir)
        for size in args.sizes:
            for cache in args.cache:
                load = load_size_for(size)
                in_memory = cache == "auto" and len(records) * load * load * 3 <= (
                    DEFAULT_CACHE_BYTES
                )
                where = "once, in memory" if in_memory else "every epoch"
                if not in_memory and cache == "auto" and native_bank_size(records, load):
                    where = "once, own size"  # enlarged per example (64 px flowers)
                rate, build = measure(
                    records, size, cache, args.batch, args.seconds, args.embedding_dim
                )
                print(
                    f"| {name:<7} | {size:>4} | {len(records):>6} | {where:<15} | "
                    f"{build:>7.1f} | {rate:>8.0f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
