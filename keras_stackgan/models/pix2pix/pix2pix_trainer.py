"""``Pix2Pix``: the conditional GAN + L1 step of Isola et al. (2017) on the adversarial base."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan import losses
from keras_stackgan.models.adversarial import AdversarialModel, default_optimizer
from keras_stackgan.models.pix2pix.patchgan_discriminator import PatchGANDiscriminator
from keras_stackgan.models.pix2pix.pix2pix_config import Pix2PixConfig, pix2pix_config
from keras_stackgan.models.pix2pix.unet_generator import UNetGenerator

_SALT_DROPOUT = 1  # the dropout masks of a training step


def _is_float(tensor) -> bool:
    return "float" in keras.backend.standardize_dtype(tensor.dtype)


@keras.saving.register_keras_serializable(package="keras_stackgan")
class Pix2Pix(AdversarialModel):
    """pix2pix for ``fit``: a :class:`UNetGenerator` against a :class:`PatchGANDiscriminator`.

    Each step (Isola et al. 2017, section 3.3, the standard alternating update of eq. 4):

    1. draw the dropout masks (U[0, 1) noise of this step), ``fake = G(x, z)``;
    2. update D on ``0.5 * (BCE(D(x, y), 1) + BCE(D(x, fake), 0))`` over every patch;
    3. update G on ``lambda_gan * BCE(D(x, fake), 1) + lambda_l1 * |y - fake|_1``.

    ``compile(lambda_gan=0.0)`` is the paper's L1-only U-Net baseline: D is neither run nor
    updated, and only ``g_loss`` and ``l1`` are reported.

    Data: ``fit`` takes a dataset of ``(input_images, target_images)``, float
    ``[batch, S, S, C]`` in [-1, 1] (``make_paired_dataset``). Reported metrics: ``d_loss``,
    ``g_loss``, ``g_gan``, ``l1`` and D's mean sigmoid scores ``d_real``, ``d_fake``.

    Args:
        generator: :class:`UNetGenerator`.
        discriminator: :class:`PatchGANDiscriminator` of the same image size and channels.
        seed: int or None, seed of the training dropout noise.

    Examples:
    >>> gan = Pix2Pix.from_pix2pix_config("small")
    >>> gan.compile()  # Adam(2e-4, beta_1=0.5), lambda_l1=100
    >>> # gan.fit(make_paired_dataset(inputs, targets, seed=0), epochs=...)
    """

    metric_names = ("d_loss", "g_loss", "g_gan", "l1", "d_real", "d_fake")

    def __init__(
        self,
        generator: UNetGenerator,
        discriminator: PatchGANDiscriminator,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        for field in ("image_size", "input_channels", "output_channels"):
            if getattr(generator, field) != getattr(discriminator, field):
                raise ValueError(
                    f"The generator's {field} is {getattr(generator, field)} but the "
                    f"discriminator's {getattr(discriminator, field)}"
                )
        self.set_networks(generator, discriminator)
        self.image_size = generator.image_size
        self.lambda_l1 = 100.0
        self.lambda_gan = 1.0

    @classmethod
    def from_pix2pix_config(cls, config: str | Pix2PixConfig = "paper", seed: int | None = None):
        """Builds generator and discriminator from a :class:`Pix2PixConfig` or its name."""
        config = pix2pix_config(config)
        return cls(
            UNetGenerator(
                config.image_size,
                config.input_channels,
                config.output_channels,
                gf_dim=config.gf_dim,
                max_multiplier=config.max_multiplier,
                norm=config.norm,
                dropout_rate=config.dropout_rate,
                dropout_at_inference=config.dropout_at_inference,
                name="unet_generator",
            ),
            PatchGANDiscriminator(
                config.image_size,
                config.input_channels,
                config.output_channels,
                df_dim=config.df_dim,
                num_layers=config.d_layers,
                norm=config.norm,
                name="patchgan_discriminator",
            ),
            seed=seed,
        )

    # === Compile ===
    def default_optimizers(self):
        """The paper's ``Adam(2e-4, beta_1=0.5, beta_2=0.999)`` for both networks."""
        return default_optimizer(2e-4), default_optimizer(2e-4)

    def compile(
        self,
        g_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        d_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        lambda_l1: float = 100.0,
        lambda_gan: float = 1.0,
        jit_compile: bool | str = "auto",
        **kwargs,
    ):
        """``AdversarialModel.compile`` plus the weights of G's two terms.

        Args:
            g_optimizer, d_optimizer: default the paper's ``Adam(2e-4, beta_1=0.5)``.
            lambda_l1: float >= 0, weight of the L1 term (the paper's lambda, 100).
            lambda_gan: float >= 0, weight of the cGAN term (1); 0 trains the L1-only U-Net.
            jit_compile: bool or ``"auto"`` (``compile_mode``'s measured rule; see ``compile``).
            **kwargs: passed to ``keras.Model.compile``.
        """
        if lambda_l1 < 0 or lambda_gan < 0:
            raise ValueError(f"lambdas must be >= 0, received {lambda_l1=}, {lambda_gan=}")
        if lambda_l1 == 0 and lambda_gan == 0:
            raise ValueError("lambda_l1 and lambda_gan cannot both be 0: nothing to train")
        # Set first: compile builds D's optimizer on discriminator_variables (none for L1 only).
        self.lambda_l1 = float(lambda_l1)
        self.lambda_gan = float(lambda_gan)
        super().compile(g_optimizer, d_optimizer, jit_compile=jit_compile, **kwargs)
        self.record_compile_options(lambda_l1=self.lambda_l1, lambda_gan=self.lambda_gan)

    @property
    def reported_metric_names(self):
        if self.lambda_gan == 0:
            return ("g_loss", "l1")
        return self.metric_names

    @property
    def discriminator_variables(self):
        return [] if self.lambda_gan == 0 else self.discriminator.trainable_variables

    def apply_update(self, optimizer, tape, loss, variables):
        # The L1-only baseline updates no discriminator variable (Keras refuses an empty update).
        if variables:
            super().apply_update(optimizer, tape, loss, variables)

    # === Translation ===
    def call(self, inputs, training=None):
        """G on ``{"images", "dropout_noise"}`` -> float32 images in [-1, 1]."""
        return self.generator(inputs, training=training)

    # === The algorithm's hooks ===
    def unpack_batch(self, data) -> dict:
        if not isinstance(data, tuple | list) or len(data) != 2:
            received = type(data).__name__ + (
                f" of length {len(data)}" if isinstance(data, tuple | list) else ""
            )
            raise ValueError(
                f"Expected batches of (input_images, target_images), received {received}"
            )
        sources, targets = data
        size = self.image_size
        for name, tensor, channels in (
            ("input_images", sources, self.generator.input_channels),
            ("target_images", targets, self.generator.output_channels),
        ):
            if len(tensor.shape) != 4 or tuple(tensor.shape[1:]) != (size, size, channels):
                raise ValueError(
                    f"{name} must have shape [batch, {size}, {size}, {channels}], "
                    f"received {tuple(tensor.shape)}"
                )
            if not _is_float(tensor):
                raise ValueError(
                    f"{name} must be float (images scaled to [-1, 1]), received dtype "
                    f"{keras.backend.standardize_dtype(tensor.dtype)}"
                )
        return {"input": sources, "target": targets}

    def generate_fakes(self, batch, step, training):
        # Training steps key the masks by G's step count: one D and one G update per step, so
        # it equals the base's D step, and it still counts in the L1-only baseline (no D step).
        step = self.g_optimizer.iterations if training else step
        size = ops.shape(batch["input"])[0]
        noise = self.uniform_noise(size, self.generator.dropout_noise_dim, step, _SALT_DROPOUT)
        images = self.generator(
            {"images": batch["input"], "dropout_noise": noise}, training=training
        )
        return {"images": images}

    def score(self, sources, images, training):
        """D's float32 patch logits ``[batch, P, P, 1]`` for (input, output) pairs."""
        return self.discriminator({"condition": sources, "image": images}, training=training)

    def discriminator_loss(self, batch, fakes, training):
        if self.lambda_gan == 0:
            return ops.zeros(()), {}
        real = self.score(batch["input"], batch["target"], training)
        fake = self.score(batch["input"], fakes["images"], training)
        terms = losses.patch_discriminator_loss(real, fake)
        logs = {"d_real": ops.mean(ops.sigmoid(real)), "d_fake": ops.mean(ops.sigmoid(fake))}
        return terms["loss"], logs

    def generator_loss(self, batch, fakes, training):
        logits = None
        if self.lambda_gan:
            logits = self.score(batch["input"], fakes["images"], training)
        terms = losses.pix2pix_generator_loss(
            logits, batch["target"], fakes["images"], self.lambda_l1, self.lambda_gan
        )
        return terms["loss"], {"g_gan": terms["gan"], "l1": terms["l1"]}
