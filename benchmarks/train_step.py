"""Training-step speed of the trainers in every compile mode, against the machine's conv peak.

For each trainer and each mode in {XLA, graph} x {float32, mixed_bfloat16 (where the CPU or GPU
computes bfloat16 natively)}, one run prints: seconds per step, images/second, the GFLOP per
image of one full training step (counted by ``tf.profiler`` from the step's own graph: forward,
backward and every optimizer, not typed in), the GFLOP/s reached and its fraction of the
machine's measured float32 conv peak, and the warm-up (tracing/compilation) time. The mode that
``compile()`` picks by default (``jit_compile="auto"`` with the recipes' ``precision="auto"``)
is marked ``*`` (with ``--autotune``: the mode ``keras_stackgan.models.autotune`` picks, timed
separately before the table's own timing); the last column is each mode's speed relative to
the fastest.

The input pipeline is not part of it (random in-memory batches; see
``benchmarks/input_pipeline.py``). Examples::

    python benchmarks/train_step.py                                  # every trainer, all modes
    python benchmarks/train_step.py --trainers stage1-paper --batch 64 --steps 9
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_stackgan.models import autotune, compile_mode  # noqa: E402
from keras_stackgan.models.autotune import CompileMode  # noqa: E402


@dataclass(frozen=True)
class Trainer:
    """How to build one trainer and a batch for it."""

    build: Callable[[], keras.Model]
    batch: Callable[[int], tuple]  # batch size -> one batch (numpy arrays)
    default_batch: int


def _rng():
    return np.random.default_rng(0)


def _images(n, size, channels=3):
    return _rng().uniform(-1, 1, (n, size, size, channels)).astype("float32")


def _matching_batch(size, embedding_dim):
    def batch(n):
        images = _images(n, size)
        embeddings = _rng().normal(size=(n, embedding_dim)).astype("float32")
        return images, embeddings, images[::-1].copy()

    return batch


def _stackgan(config_name: str, stage: int):
    from keras_stackgan.models.stackgan import StageIGAN, StageIIGAN, stackgan_config

    def build():
        config = stackgan_config(config_name)
        gan = StageIGAN.from_stackgan_config(config, seed=0)
        if stage == 2:
            gan = StageIIGAN.from_stackgan_config(gan.generator, config, seed=0)
        return gan

    config = stackgan_config(config_name)
    size = 64 if stage == 1 else config.stage2_image_size
    return build, _matching_batch(size, config.embedding_dim)


def _gan_int_cls():
    from keras_stackgan.models.gan_int_cls import GANINTCLS, gan_int_cls_config

    config = gan_int_cls_config("small")
    return (
        lambda: GANINTCLS.from_gan_int_cls_config(config, seed=0),
        _matching_batch(config.image_size, config.embedding_dim),
    )


def _style_encoder():
    from keras_stackgan.models.gan_int_cls import (
        GANINTCLSGenerator,
        StyleEncoderTrainer,
        gan_int_cls_config,
    )

    config = gan_int_cls_config("small")

    def build():
        generator = GANINTCLSGenerator(
            config.embedding_dim,
            config.noise_dim,
            config.projection_dim,
            config.gf_dim,
            config.image_size,
        )
        return StyleEncoderTrainer.from_generator(generator, df_dim=config.df_dim, seed=0)

    def batch(n):
        return (_rng().normal(size=(n, config.embedding_dim)).astype("float32"),)

    return build, batch


def _dcgan(image_size: int, channels: int):
    from keras_stackgan.models.dcgan import DCGAN, dcgan_config

    config = dcgan_config("small", image_size=image_size, channels=channels)
    return (
        lambda: DCGAN.from_dcgan_config(config, seed=0),
        lambda n: (_images(n, image_size, channels),),
    )


def _labelled(image_size: int, channels: int, num_classes: int = 10):
    def batch(n):
        return _images(n, image_size, channels), (np.arange(n) % num_classes).astype("int32")

    return batch


def _cgan():
    from keras_stackgan.models.cgan import ConditionalGAN

    return lambda: ConditionalGAN.from_cgan_config("small", seed=0), _labelled(28, 1)


def _infogan():
    from keras_stackgan.models.infogan import InfoGAN

    return lambda: InfoGAN.from_infogan_config("small", seed=0), lambda n: (_images(n, 28, 1),)


def _wgan_gp():
    from keras_stackgan.models.wgan_gp import WGANGP, wgan_gp_config

    config = wgan_gp_config("small")
    return (
        lambda: WGANGP.from_wgan_gp_config(config, seed=0),
        lambda n: (_images(n, config.image_size, 3),),
    )


def _pix2pix():
    from keras_stackgan.models.pix2pix import Pix2Pix, pix2pix_config

    config = pix2pix_config("small")

    def batch(n):
        images = _images(n, config.image_size)
        return images, images[::-1].copy()

    return lambda: Pix2Pix.from_pix2pix_config(config, seed=0), batch


def _vae(name: str):
    from keras_stackgan.models.vae import vae_config
    from keras_stackgan.models.vae.vae import build_vae

    config = vae_config(name)

    def batch(n):
        shape = (n, config.image_size, config.image_size, config.channels)
        return (_rng().uniform(0, 1, shape).astype("float32"),)

    return lambda: build_vae(config, seed=0), batch


TRAINERS: dict[str, Callable[[], Trainer]] = {
    "stage1-small": lambda: Trainer(*_stackgan("small", 1), 32),
    "stage1-paper": lambda: Trainer(*_stackgan("paper", 1), 64),
    "stage2-small": lambda: Trainer(*_stackgan("small", 2), 8),
    "stage2-paper": lambda: Trainer(*_stackgan("paper", 2), 4),
    "gan-int-cls-small": lambda: Trainer(*_gan_int_cls(), 32),
    "style-encoder-small": lambda: Trainer(*_style_encoder(), 32),
    "dcgan-flowers-small": lambda: Trainer(*_dcgan(64, 3), 64),
    "dcgan-mnist-small": lambda: Trainer(*_dcgan(28, 1), 64),
    "cgan-mnist-small": lambda: Trainer(*_cgan(), 64),
    "infogan-mnist-small": lambda: Trainer(*_infogan(), 64),
    # A WGAN-GP step takes n_critic (5) critic batches of 32 and one generator update.
    "wgan-gp-flowers-small": lambda: Trainer(*_wgan_gp(), 160),
    "pix2pix-small": lambda: Trainer(*_pix2pix(), 16),
    "vae-mnist-small": lambda: Trainer(*_vae("small"), 100),
    "vae-flowers-small": lambda: Trainer(*_vae("flowers-small"), 64),
}


def conv_peak(precision: str, batch=64, size=32, channels=256, calls=8) -> float:
    """GFLOP/s of a 3x3, 256-channel TensorFlow conv (graph mode): the machine's peak."""
    dtype = "bfloat16" if precision == "mixed_bfloat16" else "float32"
    x = tf.random.normal((batch, size, size, channels), dtype=dtype)
    w = tf.random.normal((3, 3, channels, channels), dtype=dtype)
    conv = tf.function(lambda x, w: tf.reduce_sum(tf.nn.conv2d(x, w, 1, "SAME")))
    conv(x, w).numpy()
    start = time.perf_counter()
    for _ in range(calls):
        conv(x, w).numpy()
    seconds = (time.perf_counter() - start) / calls
    return 2 * batch * size * size * channels * channels * 9 / seconds / 1e9


