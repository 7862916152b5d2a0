"""StackGAN for inference: text embedding -> Stage-I sketch -> Stage-II image."""

from __future__ import annotations

import keras

from keras_stackgan.models.dict_inputs import MixedDictInputs
from keras_stackgan.models.noise import generation_inputs
from keras_stackgan.models.stackgan.stage1_generator import StageIGenerator
from keras_stackgan.models.stackgan.stage2_generator import StageIIGenerator


@keras.saving.register_keras_serializable(package="keras_stackgan")
class StackGAN(MixedDictInputs, keras.Model):
    """The two StackGAN generators chained for inference (or the Stage-I generator alone).

    Args:
        stage1_generator: :class:`StageIGenerator`.
        stage2_generator: :class:`StageIIGenerator` or None for 64 px Stage-I output only.

    Inputs (a dict):
        embedding: float ``[batch, embedding_dim]``.
        noise: float ``[batch, noise_dim]``.
        ca_noise: float ``[batch, condition_dim]``, used by both stages' CA (zeros: the means).

    Outputs (a dict):
        images: float32 ``[batch, S, S, 3]`` in [-1, 1] (S = 256/128 with Stage-II, 64 without).
        stage1_images: float32 ``[batch, 64, 64, 3]`` in [-1, 1].

    Examples:
    >>> model = StackGAN(StageIGenerator(embedding_dim=16, gf_dim=8))
    >>> images = model.generate(np.zeros((2, 16), "float32"), seed=0)
    >>> images.shape
    (2, 64, 64, 3)
    """

    def __init__(
        self,
        stage1_generator: StageIGenerator,
        stage2_generator: StageIIGenerator | None = None,
        **kwargs,
    ):
        # === Functional Model ===
        embedding = keras.Input((stage1_generator.embedding_dim,), name="embedding")
        noise = keras.Input((stage1_generator.noise_dim,), name="noise")
        ca_noise = keras.Input((stage1_generator.condition_dim,), name="ca_noise")
        sketch = stage1_generator({"embedding": embedding, "noise": noise, "ca_noise": ca_noise})
        images = sketch["images"]
        if stage2_generator is not None:
            if stage2_generator.embedding_dim != stage1_generator.embedding_dim:
                raise ValueError(
                    f"Stage-I takes {stage1_generator.embedding_dim}-d embeddings, Stage-II "
                    f"{stage2_generator.embedding_dim}-d"
                )
            images = stage2_generator(
                {"images": sketch["images"], "embedding": embedding, "ca_noise": ca_noise}
            )["images"]
        super().__init__(
            inputs={"embedding": embedding, "noise": noise, "ca_noise": ca_noise},
            outputs={"images": images, "stage1_images": sketch["images"]},
            **kwargs,
        )

        # === Config ===
        self.stage1_generator = stage1_generator
        self.stage2_generator = stage2_generator
        self.embedding_dim = stage1_generator.embedding_dim
        self.noise_dim = stage1_generator.noise_dim
        self.condition_dim = stage1_generator.condition_dim
        self.image_size = (
            stage2_generator.image_size if stage2_generator else stage1_generator.image_size
        )

    def generate(
        self,
        embeddings,
        noise=None,
        seed: int | None = None,
        sample_condition: bool = False,
        truncation: float | None = None,
        return_stage1: bool = False,
        batch_size: int = 16,
    ):
        """Generates images from text embeddings.

        Args:
            embeddings: float array ``[n, embedding_dim]``.
            noise: optional ``z`` array ``[n, noise_dim]``; drawn from ``seed`` when omitted.
            seed: int or None, makes the noise (and so the images) reproducible.
            sample_condition: bool, sample the CA condition instead of using its mean.
            truncation: optional float, truncated-normal noise (``keras_stackgan.models.noise``).
            return_stage1: bool, also return the 64 px Stage-I images.
            batch_size: int, images per forward pass.

        Returns:
            float32 numpy array ``[n, S, S, 3]`` in [-1, 1]; with ``return_stage1`` a tuple
            ``(images, stage1_images)``.

        Raises:
            ValueError: if ``embeddings`` is not ``[n, embedding_dim]``.
        """
        inputs = generation_inputs(
            embeddings,
            self.embedding_dim,
            self.noise_dim,
            self.condition_dim,
            seed=seed,
            noise=noise,
            sample_condition=sample_condition,
            truncation=truncation,
        )
        out = self.predict(inputs, batch_size=batch_size, verbose=0)
        if return_stage1:
            return out["images"], out["stage1_images"]
        return out["images"]

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "stage1_generator": keras.saving.serialize_keras_object(self.stage1_generator),
            "stage2_generator": (
                keras.saving.serialize_keras_object(self.stage2_generator)
                if self.stage2_generator is not None
                else None
            ),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("stage1_generator", "stage2_generator"):
            if config.get(key) is not None:
                config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
