"""The WGAN-GP trainer (Gulrajani et al. 2017): the Wasserstein step with a gradient penalty."""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import ops

from keras_stackgan import losses
from keras_stackgan.models.adversarial import TEST_STEP
from keras_stackgan.models.wgan.wasserstein_gan import WassersteinGAN
from keras_stackgan.models.wgan_gp.wgan_gp_config import WGANGPConfig, wgan_gp_config
from keras_stackgan.models.wgan_gp.wgan_gp_discriminator import WGANGPCritic
from keras_stackgan.models.wgan_gp.wgan_gp_generator import WGANGPGenerator

# Salt of the interpolation weights (after the critic's and the generator's noise).
SALT_INTERPOLATION = 3


@keras.saving.register_keras_serializable(package="keras_stackgan")
class WGANGP(WassersteinGAN):
    """WGAN-GP for ``fit``: the Wasserstein step with a gradient penalty instead of clipping.

    Algorithm 1 of Gulrajani et al. (2017), one ``fit`` step per generator iteration:

    1. ``fakes = G(z)`` for ``n_critic * m`` noise vectors ``z ~ N(0, I)``;
    2. ``n_critic`` times, on the next ``m`` real images ``x`` and fakes ``x~``: draw
       ``eps ~ U[0, 1]`` per example, ``x_hat = eps * x + (1 - eps) * x~``, and update the
       critic with Adam on
       ``mean(D(x~)) - mean(D(x)) + lambda * mean((||grad_x_hat D(x_hat)||_2 - 1)^2)``;
    3. update G with Adam on ``-mean(D(G(z)))`` for ``m`` fresh ``z``.

    A ``fit`` batch holds ``n_critic * m`` real images (see :class:`WassersteinGAN`). The
    penalty's gradient comes from an inner ``tf.GradientTape`` inside the critic's loss (the
    critic's update then differentiates through it: a second-order gradient); it runs under
    XLA and, cast to float32, under mixed precision. Each critic update draws its own ``eps``
    (keyed by ``d_optimizer.iterations``). Reported metrics: ``d_loss`` (with the penalty),
    ``g_loss``, ``wasserstein`` (``mean(D(x)) - mean(D(x~))``) and ``gradient_penalty``
    (without ``lambda``).

    Args:
        generator: :class:`WGANGPGenerator` (or any generator of the zoo's convention).
        discriminator: :class:`WGANGPCritic`, or any critic whose scores each depend on one
            image only (no batch norm).
        seed: int or None, seed of the training noise.

    Examples:
    >>> gan = WGANGP.from_wgan_gp_config("small")
    >>> gan.compile()  # Adam(1e-4, beta_1=0, beta_2=0.9), n_critic=5, lambda=10
    >>> # gan.fit(dataset_of_images_in_minus1_1.batch(5 * 32), epochs=...)
    """

    metric_names = ("d_loss", "g_loss", "wasserstein", "gradient_penalty")

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(generator, discriminator, seed=seed, **kwargs)
        self.gradient_penalty_weight = 10.0

    @classmethod
    def from_wgan_gp_config(cls, config: str | WGANGPConfig = "paper", seed: int | None = None):
        """Builds generator and critic from a :class:`WGANGPConfig` or its name."""
        config = wgan_gp_config(config)
        return cls(
            WGANGPGenerator(
                config.noise_dim,
                config.image_size,
                config.channels,
                config.gf_dim,
                config.kernel_size,
                name="wgan_gp_generator",
            ),
            WGANGPCritic(
                config.image_size,
                config.channels,
                config.df_dim,
                config.kernel_size,
                config.normalization,
                name="wgan_gp_critic",
            ),
            seed=seed,
        )

    # === Compile ===
    def default_optimizers(self):
        """Adam(1e-4, beta_1 = 0, beta_2 = 0.9) for both networks (the paper's)."""
        return tuple(keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9) for _ in range(2))

    def compile(
        self,
        g_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        d_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        n_critic: int = 5,
        gradient_penalty_weight: float = 10.0,
        jit_compile: bool | str = "auto",
        **kwargs,
    ):
        """``WassersteinGAN.compile`` plus the penalty's weight.

        Args:
            g_optimizer, d_optimizer: default ``Adam(1e-4, beta_1=0, beta_2=0.9)`` each.
            n_critic: int >= 1, critic updates per generator update (5).
            gradient_penalty_weight: float >= 0, lambda (10).
            jit_compile: bool or ``"auto"`` (``compile_mode``'s measured rule; see ``compile``).
            **kwargs: passed to ``keras.Model.compile``.
        """
        if not gradient_penalty_weight >= 0:
            raise ValueError(
                f"gradient_penalty_weight must be >= 0, received {gradient_penalty_weight}"
            )
        super().compile(g_optimizer, d_optimizer, n_critic, jit_compile=jit_compile, **kwargs)
        self.gradient_penalty_weight = float(gradient_penalty_weight)
        self.record_compile_options(gradient_penalty_weight=self.gradient_penalty_weight)

    # === The penalty ===
    def interpolates(self, real, fake, step):
        """``x_hat = eps * real + (1 - eps) * fake``, ``eps ~ U[0, 1]`` per example (float32)."""
        real, fake = ops.cast(real, "float32"), ops.cast(fake, "float32")
        eps = self.uniform_noise(ops.shape(real)[0], 1, step, SALT_INTERPOLATION)
        eps = ops.reshape(eps, (-1,) + (1,) * (len(real.shape) - 1))
        return eps * real + (1.0 - eps) * fake

    def gradient_penalty(self, real, fake, step, training: bool):
        """``mean((||grad_x_hat D(x_hat)||_2 - 1)^2)`` on this step's interpolates (float32)."""
        x_hat = self.interpolates(real, fake, step)
        with tf.GradientTape() as tape:
            tape.watch(x_hat)
            scores = self.score(x_hat, training)
        # Scores of different examples do not interact, so the gradient of their sum holds
        # each example's own gradient.
        return losses.gradient_penalty(tape.gradient(scores, x_hat))

    # === The algorithm's hooks ===
    def discriminator_loss(self, batch, fakes, training):
        loss, logs = super().discriminator_loss(batch, fakes, training)
        step = self.d_optimizer.iterations if training else TEST_STEP
        penalty = self.gradient_penalty(batch["real"], fakes["images"], step, training)
        loss = loss + self.gradient_penalty_weight * penalty
        return loss, {**logs, "gradient_penalty": penalty}
