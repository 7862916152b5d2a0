"""Subprocess body of the distribution tests (the device layout must precede TF's start-up).

Usage: ``python -m tests.models.distributed_worker MODE OUT_JSON [auto]`` with MODE one of
``single`` (one CPU device), ``mirrored`` (MirroredStrategy over 2 logical CPUs) or
``multiworker`` (MultiWorkerMirroredStrategy; TF_CONFIG set by the caller). Every mode trains the
same tiny Stage-I GAN from the same initial weights for one step on the same global batch of 8 and
writes the step's metrics and a checksum of the updated weights.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

MODE, OUT = sys.argv[1], sys.argv[2]
JIT = sys.argv[3] if len(sys.argv) > 3 else False  # "auto" to test the default
cpus = tf.config.list_physical_devices("CPU")
if MODE == "mirrored":
    tf.config.set_logical_device_configuration(
        cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2
    )

import keras  # noqa: E402
import numpy as np  # noqa: E402

from keras_stackgan.models.stackgan import StageIGAN, stackgan_config  # noqa: E402

GLOBAL_BATCH = 8
config = stackgan_config("small", embedding_dim=16, stage1_gf_dim=8, stage1_df_dim=8)
rng = np.random.default_rng(0)
real = rng.uniform(-1, 1, (GLOBAL_BATCH, 64, 64, 3)).astype("float32")
embeddings = rng.normal(size=(GLOBAL_BATCH, 16)).astype("float32")
wrong = real[::-1].copy()

if MODE == "single":
    strategy = tf.distribute.get_strategy()
elif MODE == "mirrored":
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
else:
    strategy = tf.distribute.MultiWorkerMirroredStrategy()

keras.utils.set_random_seed(42)  # same initial weights in every mode and worker
with strategy.scope():
    gan = StageIGAN.from_stackgan_config(config, seed=7, synchronized_bn=True)
    gan.compile(jit_compile=JIT)

dataset = tf.data.Dataset.from_tensors((real, embeddings, wrong))
options = tf.data.Options()
options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
# Under MultiWorkerMirroredStrategy the global batch of 8 is split into per-replica batches of 4
# and the DATA policy hands each worker its own one (rows 0-3 and 4-7).
dataset = dataset.with_options(options)

history = gan.fit(dataset, epochs=1, verbose=0).history
result = {name: float(values[-1]) for name, values in history.items()}
result["weights_checksum"] = float(sum(np.sum(np.abs(w)) for w in gan.get_weights()))
result["replicas"] = strategy.num_replicas_in_sync
result["jit_compile"] = gan.jit_compile
with open(OUT, "w") as f:
    json.dump(result, f)
