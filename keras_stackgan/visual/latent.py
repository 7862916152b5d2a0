"""The DCGAN paper's walks in latent space: interpolations between noise vectors and vector
arithmetic on them (Radford et al. 2016, section 6.1 and Figure 7).

Every function takes any generator of the zoo's convention (a ``keras.Model`` with
``noise_dim``, ``image_size``, ``channels``, ``num_classes``, ``code_dim``, see
``keras_stackgan.pretrained.generator_pipeline``) or a ``GeneratorPipeline`` around one
(``keras_stackgan.load_pretrained("dcgan-flowers")``), and returns uint8 images.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf
from PIL import Image

from keras_stackgan.models.noise import stateless_normal
from keras_stackgan.visual.interpolation import rows_to_sheet

INTERPOLATIONS = ("slerp", "linear")
_SALT_NOISE = 1  # GeneratorPipeline.generate's salt of z: interpolation ends are its images
_SALT_ARITHMETIC = 5  # the perturbations of an arithmetic result
_BATCH = 64


def _as_pipeline(generator):
    from keras_stackgan.pretrained.generator_pipeline import GeneratorPipeline

    return generator if isinstance(generator, GeneratorPipeline) else GeneratorPipeline(generator)


def lerp(z0: np.ndarray, z1: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Linear interpolation ``(1 - t) * z0 + t * z1``: ``[d]``, ``[d]``, ``[m]`` -> ``[m, d]``."""
    t = np.asarray(t, np.float64)[:, None]
    return ((1.0 - t) * np.asarray(z0, np.float64) + t * np.asarray(z1, np.float64)).astype(
        np.float32
    )


