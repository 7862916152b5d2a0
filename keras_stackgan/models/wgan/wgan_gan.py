"""The WGAN trainer (Arjovsky et al. 2017): the Wasserstein step with weight clipping."""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import ops

from keras_stackgan.models.wgan.wasserstein_gan import WassersteinGAN
from keras_stackgan.models.wgan.wgan_config import WGANConfig, wgan_config
from keras_stackgan.models.wgan.wgan_discriminator import WGANCritic
from keras_stackgan.models.wgan.wgan_generator import WGANGenerator


@keras.saving.register_keras_serializable(package="keras_stackgan")
class WGAN(WassersteinGAN):
    """WGAN for ``fit``: a generator against a critic whose weights are clipped.

    Algorithm 1 of Arjovsky et al. (2017), one ``fit`` step per generator iteration:

    1. ``fakes = G(z)`` for ``n_critic * m`` noise vectors ``z ~ N(0, I)``;
    2. ``n_critic`` times, on the next ``m`` real and ``m`` fake images: update the critic on
       ``mean(D(fake)) - mean(D(real))`` with RMSprop, then clip every critic weight to
       ``[-clip_value, clip_value]``;
    3. update G on ``-mean(D(G(z)))`` for ``m`` fresh ``z``, with RMSprop.

    A ``fit`` batch therefore holds ``n_critic * m`` real images (5 * 64 = 320 in the paper);
    see :class:`WassersteinGAN` for the arithmetic. The clip covers every trainable critic
    variable, batch-norm scales and offsets included (the authors' ``p.data.clamp_`` over
    ``netD.parameters()``); moving statistics are not parameters and are not clipped. The
    authors' extra warm-up (100 critic updates for the first 25 generator updates) is not
    reproduced. Reported metrics: ``d_loss``, ``g_loss``, ``wasserstein``.

    Args:
        generator: :class:`WGANGenerator` (or any generator of the zoo's convention).
        discriminator: :class:`WGANCritic`, the critic.
        seed: int or None, seed of the training noise.

    Examples:
    >>> gan = WGAN.from_wgan_config("small")
    >>> gan.compile()  # RMSprop(5e-5) for both, n_critic=5, clip_value=0.01
    >>> # gan.fit(dataset_of_images_in_minus1_1.batch(5 * 32), epochs=...)
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(generator, discriminator, seed=seed, **kwargs)
        self.clip_value = 0.01

    @classmethod
    def from_wgan_config(cls, config: str | WGANConfig = "paper", seed: int | None = None):
        """Builds generator and critic from a :class:`WGANConfig` or its name."""
        config = wgan_config(config)
        return cls(
            WGANGenerator(
                config.noise_dim,
                config.image_size,
                config.channels,
                config.gf_dim,
                config.kernel_size,
                name="wgan_generator",
            ),
            WGANCritic(
                config.image_size,
                config.channels,
                config.df_dim,
                config.kernel_size,
                config.normalization,
                name="wgan_critic",
            ),
            seed=seed,
        )

    # === Compile ===
    def default_optimizers(self):
        """RMSprop(5e-5) for both networks (the paper's; PyTorch's ``alpha=0.99, eps=1e-8``)."""
        return tuple(keras.optimizers.RMSprop(5e-5, rho=0.99, epsilon=1e-8) for _ in range(2))

    def compile(
        self,
        g_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        d_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        n_critic: int = 5,
        clip_value: float = 0.01,
        jit_compile: bool | str = "auto",
        **kwargs,
    ):
        """``WassersteinGAN.compile`` plus the clipping bound.

        Args:
            g_optimizer, d_optimizer: default ``RMSprop(5e-5)`` each.
            n_critic: int >= 1, critic updates per generator update (5).
            clip_value: float > 0, critic weights are clipped to ``[-clip_value, clip_value]``
                after every critic update (0.01).
            jit_compile: bool or ``"auto"`` (``compile_mode``'s measured rule; see ``compile``).
            **kwargs: passed to ``keras.Model.compile``.
        """
        if not clip_value > 0:
            raise ValueError(f"clip_value must be > 0, received {clip_value}")
        super().compile(g_optimizer, d_optimizer, n_critic, jit_compile=jit_compile, **kwargs)
        self.clip_value = float(clip_value)
        self.record_compile_options(clip_value=self.clip_value)

    # === The algorithm's hooks ===
    def after_discriminator_update(self):
        """Clips every trainable critic variable to ``[-clip_value, clip_value]``."""
        variables, bound = self.discriminator_variables, self.clip_value

        def clip(variable):
            return variable.assign(ops.clip(variable, -bound, bound))

        context = tf.distribute.get_replica_context()
        if context is not None and tf.distribute.get_strategy().num_replicas_in_sync > 1:
            # Mirrored variables are assigned in cross-replica context (the replicas hold the
            # same weights after the synchronised update, so each gets the same clip).
            context.merge_call(lambda strategy: [clip(variable) for variable in variables])
            return
        for variable in variables:
            clip(variable)
