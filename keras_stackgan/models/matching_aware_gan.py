"""The matching-aware conditional GAN training loop (GAN-CLS, Reed et al. 2016), as a keras.Model.

StackGAN's Stage-I and Stage-II models and the GAN-INT-CLS baseline subclass this and only say
how a fake image is produced (``generate_fake``); the algorithm box lives in ``train_step``.
"""

from __future__ import annotations

import random

import keras
import numpy as np
import tensorflow as tf
from keras import ops
from keras.src.losses.loss import scale_loss_for_distribution

from keras_stackgan import losses
from keras_stackgan.models.noise import generation_inputs, replica_normal

_METRICS = ("d_loss", "g_loss", "kl", "d_real", "d_wrong", "d_fake")
_SALT_NOISE, _SALT_CA, _SALT_CA2 = 1, 2, 3
_TEST_STEP = 0  # test_step draws the same noise every batch, so evaluation is deterministic


def default_optimizer(learning_rate=2e-4) -> keras.optimizers.Optimizer:
    """The paper's optimizer: Adam, beta_1 = 0.5, beta_2 = 0.999."""
    return keras.optimizers.Adam(learning_rate=learning_rate, beta_1=0.5, beta_2=0.999)


def _float_dtype(tensor) -> bool:
    return "float" in keras.backend.standardize_dtype(tensor.dtype)


