"""R-precision (Xu et al., AttnGAN 2018): does an image retrieve its own caption among 100?"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import keras
import numpy as np

from keras_stackgan.metrics.image_batches import iterate_batches, prepare_images


@dataclasses.dataclass(frozen=True)
class RPrecisionResult:
    """R-precision over a set of images.

    Attributes:
        mean: float. Fraction of images whose true caption scores above all mismatched ones.
        std: float. Standard deviation over images of the per-image hit (0 or 1).
        hits: bool array ``[n]``, per image.
        num_mismatched: int. Mismatched captions per image.
    """

    mean: float
    std: float
    hits: np.ndarray
    num_mismatched: int

    @property
    def chance(self) -> float:
        """Expected ``mean`` of an encoder that ranks at random: ``1 / (num_mismatched + 1)``."""
        return 1.0 / (self.num_mismatched + 1)


def sample_mismatched(
    num_items: int,
    num_mismatched: int = 99,
    class_ids: Sequence[int] | np.ndarray | None = None,
    seed: int = 0,
) -> np.ndarray:
    """For each item, ``num_mismatched`` distinct other items (of other classes when given).

    Args:
        num_items: int. ``n``.
        num_mismatched: int. Items drawn per row, without replacement.
        class_ids: optional int array ``[n]``; mismatched items are then drawn from other
            classes only. Without it, from every other item.
        seed: int. Seed of ``numpy.random.default_rng``.

    Returns:
        int64 array ``[n, num_mismatched]``.

    Raises:
        ValueError: if some item has fewer than ``num_mismatched`` candidates.
    """
    rng = np.random.default_rng(seed)
    out = np.empty((num_items, num_mismatched), dtype=np.int64)
    everything = np.arange(num_items)
    if class_ids is None:
        if num_items - 1 < num_mismatched:
            raise ValueError(f"{num_items} items cannot give {num_mismatched} mismatched each")
        for i in range(num_items):
            draw = rng.choice(num_items - 1, num_mismatched, replace=False)
            out[i] = draw + (draw >= i)  # skip item i itself
        return out
    class_ids = np.asarray(class_ids).reshape(-1)
    if len(class_ids) != num_items:
        raise ValueError(f"{len(class_ids)} class ids for {num_items} items")
    for class_id in np.unique(class_ids):
        rows = np.flatnonzero(class_ids == class_id)
        pool = everything[class_ids != class_id]
        if len(pool) < num_mismatched:
            raise ValueError(
                f"Class {class_id}: only {len(pool)} items of other classes for "
                f"{num_mismatched} mismatched captions; lower num_mismatched or add items."
            )
        for i in rows:
            out[i] = rng.choice(pool, num_mismatched, replace=False)
    return out


def r_precision_from_embeddings(
    image_embeddings,
    text_embeddings,
    class_ids: Sequence[int] | np.ndarray | None = None,
    num_mismatched: int = 99,
    seed: int = 0,
) -> RPrecisionResult:
    """R-precision (R = 1) from embeddings: for image ``i``, its caption ``i`` competes with
    ``num_mismatched`` captions of other images (of other classes when ``class_ids`` is given),
    by cosine similarity. A hit is a true caption scoring strictly above every mismatched one
    (ties count as misses).

    Args:
        image_embeddings: float array ``[n, D]``.
        text_embeddings: float array ``[n, D]``; row ``i`` is image ``i``'s true caption.
        class_ids: optional int array ``[n]``.
        num_mismatched: int. Defaults to 99 (AttnGAN's protocol: 1 true + 99 random).
        seed: int. Seed of the mismatched draws.

    Returns:
        ``RPrecisionResult``.
    """
    image = _unit(image_embeddings)
    text = _unit(text_embeddings)
    if image.shape != text.shape:
        raise ValueError(f"image embeddings {image.shape} vs text embeddings {text.shape}")
    mismatched = sample_mismatched(len(image), num_mismatched, class_ids, seed)
    true_scores = np.sum(image * text, axis=1)
    hits = np.empty(len(image), dtype=bool)
    for start in range(0, len(image), 1024):
        rows = slice(start, start + 1024)
        scores = np.einsum("nd,nkd->nk", image[rows], text[mismatched[rows]])
        hits[rows] = true_scores[rows] > scores.max(axis=1)
    values = hits.astype(np.float64)
    return RPrecisionResult(float(values.mean()), float(values.std()), hits, num_mismatched)


def _unit(x) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"embeddings must be [n, D], got shape {x.shape}")
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def encode_images(image_encoder, images, batch_size: int = 64) -> np.ndarray:
    """Embeddings ``[n, D]`` of images with an image encoder.

    ``image_encoder`` may be an object with ``encode_images(images)`` (``RPrecisionEvaluator``),
    a ``keras.Model`` taking float ``[-1, 1]`` images of its input size (images are converted
    and resized batch by batch), or any callable applied to each raw batch (slices of an
    array, or the elements of an iterable).
    """
    if hasattr(image_encoder, "encode_images"):
        return np.asarray(image_encoder.encode_images(images), dtype=np.float32)
    if isinstance(image_encoder, keras.Model):
        size = int(image_encoder.input_shape[1])
        outputs = [
            keras.ops.convert_to_numpy(image_encoder(prepare_images(batch, size), training=False))
            for batch in iterate_batches(images, batch_size)
        ]
    elif isinstance(images, np.ndarray):  # any array layout: the callable knows its input
        outputs = [
            np.asarray(image_encoder(images[start : start + batch_size]))
            for start in range(0, len(images), batch_size)
        ]
    else:
        outputs = [np.asarray(image_encoder(np.asarray(batch))) for batch in images]
    return np.concatenate(outputs).astype(np.float32)


def encode_texts(texts_or_embeddings, text_encoder=None) -> np.ndarray:
    """A float array ``[n, D]`` unchanged, or the embeddings of ``n`` strings.

    Strings are encoded with ``text_encoder.encode_texts`` or ``text_encoder.encode``; with no
    encoder, the shipped ``SentenceEncoder.from_pretrained()`` (all-MiniLM-L6-v2) is loaded.
    """
    if len(texts_or_embeddings) and isinstance(texts_or_embeddings[0], str | bytes):
        texts = [t.decode() if isinstance(t, bytes) else t for t in texts_or_embeddings]
        if text_encoder is None:
            from keras_stackgan.text import SentenceEncoder

            text_encoder = SentenceEncoder.from_pretrained()
        if hasattr(text_encoder, "encode_texts"):
            return np.asarray(text_encoder.encode_texts(texts), dtype=np.float32)
        return np.asarray(text_encoder.encode(texts), dtype=np.float32)
    return np.asarray(texts_or_embeddings, dtype=np.float32)


def r_precision(
    images,
    texts_or_embeddings,
    image_encoder,
    text_encoder=None,
    *,
    class_ids: Sequence[int] | np.ndarray | None = None,
    num_mismatched: int = 99,
    seed: int = 0,
    batch_size: int = 64,
) -> RPrecisionResult:
    """R-precision of images against their captions (R = 1, 1 true + ``num_mismatched``).

    For each image, its own caption is ranked among itself and ``num_mismatched`` captions of
    other images of the set (other classes when ``class_ids`` is given; the set must then hold
    at least ``num_mismatched`` images outside each class) by the cosine similarity of the
    image encoder's and the text encoder's embeddings; R-precision is the fraction of images
    whose caption ranks first. 1.0 is perfect, ``1 / (num_mismatched + 1)`` is chance.

    Only the encoders' joint space gives this meaning: use an image encoder trained onto the
    same text encoder (``RPrecisionEvaluator``), and report real images' R-precision with the
    same encoders as the ceiling.

    Args:
        images: ``[n, H, W, 3]`` uint8 in ``[0, 255]`` or float in ``[-1, 1]`` (or an iterable
            of batches).
        texts_or_embeddings: ``n`` captions (str), or their embeddings ``[n, D]``.
        image_encoder: an ``RPrecisionEvaluator``, a ``keras.Model`` on ``[-1, 1]`` images, or
            a callable on raw batches (see ``encode_images``).
        text_encoder: encoder for string captions (``encode(list[str])``); default: the
            shipped ``SentenceEncoder``. Ignored for embeddings.
        class_ids: optional int array ``[n]``: mismatched captions come from other classes.
        num_mismatched: int. Defaults to 99.
        seed: int. Seed of the mismatched draws.
        batch_size: int. Images per encoder call.

    Returns:
        ``RPrecisionResult`` (``mean``, ``std`` over images, ``hits``).

    Examples:
    ```python
    evaluator = RPrecisionEvaluator.from_pretrained("birds")
    result = r_precision(fake_images, captions, evaluator, class_ids=labels)
    print(f"{result.mean:.3f} +- {result.std:.3f} (chance {result.chance:.2f})")
    ```
    """
    if text_encoder is None and hasattr(image_encoder, "encode_texts"):
        text_encoder = image_encoder
    text = encode_texts(texts_or_embeddings, text_encoder)
    image = encode_images(image_encoder, images, batch_size)
    return r_precision_from_embeddings(image, text, class_ids, num_mismatched, seed)
