"""The GAN generator of Goodfellow et al. (2014): a multilayer perceptron from z to an image."""

from __future__ import annotations

import keras
from keras import ops

HIDDEN_ACTIVATIONS = ("relu", "leaky_relu")


@keras.saving.register_keras_serializable(package="keras_stackgan")
class GANGenerator(keras.Model):
    """``z -> [Dense -> ReLU] x len(hidden_units) -> Dense -> tanh -> image``.

    The generator of "Generative Adversarial Nets" (Goodfellow et al. 2014, section 5): fully
    connected hidden layers of rectified units (two of 1200 in the authors' MNIST model,
    ``mnist.yaml`` of github.com/goodfeli/adversarial) and an output layer of one unit per
    pixel. The output is ``tanh`` so images are in [-1, 1] like every zoo dataset (the
    authors' sigmoid gave pixels in [0, 1]). Kernels use Keras' Glorot default. It follows the
    zoo's generator convention (``keras_stackgan.pretrained.generator_pipeline``), so
    ``GeneratorPipeline`` and ``load_pretrained`` serve it.

    Args:
        noise_dim: int, size of ``z``. Defaults to 100.
        image_size: int, side S of the square images. Defaults to 28 (MNIST).
        channels: int, 1 (grey) or 3 (RGB). Defaults to 1.
        hidden_units: sequence of int, widths of the hidden layers. Defaults to
            ``(1200, 1200)``.
        activation: ``"relu"`` (default) or ``"leaky_relu"`` (slope 0.2), the hidden units.

    Inputs (a dict):
        noise: float ``[batch, noise_dim]``, ``z ~ N(0, I)``.

    Returns:
        float32 images ``[batch, image_size, image_size, channels]`` in [-1, 1] (float32
        under mixed precision too).

    Examples:
    >>> g = GANGenerator(noise_dim=8, image_size=8, hidden_units=(16,))
    >>> g({"noise": keras.random.normal((2, 8))}).shape
    TensorShape([2, 8, 8, 1])
    """

    # The generator convention: unconditional, no continuous codes.
    num_classes = 0
    code_dim = 0

    def __init__(
        self,
        noise_dim: int = 100,
        image_size: int = 28,
        channels: int = 1,
        hidden_units=(1200, 1200),
        activation: str = "relu",
        **kwargs,
    ):
        if activation not in HIDDEN_ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {HIDDEN_ACTIVATIONS}, received {activation!r}"
            )
        hidden_units = [int(u) for u in hidden_units]

        # === Layers ===
        hidden = [keras.layers.Dense(u, name=f"hidden_{i}") for i, u in enumerate(hidden_units)]
        to_image = keras.layers.Dense(
            image_size * image_size * channels, name="to_image", dtype="float32"
        )

        # === Functional Model ===
        noise = keras.Input((noise_dim,), name="noise")
        x = noise
        for layer in hidden:
            x = layer(x)
            x = ops.relu(x) if activation == "relu" else ops.leaky_relu(x, negative_slope=0.2)
        images = ops.reshape(ops.tanh(to_image(x)), (-1, image_size, image_size, channels))
        super().__init__(inputs={"noise": noise}, outputs=images, **kwargs)

        # === Config ===
        self.noise_dim = noise_dim
        self.image_size = image_size
        self.channels = channels
        self.hidden_units = hidden_units
        self.activation = activation

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "noise_dim": self.noise_dim,
            "image_size": self.image_size,
            "channels": self.channels,
            "hidden_units": list(self.hidden_units),
            "activation": self.activation,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
