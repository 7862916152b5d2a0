"""Where a training step's time goes: the top TensorFlow op types of a few profiled steps.

Traces ``--steps`` steps of one trainer of ``benchmarks/train_step.py`` with
``tf.profiler.experimental`` (the profile TensorBoard shows) and sums the op events of the
trace by op type (``Conv2DBackpropFilter``, ``FusedBatchNormGradV3``, ...; oneDNN's
``_MklNative`` kernels counted under the op they implement), printing each type's share of the
op time. Example::

    python benchmarks/profile_step.py --trainer stage2-paper --precision mixed_bfloat16
"""

from __future__ import annotations

import argparse
import collections
import glob
import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

# The XSpace protobuf the profiler writes; TensorFlow ships its Python bindings (there is no
# public reader short of the TensorBoard profile plugin, which we do not depend on).
from tensorflow.tsl.profiler.protobuf import xplane_pb2  # noqa: E402
from train_step import TRAINERS  # noqa: E402

from keras_stackgan.models import compile_mode  # noqa: E402


def op_times(logdir: str) -> collections.Counter:
    """Seconds per op type over every ``name:OpType`` event of the traces in ``logdir``."""
    totals: collections.Counter = collections.Counter()
    for path in glob.glob(os.path.join(logdir, "**", "*.xplane.pb"), recursive=True):
        space = xplane_pb2.XSpace()
        with open(path, "rb") as file:
            space.ParseFromString(file.read())
        for plane in space.planes:
            names = {key: meta.name for key, meta in plane.event_metadata.items()}
            for line in plane.lines:
                for event in line.events:
                    name = names.get(event.metadata_id, "")
                    # Op events are "<node name>:<op type>"; "Class::method" events are the
                    # executor's own frames, which contain the op events.
                    if ":" in name and "::" not in name:
                        op_type = name.rsplit(":", 1)[1].removeprefix("_MklNative")
                        op_type = op_type.removeprefix("_Mkl")
                        if op_type[:1].isupper():
                            totals[op_type] += event.duration_ps * 1e-12
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainer", default="stage2-paper", choices=list(TRAINERS))
    parser.add_argument("--precision", default="auto")
    parser.add_argument("--jit", default="auto", choices=["auto", "true", "false"])
    parser.add_argument("--batch", type=int, default=None)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()

    trainer = TRAINERS[args.trainer]()
    batch = args.batch or trainer.default_batch
    with compile_mode.precision_scope(args.precision) as precision:
        model = trainer.build()
    jit = {"auto": "auto", "true": True, "false": False}[args.jit]
    model.compile(jit_compile=jit)
    data = tf.data.Dataset.from_tensors(trainer.batch(batch)).repeat()
    model.fit(data, steps_per_epoch=2, verbose=0)  # tracing outside the profile
    logdir = tempfile.mkdtemp(prefix="profile_step_")
    tf.profiler.experimental.start(logdir)
    model.fit(data, steps_per_epoch=args.steps, verbose=0)
    tf.profiler.experimental.stop()

    totals = op_times(logdir)
    overall = sum(totals.values())
    print(
        f"{args.trainer}, batch {batch}, {precision}, jit_compile={model.jit_compile}: "
        f"{overall / args.steps:.3f} s of op time per step (trace in {logdir})"
    )
    print(f"{'op type':<32} {'s/step':>8} {'share':>6}")
    for op_type, seconds in totals.most_common(args.top):
        print(f"{op_type:<32} {seconds / args.steps:>8.3f} {seconds / overall:>6.1%}")
    keras.backend.clear_session()


if __name__ == "__main__":
    main()
