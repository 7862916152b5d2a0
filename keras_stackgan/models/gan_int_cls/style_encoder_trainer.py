"""Training of the style encoder S against a frozen GAN-INT-CLS generator, as a keras.Model."""

from __future__ import annotations

import random

import keras
import tensorflow as tf
from keras import ops

from keras_stackgan.models.adversarial import default_optimizer, scale_for_replicas
from keras_stackgan.models.compile_mode import resolve_jit_compile
from keras_stackgan.models.gan_int_cls.gan_int_cls_generator import GANINTCLSGenerator
from keras_stackgan.models.gan_int_cls.style_encoder import StyleEncoder
from keras_stackgan.models.noise import replica_normal

_SALT_STYLE = 5
_TEST_STEP = 0  # test_step draws the same noise every batch, so evaluation is deterministic


def style_loss(noise, estimate):
    """``mean((z - S(G(z, t)))**2)`` over batch and noise dimensions (float32 scalar).

    The paper's squared error ``||z - S(G(z, t))||^2`` divided by ``noise_dim``, so that 1.0 is
    the score of always answering ``z = 0``.
    """
    return ops.mean(ops.square(ops.cast(noise, "float32") - ops.cast(estimate, "float32")))


@keras.saving.register_keras_serializable(package="keras_stackgan")
class StyleEncoderTrainer(keras.Model):
    """Fits a :class:`StyleEncoder` S to invert a frozen generator G (Reed et al. 2016, 4.4).

    Each step draws ``z ~ N(0, I)`` for a batch of text embeddings ``t``, renders
    ``G(z, t)`` in inference mode (G is frozen: ``trainable=False``) and updates S on
    :func:`style_loss` ``(z, S(G(z, t)))``. The reported metric is ``loss``.

    Data: ``fit`` takes batches of text embeddings ``[batch, embedding_dim]`` (a tensor, or a
    1-tuple), or the StackGAN triples ``(real_images, text_embeddings, wrong_images)`` of
    ``make_stackgan_dataset``, of which only the embeddings are used. ``call(images)`` is S.

    Args:
        generator: a trained :class:`GANINTCLSGenerator` (frozen here).
        style_encoder: :class:`StyleEncoder` with the generator's ``noise_dim`` and
            ``image_size``.
        seed: int or None, seed of the training noise.

    Examples:
    >>> gan = GANINTCLS.from_gan_int_cls_config("small")  # trained, in practice
    >>> trainer = StyleEncoderTrainer.from_generator(gan.generator, df_dim=16)
    >>> trainer.compile()  # Adam(2e-4, beta_1=0.5)
    >>> # trainer.fit(dataset_of_text_embeddings, steps_per_epoch=2000, epochs=1)
    >>> # grid = transfer_style(gan.generator, trainer.style_encoder, photos, embeddings)
    """

    def __init__(
        self,
        generator: GANINTCLSGenerator,
        style_encoder: StyleEncoder,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if style_encoder.noise_dim != generator.noise_dim:
            raise ValueError(
                f"The style encoder predicts {style_encoder.noise_dim}-d noise but the "
                f"generator takes {generator.noise_dim}-d"
            )
        if style_encoder.image_size != generator.image_size:
            raise ValueError(
                f"The style encoder reads {style_encoder.image_size} px images but the "
                f"generator makes {generator.image_size} px"
            )
        generator.trainable = False
        self.generator = generator
        self.style_encoder = style_encoder
        self.seed = seed
        self._seed_value = random.randint(0, 2**31 - 1) if seed is None else int(seed)
        self.noise_dim = generator.noise_dim
        self.embedding_dim = generator.embedding_dim
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.built = True

    @classmethod
    def from_generator(
        cls, generator: GANINTCLSGenerator, df_dim: int = 64, seed: int | None = None
    ) -> StyleEncoderTrainer:
        """A trainer with a new :class:`StyleEncoder` sized for ``generator``."""
        encoder = StyleEncoder(
            generator.noise_dim, generator.image_size, df_dim, name="style_encoder"
        )
        return cls(generator, encoder, seed=seed)

    def compile(self, optimizer=None, jit_compile: bool | str = "auto", **kwargs):
        """``keras.Model.compile`` with the paper's ``Adam(2e-4, beta_1=0.5)`` as default and
        ``jit_compile="auto"`` resolved like every trainer's (``compile_mode.resolve_jit_compile``
        on the generator's image size)."""
        jit_compile = resolve_jit_compile(jit_compile, self.generator.image_size)
        super().compile(
            optimizer=optimizer or default_optimizer(), jit_compile=jit_compile, **kwargs
        )

    @property
    def metrics(self):
        return [self.loss_tracker]

    def call(self, images, training=None):
        return self.style_encoder(images, training=training)

    def _embeddings(self, data):
        if isinstance(data, tuple | list):
            if len(data) not in (1, 3):
                raise ValueError(
                    "Expected batches of text embeddings or of (real_images, text_embeddings, "
                    f"wrong_images), received a {type(data).__name__} of length {len(data)}"
                )
            data = data[0] if len(data) == 1 else data[1]
        if len(data.shape) != 2 or data.shape[-1] != self.embedding_dim:
            raise ValueError(
                f"text embeddings must have shape [batch, {self.embedding_dim}], "
                f"received {tuple(data.shape)}"
            )
        return data

    def _pairs(self, embeddings, step):
        noise = replica_normal(
            ops.shape(embeddings)[0], self.noise_dim, self._seed_value, step, _SALT_STYLE
        )
        images = self.generator({"embedding": embeddings, "noise": noise}, training=False)
        return noise, images["images"]

    def train_step(self, data):
        noise, images = self._pairs(self._embeddings(data), self.optimizer.iterations)
        variables = self.style_encoder.trainable_variables
        with tf.GradientTape() as tape:
            loss = style_loss(noise, self.style_encoder(images, training=True))
            scaled = self.optimizer.scale_loss(scale_for_replicas(loss))
        self.optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def test_step(self, data):
        noise, images = self._pairs(self._embeddings(data), _TEST_STEP)
        self.loss_tracker.update_state(style_loss(noise, self.style_encoder(images)))
        return {"loss": self.loss_tracker.result()}

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "seed": self.seed,
            "generator": keras.saving.serialize_keras_object(self.generator),
            "style_encoder": keras.saving.serialize_keras_object(self.style_encoder),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "style_encoder"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
