"""``StackGANPipeline``: plain English in, uint8 images out (text encoder + generators)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf

from keras_stackgan.images import to_uint8_tensor
from keras_stackgan.models.noise import stateless_generation_noise
from keras_stackgan.text.text_encoder import check_texts


class StackGANPipeline:
    """A text encoder and one or two generators, ready to turn sentences into images.

    Stage-I (``StageIGenerator``, or any 64 px generator taking ``{"embedding", "noise"}``
    such as GAN-INT-CLS's) sketches at 64x64; the optional Stage-II generator repaints the
    sketch at 256x256. Noise comes from TensorFlow's stateless generators keyed by ``seed``,
    so the same call gives the same images here and in the exported SavedModel
    (``keras_stackgan.export.export_saved_model``).

    Args:
        text_encoder: a ``keras_stackgan.text.TextEncoder`` (``tf.string [n]`` -> float32
            ``[n, D]``), e.g. ``SentenceEncoder``.
        stage1_generator: a keras model mapping ``{"embedding" [n, D], "noise" [n, Nz]}`` (plus
            ``"ca_noise" [n, Nc]`` when it has a ``condition_dim``) to ``{"images"}`` in
            [-1, 1].
        stage2_generator: optional ``StageIIGenerator``.
        name: str, the preset name.
        metadata: dict, what the preset's ``config.json`` says about training and data.
        style_encoder: optional GAN-INT-CLS ``StyleEncoder`` of ``stage1_generator`` (images
            [-1, 1] -> ``z``), which enables ``transfer_style``.

    Attributes:
        text_encoder, stage1_generator, stage2_generator: the underlying Keras models, for
            fine-tuning (e.g. ``StageIGAN(pipeline.stage1_generator, discriminator)``).

    Examples:
    ```python
    pipeline = keras_stackgan.load_pretrained("cub")
    images = pipeline.generate(["this bird is red with black wings"], images_per_text=4, seed=0)
    images.shape  # (4, 256, 256, 3), uint8
    pipeline.to_pil(images)[0].save("bird.png")
    ```
    """

    def __init__(
        self,
        text_encoder,
        stage1_generator: keras.Model,
        stage2_generator: keras.Model | None = None,
        name: str | None = None,
        metadata: dict | None = None,
        style_encoder: keras.Model | None = None,
    ):
        if int(text_encoder.embedding_dim) != int(stage1_generator.embedding_dim):
            raise ValueError(
                f"The text encoder gives {text_encoder.embedding_dim}-d embeddings, the "
                f"generator takes {stage1_generator.embedding_dim}-d"
            )
        self.text_encoder = text_encoder
        self.stage1_generator = stage1_generator
        self.stage2_generator = stage2_generator
        self.style_encoder = style_encoder
        self.name = name
        self.metadata = dict(metadata or {})
        self.embedding_dim = int(stage1_generator.embedding_dim)
        self.noise_dim = int(stage1_generator.noise_dim)
        # Generators without Conditioning Augmentation (GAN-INT-CLS) report 0 or nothing.
        self.condition_dim = getattr(stage1_generator, "condition_dim", None) or None
        self.image_size = int(
            stage2_generator.image_size if stage2_generator else stage1_generator.image_size
        )
        self._compiled = {}

    def __repr__(self):
        stages = "Stage-I + Stage-II" if self.stage2_generator is not None else "64 px"
        size = f"{self.image_size}x{self.image_size}"
        return f"StackGANPipeline(name={self.name!r}, {stages}, {size})"

    # === Graph-friendly core (shared with the SavedModel export) ===
    def noise(self, batch, seed, sample_condition: bool = False, truncation=None):
        """``(z, epsilon or None)`` for ``batch`` images from ``seed`` (TensorFlow ops)."""
        return stateless_generation_noise(
            batch, self.noise_dim, self.condition_dim, seed, sample_condition, truncation
        )

    def images_from_noise(self, embeddings, z, epsilon=None, return_stage1: bool = False):
        """uint8 images for embeddings and noise, in TensorFlow ops (traceable).

        Args:
            embeddings: float32 ``[n, D]``.
            z: float32 ``[n, noise_dim]``.
            epsilon: float32 ``[n, condition_dim]`` CA noise (zeros: the CA mean), or None
                for generators without Conditioning Augmentation.
            return_stage1: also return the 64 px Stage-I images.

        Returns:
            uint8 tensor ``[n, S, S, 3]`` in [0, 255] (and the Stage-I images when asked).
        """
        inputs = {"embedding": embeddings, "noise": z}
        if epsilon is not None:
            inputs["ca_noise"] = epsilon
        sketch = self.stage1_generator(inputs, training=False)["images"]
        images = sketch
        if self.stage2_generator is not None:
            images = self.stage2_generator(
                {"images": sketch, "embedding": embeddings, "ca_noise": epsilon}, training=False
            )["images"]
        if return_stage1:
            return to_uint8_tensor(images), to_uint8_tensor(sketch)
        return to_uint8_tensor(images)

    def images_from_embeddings(
        self, embeddings, seed, sample_condition=False, truncation=None, return_stage1=False
    ):
        """``images_from_noise`` with the noise of the whole batch drawn from ``seed``."""
        embeddings = tf.convert_to_tensor(embeddings, tf.float32)
        z, epsilon = self.noise(tf.shape(embeddings)[0], seed, sample_condition, truncation)
        return self.images_from_noise(embeddings, z, epsilon, return_stage1)

    def _function(self, return_stage1: bool):
        if return_stage1 not in self._compiled:
            spec = [
                tf.TensorSpec([None, self.embedding_dim], tf.float32),
                tf.TensorSpec([None, self.noise_dim], tf.float32),
            ]
            if self.condition_dim is not None:
                spec.append(tf.TensorSpec([None, self.condition_dim], tf.float32))
            self._compiled[return_stage1] = tf.function(
                lambda *args: self.images_from_noise(*args, return_stage1=return_stage1),
                input_signature=spec,
            )
        return self._compiled[return_stage1]

    # === Python API ===
    def embed(self, texts: str | Sequence[str]) -> np.ndarray:
        """float32 ``[n, D]`` embeddings of the texts."""
        return np.asarray(self.text_encoder.encode(check_texts(texts)), dtype=np.float32)

    def generate(
        self,
        texts: str | Sequence[str],
        images_per_text: int = 1,
        seed: int | None = None,
        sample_condition: bool = False,
        truncation: float | None = None,
        return_stage1: bool = False,
        batch_size: int = 16,
    ):
        """Images for sentences: uint8 ``[len(texts) * images_per_text, S, S, 3]``.

        Images ``i * images_per_text ... (i + 1) * images_per_text - 1`` show ``texts[i]``.

        Args:
            texts: a sentence or a list of sentences (English, any length; long ones are
                truncated by the tokenizer).
            images_per_text: int >= 1, images (different noise) per sentence.
            seed: int or None (a random seed). The same seed and the same inputs give the
                same images, here and in the exported SavedModel.
            sample_condition: bool. Sample the Conditioning Augmentation condition (more
                variety) instead of using its mean.
            truncation: optional float > 0, e.g. 1.0: truncated noise, less variety, fewer
                artefacts.
            return_stage1: also return the 64 px Stage-I sketches (uint8).
            batch_size: int >= 1, images per forward pass (memory vs speed).

        Returns:
            uint8 numpy array in [0, 255]; with ``return_stage1`` a tuple ``(images, stage1)``.
            At most ``MAX_IMAGES`` (2,048) images per call, since all are returned at once.

        Raises:
            ValueError / TypeError: for empty or non-string texts, ``images_per_text < 1``,
                more than ``MAX_IMAGES`` images, a seed that is not an int64 integer, a
                truncation that is not a finite number > 0, ``batch_size < 1``.
        """
        texts = check_texts(texts)
        images_per_text = _check_int("images_per_text", images_per_text)
        _check_count(len(texts) * images_per_text)
        check_generation_arguments(seed, truncation, batch_size)  # before the text encoder runs
        embeddings = np.repeat(self.embed(texts), images_per_text, axis=0)
        return self.generate_from_embeddings(
            embeddings, seed, sample_condition, truncation, return_stage1, batch_size
        )

    def generate_from_embeddings(
        self,
        embeddings,
        seed: int | None = None,
        sample_condition: bool = False,
        truncation: float | None = None,
        return_stage1: bool = False,
        batch_size: int = 16,
    ):
        """Like ``generate`` for precomputed embeddings float ``[n, D]``.

        The noise of all ``n`` images is drawn at once from ``seed``, so ``batch_size`` changes
        speed and memory, never the images.

        Raises:
            ValueError: for embeddings that are not ``[n, D]`` with ``1 <= n <= MAX_IMAGES``,
                or hold NaN/inf, and for the bad arguments ``generate`` refuses.
        """
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if embeddings.ndim != 2 or embeddings.shape[1] != self.embedding_dim:
            raise ValueError(
                f"embeddings must be [n, {self.embedding_dim}], received {embeddings.shape}"
            )
        _check_count(len(embeddings))
        seed, truncation, batch_size = check_generation_arguments(seed, truncation, batch_size)
        if seed is None:
            seed = int(np.random.default_rng().integers(0, 2**31 - 1))
        z, epsilon = self.noise(len(embeddings), seed, sample_condition, truncation)
        return self.generate_from_noise(embeddings, z, epsilon, return_stage1, batch_size)

    def generate_from_noise(
        self, embeddings, noise, condition_noise=None, return_stage1=False, batch_size=16
    ):
        """Images for explicit inputs (interpolations, fixed-noise comparisons).

        Args:
            embeddings: float ``[n, D]``.
            noise: float ``[n, noise_dim]``, the ``z`` of each image.
            condition_noise: float ``[n, condition_dim]`` CA noise; None means the CA mean
                (zeros). Ignored by generators without CA.
            return_stage1, batch_size: as in ``generate``.

        Returns:
            uint8 ``[n, S, S, 3]`` (and the Stage-I images with ``return_stage1``).
        """
        embeddings = np.asarray(embeddings, dtype=np.float32)
        batch_size = _check_int("batch_size", batch_size)
        _check_finite("embeddings", embeddings)
        _check_finite("noise", noise)
        if condition_noise is not None:
            _check_finite("condition_noise", condition_noise)
        z = tf.convert_to_tensor(np.asarray(noise, dtype=np.float32))
        if tuple(z.shape) != (len(embeddings), self.noise_dim):
            raise ValueError(
                f"noise must be [{len(embeddings)}, {self.noise_dim}], received {tuple(z.shape)}"
            )
        epsilon = None
        if self.condition_dim is not None:
            epsilon = (
                tf.zeros([len(embeddings), self.condition_dim])
                if condition_noise is None
                else tf.convert_to_tensor(np.asarray(condition_noise, dtype=np.float32))
            )
        function = self._function(bool(return_stage1))
        outputs = []
        for start in range(0, len(embeddings), batch_size):
            window = slice(start, start + batch_size)
            args = [tf.constant(embeddings[window]), z[window]]
            if epsilon is not None:
                args.append(epsilon[window])
            outputs.append(function(*args))
        if return_stage1:
            return tuple(np.concatenate([o[i].numpy() for o in outputs]) for i in range(2))
        return np.concatenate([o.numpy() for o in outputs])

    def transfer_style(self, query_images, texts, batch_size: int = 64) -> np.ndarray:
        """Each query image's style (pose, background) drawn with each sentence's content.

        GAN-INT-CLS style transfer (Reed et al. 2016, 4.4): the style encoder S estimates the
        noise behind each query, ``z = S(query)``, and the generator draws ``G(z, text)``.

        Args:
            query_images: uint8 ``[q, H, W, 3]`` (or one ``[H, W, 3]``) in [0, 255], e.g. real
                photos or ``generate`` outputs; resized to the generator's size.
            texts: a sentence or a list of ``t`` sentences.
            batch_size: images per forward pass.

        Returns:
            uint8 numpy array ``[q, t, S, S, 3]``.

        Raises:
            ValueError: when the pipeline has no style encoder (StackGAN presets).
        """
        from keras_stackgan.models.gan_int_cls.style_transfer import transfer_style

        if self.style_encoder is None:
            raise ValueError(
                f"{self.name or 'This pipeline'} has no style encoder; style transfer needs a "
                "GAN-INT-CLS preset (e.g. load_pretrained('gan-int-cls-cub'))."
            )
        query = np.asarray(query_images)
        if query.ndim == 3:
            query = query[None]
        if query.ndim != 4 or query.shape[-1] != 3:
            raise ValueError(f"query_images must be [q, H, W, 3], received {query.shape}")
        size = int(self.stage1_generator.image_size)
        query = tf.image.resize(tf.cast(query, tf.float32), (size, size), antialias=True)
        query = query.numpy() / 127.5 - 1.0
        images = transfer_style(
            self.stage1_generator, self.style_encoder, query, self.embed(texts), batch_size
        )
        return to_uint8_tensor(images).numpy()

    @staticmethod
    def to_pil(images) -> list:
        """``PIL.Image`` objects for uint8 images ``[n, H, W, 3]`` (or one ``[H, W, 3]``)."""
        from PIL import Image

        images = np.asarray(images)
        if images.ndim == 3:
            images = images[None]
        return [Image.fromarray(image) for image in images.astype(np.uint8)]

    def grid(self, texts, images_per_text: int = 4, seed: int | None = 0, **kwargs):
        """A ``PIL.Image`` sheet: one column per sentence, the sentence underneath."""
        from keras_stackgan.visual.grid import image_grid

        texts = check_texts(texts)
        images = self.generate(texts, images_per_text, seed=seed, **kwargs)
        return image_grid(images, len(texts), texts)


# === Argument validation (shared with keras_stackgan.export and the CLI) ===

# One call returns all its images at once (plus their embeddings and noise): 2,048 images of
# 256 px are 400 MB. Bigger requests are refused with this number, not left to grow memory.
MAX_IMAGES = 2048
_INT64 = (-(2**63), 2**63 - 1)  # seeds: what the stateless ops and the SavedModel take


def _check_int(name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer, received {value!r}")
    if int(value) < minimum:
        raise ValueError(f"{name} must be >= {minimum}, received {value}")
    return int(value)


def _check_count(n: int) -> None:
    if n < 1:
        raise ValueError("nothing to generate: give at least one text or embedding")
    if n > MAX_IMAGES:
        raise ValueError(
            f"{n} images asked for in one call; the limit is {MAX_IMAGES} (all are returned at "
            "once): generate in several calls"
        )


def _check_finite(name: str, values) -> None:
    if not np.all(np.isfinite(np.asarray(values, dtype=np.float32))):
        raise ValueError(f"{name} hold NaN or inf values (they would give blank images)")


def check_generation_arguments(seed, truncation, batch_size=1):
    """``(seed, truncation, batch_size)`` checked the way ``generate`` needs them.

    Args:
        seed: None or an integer in the int64 range (numpy integers too; not bool or float).
        truncation: None or a finite float > 0.
        batch_size: int >= 1.

    Returns:
        ``(int or None, float or None, int)``.

    Raises:
        TypeError / ValueError: naming the argument.
    """
    if seed is not None:
        seed = _check_int("seed", seed, minimum=_INT64[0])
        if seed > _INT64[1]:
            raise ValueError(f"seed must fit in int64 (at most {_INT64[1]}), received {seed}")
    if truncation is not None:
        try:
            truncation = float(truncation)
        except (TypeError, ValueError):
            raise TypeError(f"truncation must be a number, received {truncation!r}") from None
        if not math.isfinite(truncation) or truncation <= 0:
            raise ValueError(f"truncation must be a finite number > 0, received {truncation}")
    return seed, truncation, _check_int("batch_size", batch_size)
