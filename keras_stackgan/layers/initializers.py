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


def paper_batch_norm(name: str, synchronized: bool = False, dtype=None):
    """The batch normalisation of the DCGAN family: Torch's defaults (momentum 0.1, i.e. Keras
    ``momentum=0.9``; epsilon 1e-5) with N(1, 0.02) scales; ``synchronized`` over replicas."""
    return keras.layers.BatchNormalization(
        momentum=0.9,
        epsilon=1e-5,
        gamma_initializer=gamma_init(),
        synchronized=synchronized,
        name=name,
        dtype=dtype,
    )
