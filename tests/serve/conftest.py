"""Pipelines the server tests share (loaded once per session) and tiny zoo generators.

The shipped ``flowers`` preset (64 px, the smallest) and ``gan-int-cls-flowers`` (style
transfer) are loaded once; the zoo path uses a tiny ``GeneratorPipeline`` built here, so no test
depends on the zoo's presets being shipped.
"""

import pytest


def tiny_zoo_pipeline(num_classes=3, code_dim=2, channels=1, image_size=8, name="tiny-infogan"):
    """A ``GeneratorPipeline`` around a 2-layer generator following the zoo's convention."""
    import keras
    import numpy as np

    from keras_stackgan.pretrained.generator_pipeline import GeneratorPipeline

    class TinyGenerator(keras.Model):
        def __init__(self):
            super().__init__()
            self.noise_dim, self.image_size, self.channels = 4, image_size, channels
            self.num_classes, self.code_dim = num_classes, code_dim
            self.embedding = keras.layers.Embedding(max(num_classes, 1), 3)
            self.dense = keras.layers.Dense(image_size * image_size * channels)

        def build(self, input_shape):
            self.embedding.build((None,))
            width = self.noise_dim + (3 if self.num_classes else 0) + self.code_dim
            self.dense.build((None, width))

        def call(self, inputs, training=False):
            parts = [inputs["noise"]]
            if self.num_classes:
                parts.append(self.embedding(inputs["labels"]))
            if self.code_dim:
                parts.append(inputs["codes"])
            pixels = self.dense(keras.ops.concatenate(parts, axis=-1))
            return keras.ops.tanh(
                3.0 * keras.ops.reshape(pixels, (-1, image_size, image_size, channels))
            )

    generator = TinyGenerator()
    generator(
        {
            "noise": np.zeros([1, 4], np.float32),
            "labels": np.zeros([1], np.int32),
            "codes": np.zeros([1, max(code_dim, 1)], np.float32)[:, :code_dim],
        }
    )
    names = [f"class {i}" for i in range(num_classes)] if num_classes else None
    return GeneratorPipeline(
        generator,
        name=name,
        metadata={"family": "infogan" if code_dim else "dcgan", "description": "tiny test"},
        class_names=names,
    )


@pytest.fixture(autouse=True)
def _reset_keras_state():
    """Overrides the suite's per-test ``clear_session``: these tests share loaded pipelines
    and only run inference, and clearing the session after each cost 0.6 s a test."""
    yield


@pytest.fixture(scope="session")
def flowers():
    from keras_stackgan.pretrained.load import list_pretrained, load_pretrained

    if "flowers" not in list_pretrained():
        pytest.skip("the flowers preset is not shipped")
    return load_pretrained("flowers")


@pytest.fixture(scope="session")
def style_flowers():
    from keras_stackgan.pretrained.load import list_pretrained, load_pretrained

    if "gan-int-cls-flowers" not in list_pretrained():
        pytest.skip("the gan-int-cls-flowers preset is not shipped")
    return load_pretrained("gan-int-cls-flowers")


@pytest.fixture(scope="session")
def tiny_stackgan():
    """A random Stage-I 64 px + Stage-II 128 px pipeline: the page's sketch-next-to-result."""
    from keras_stackgan.pretrained.pipeline import StackGANPipeline
    from tests.pretrained.conftest import tiny_generators, tiny_text_encoder

    stage1, stage2 = tiny_generators()
    return StackGANPipeline(tiny_text_encoder(), stage1, stage2, name="tiny-stackgan")


@pytest.fixture(scope="session")
def tiny_infogan():
    return tiny_zoo_pipeline()


@pytest.fixture(scope="session")
def tiny_dcgan():
    return tiny_zoo_pipeline(num_classes=0, code_dim=0, channels=3, name="tiny-dcgan")
