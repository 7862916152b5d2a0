"""Weight initialisers of the DCGAN family, used by every StackGAN block.

Radford et al. (2016) and both StackGAN implementations draw convolution and dense kernels from
N(0, 0.02) and batch-norm scales from N(1, 0.02); Keras' defaults (Glorot, ones) differ, so the
blocks pass these explicitly.
"""

import keras


def conv_init(seed=None):
    """N(0, 0.02) kernel initialiser for convolutions and dense layers."""
    return keras.initializers.RandomNormal(mean=0.0, stddev=0.02, seed=seed)


def gamma_init(seed=None):
    """N(1, 0.02) initialiser for batch-normalisation scales."""
    return keras.initializers.RandomNormal(mean=1.0, stddev=0.02, seed=seed)
