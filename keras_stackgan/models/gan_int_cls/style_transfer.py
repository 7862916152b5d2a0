"""Style transfer with GAN-INT-CLS: each query image's style rendered with each text."""

from __future__ import annotations

import numpy as np

from keras_stackgan.models.gan_int_cls.gan_int_cls_generator import GANINTCLSGenerator
from keras_stackgan.models.gan_int_cls.style_encoder import StyleEncoder


def transfer_style(
    generator: GANINTCLSGenerator,
    style_encoder: StyleEncoder,
    query_images,
    text_embeddings,
    batch_size: int = 64,
) -> np.ndarray:
    """Renders every query image's style (pose, background) with every text's content.

    ``images[q, t] = G(S(query_images[q]), text_embeddings[t])`` (Reed et al. 2016, 4.4):
    the style encoder S estimates the noise behind each query image and the generator redraws
    it with each text. Both networks run in inference mode.

    Args:
        generator: a trained :class:`GANINTCLSGenerator`.
        style_encoder: a :class:`StyleEncoder` trained on that generator
            (:class:`StyleEncoderTrainer`).
        query_images: float array ``[num_queries, S, S, 3]`` in [-1, 1] (``S`` the
            generator's ``image_size``), real photos or generated images.
        text_embeddings: float array ``[num_texts, embedding_dim]``.
        batch_size: int, images per forward pass.

    Returns:
        float32 numpy array ``[num_queries, num_texts, S, S, 3]`` in [-1, 1].

    Raises:
        ValueError: on shapes that do not fit the networks.
    """
    size = generator.image_size
    query = np.asarray(query_images, dtype="float32")
    texts = np.asarray(text_embeddings, dtype="float32")
    if query.ndim != 4 or query.shape[1:] != (size, size, 3):
        raise ValueError(
            f"query_images must have shape [n, {size}, {size}, 3], received {query.shape}"
        )
    if texts.ndim != 2 or texts.shape[1] != generator.embedding_dim:
        raise ValueError(
            f"text_embeddings must have shape [n, {generator.embedding_dim}], "
            f"received {texts.shape}"
        )
    if style_encoder.noise_dim != generator.noise_dim:
        raise ValueError(
            f"The style encoder predicts {style_encoder.noise_dim}-d noise but the generator "
            f"takes {generator.noise_dim}-d"
        )
    num_queries, num_texts = len(query), len(texts)
    noise = style_encoder.predict(query, batch_size=batch_size, verbose=0)
    inputs = {
        "embedding": np.tile(texts, (num_queries, 1)),
        "noise": np.repeat(noise, num_texts, axis=0),
    }
    images = generator.predict(inputs, batch_size=batch_size, verbose=0)["images"]
    return images.reshape(num_queries, num_texts, size, size, 3)


def style_reconstruction_error(
    generator: GANINTCLSGenerator,
    style_encoder: StyleEncoder,
    text_embeddings,
    seed: int = 0,
    batch_size: int = 64,
) -> dict[str, float]:
    """How much of the style G draws from ``z`` the style encoder S recovers, in pixels.

    For each text ``t`` draws ``z ~ N(0, I)`` and compares ``x = G(z, t)`` with
    ``G(S(x), t)``. The noise-space loss ``||z - S(G(z, t))||^2`` cannot tell whether S
    misses the directions of ``z`` that G ignores (harmless) or those it uses (the style):
    this image-space error can. It is read against two baselines with the same text: a fresh
    ``z'`` (S knows nothing) and ``z = 0`` (S answers the mean).

    Args:
        generator: a :class:`GANINTCLSGenerator`.
        style_encoder: a :class:`StyleEncoder` for it.
        text_embeddings: float array ``[n, embedding_dim]``, e.g. held-out captions.
        seed: int, seed of ``z`` and ``z'``.
        batch_size: int, images per forward pass.

    Returns:
        dict of float mean squared errors over pixels in [-1, 1] units:
        ``"reconstruction"`` (``G(S(x), t)`` vs ``x``), ``"random_noise"`` (``G(z', t)`` vs
        ``x``) and ``"zero_noise"`` (``G(0, t)`` vs ``x``). S transfers style when
        ``reconstruction`` is well below both.
    """
    texts = np.asarray(text_embeddings, dtype="float32")
    rng = np.random.default_rng(seed)
    noise, other = rng.standard_normal((2, len(texts), generator.noise_dim)).astype("float32")

    def draw(z):
        return generator.predict(
            {"embedding": texts, "noise": z}, batch_size=batch_size, verbose=0
        )["images"]

    images = draw(noise)
    estimate = style_encoder.predict(images, batch_size=batch_size, verbose=0)
    errors = {
        "reconstruction": draw(estimate),
        "random_noise": draw(other),
        "zero_noise": draw(np.zeros_like(noise)),
    }
    return {key: float(np.mean(np.square(value - images))) for key, value in errors.items()}
