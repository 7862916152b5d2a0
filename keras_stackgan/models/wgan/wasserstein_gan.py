"""The Wasserstein step shared by WGAN and WGAN-GP: ``n_critic`` critic updates per ``fit`` step."""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import ops

from keras_stackgan import losses
from keras_stackgan.models.adversarial import TEST_STEP, AdversarialModel

# Salts of a step's draws: the critic updates' fakes, the generator update's fresh fakes (and
# WGAN-GP's interpolation weights, see wgan_gp_gan.py).
SALT_CRITIC_NOISE, SALT_GENERATOR_NOISE = 1, 2


def _float_dtype(tensor) -> bool:
    return "float" in keras.backend.standardize_dtype(tensor.dtype)


class WassersteinGAN(AdversarialModel):
    """A generator against a critic trained ``n_critic`` times per generator update.

    One ``fit`` step is one iteration of the outer loop of Algorithm 1 of Arjovsky et al.
    (2017) (and of Gulrajani et al. 2017):

    1. draw ``n_critic * m`` fakes ``G(z)`` at once (G is fixed during the critic updates, so
       this equals drawing ``m`` per update, except that G's batch norm, in training mode,
       normalises over all ``n_critic * m`` of them);
    2. for each of the ``n_critic`` chunks of ``m`` real and ``m`` fake images, update the
       critic on ``mean(D(fake)) - mean(D(real))`` (plus a subclass's Lipschitz term), then
       ``after_discriminator_update`` (WGAN clips the weights there);
    3. update G on ``-mean(D(G(z)))`` for ``m`` fresh fakes.

    Batch size arithmetic: a ``fit`` batch holds ``n_critic * m`` real images (5 * 64 = 320 for
    the paper's m = 64), so an epoch of ``N`` images is ``N // (n_critic * m)`` generator updates
    and ``n_critic`` times as many critic updates; ``d_optimizer.iterations`` is
    ``n_critic * g_optimizer.iterations``. The batch size must be a multiple of ``n_critic``.

    Subclasses implement the Lipschitz constraint (``WGAN``: clipping, ``WGANGP``: gradient
    penalty) and ``default_optimizers``.

    Data: ``fit`` takes batches of images float ``[n_critic * m, S, S, C]`` in [-1, 1], alone
    or as ``(images, labels)`` (labels are ignored). Reported metrics: ``d_loss``, ``g_loss``
    and ``wasserstein``, the critic's estimate ``mean(D(real)) - mean(D(fake))`` at its last
    update of the step.

    Args:
        generator: a generator following the zoo's convention (``WGANGenerator``).
        discriminator: the critic, images -> float32 scores ``[batch, 1]`` (``WGANCritic``).
        seed: int or None, seed of the training noise.
    """

    metric_names = ("d_loss", "g_loss", "wasserstein")

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        for attribute in ("image_size", "channels"):
            made = getattr(generator, attribute, None)
            taken = getattr(discriminator, attribute, made)
            if made != taken:
                raise ValueError(
                    f"The critic takes {attribute}={taken} but the generator makes {made}"
                )
        self.set_networks(generator, discriminator)
        self.noise_dim = int(generator.noise_dim)
        self.image_size = int(generator.image_size)
        self.channels = int(getattr(generator, "channels", 3))
        self.n_critic = 5

    # === Compile ===
    def compile(
        self,
        g_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        d_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        n_critic: int = 5,
        jit_compile: bool | str = "auto",
        **kwargs,
    ):
        """``AdversarialModel.compile`` plus the number of critic updates per step.

        Args:
            g_optimizer, d_optimizer: default the family's paper optimizers.
            n_critic: int >= 1, critic updates per generator update (5); ``fit`` batches
                must hold a multiple of it.
            jit_compile: bool or ``"auto"`` (``compile_mode``'s measured rule; see ``compile``).
            **kwargs: passed to ``keras.Model.compile``.
        """
        if isinstance(n_critic, bool) or int(n_critic) != n_critic or n_critic < 1:
            raise ValueError(f"n_critic must be an integer >= 1, received {n_critic}")
        super().compile(g_optimizer, d_optimizer, jit_compile=jit_compile, **kwargs)
        self.n_critic = int(n_critic)
        self.record_compile_options(n_critic=self.n_critic)

    # === Generation ===
    def call(self, inputs, training=None):
        """Generation: ``{"noise": [n, noise_dim]}`` -> images ``[n, S, S, C]`` in [-1, 1]."""
        return self.generator(inputs, training=training)

    def generate_images(self, count, step, salt: int, training: bool):
        """``count`` images ``G(z)`` for ``z`` drawn for ``(step, salt)``, float32."""
        noise = self.normal_noise(count, self.noise_dim, step, salt)
        return ops.cast(self.generator({"noise": noise}, training=training), "float32")

    def score(self, images, training: bool):
        """The critic's float32 scores ``[batch, 1]``."""
        return ops.cast(self.discriminator(images, training=training), "float32")

    # === The algorithm's hooks ===
    def unpack_batch(self, data) -> dict:
        if isinstance(data, tuple | list):
            if len(data) not in (1, 2):
                raise ValueError(
                    f"Expected batches of images or (images, labels), received a "
                    f"{type(data).__name__} of length {len(data)}"
                )
            data = data[0]
        size, channels = self.image_size, self.channels
        if len(data.shape) != 4 or tuple(data.shape[1:]) != (size, size, channels):
            raise ValueError(
                f"images must have shape [batch, {size}, {size}, {channels}], "
                f"received {tuple(data.shape)}"
            )
        if not _float_dtype(data):
            raise ValueError(
                "images must be a float tensor (scaled to [-1, 1]), received dtype "
                f"{keras.backend.standardize_dtype(data.dtype)}"
            )
        message = f"A fit batch holds n_critic * m images (n_critic = {self.n_critic})"
        batch = data.shape[0]
        if batch is not None and batch % self.n_critic:
            raise ValueError(f"{message}; received a batch of {batch}")
        if batch is None:  # fit traces with an unknown batch size: checked when it runs
            tf.debugging.assert_equal(ops.shape(data)[0] % self.n_critic, 0, message=message)
        return {"real": data}

    def generate_fakes(self, batch, step, training):
        count = ops.shape(batch["real"])[0]
        return {"images": self.generate_images(count, step, SALT_CRITIC_NOISE, training)}

    def critic_batches(self, batch, fakes):
        reals = ops.split(batch["real"], self.n_critic)
        fake_images = ops.split(fakes["images"], self.n_critic)
        return [
            ({"real": real}, {"images": fake})
            for real, fake in zip(reals, fake_images, strict=True)
        ]

    def discriminator_loss(self, batch, fakes, training):
        loss = losses.wasserstein_critic_loss(
            self.score(batch["real"], training), self.score(fakes["images"], training)
        )
        return loss, {"wasserstein": -loss}

    def generator_loss(self, batch, fakes, training):
        # m fresh fakes, drawn under G's tape; keyed by G's step (a salt of its own).
        count = ops.shape(batch["real"])[0] // self.n_critic
        step = self.g_optimizer.iterations if training else TEST_STEP
        images = self.generate_images(count, step, SALT_GENERATOR_NOISE, training)
        return losses.wasserstein_generator_loss(self.score(images, training)), {}
