"""``GeneratorPipeline``: the zoo's noise-to-image generators (GAN, DCGAN, cGAN, InfoGAN, WGAN)
as uint8 images from a seed, a class or a code.

Every such generator follows one convention, so this one class serves every family:

- attributes ``noise_dim`` (int), ``image_size`` (int), ``channels`` (1 or 3),
  ``num_classes`` (int; 0 for unconditional models; InfoGAN's categorical code counts as the
  class) and ``code_dim`` (int; 0 unless the model takes continuous codes, InfoGAN's);
- called on ``{"noise": float32 [n, noise_dim]}`` plus ``"labels": int32 [n]`` when
  ``num_classes`` and ``"codes": float32 [n, code_dim]`` when ``code_dim``, it returns float
  images ``[n, image_size, image_size, channels]`` in [-1, 1].
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf

from keras_stackgan.images import to_uint8_tensor
from keras_stackgan.models.noise import check_truncation, random_seed, stateless_normal

# Salts of the generation draws (z as StackGAN's pipeline draws it; then labels and codes).
_SALT_NOISE, _SALT_LABELS, _SALT_CODES = 1, 3, 4
MAX_IMAGES = 10_000  # one call's limit: images are made in batches, but all are returned


class GeneratorPipeline:
    """A trained generator of the adversarial zoo, ready to draw uint8 images.

    Args:
        generator: a Keras model following the module's convention.
        name: str, the preset name.
        metadata: dict, what the preset's ``config.json`` says (family, dataset, training).
        class_names: optional list of ``num_classes`` names, so classes can be asked by name.

    Examples:
    ```python
    dcgan = keras_stackgan.load_pretrained("dcgan-flowers")
    images = dcgan.generate(16, seed=0)  # uint8 [16, 64, 64, 3]
    cgan = keras_stackgan.load_pretrained("cgan-mnist")
    digits = cgan.generate(labels=[0, 1, 2, "7"], seed=0)  # uint8 [4, 28, 28, 1]
    infogan = keras_stackgan.load_pretrained("infogan-mnist")
    sweep = infogan.generate(labels=[3] * 5, codes=[[c, 0.0] for c in np.linspace(-1, 1, 5)])
    ```
    """

    def __init__(
        self,
        generator: keras.Model,
        name: str | None = None,
        metadata: dict | None = None,
        class_names: Sequence[str] | None = None,
    ):
        self.generator = generator
        self.name = name
        self.metadata = dict(metadata or {})
        self.noise_dim = int(generator.noise_dim)
        self.image_size = int(generator.image_size)
        self.channels = int(getattr(generator, "channels", 3))
        self.num_classes = int(getattr(generator, "num_classes", 0) or 0)
        self.code_dim = int(getattr(generator, "code_dim", 0) or 0)
        self.class_names = list(class_names) if class_names is not None else None
        if self.class_names is not None and len(self.class_names) != self.num_classes:
            raise ValueError(
                f"{len(self.class_names)} class names for a generator of {self.num_classes}"
            )
        self._function = None

    def __repr__(self):
        size = f"{self.image_size}x{self.image_size}x{self.channels}"
        family = self.metadata.get("family", "generator")
        return f"GeneratorPipeline(name={self.name!r}, {family}, {size})"

    # === Graph-friendly core ===
    def images_from_inputs(self, noise, labels=None, codes=None):
        """uint8 ``[n, S, S, C]`` for explicit inputs, in TensorFlow ops (traceable)."""
        inputs = {"noise": noise}
        if self.num_classes:
            inputs["labels"] = labels
        if self.code_dim:
            inputs["codes"] = codes
        return to_uint8_tensor(self.generator(inputs, training=False))

    def _compiled(self):
        if self._function is None:
            spec = [tf.TensorSpec([None, self.noise_dim], tf.float32)]
            spec.append(tf.TensorSpec([None], tf.int32))
            spec.append(tf.TensorSpec([None, max(self.code_dim, 1)], tf.float32))
            self._function = tf.function(
                lambda z, y, c: self.images_from_inputs(z, y, c[:, : self.code_dim]),
                input_signature=spec,
            )
        return self._function

    # === Python API ===
    def label_ids(self, labels) -> np.ndarray:
        """int32 class ids for ids or class names (case-insensitive); raises ValueError."""
        if not self.num_classes:
            raise ValueError(f"{self.name or 'This generator'} is unconditional: no labels.")
        if isinstance(labels, str | int | np.integer):
            labels = [labels]
        names = [n.lower() for n in self.class_names or []]
        ids = []
        for label in labels:
            if isinstance(label, str) and not label.strip().lstrip("-").isdigit():
                if label.lower() not in names:
                    known = ", ".join(self.class_names or []) or "none (use class ids)"
                    raise ValueError(f"Unknown class name {label!r}. Known: {known}")
                ids.append(names.index(label.lower()))
                continue
            try:
                value = int(label)
            except (TypeError, ValueError):
                raise ValueError(
                    f"A label must be a class id or name, received {label!r}"
                ) from None
            if isinstance(label, float) and value != label:
                raise ValueError(f"A class id must be an integer, received {label!r}")
            if not 0 <= value < self.num_classes:
                raise ValueError(
                    f"Class id {value} is outside 0..{self.num_classes - 1} for {self.name}"
                )
            ids.append(value)
        return np.asarray(ids, dtype=np.int32)

    def generate(
        self,
        num_images: int | None = None,
        labels=None,
        codes=None,
        seed: int | None = None,
        truncation: float | None = None,
        batch_size: int = 64,
    ) -> np.ndarray:
        """Draws images: uint8 ``[n, S, S, C]`` in [0, 255].

        Args:
            num_images: int >= 1; default ``len(labels)`` or ``len(codes)``, else 1. A single
                label or code row is repeated ``num_images`` times.
            labels: class ids or names (conditional models; InfoGAN's categorical code), one
                per image; drawn uniformly from ``seed`` when omitted.
            codes: float ``[n, code_dim]`` (or one row) continuous codes (InfoGAN, in [-1, 1]
                where trained); drawn from U(-1, 1) when omitted.
            seed: int or None (a random seed). The same seed and arguments give the same
                images.
            truncation: optional float > 0: ``z`` from a normal truncated to that range.
            batch_size: images per forward pass (memory vs speed; never changes the images).

        Raises:
            ValueError: for bad counts, labels, codes, seeds or truncation.
        """
        label_ids = None if labels is None else self.label_ids(labels)
        code_rows = None if codes is None else self._codes(codes)
        n = _count(num_images, label_ids, code_rows)
        seed = random_seed() if seed is None else _seed(seed)
        batch_size = int(batch_size)
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, received {batch_size}")
        truncation = check_truncation(truncation)
        z = stateless_normal([n, self.noise_dim], seed, _SALT_NOISE, truncation)
        if self.num_classes:
            label_ids = _broadcast(label_ids, n, "labels")
            if label_ids is None:
                key = tf.constant([seed, _SALT_LABELS], tf.int64)
                label_ids = tf.random.stateless_uniform(
                    [n], key, 0, self.num_classes, dtype=tf.int32
                ).numpy()
        elif label_ids is not None:
            raise ValueError(f"{self.name} is unconditional: no labels.")
        width = max(self.code_dim, 1)
        if self.code_dim:
            code_rows = _broadcast(code_rows, n, "codes")
            if code_rows is None:
                key = tf.constant([seed, _SALT_CODES], tf.int64)
                code_rows = tf.random.stateless_uniform([n, width], key, -1.0, 1.0).numpy()
        labels_in = np.zeros([n], np.int32) if label_ids is None else label_ids
        codes_in = np.zeros([n, width], np.float32) if code_rows is None else code_rows
        function = self._compiled()
        out = [
            function(
                z[i : i + batch_size], labels_in[i : i + batch_size], codes_in[i : i + batch_size]
            )
            for i in range(0, n, batch_size)
        ]
        return np.concatenate([o.numpy() for o in out])

    def _codes(self, codes) -> np.ndarray:
        if not self.code_dim:
            raise ValueError(f"{self.name or 'This generator'} takes no continuous codes.")
        rows = np.asarray(codes, dtype=np.float32)
        if rows.ndim == 1:
            rows = rows[None]
        if rows.ndim != 2 or rows.shape[1] != self.code_dim:
            raise ValueError(f"codes must be [n, {self.code_dim}], received {rows.shape}")
        if not np.all(np.isfinite(rows)):
            raise ValueError("codes must be finite numbers")
        return rows

    @staticmethod
    def to_pil(images) -> list:
        """``PIL.Image`` objects for uint8 images ``[n, H, W, C]`` (grey for C = 1)."""
        from PIL import Image

        images = np.asarray(images, dtype=np.uint8)
        if images.ndim == 3 and images.shape[-1] not in (1, 3):
            images = images[..., None]
        if images.ndim == 3:
            images = images[None]
        return [Image.fromarray(i[..., 0] if i.shape[-1] == 1 else i) for i in images]

    def grid(self, images, columns: int, captions=None):
        """A ``PIL.Image`` sheet of uint8 images, ``columns`` wide, optional captions."""
        from keras_stackgan.visual.grid import image_grid

        return image_grid(images, columns, captions)


def _seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"seed must be an integer, received {seed!r}")
    if not -(2**63) <= int(seed) < 2**63:
        raise ValueError(f"seed must fit in int64, received {seed}")
    return int(seed)


def _count(num_images, labels, codes) -> int:
    if num_images is None:
        given = [len(x) for x in (labels, codes) if x is not None and len(x) > 1]
        num_images = max(given) if given else 1
    if isinstance(num_images, bool) or not isinstance(num_images, int | np.integer):
        raise ValueError(f"num_images must be an integer, received {num_images!r}")
    if not 1 <= int(num_images) <= MAX_IMAGES:
        raise ValueError(f"num_images must be in 1..{MAX_IMAGES}, received {num_images}")
    return int(num_images)


def _broadcast(rows, n: int, what: str):
    if rows is None:
        return None
    if len(rows) == 1:
        return np.repeat(rows, n, axis=0)
    if len(rows) != n:
        raise ValueError(f"{len(rows)} {what} for {n} images")
    return rows
