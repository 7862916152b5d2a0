"""``AdversarialModel``: the one two-player training step every GAN of the zoo subclasses.

It owns what every family shares and none should rewrite: two optimizers built inside the
strategy scope, metric trackers, the compile-config round trip, ``LossScaleOptimizer`` under
``mixed_float16``, replica-correct loss scaling, per-replica seeded noise and the multi-worker
log workaround. A family says only what its algorithm box says, through five hooks:

- ``unpack_batch(data)``: a training batch as a dict of tensors (validated);
- ``generate_fakes(batch, step, training)``: G's output for the batch, as a dict;
- ``discriminator_loss(batch, fakes, training)`` and ``generator_loss(batch, fakes, training)``:
  ``(loss, logs)``, float32 scalars;
- ``critic_batches(batch, fakes)`` (optional): the sub-batches of the critic updates (one by
  default; WGAN's ``n_critic``) and ``after_discriminator_update()`` (optional; WGAN's clip).
"""

from __future__ import annotations

import random

import keras
import tensorflow as tf
from keras import ops

from keras_stackgan.models.compile_mode import resolve_jit_compile, trainer_image_size
from keras_stackgan.models.noise import replica_categorical, replica_normal, replica_uniform

TEST_STEP = 0  # test_step draws the same noise every batch, so evaluation is deterministic


def default_optimizer(learning_rate=2e-4) -> keras.optimizers.Optimizer:
    """Adam(2e-4, beta_1 = 0.5, beta_2 = 0.999): DCGAN's and StackGAN's optimizer."""
    return keras.optimizers.Adam(learning_rate=learning_rate, beta_1=0.5, beta_2=0.999)


def scale_for_replicas(loss):
    """``loss / num_replicas_in_sync``: per-replica means whose summed gradients are global means.

    ``tf.distribute`` sums the gradients of the replicas, so a loss averaged over a replica's
    share of the batch is divided by the number of replicas first (Keras does the same inside
    ``Model.fit`` for its own losses; ours are computed in ``train_step``).
    """
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    if replicas > 1:
        loss = ops.multiply(loss, ops.cast(1.0 / replicas, loss.dtype))
    return loss


