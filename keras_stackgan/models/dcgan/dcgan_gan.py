"""``DCGAN``: the GAN step (``keras_stackgan.models.gan.GAN``) with DCGAN's networks and Adam."""

from __future__ import annotations

import keras

from keras_stackgan.models.adversarial import default_optimizer
from keras_stackgan.models.dcgan.dcgan_config import DCGANConfig, dcgan_config
from keras_stackgan.models.dcgan.dcgan_discriminator import DCGANDiscriminator
from keras_stackgan.models.dcgan.dcgan_generator import DCGANGenerator
from keras_stackgan.models.gan.gan_gan import GAN


@keras.saving.register_keras_serializable(package="keras_stackgan")
class DCGAN(GAN):
    """DCGAN (Radford et al. 2016) for ``fit``: :class:`GAN`'s step on convolutional networks.

    The training step is the GAN's (D on ``BCE(real, 1) + BCE(fake, 0)``, then G on the
    non-saturating ``BCE(fake, 1)`` by default; ``compile(generator_loss="minimax")`` is
    accepted too); what DCGAN changes is the networks (:class:`DCGANGenerator`,
    :class:`DCGANDiscriminator`) and the optimizer, Adam with learning rate 2e-4 and
    ``beta_1 = 0.5`` for both players (section 4: 1e-3 was too high and 0.9 oscillated).

    Data: batches of images float ``[batch, S, S, C]`` in [-1, 1], alone or with labels
    (ignored). Reported metrics: ``d_loss``, ``g_loss``, ``d_real``, ``d_fake``.

    Args:
        generator: :class:`DCGANGenerator` (or any generator of the zoo's convention).
        discriminator: :class:`DCGANDiscriminator` for the same image size and channels.
        seed: int or None, seed of the training noise.

    Examples:
    >>> gan = DCGAN.from_dcgan_config("small")
    >>> gan.compile()  # Adam(2e-4, beta_1=0.5) for both players
    >>> # gan.fit(make_labelled_dataset(images, labels, flip=True, seed=0), epochs=...)
    """

    @classmethod
    def from_dcgan_config(
        cls,
        config: str | DCGANConfig | dict = "paper",
        seed: int | None = None,
        synchronized_bn: bool = False,
        **changes,
    ):
        """Builds both networks from a :class:`DCGANConfig` or its name; keywords override
        fields (``image_size=28, channels=1`` for MNIST). ``synchronized_bn=True`` makes batch
        statistics global under ``tf.distribute``."""
        config = dcgan_config(config, **changes)
        common = {"kernel_size": config.kernel_size, "synchronized_bn": synchronized_bn}
        return cls(
            DCGANGenerator(
                config.noise_dim,
                config.image_size,
                config.channels,
                config.gf_dim,
                name="dcgan_generator",
                **common,
            ),
            DCGANDiscriminator(
                config.image_size,
                config.channels,
                config.df_dim,
                name="dcgan_discriminator",
                **common,
            ),
            seed=seed,
        )

    def default_optimizers(self) -> tuple[keras.optimizers.Optimizer, keras.optimizers.Optimizer]:
        """The paper's ``Adam(2e-4, beta_1=0.5, beta_2=0.999)`` for G and for D."""
        return default_optimizer(2e-4), default_optimizer(2e-4)