def step_gflop(trainer: Trainer, batch: int) -> tuple[float, CompileMode]:
    """``(GFLOP per image, rule's mode)`` of one training step: the GFLOP counted by
    ``tf.profiler`` on its float32 graph; the mode that ``compile(jit_compile="auto")`` and
    ``precision="auto"`` pick for this trainer by the rule of ``compile_mode``."""
    keras.backend.clear_session()
    model = trainer.build()
    auto = CompileMode(
        compile_mode.default_precision(),
        compile_mode.resolve_jit_compile("auto", compile_mode.trainer_image_size(model)),
    )
    model.compile(jit_compile=False)
    data = trainer.batch(batch)
    specs = [tf.TensorSpec(x.shape, x.dtype) for x in data]
    step = tf.function(lambda *xs: model.train_step(tuple(xs)), autograph=False)
    graph = step.get_concrete_function(*specs).graph
    options = tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    flops = tf.compat.v1.profiler.profile(graph=graph, options=options).total_float_ops
    return flops / batch / 1e9, auto


def measure(trainer: Trainer, mode: CompileMode, batch: int, steps: int, warmup: int):
    """``(images/s, s/step, warm-up s)`` of ``fit`` on one repeated random batch; the step time
    is the median over at least ``steps`` steps and 3 s of them (``autotune.seconds_per_step``).
    """
    keras.backend.clear_session()
    with compile_mode.precision_scope(mode.precision):
        model = trainer.build()
    model.compile(jit_compile=mode.jit_compile)
    data = random_batches(trainer, batch)
    start = time.perf_counter()
    model.fit(data, steps_per_epoch=warmup, epochs=1, verbose=0)
    warm = time.perf_counter() - start
    seconds = autotune.seconds_per_step(model, data, steps=steps, warmup=0, min_seconds=3.0)
    return batch / seconds, seconds, warm


