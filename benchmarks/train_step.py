"""Images/second of the StackGAN training steps (Stage-I and Stage-II, paper and small configs).

Runs ``fit`` on random in-memory batches (the input pipeline is measured separately in
``benchmarks/input_pipeline.py``), discards warm-up steps (tracing, XLA compilation) and prints
one table. Example::

    python benchmarks/train_step.py                 # XLA (the default) and plain graph mode
    python benchmarks/train_step.py --configs small --stages 1 --steps 20
"""

from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_stackgan.models.stackgan import StageIGAN, StageIIGAN, stackgan_config  # noqa: E402

# Batch sizes that keep a measurement within a few minutes on a 2-core CPU; the paper trains
# with 64 (Stage-I) and, in StackGAN-Pytorch, 40 (Stage-II) on a GPU.
DEFAULT_BATCH = {("paper", 1): 16, ("paper", 2): 2, ("small", 1): 32, ("small", 2): 8}


def build(config_name: str, stage: int):
    config = stackgan_config(config_name)
    gan = StageIGAN.from_stackgan_config(config, seed=0)
    if stage == 2:
        gan = StageIIGAN.from_stackgan_config(gan.generator, config, seed=0)
    return gan, config


def measure(config_name: str, stage: int, jit: bool, batch: int, steps: int, warmup: int):
    keras.backend.clear_session()
    gan, config = build(config_name, stage)
    gan.compile(jit_compile=jit)
    size = 64 if stage == 1 else config.stage2_image_size
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (batch, size, size, 3)).astype("float32")
    embeddings = rng.normal(size=(batch, config.embedding_dim)).astype("float32")
    data = tf.data.Dataset.from_tensors((images, embeddings, images[::-1].copy())).repeat()
    gan.fit(data, steps_per_epoch=warmup, epochs=1, verbose=0)
    start = time.perf_counter()
    gan.fit(data, steps_per_epoch=steps, epochs=1, verbose=0)
    seconds = time.perf_counter() - start
    return batch * steps / seconds, seconds / steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", nargs="+", default=["small", "paper"])
    parser.add_argument("--stages", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--jit", nargs="+", default=["xla", "graph"], choices=["xla", "graph"])
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--batch", type=int, default=None, help="override the batch size")
    args = parser.parse_args()

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, ")
    print(
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}, devices: "
        f"{[d.device_type for d in tf.config.list_physical_devices()]}"
    )
    print(f"{'config':<7} {'stage':<6} {'mode':<6} {'batch':>5} {'s/step':>8} {'img/s':>8}")
    for name in args.configs:
        for stage in args.stages:
            for mode in args.jit:
                batch = args.batch or DEFAULT_BATCH[(name, stage)]
                rate, step_time = measure(
                    name, stage, mode == "xla", batch, args.steps, args.warmup
                )
                print(
                    f"{name:<7} {stage:<6} {mode:<6} {batch:>5} {step_time:>8.3f} {rate:>8.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
