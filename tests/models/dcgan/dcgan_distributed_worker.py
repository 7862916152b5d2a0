"""Subprocess body of the DCGAN distribution test (logical devices precede TF's start-up).

Usage: ``python -m tests.models.dcgan.dcgan_distributed_worker OUT_NPZ``. Splits the CPU into
two logical devices, then trains the same tiny DCGAN (synchronized batch normalisation) from the
same initial weights for one step on the same global batch of 8, first on one device (the
default strategy), then under ``MirroredStrategy`` over both, and writes both runs' metrics
and all weights (trainable and batch-norm statistics) before and after the step.
``DCGAN_SYNCHRONIZED_BN=0`` builds the networks without synchronized batch normalisation (to
see the test fail: each replica would normalise its own half of the batch).
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

OUT = sys.argv[1]
cpus = tf.config.list_physical_devices("CPU")
tf.config.set_logical_device_configuration(cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402
import numpy as np  # noqa: E402

from keras_stackgan.models.dcgan import DCGAN, dcgan_config  # noqa: E402

GLOBAL_BATCH = 8
CONFIG = dcgan_config("small", noise_dim=8, image_size=16, gf_dim=8, df_dim=8)
real = np.random.default_rng(0).uniform(-1, 1, (GLOBAL_BATCH, 16, 16, 3)).astype("float32")


SYNCHRONIZED = os.environ.get("DCGAN_SYNCHRONIZED_BN", "1") == "1"


def first_step(strategy):
    keras.backend.clear_session()
    keras.utils.set_random_seed(42)  # the same initial weights in both runs
    one_device = strategy.num_replicas_in_sync == 1
    with strategy.scope():
        gan = DCGAN.from_dcgan_config(CONFIG, seed=7, synchronized_bn=SYNCHRONIZED)
        # XLA would draw other normals from the same bits: plain graph mode on one device,
        # and the default "auto" must pick it under MirroredStrategy.
        gan.compile(jit_compile=False if one_device else "auto")
    initial = [np.asarray(w) for w in gan.get_weights()]
    history = gan.fit(tf.data.Dataset.from_tensors(real), epochs=1, verbose=0).history
    metrics = np.array([history[name][-1] for name in gan.metric_names])
    weights = [np.asarray(w) for w in gan.get_weights()]
    return metrics, weights, strategy.num_replicas_in_sync, gan.jit_compile, initial


single = first_step(tf.distribute.get_strategy())
mirrored = first_step(tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"]))
np.savez(
    OUT,
    single_metrics=single[0],
    mirrored_metrics=mirrored[0],
    replicas=np.array([single[2], mirrored[2]]),
    jit=np.array([single[3], mirrored[3]]),
    **{f"single_{i}": w for i, w in enumerate(single[1])},
    **{f"mirrored_{i}": w for i, w in enumerate(mirrored[1])},
    **{f"initial_{i}": w for i, w in enumerate(single[4])},
)
