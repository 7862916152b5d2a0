"""``OneOptimizerModel``: the shared plumbing of the zoo's likelihood models (VAE, VQ-VAE, priors).

They are not GANs: one optimizer, one loss. Like ``AdversarialModel`` this base owns what they
share: the optimizer built in ``compile`` (so resumed runs restore into a built trainer), XLA
on one device, ``LossScaleOptimizer`` under ``mixed_float16`` (Keras wraps it), replica-correct
loss scaling, the compile-config round trip, metric trackers, and ``generator``, the handle
``train_zoo_model`` checkpoints. A subclass writes ``losses_of(data, training)`` (float32
scalars, one of them ``loss``) and lists ``metric_names``; ``train_step`` is then one
gradient step on ``loss``.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from keras_stackgan.models.adversarial import scale_for_replicas
from keras_stackgan.models.compile_mode import resolve_jit_compile, trainer_image_size


class TrainerWeights:
    """The weights of a one-optimizer trainer, as ``GeneratorCheckpoint`` saves a generator.

    ``train_zoo_model`` checkpoints ``model.generator`` every epoch; these models have no
    single generator, so their ``generator`` is this handle on the whole trainer (a plain
    object, not a Keras one, so Keras' saving does not walk back into the trainer).
    """

    def __init__(self, model: keras.Model):
        self._model = model

    @property
    def weights(self) -> list:
        return self._model.weights

    def save_weights(self, path: str) -> None:
        self._model.save_weights(path)


class OneOptimizerModel(keras.Model):
    """Base of the zoo's one-optimizer trainers (see the module docstring).

    Subclasses set ``metric_names`` (before calling ``super().__init__`` returns, or as a class
    attribute) and implement ``losses_of``.
    """

    metric_names: tuple[str, ...] = ("loss",)
    default_learning_rate = 1e-3

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in self.metric_names}
        self._one_optimizer_compile_config = {}
        self.built = True

    @property
    def generator(self) -> TrainerWeights:
        """What ``train_zoo_model`` checkpoints every epoch: the trainer's own weights (its
        networks; presets are written from them)."""
        return TrainerWeights(self)

    # === Compile ===
    def compile(self, optimizer=None, jit_compile: bool | str = "auto", **kwargs):
        """Sets and builds the optimizer (default ``Adam(default_learning_rate)``).

        Args:
            optimizer: an optimizer, its name or config; learning-rate schedules go in it.
            jit_compile: bool or ``"auto"`` (``compile_mode.resolve_jit_compile``: on CPU
                graph mode, XLA for images of 32 px or less; XLA on a single GPU/TPU).
            **kwargs: passed to ``keras.Model.compile``.
        """
        if optimizer is None:
            optimizer = keras.optimizers.Adam(self.default_learning_rate)
        elif not isinstance(optimizer, keras.optimizers.Optimizer):
            optimizer = keras.optimizers.get(optimizer)
        jit_compile = resolve_jit_compile(jit_compile, trainer_image_size(self))
        super().compile(optimizer=optimizer, jit_compile=jit_compile, **kwargs)
        self.optimizer.build(self.trainable_variables)
        self._one_optimizer_compile_config = {
            "optimizer": keras.optimizers.serialize(self.optimizer),
            "jit_compile": jit_compile,
        }

    def get_compile_config(self):
        return dict(self._one_optimizer_compile_config)

    def compile_from_config(self, config):
        config = dict(config)
        config["optimizer"] = keras.optimizers.deserialize(config["optimizer"])
        self.compile(**config)

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        # Built at construction and in compile (see AdversarialModel for why this is skipped).
        if all(layer.built for layer in self._flatten_layers()):
            return
        super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)

    @property
    def metrics(self):
        return [self.trackers[name] for name in self.metric_names]

    # === Steps ===
    def losses_of(self, data, training: bool = False) -> dict:
        """Float32 scalars of a batch, ``loss`` among them (and every ``metric_names``)."""
        raise NotImplementedError

    def train_step(self, data):
        with tf.GradientTape() as tape:
            values = self.losses_of(data, training=True)
            scaled = self.optimizer.scale_loss(scale_for_replicas(values["loss"]))
        variables = self.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))
        return self.log_metrics(values)

    def test_step(self, data):
        return self.log_metrics(self.losses_of(data, training=False))

    def log_metrics(self, values: dict) -> dict:
        """Updates the trackers of ``metric_names`` from ``values``; returns the step's logs."""
        for name in self.metric_names:
            self.trackers[name].update_state(values[name])
        return {name: self.trackers[name].result() for name in self.metric_names}