def slerp(z0: np.ndarray, z1: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Spherical interpolation: ``[d]``, ``[d]``, ``[m]`` -> ``[m, d]`` (float32).

    ``sin((1 - t) w) / sin(w) * z0 + sin(t w) / sin(w) * z1`` with ``w`` the angle between
    ``z0`` and ``z1`` (Shoemake 1985). For Gaussian ``z`` in many dimensions the straight
    line's midpoints have a smaller norm than any likely sample (``|z|`` concentrates near
    ``sqrt(d)``); the great circle keeps the path where the generator was trained (White 2016,
    "Sampling Generative Networks"). Falls back to :func:`lerp` for (anti)parallel vectors.
    """
    z0 = np.asarray(z0, np.float64)
    z1 = np.asarray(z1, np.float64)
    t = np.asarray(t, np.float64)[:, None]
    norms = np.linalg.norm(z0) * np.linalg.norm(z1)
    cos = np.clip(np.dot(z0, z1) / max(norms, 1e-12), -1.0, 1.0)
    omega = np.arccos(cos)
    if np.sin(omega) < 1e-6:
        return lerp(z0, z1, t[:, 0])
    path = (np.sin((1.0 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)
    return path.astype(np.float32)


def render(generator, noise, labels=None, codes=None) -> np.ndarray:
    """uint8 ``[n, S, S, C]`` for explicit ``noise`` ``[n, noise_dim]`` (and labels / codes).

    Args:
        generator: a generator of the zoo's convention or a ``GeneratorPipeline``.
        noise: float ``[n, noise_dim]``.
        labels: int ``[n]`` class ids, for conditional generators (default: class 0).
        codes: float ``[n, code_dim]``, for generators with continuous codes (default: 0).
    """
    pipeline = _as_pipeline(generator)
    noise = np.asarray(noise, np.float32)
    if noise.ndim != 2 or noise.shape[1] != pipeline.noise_dim:
        raise ValueError(f"noise must be [n, {pipeline.noise_dim}], received {noise.shape}")
    n = len(noise)
    labels = np.zeros([n], np.int32) if labels is None else np.asarray(labels, np.int32)
    codes = (
        np.zeros([n, pipeline.code_dim], np.float32)
        if codes is None
        else np.asarray(codes, np.float32).reshape(n, pipeline.code_dim)
    )
    out = [
        pipeline.images_from_inputs(
            tf.constant(noise[i : i + _BATCH]),
            tf.constant(labels[i : i + _BATCH]),
            tf.constant(codes[i : i + _BATCH]),
        ).numpy()
        for i in range(0, n, _BATCH)
    ]
    return np.concatenate(out)


def interpolate_latent(
    generator,
    rows: int = 4,
    steps: int = 8,
    seed: int = 0,
    method: str = "slerp",
    labels=None,
    codes=None,
) -> np.ndarray:
    """Rows of images along paths between pairs of noise vectors (DCGAN paper, Figure 4).

    Row ``r`` walks from ``z[2r]`` to ``z[2r + 1]``, where ``z`` is the noise
    ``GeneratorPipeline.generate(2 * rows, seed=seed)`` draws, so a row's first and last
    images are images ``2r`` and ``2r + 1`` of that call (for unconditional generators).
    Smooth rows with no sharp transitions mean the generator has not memorised its training
    images (section 6.1).

    Args:
        generator: a generator of the zoo's convention or a ``GeneratorPipeline``.
        rows: int >= 1, pairs of noise vectors.
        steps: int >= 2, images per row, ends included.
        seed: int, seed of the end points.
        method: ``"slerp"`` (default, along the great circle, see :func:`slerp`) or
            ``"linear"`` (the straight line, :func:`lerp`).
        labels: optional class ids, one per row, for conditional generators (default:
            ``row % num_classes``).
        codes: optional ``[rows, code_dim]`` continuous codes, one per row (default: 0).

    Returns:
        uint8 ``[rows, steps, S, S, C]``.
    """
    if method not in INTERPOLATIONS:
        raise ValueError(f"method must be one of {INTERPOLATIONS}, received {method!r}")
    if rows < 1 or steps < 2:
        raise ValueError(f"rows must be >= 1 and steps >= 2, received {rows}, {steps}")
    pipeline = _as_pipeline(generator)
    ends = stateless_normal([2 * rows, pipeline.noise_dim], seed, _SALT_NOISE).numpy()
    walk = slerp if method == "slerp" else lerp
    t = np.linspace(0.0, 1.0, steps)
    noise = np.concatenate([walk(ends[2 * r], ends[2 * r + 1], t) for r in range(rows)])
    if labels is None:
        labels = np.arange(rows) % max(pipeline.num_classes, 1)
    labels = np.repeat(np.asarray(labels, np.int32).reshape(rows), steps)
    if codes is not None:
        codes = np.repeat(np.asarray(codes, np.float32).reshape(rows, -1), steps, axis=0)
    images = render(pipeline, noise, labels, codes)
    return images.reshape(rows, steps, *images.shape[1:])


def interpolation_sheet(generator, rows: int = 4, steps: int = 8, seed: int = 0, **kwargs):
    """:func:`interpolate_latent` laid out as a ``PIL.Image``, one path per row."""
    return rows_to_sheet(interpolate_latent(generator, rows, steps, seed, **kwargs))


def _group(z, noise_dim: int, name: str) -> np.ndarray:
    z = np.asarray(z, np.float32)
    if z.ndim == 1:
        z = z[None]
    if z.ndim != 2 or z.shape[1] != noise_dim or not len(z):
        raise ValueError(f"{name} must be [k >= 1, {noise_dim}], received {z.shape}")
    return z


def arithmetic_noise(z_a, z_b, z_c) -> np.ndarray:
    """``mean(z_a) - mean(z_b) + mean(z_c)``: float32 ``[noise_dim]`` from groups ``[k, d]``."""
    z_a, z_b, z_c = (np.asarray(z, np.float64) for z in (z_a, z_b, z_c))
    return (z_a.mean(0) - z_b.mean(0) + z_c.mean(0)).astype(np.float32)


def vector_arithmetic(
    generator,
    z_a,
    z_b,
    z_c,
    num_samples: int = 9,
    noise_scale: float = 0.25,
    seed: int = 0,
    label: int = 0,
    code=None,
) -> np.ndarray:
    """Images of ``Y = mean(z_a) - mean(z_b) + mean(z_c)`` (DCGAN paper, Figure 7).

    Each concept is the mean ``z`` of a few images showing it (three in the paper: single
    samples were unstable, averages were not), e.g. "smiling woman" - "neutral woman" +
    "neutral man". The first image is ``G(Y)``; the other ``num_samples - 1`` are
    ``G(Y + u)`` with ``u ~ U[-noise_scale, noise_scale]`` per dimension, the paper's "noise
    with scale +-0.25 added to Y to produce 8 other samples".

    Args:
        generator: a generator of the zoo's convention or a ``GeneratorPipeline``.
        z_a, z_b, z_c: float ``[k, noise_dim]`` (or ``[noise_dim]``), the ``z`` of each
            concept's chosen images.
        num_samples: int >= 1, images returned (9: ``G(Y)`` and 8 perturbed).
        noise_scale: float >= 0, half-width of the uniform perturbations.
        seed: int, seed of the perturbations.
        label: int, the class of every image (conditional generators).
        code: optional ``[code_dim]`` continuous code of every image.

    Returns:
        uint8 ``[num_samples, S, S, C]``.
    """
    pipeline = _as_pipeline(generator)
    groups = [
        _group(z, pipeline.noise_dim, n) for z, n in ((z_a, "z_a"), (z_b, "z_b"), (z_c, "z_c"))
    ]
    if num_samples < 1 or noise_scale < 0:
        raise ValueError(
            f"num_samples must be >= 1 and noise_scale >= 0 ({num_samples}, {noise_scale})"
        )
    y = arithmetic_noise(*groups)
    key = tf.constant([seed, _SALT_ARITHMETIC], tf.int64)
    u = tf.random.stateless_uniform(
        [num_samples, pipeline.noise_dim], key, -noise_scale, noise_scale
    ).numpy()
    u[0] = 0.0
    codes = None if code is None else np.tile(np.asarray(code, np.float32), (num_samples, 1))
    return render(pipeline, y[None] + u, np.full([num_samples], label, np.int32), codes)


def vector_arithmetic_sheet(generator, z_a, z_b, z_c, seed: int = 0, **kwargs) -> Image.Image:
    """Figure 7 as a ``PIL.Image``: rows A, B, C (their images and, last, ``G(mean z)``) and a
    fourth row of ``A - B + C`` (``G(Y)`` first, then perturbed samples).

    All three groups must have the same size ``k``; each row has ``k + 1`` images.
    """
    pipeline = _as_pipeline(generator)
    groups = [
        _group(z, pipeline.noise_dim, n) for z, n in ((z_a, "z_a"), (z_b, "z_b"), (z_c, "z_c"))
    ]
    k = len(groups[0])
    if any(len(g) != k for g in groups):
        raise ValueError(f"The groups must have the same size, received {[len(g) for g in groups]}")
    label = kwargs.get("label", 0)
    code = kwargs.get("code")
    concept_rows = []
    for z in groups:
        noise = np.concatenate([z, z.mean(0, keepdims=True)])
        labels = np.full([k + 1], label, np.int32)
        codes = None if code is None else np.tile(np.asarray(code, np.float32), (k + 1, 1))
        concept_rows.append(render(pipeline, noise, labels, codes))
    result = vector_arithmetic(pipeline, *groups, num_samples=k + 1, seed=seed, **kwargs)
    return rows_to_sheet(np.stack([*concept_rows, result]))
