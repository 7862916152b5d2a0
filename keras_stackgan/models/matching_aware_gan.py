"""The matching-aware conditional GAN step (GAN-CLS, Reed et al. 2016) on the adversarial base.

StackGAN's two stages and the GAN-INT-CLS baseline subclass this: StackGAN adds Conditioning
Augmentation's KL term to G's loss (``keras_stackgan.models.stackgan.stackgan_trainers``),
GAN-INT-CLS its interpolated-text term (``keras_stackgan.models.gan_int_cls``).
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from keras_stackgan import losses
from keras_stackgan.models.adversarial import AdversarialModel
from keras_stackgan.models.noise import generation_inputs


def _float_dtype(tensor) -> bool:
    return "float" in keras.backend.standardize_dtype(tensor.dtype)


class MatchingAwareGAN(AdversarialModel):
    """A text-conditional generator against a matching-aware discriminator (GAN-CLS).

    Each step (Reed et al. 2016, Algorithm 1; StackGAN's trainer):

    1. draw ``z ~ N(0, I)`` (and a subclass's own noise), generate ``fake`` from the text;
    2. update D on ``BCE(D(real, text), 1)``
       ``+ wrong_weight * BCE(D(wrong, text), 0) + (1 - wrong_weight) * BCE(D(fake, text), 0)``;
    3. update G on ``BCE(D(fake, text), 1)`` (plus the subclass's terms) with the same ``fake``.

    Subclasses call ``set_networks(generator, discriminator, noise_dim)`` and implement
    ``generate_fake(embeddings, noise, ca_noise, ca_noise_2, training)`` (the networks' forward
    pass) and ``generate_fakes`` (which noise a training step draws).

    Data: ``fit`` takes a dataset of ``(real_images, text_embeddings, wrong_images)``, images
    float ``[batch, image_size, image_size, 3]`` in [-1, 1] and embeddings float
    ``[batch, embedding_dim]``. Reported metrics: ``d_loss``, ``g_loss`` and the mean sigmoid
    scores ``d_real``, ``d_wrong``, ``d_fake``.
    """

    metric_names = ("d_loss", "g_loss", "d_real", "d_wrong", "d_fake")

    def __init__(self, seed: int | None = None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.wrong_weight = 0.5

    def set_networks(self, generator, discriminator, noise_dim: int):
        """Attaches the trainable generator and the discriminator; checks their image sizes."""
        if discriminator.image_size != generator.image_size:
            raise ValueError(
                f"The discriminator takes {discriminator.image_size} px images but the "
                f"generator makes {generator.image_size} px"
            )
        super().set_networks(generator, discriminator)
        self.image_size = generator.image_size
        self.embedding_dim = generator.embedding_dim
        self.condition_dim = getattr(generator, "condition_dim", 0) or 0
        self.noise_dim = noise_dim

    # === Compile ===
    def compile(
        self,
        g_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        d_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        wrong_weight: float = 0.5,
        jit_compile: bool | str = "auto",
        **kwargs,
    ):
        """``AdversarialModel.compile`` plus the mismatched-text weight.

        Args:
            g_optimizer, d_optimizer: default the paper's ``Adam(2e-4, beta_1=0.5)``.
            wrong_weight: float in [0, 1], weight of the mismatched-text term in the
                discriminator loss (0.5); the fake term gets ``1 - wrong_weight``.
            jit_compile: bool or ``"auto"`` (``compile_mode``'s measured rule; see ``compile``).
            **kwargs: passed to ``keras.Model.compile``.
        """
        if not 0.0 <= wrong_weight <= 1.0:
            raise ValueError(f"wrong_weight must be in [0, 1], received {wrong_weight}")
        super().compile(g_optimizer, d_optimizer, jit_compile=jit_compile, **kwargs)
        self.wrong_weight = float(wrong_weight)
        self.record_compile_options(wrong_weight=self.wrong_weight)

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
            seed: int or None, makes the images reproducible (the same noise as the
                pretrained pipeline's for that seed).
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

    # === The algorithm's hooks ===
    def unpack_batch(self, data) -> dict:
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
        real, embeddings, wrong = data
        self.validate_batch(real, embeddings, wrong)
        return {"real": real, "embedding": embeddings, "wrong": wrong}

    def score(self, images, embeddings, training):
        """D's logits float32 ``[batch, 1]`` for images with their (or other) text."""
        return self.discriminator({"images": images, "embedding": embeddings}, training=training)

    @staticmethod
    def score_logs(logits: dict) -> dict:
        """``{"d_<name>": mean sigmoid score}`` of each set of logits (what D believes)."""
        return {f"d_{name}": ops.mean(ops.sigmoid(value)) for name, value in logits.items()}

    def discriminator_loss(self, batch, fakes, training):
        embeddings = batch["embedding"]
        logits = {
            "real": self.score(batch["real"], embeddings, training),
            "wrong": self.score(batch["wrong"], embeddings, training),
            "fake": self.score(fakes["images"], embeddings, training),
        }
        terms = losses.discriminator_loss(
            logits["real"], logits["wrong"], logits["fake"], self.wrong_weight
        )
        return terms["loss"], self.score_logs(logits)

    def generator_loss(self, batch, fakes, training):
        loss = losses.generator_loss(self.score(fakes["images"], batch["embedding"], training))
        return loss, {}