class MatchingAwareGAN(keras.Model):
    """Base class: a generator, a matching-aware discriminator, and the GAN-CLS training step.

    Subclasses call ``set_networks`` (the trainable generator and the discriminator), list their
    network constructor arguments in ``network_names`` and implement ``generate_fake``.

    Each step (Reed et al. 2016, Algorithm 1; StackGAN's trainer):

    1. draw ``z ~ N(0, I)`` and the CA noise, generate ``fake`` from the text;
    2. update D on ``BCE(D(real, text), 1)``
       ``+ 0.5 * (BCE(D(wrong, text), 0) + BCE(D(fake, text), 0))``;
    3. update G on ``BCE(D(fake, text), 1) + kl_coefficient * KL`` with the same ``fake``.

    Data: ``fit`` takes a dataset of ``(real_images, text_embeddings, wrong_images)``, images
    float ``[batch, image_size, image_size, 3]`` in [-1, 1] and embeddings float
    ``[batch, embedding_dim]``. Reported metrics: ``d_loss``, ``g_loss``, ``kl`` and the mean
    sigmoid scores ``d_real``, ``d_wrong``, ``d_fake``.
    """

    def __init__(self, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self._seed_value = random.randint(0, 2**31 - 1) if seed is None else int(seed)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in _METRICS}
        self.g_optimizer = None
        self.d_optimizer = None
        self.kl_coefficient = 2.0
        self.wrong_weight = 0.5

    # === Compile ===
    def compile(
        self,
        g_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        d_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        kl_coefficient: float = 2.0,
        wrong_weight: float = 0.5,
        jit_compile: bool | str = "auto",
        **kwargs,
    ):
        """Sets the two optimizers and the loss weights.

        Args:
            g_optimizer, d_optimizer: optimizers (instances, names or configs); default the
                paper's ``Adam(2e-4, beta_1=0.5)``. Learning-rate schedules go in the optimizer
                (see ``keras_stackgan.models.stackgan.paper_learning_rate``).
            kl_coefficient: float, weight of the CA's KL term in the generator loss (2.0).
            wrong_weight: float in [0, 1], weight of the mismatched-text term in the
                discriminator loss (0.5); the fake term gets ``1 - wrong_weight``.
            jit_compile: bool or ``"auto"``, XLA-compile the training step. ``"auto"`` turns
                XLA on for a single device (faster, see ``benchmarks/train_step.py``) and off
                under a multi-replica ``tf.distribute`` strategy, where XLA cannot compile a
                step that reads variables placed on several devices.
            **kwargs: passed to ``keras.Model.compile`` (``steps_per_execution``,
                ``run_eagerly``, ...).

        Under a ``mixed_float16`` policy both optimizers are wrapped in
        ``keras.optimizers.LossScaleOptimizer``. Both are built here, so call ``compile`` inside
        ``strategy.scope()`` when distributing.
        """
        if not 0.0 <= wrong_weight <= 1.0:
            raise ValueError(f"wrong_weight must be in [0, 1], received {wrong_weight}")
        self.g_optimizer = self._prepare_optimizer(g_optimizer)
        self.d_optimizer = self._prepare_optimizer(d_optimizer)
        self.kl_coefficient = float(kl_coefficient)
        self.wrong_weight = float(wrong_weight)
        strategy = tf.distribute.get_strategy()
        if jit_compile == "auto":
            jit_compile = strategy.num_replicas_in_sync == 1
        super().compile(optimizer=None, jit_compile=jit_compile, **kwargs)
        # Keras reduces per-step logs across workers with a "mean over axis 0", which fails on
        # scalars under MultiWorkerMirroredStrategy (tensorflow/tensorflow#72388); there the
        # step returns its logs with a leading axis of 1. Epoch logs and History are read from
        # the metric trackers and stay scalars.
        self._logs_with_axis = isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
        # Built eagerly (inside the caller's strategy scope): a custom train_step with two
        # optimizers otherwise fails at the first distributed step.
        self.g_optimizer.build(self.generator.trainable_variables)
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self._gan_compile_config = {
            "g_optimizer": keras.optimizers.serialize(self.g_optimizer),
            "d_optimizer": keras.optimizers.serialize(self.d_optimizer),
            "kl_coefficient": self.kl_coefficient,
            "wrong_weight": self.wrong_weight,
            "jit_compile": jit_compile,
        }

    @staticmethod
    def _prepare_optimizer(optimizer):
        if optimizer is None:
            optimizer = default_optimizer()
        elif not isinstance(optimizer, keras.optimizers.Optimizer):
            optimizer = keras.optimizers.get(optimizer)
        policy = keras.config.dtype_policy()
        if policy.name == "mixed_float16" and not isinstance(
            optimizer, keras.optimizers.LossScaleOptimizer
        ):
            optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
        return optimizer

    def get_compile_config(self):
        return dict(getattr(self, "_gan_compile_config", {}))

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
    def metrics(self):
        return list(self.trackers.values())

    # === Generation ===
    def generate_fake(self, embeddings, noise, ca_noise, ca_noise_2, training):
        """Returns ``(fake_images, mu, logvar)`` for a batch; implemented by subclasses."""
        raise NotImplementedError

    def call(self, inputs, training=None):
        """Generation: ``{"embedding", "noise", optional "ca_noise"}`` -> images in [-1, 1].

        Without ``ca_noise`` the CA means are used (deterministic for a given ``noise``).
        """
        embeddings = inputs["embedding"]
        ca_noise = inputs.get("ca_noise")
        if ca_noise is None:
            ca_noise = ops.zeros((ops.shape(embeddings)[0], self.condition_dim))
        images, _, _ = self.generate_fake(
            embeddings, inputs["noise"], ca_noise, ca_noise, training=training
        )
        return images

    def generate(
        self,
        embeddings,
        noise=None,
        seed: int | None = None,
        sample_condition: bool = False,
        truncation: float | None = None,
        batch_size: int = 16,
    ) -> np.ndarray:
        """Generates images from text embeddings with the current weights (inference mode).

        Args:
            embeddings: float array ``[n, embedding_dim]``.
            noise: optional ``z`` ``[n, noise_dim]``; drawn from ``seed`` when omitted.
            seed: int or None, makes the images reproducible.
            sample_condition: bool, sample the CA condition instead of using its mean.
            truncation: optional float, truncated-normal noise.
            batch_size: int, images per forward pass.

        Returns:
            float32 numpy array ``[n, image_size, image_size, 3]`` in [-1, 1].
        """
        inputs = generation_inputs(
            embeddings,
            self.embedding_dim,
            self.noise_dim,
            self.condition_dim,
            seed=seed,
            noise=noise,
            sample_condition=sample_condition,
            truncation=truncation,
        )
        return self.predict(inputs, batch_size=batch_size, verbose=0)

    # === Validation ===
    def validate_batch(self, real_images, embeddings, wrong_images=None):
        """Raises a ValueError naming expected and received shapes; touches no weight."""
        size = self.image_size
        images = [("real_images", real_images)]
        if wrong_images is not None:
            images.append(("wrong_images", wrong_images))
        for name, tensor in images:
            if len(tensor.shape) != 4 or tuple(tensor.shape[1:]) != (size, size, 3):
                raise ValueError(
                    f"{name} must have shape [batch, {size}, {size}, 3], "
                    f"received {tuple(tensor.shape)}"
                )
        if len(embeddings.shape) != 2 or embeddings.shape[-1] != self.embedding_dim:
            raise ValueError(
                f"text_embeddings must have shape [batch, {self.embedding_dim}], "
                f"received {tuple(embeddings.shape)}"
            )
        for name, tensor in [*images, ("text_embeddings", embeddings)]:
            if not _float_dtype(tensor):
                raise ValueError(
                    f"{name} must be a float tensor (images scaled to [-1, 1]), "
                    f"received dtype {keras.backend.standardize_dtype(tensor.dtype)}"
                )
        batches = {name: t.shape[0] for name, t in [*images, ("text_embeddings", embeddings)]}
        known = {b for b in batches.values() if b is not None}
        if len(known) > 1:
            raise ValueError(f"Batch sizes of a training batch differ: {batches}")

    @staticmethod
    def _unpack(data):
        if isinstance(data, tuple | list) and len(data) == 1:
            data = data[0]
        if not isinstance(data, tuple | list) or len(data) != 3:
            received = f"{type(data).__name__}" + (
                f" of length {len(data)}" if isinstance(data, tuple | list) else ""
            )
            raise ValueError(
                "Expected batches of (real_images, text_embeddings, wrong_images), "
                f"received {received}"
            )
        return data

    def _sample_noise(self, batch, step):
        noise = replica_normal(batch, self.noise_dim, self._seed_value, step, _SALT_NOISE)
        ca = replica_normal(batch, self.condition_dim, self._seed_value, step, _SALT_CA)
        ca2 = replica_normal(batch, self.condition_dim, self._seed_value, step, _SALT_CA2)
        return noise, ca, ca2

    def _score(self, images, embeddings, training):
        return self.discriminator({"images": images, "embedding": embeddings}, training=training)

    def _update_trackers(self, d_terms, g_loss, kl, logits):
        values = {"d_loss": d_terms["loss"], "g_loss": g_loss, "kl": kl}
        values.update({f"d_{k}": ops.mean(ops.sigmoid(v)) for k, v in logits.items()})
        for name, value in values.items():
            self.trackers[name].update_state(value)
        logs = {name: tracker.result() for name, tracker in self.trackers.items()}
        if getattr(self, "_logs_with_axis", False):  # see compile()
            logs = {name: ops.reshape(value, (1,)) for name, value in logs.items()}
        return logs

    # === Training ===
    def train_step(self, data):
        real, embeddings, wrong = self._unpack(data)
        self.validate_batch(real, embeddings, wrong)
        noise, ca_noise, ca_noise_2 = self._sample_noise(
            ops.shape(real)[0], self.d_optimizer.iterations
        )

        with tf.GradientTape() as g_tape:
            fake, mu, logvar = self.generate_fake(
                embeddings, noise, ca_noise, ca_noise_2, training=True
            )

        # Discriminator step, on the generated batch with gradients stopped.
        d_vars = self.discriminator.trainable_variables
        with tf.GradientTape() as d_tape:
            logits = {
                "real": self._score(real, embeddings, True),
                "wrong": self._score(wrong, embeddings, True),
                "fake": self._score(ops.stop_gradient(fake), embeddings, True),
            }
            d_terms = losses.discriminator_loss(
                logits["real"], logits["wrong"], logits["fake"], self.wrong_weight
            )
            d_scaled = self.d_optimizer.scale_loss(scale_loss_for_distribution(d_terms["loss"]))
        self.d_optimizer.apply_gradients(zip(d_tape.gradient(d_scaled, d_vars), d_vars))

        # Generator step, on the same fake images scored by the updated discriminator.
        g_vars = self.generator.trainable_variables
        with g_tape:
            kl = losses.kl_divergence(mu, logvar)
            g_loss = losses.generator_loss(self._score(fake, embeddings, True))
            g_loss = g_loss + self.kl_coefficient * kl
            g_scaled = self.g_optimizer.scale_loss(scale_loss_for_distribution(g_loss))
        self.g_optimizer.apply_gradients(zip(g_tape.gradient(g_scaled, g_vars), g_vars))

        return self._update_trackers(d_terms, g_loss, kl, logits)

    def test_step(self, data):
        real, embeddings, wrong = self._unpack(data)
        self.validate_batch(real, embeddings, wrong)
        noise, ca_noise, ca_noise_2 = self._sample_noise(ops.shape(real)[0], _TEST_STEP)
        fake, mu, logvar = self.generate_fake(
            embeddings, noise, ca_noise, ca_noise_2, training=False
        )
        logits = {
            "real": self._score(real, embeddings, False),
            "wrong": self._score(wrong, embeddings, False),
            "fake": self._score(fake, embeddings, False),
        }
        d_terms = losses.discriminator_loss(
            logits["real"], logits["wrong"], logits["fake"], self.wrong_weight
        )
        kl = losses.kl_divergence(mu, logvar)
        g_loss = losses.generator_loss(logits["fake"]) + self.kl_coefficient * kl
        return self._update_trackers(d_terms, g_loss, kl, logits)

    def set_networks(self, generator, discriminator, noise_dim: int):
        """Attaches the trainable generator and the discriminator; checks their image sizes."""
        if discriminator.image_size != generator.image_size:
            raise ValueError(
                f"The discriminator takes {discriminator.image_size} px images but the "
                f"generator makes {generator.image_size} px"
            )
        self.generator = generator
        self.discriminator = discriminator
        self.image_size = generator.image_size
        self.embedding_dim = generator.embedding_dim
        self.condition_dim = generator.condition_dim
        self.noise_dim = noise_dim
        self.built = True

    # === Config ===
    # Constructor arguments that are networks, serialized as nested Keras objects.
    network_names: tuple[str, ...] = ()

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
