"""``InfoGAN``: the GAN step plus the mutual-information term (Chen et al. 2016) on the base."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan import losses
from keras_stackgan.models.adversarial import AdversarialModel
from keras_stackgan.models.infogan.infogan_config import (
    InfoGANConfig,
    infogan_config,
    infogan_optimizers,
)
from keras_stackgan.models.infogan.infogan_discriminator import InfoGANDiscriminator
from keras_stackgan.models.infogan.infogan_generator import InfoGANGenerator

# Salts of a training step's draws: z, the categorical code, the continuous codes.
_SALT_NOISE, _SALT_CATEGORICAL, _SALT_CONTINUOUS = 1, 2, 3


@keras.saving.register_keras_serializable(package="keras_stackgan")
class InfoGAN(AdversarialModel):
    """InfoGAN: a GAN whose generator's latent codes must stay recoverable from its images.

    Each step (Chen et al. 2016, eq. 6: ``min_{G,Q} max_D V(D, G) - lambda L_I(G, Q)``):

    1. draw ``z ~ N(0, I)``, the categorical code ``c1 ~ Cat(K)`` and the continuous codes
       ``c_cont ~ U(-1, 1)``, and generate ``fake = G(z, c1, c_cont)``;
    2. update D and Q (one network, :class:`InfoGANDiscriminator`) on
       ``BCE(D(real), 1) + BCE(D(fake), 0) + L_info``;
    3. update G on ``BCE(D(fake), 1) + L_info`` with the same ``fake``,

    where ``L_info = categorical_weight * CE(Q_c1(fake), c1) + continuous_weight *
    NLL_Gaussian(Q_cont(fake), c_cont)`` (``keras_stackgan.losses.information_loss``, the
    negative lower bound ``-L_I`` up to the constant ``H(c)``), exactly how the official code
    subtracts the MI estimate from both losses.

    Data: ``fit`` takes batches of images ``[batch, S, S, C]`` in [-1, 1], or
    ``(images, labels)`` whose labels are ignored (InfoGAN is unsupervised). Reported metrics:
    ``d_loss`` and ``g_loss`` (both including ``L_info``), ``info_loss`` (``L_info`` of G's
    step), ``q_accuracy`` (how often Q recovers ``c1`` from the fakes), ``d_real``, ``d_fake``.

    Args:
        generator: :class:`InfoGANGenerator` (the ``GeneratorPipeline`` convention with
            ``num_classes`` and ``code_dim``).
        discriminator: :class:`InfoGANDiscriminator` with the same codes.
        seed: int or None, seed of the training noise.

    Examples:
    ```python
    gan = InfoGAN.from_infogan_config("paper", seed=0)
    gan.compile()  # Adam(1e-3) for G, Adam(2e-4) for D and Q, beta_1 0.5; lambda 1
    gan.fit(make_labelled_dataset(images, labels, seed=0, batch_size=128), epochs=28)
    ```
    """

    metric_names = ("d_loss", "g_loss", "info_loss", "q_accuracy", "d_real", "d_fake")

    def __init__(
        self,
        generator: InfoGANGenerator,
        discriminator: InfoGANDiscriminator,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        for attribute in ("num_classes", "code_dim", "image_size", "channels"):
            g_value, d_value = getattr(generator, attribute), getattr(discriminator, attribute)
            if g_value != d_value:
                raise ValueError(
                    f"The generator has {attribute}={g_value}, the discriminator {d_value}"
                )
        self.set_networks(generator, discriminator)
        self.noise_dim = generator.noise_dim
        self.num_classes = generator.num_classes
        self.code_dim = generator.code_dim
        self.image_shape = (generator.image_size, generator.image_size, generator.channels)
        self.categorical_weight = 1.0
        self.continuous_weight = 1.0

    @classmethod
    def from_infogan_config(cls, config: str | InfoGANConfig | dict = "paper", seed=None):
        """Builds G and D/Q from an :class:`InfoGANConfig` or its name (``"paper"``,
        ``"small"``)."""
        c = infogan_config(config)
        codes = {
            "num_classes": c.num_classes,
            "code_dim": c.code_dim,
            "image_size": c.image_size,
            "channels": c.channels,
        }
        generator = InfoGANGenerator(
            c.noise_dim, hidden_dim=c.hidden_dim, gf_dim=c.gf_dim, name="generator", **codes
        )
        discriminator = InfoGANDiscriminator(
            df_dim=c.df_dim,
            d_hidden_dim=c.d_hidden_dim,
            q_hidden_dim=c.q_hidden_dim,
            negative_slope=c.negative_slope,
            fc_batch_norm=c.fc_batch_norm,
            name="discriminator",
            **codes,
        )
        return cls(generator, discriminator, seed=seed)

    # === Compile ===
    def default_optimizers(self):
        """The paper's Adam(beta_1 = 0.5): G at 1e-3, D and Q at 2e-4."""
        return infogan_optimizers(infogan_config("paper"))

    def compile(
        self,
        g_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        d_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        categorical_weight: float = 1.0,
        continuous_weight: float = 1.0,
        jit_compile: bool | str = "auto",
        **kwargs,
    ):
        """``AdversarialModel.compile`` plus the weights of the information term.

        Args:
            g_optimizer, d_optimizer: default the paper's Adam(1e-3) for G and Adam(2e-4)
                for D and Q (beta_1 0.5).
            categorical_weight: float >= 0, lambda of the categorical code (1.0).
            continuous_weight: float >= 0, lambda of the continuous codes (1.0).
            jit_compile: bool or ``"auto"`` (``compile_mode``'s measured rule; see ``compile``).
            **kwargs: passed to ``keras.Model.compile``.
        """
        for name, value in [("categorical", categorical_weight), ("continuous", continuous_weight)]:
            if value < 0:
                raise ValueError(f"{name}_weight must be >= 0, received {value}")
        super().compile(g_optimizer, d_optimizer, jit_compile=jit_compile, **kwargs)
        self.categorical_weight = float(categorical_weight)
        self.continuous_weight = float(continuous_weight)
        self.record_compile_options(
            categorical_weight=self.categorical_weight, continuous_weight=self.continuous_weight
        )

    def call(self, inputs, training=None):
        """Generation: ``{"noise", "labels", "codes"}`` -> images in [-1, 1]."""
        return self.generator(inputs, training=training)

    # === The algorithm's hooks ===
    def unpack_batch(self, data) -> dict:
        if isinstance(data, tuple | list):
            if len(data) not in (1, 2):
                raise ValueError(
                    f"Expected batches of images or (images, labels), received {len(data)} items"
                )
            data = data[0]
        shape = tuple(data.shape[1:])
        if len(data.shape) != 4 or shape != self.image_shape:
            raise ValueError(
                f"images must have shape [batch, {', '.join(map(str, self.image_shape))}], "
                f"received {tuple(data.shape)}"
            )
        if "float" not in keras.backend.standardize_dtype(data.dtype):
            raise ValueError(f"images must be float in [-1, 1], received dtype {data.dtype}")
        return {"real": data}

    def generate_fakes(self, batch, step, training):
        size = ops.shape(batch["real"])[0]
        noise = self.normal_noise(size, self.noise_dim, step, _SALT_NOISE)
        labels = self.categorical_noise(size, self.num_classes, step, _SALT_CATEGORICAL)
        codes = self.uniform_noise(size, self.code_dim, step, _SALT_CONTINUOUS, -1.0, 1.0)
        images = self.generator(
            {"noise": noise, "labels": labels, "codes": codes}, training=training
        )
        return {"images": images, "labels": labels, "codes": codes}

    def information(self, fakes, q_outputs) -> dict:
        """``information_loss`` of Q's outputs on the fakes (float32 dict, see losses)."""
        return losses.information_loss(
            q_outputs["class_logits"],
            fakes["labels"],
            q_outputs["code_mean"],
            fakes["codes"],
            categorical_weight=self.categorical_weight,
            continuous_weight=self.continuous_weight,
        )

    def discriminator_loss(self, batch, fakes, training):
        real = self.discriminator(batch["real"], training=training)
        fake = self.discriminator(fakes["images"], training=training)
        adversarial = losses.discriminator_loss(real["logits"], None, fake["logits"])["loss"]
        info = self.information(fakes, fake)
        scores = {
            "d_real": ops.mean(ops.sigmoid(real["logits"])),
            "d_fake": ops.mean(ops.sigmoid(fake["logits"])),
        }
        return adversarial + info["loss"], scores

    def generator_loss(self, batch, fakes, training):
        fake = self.discriminator(fakes["images"], training=training)
        info = self.information(fakes, fake)
        predicted = ops.cast(ops.argmax(fake["class_logits"], axis=-1), "int32")
        accuracy = ops.mean(ops.cast(ops.equal(predicted, fakes["labels"]), "float32"))
        loss = losses.generator_loss(fake["logits"]) + info["loss"]
        return loss, {"info_loss": info["loss"], "q_accuracy": accuracy}