def random_batches(trainer: Trainer, batch: int):
    """The endless stream of one random batch the steps are timed on."""
    return tf.data.Dataset.from_tensors(trainer.batch(batch)).repeat()


def tuned_mode(trainer: Trainer, batch: int) -> CompileMode:
    """The mode ``autotune.autotune`` picks for the trainer (its own timing, default steps)."""

    def build(jit_compile):
        model = trainer.build()
        model.compile(jit_compile=jit_compile)
        return model

    best, _ = autotune.autotune(
        build, random_batches(trainer, batch), autotune.candidate_modes(), log=None
    )
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainers", nargs="+", default=list(TRAINERS), choices=list(TRAINERS))
    parser.add_argument("--steps", type=int, default=9, help="timed steps (median)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--batch", type=int, default=None, help="override the batch sizes")
    parser.add_argument(
        "--autotune",
        action="store_true",
        help="mark the mode autotune.autotune picks (timed on its own) instead of the rule's",
    )
    args = parser.parse_args()

    print(
        f"{time.strftime('%Y-%m-%d')}  CPU: {compile_mode.cpu_model()}, {os.cpu_count()} cores, "
        f"bf16 native: {compile_mode.bf16_native()}; TensorFlow {tf.__version__}, "
        f"Keras {keras.__version__}; devices "
        f"{[d.device_type for d in tf.config.list_physical_devices()]}"
    )
    peak = conv_peak("float32")
    line = f"conv peak (3x3, 256 ch, batch 64, 32x32, graph): float32 {peak:.0f} GFLOP/s"
    if compile_mode.bf16_native():
        line += f", bfloat16 {conv_peak('mixed_bfloat16'):.0f} GFLOP/s"
    print(line, flush=True)
    print(
        f"{'trainer':<20} {'mode':<11} {'batch':>5} {'s/step':>7} {'img/s':>7} "
        f"{'GFLOP/img':>9} {'GFLOP/s':>8} {'%peak':>6} {'warm-up':>7} {'vs best':>7}"
    )
    for name in args.trainers:
        trainer = TRAINERS[name]()
        batch = args.batch or trainer.default_batch
        gflop, default = step_gflop(trainer, batch)
        if args.autotune:
            default = tuned_mode(trainer, batch)
        rows = []
        for mode in autotune.candidate_modes():
            rate, step_time, warm = measure(trainer, mode, batch, args.steps, args.warmup)
            rows.append((mode, rate, step_time, warm))
        best = max(rate for _, rate, _, _ in rows)
        for mode, rate, step_time, warm in rows:
            label = mode.label + ("*" if mode == default else " ")
            print(
                f"{name:<20} {label:<11} {batch:>5} {step_time:>7.3f} {rate:>7.1f} "
                f"{gflop:>9.3f} {rate * gflop:>8.1f} {rate * gflop / peak:>6.0%} "
                f"{warm:>6.1f}s {rate / best:>7.0%}",
                flush=True,
            )


if __name__ == "__main__":
    main()
