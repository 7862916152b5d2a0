"""keras-stackgan: StackGAN and the text-to-image GANs it grew from, in Keras 3."""

from keras_stackgan.version import __version__

__all__ = ["__version__"]