class AdversarialModel(keras.Model):
    """Base class of the zoo's GANs: a generator, a discriminator and the alternating step.

    One ``fit`` step (``train_step``) reads like the algorithm box of Goodfellow et al. (2014),
    which every family refines:

    1. under G's tape, ``fakes = generate_fakes(batch)`` (fresh noise for this step);
    2. for each critic sub-batch (one, or WGAN's ``n_critic``): update D on
       ``discriminator_loss(batch, stop_gradient(fakes))``, then ``after_discriminator_update``;
    3. update G on ``generator_loss(batch, fakes)``, scored by the updated D.

    ``test_step`` computes both losses in inference mode with fixed noise. Reported metrics are
    ``metric_names`` (``d_loss``, ``g_loss`` and the family's own, each a key of the loss
    hooks' logs), averaged over the epoch; with several critic updates ``d_loss`` and D's logs
    are those of the last one.

    Subclasses call ``set_networks(generator, discriminator)`` in ``__init__``, list their
    network constructor arguments in ``network_names`` (serialized as nested Keras objects) and
    their metrics in ``metric_names``; families with compile options of their own call
    ``super().compile(...)`` and then ``record_compile_options(...)``.

    Args:
        seed: int or None, seed of the training noise (a random one when None).
    """

    network_names: tuple[str, ...] = ("generator", "discriminator")
    metric_names: tuple[str, ...] = ("d_loss", "g_loss")

    def __init__(self, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self._seed_value = random.randint(0, 2**31 - 1) if seed is None else int(seed)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in self.metric_names}
        self.g_optimizer = None
        self.d_optimizer = None
        self._adversarial_compile_config = {}

    def set_networks(self, generator: keras.Model, discriminator: keras.Model):
        """Attaches the trainable generator and the discriminator (or critic)."""
        self.generator = generator
        self.discriminator = discriminator
        self.built = True

    # === Compile ===
    def default_optimizers(self) -> tuple[keras.optimizers.Optimizer, keras.optimizers.Optimizer]:
        """``(g_optimizer, d_optimizer)`` when ``compile`` is given none: the paper's Adam."""
        return default_optimizer(), default_optimizer()

    def compile(
        self,
        g_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        d_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        jit_compile: bool | str = "auto",
        **kwargs,
    ):
        """Sets and builds the two optimizers.

        Args:
            g_optimizer, d_optimizer: optimizers (instances, names or configs); default the
                family's paper optimizers (``default_optimizers``). Learning-rate schedules go
                in the optimizer.
            jit_compile: bool or ``"auto"``, XLA-compile the training step. ``"auto"``
                (``compile_mode.resolve_jit_compile``) is the measured rule: on CPU graph mode
                for images of 64 px and more, XLA for MNIST-sized ones (32 px or less); XLA on
                a single GPU/TPU; off under a multi-replica ``tf.distribute`` strategy (XLA
                cannot compile a step that reads variables placed on several devices).
            **kwargs: passed to ``keras.Model.compile`` (``steps_per_execution``,
                ``run_eagerly``, ...).

        Under a ``mixed_float16`` policy both optimizers are wrapped in
        ``keras.optimizers.LossScaleOptimizer`` (``mixed_bfloat16`` needs no loss scaling).
        Both are built here, so call ``compile`` inside ``strategy.scope()`` when distributing.
        """
        defaults = self.default_optimizers() if g_optimizer is None or d_optimizer is None else ()
        self.g_optimizer = self._prepare_optimizer(g_optimizer, defaults and defaults[0])
        self.d_optimizer = self._prepare_optimizer(d_optimizer, defaults and defaults[1])
        strategy = tf.distribute.get_strategy()
        jit_compile = resolve_jit_compile(jit_compile, trainer_image_size(self))
        super().compile(optimizer=None, jit_compile=jit_compile, **kwargs)
        # Keras reduces per-step logs across workers with a "mean over axis 0", which fails on
        # scalars under MultiWorkerMirroredStrategy (tensorflow/tensorflow#72388); there the
        # step returns its logs with a leading axis of 1. Epoch logs and History are read from
        # the metric trackers and stay scalars.
        self._logs_with_axis = isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
        # Built eagerly (inside the caller's strategy scope): a custom train_step with two
        # optimizers otherwise fails at the first distributed step.
        self.g_optimizer.build(self.generator_variables)
        self.d_optimizer.build(self.discriminator_variables)
        self._adversarial_compile_config = {
            "g_optimizer": keras.optimizers.serialize(self.g_optimizer),
            "d_optimizer": keras.optimizers.serialize(self.d_optimizer),
            "jit_compile": jit_compile,
        }

    def record_compile_options(self, **options):
        """Adds a family's own ``compile`` arguments to the saved compile config."""
        self._adversarial_compile_config.update(options)

    @staticmethod
    def _prepare_optimizer(optimizer, default):
        if optimizer is None:
            optimizer = default
        elif not isinstance(optimizer, keras.optimizers.Optimizer):
            optimizer = keras.optimizers.get(optimizer)
        policy = keras.config.dtype_policy()
        if policy.name == "mixed_float16" and not isinstance(
            optimizer, keras.optimizers.LossScaleOptimizer
        ):
            optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
        return optimizer

    def get_compile_config(self):
        return dict(self._adversarial_compile_config)

    def compile_from_config(self, config):
        config = dict(config)
        for key in ("g_optimizer", "d_optimizer"):
            config[key] = keras.optimizers.deserialize(config[key])
        self.compile(**config)

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        # Keras builds unbuilt models symbolically from a data batch at the start of fit. Ours
        # are built at construction and compile() builds both optimizers, so there is nothing to
        # do; skipping it also avoids a Keras bug under MultiWorkerMirroredStrategy, where the
        # batch is all-reduced eagerly and fails on PerReplica values.
        if all(layer.built for layer in self._flatten_layers()):
            return
        super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)

    @property
    def reported_metric_names(self) -> tuple[str, ...]:
        """The metrics this compiled model reports (default ``metric_names``; a family whose
        compile options drop terms reports fewer)."""
        return self.metric_names

    @property
    def metrics(self):
        return [self.trackers[name] for name in self.reported_metric_names]

    @property
    def generator_variables(self) -> list:
        """Variables G's update trains (default: the generator's trainable variables)."""
        return self.generator.trainable_variables

    @property
    def discriminator_variables(self) -> list:
        """Variables D's update trains (default: the discriminator's trainable variables)."""
        return self.discriminator.trainable_variables

    # === Noise (the same on one device and on N replicas; see keras_stackgan.models.noise) ===
    def normal_noise(self, batch, dim: int, step, salt: int):
        """N(0, 1) float32 ``[batch, dim]`` for ``step``; ``salt`` names the draw."""
        return replica_normal(batch, dim, self._seed_value, step, salt)

    def uniform_noise(self, batch, dim: int, step, salt: int, minval=0.0, maxval=1.0):
        """U[minval, maxval) float32 ``[batch, dim]`` for ``step``."""
        return replica_uniform(batch, dim, self._seed_value, step, salt, minval, maxval)

    def categorical_noise(self, batch, num_classes: int, step, salt: int):
        """Uniform int32 class ids ``[batch]`` in ``[0, num_classes)`` for ``step``."""
        return replica_categorical(batch, num_classes, self._seed_value, step, salt)

    # === The family's algorithm (hooks) ===
    def unpack_batch(self, data) -> dict:
        """A batch from the dataset as a dict of tensors; raises ValueError for bad batches."""
        raise NotImplementedError

    def generate_fakes(self, batch: dict, step, training: bool) -> dict:
        """G's output for ``batch`` with the noise of ``step``: a dict of tensors."""
        raise NotImplementedError

    def discriminator_loss(self, batch: dict, fakes: dict, training: bool):
        """``(loss, logs)``: D's float32 loss and a dict of scalars to report."""
        raise NotImplementedError

    def generator_loss(self, batch: dict, fakes: dict, training: bool):
        """``(loss, logs)``: G's float32 loss and a dict of scalars to report."""
        raise NotImplementedError

    def critic_batches(self, batch: dict, fakes: dict) -> list[tuple[dict, dict]]:
        """The ``(batch, fakes)`` pairs of this step's D updates: one by default."""
        return [(batch, fakes)]

    def after_discriminator_update(self):
        """Runs after each D update (WGAN clips the critic's weights here)."""

    # === Steps ===
    def apply_update(self, optimizer, tape, loss, variables):
        """One optimizer step on ``loss``: replica scaling, loss scaling, gradients, apply.

        Nothing happens for an empty ``variables`` (e.g. a frozen network, pix2pix's L1-only
        baseline that never trains its discriminator)."""
        if not variables:
            return
        with tape:
            scaled = optimizer.scale_loss(scale_for_replicas(loss))
        optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))

    def train_step(self, data):
        batch = self.unpack_batch(data)
        step = self.d_optimizer.iterations
        with tf.GradientTape() as g_tape:
            fakes = self.generate_fakes(batch, step, training=True)

        # Discriminator (critic) updates, on the generated batch with gradients stopped.
        d_logs = {}
        for d_batch, d_fakes in self.critic_batches(batch, fakes):
            d_fakes = keras.tree.map_structure(ops.stop_gradient, d_fakes)
            with tf.GradientTape() as d_tape:
                d_loss, d_logs = self.discriminator_loss(d_batch, d_fakes, training=True)
            self.apply_update(self.d_optimizer, d_tape, d_loss, self.discriminator_variables)
            self.after_discriminator_update()

        # Generator update, on the same fakes scored by the updated discriminator.
        with g_tape:
            g_loss, g_logs = self.generator_loss(batch, fakes, training=True)
        self.apply_update(self.g_optimizer, g_tape, g_loss, self.generator_variables)
        return self.log_metrics({"d_loss": d_loss, "g_loss": g_loss, **d_logs, **g_logs})

    def test_step(self, data):
        batch = self.unpack_batch(data)
        fakes = self.generate_fakes(batch, TEST_STEP, training=False)
        d_loss, d_logs = self.discriminator_loss(batch, fakes, training=False)
        g_loss, g_logs = self.generator_loss(batch, fakes, training=False)
        return self.log_metrics({"d_loss": d_loss, "g_loss": g_loss, **d_logs, **g_logs})

    def log_metrics(self, values: dict) -> dict:
        """Updates the trackers of ``metric_names`` from ``values``; returns the step's logs."""
        names = self.reported_metric_names
        for name in names:
            self.trackers[name].update_state(values[name])
        logs = {name: self.trackers[name].result() for name in names}
        if getattr(self, "_logs_with_axis", False):  # see compile()
            logs = {name: ops.reshape(value, (1,)) for name, value in logs.items()}
        return logs

    # === Config ===
    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable, "seed": self.seed}
        for key in self.network_names:
            config[key] = keras.saving.serialize_keras_object(getattr(self, key))
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in cls.network_names:
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
