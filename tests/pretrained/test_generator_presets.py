"""Zoo presets: ``write_generator_preset`` -> ``load_preset_dir`` -> ``GeneratorPipeline``."""

import json

import keras
import numpy as np
import pytest

from keras_stackgan.pretrained.generator_pipeline import GeneratorPipeline
from keras_stackgan.pretrained.load import load_preset_dir
from keras_stackgan.pretrained.package import write_generator_preset


@keras.saving.register_keras_serializable(package="keras_stackgan_tests")
class TinyConditionalGenerator(keras.Model):
    """noise [n, 4] + labels [n] + codes [n, 2] -> [n, 4, 4, 1] in [-1, 1]."""

    def __init__(self, **kwargs):
        noise = keras.Input((4,), name="noise")
        labels = keras.Input((), dtype="int32", name="labels")
        codes = keras.Input((2,), name="codes")
        label_vectors = keras.layers.Embedding(3, 4)(labels)
        x = keras.layers.Concatenate()([noise, label_vectors, codes])
        x = keras.layers.Dense(16, activation="tanh", dtype="float32")(x)
        images = keras.layers.Reshape((4, 4, 1))(x)
        super().__init__({"noise": noise, "labels": labels, "codes": codes}, images, **kwargs)
        self.noise_dim, self.image_size, self.channels = 4, 4, 1
        self.num_classes, self.code_dim = 3, 2

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable}


def test_a_written_preset_loads_as_the_same_generator(tmp_path):
    generator = TinyConditionalGenerator()
    names = ["zero", "one", "two"]
    write_generator_preset(
        tmp_path / "tiny", family="test", dataset="none", generator=generator, class_names=names
    )
    config = json.loads((tmp_path / "tiny" / "config.json").read_text())
    assert config["family"] == "test" and config["dataset"] == "none"
    pipeline = load_preset_dir(tmp_path / "tiny")
    assert isinstance(pipeline, GeneratorPipeline) and pipeline.name == "tiny"
    expected = GeneratorPipeline(generator, class_names=names)
    kwargs = dict(labels=["one", 2, "0"], codes=[0.5, -0.5], seed=3)
    np.testing.assert_array_equal(pipeline.generate(**kwargs), expected.generate(**kwargs))
    images = pipeline.generate(5, seed=1)
    assert images.shape == (5, 4, 4, 1) and images.dtype == np.uint8
    with pytest.raises(ValueError, match="stage"):
        load_preset_dir(tmp_path / "tiny", stage="64")


def test_pipeline_validates_labels_codes_counts_and_seeds():
    pipeline = GeneratorPipeline(TinyConditionalGenerator(), class_names=["a", "b", "c"])
    for bad, match in [
        (dict(labels=[3]), "outside"),
        (dict(labels=["purple"]), "Unknown class name"),
        (dict(labels=[1.5]), "integer"),
        (dict(codes=[[0.0, 0.0, 0.0]]), r"codes must be \[n, 2\]"),
        (dict(codes=[np.nan, 0.0]), "finite"),
        (dict(num_images=0), "num_images"),
        (dict(num_images=10**9), "num_images"),
        (dict(num_images=2, labels=[0, 1, 2]), "3 labels for 2 images"),
        (dict(seed=2**64), "int64"),
        (dict(seed="7"), "integer"),
        (dict(truncation=float("nan")), "truncation"),
        (dict(truncation=-1.0), "truncation"),
        (dict(batch_size=0), "batch_size"),
    ]:
        with pytest.raises(ValueError, match=match):
            pipeline.generate(**bad)
    one = pipeline.generate(labels="b", seed=0)
    assert one.shape == (1, 4, 4, 1)
    np.testing.assert_array_equal(pipeline.generate(labels=["b"], seed=0), one)


def test_a_preset_folder_with_a_lambda_layer_is_refused(tmp_path):
    """A user folder whose config smuggles code in (a Keras Lambda layer's serialised
    bytecode) is refused by safe-mode deserialisation, before any of it runs."""
    write_generator_preset(
        tmp_path / "unsafe", family="test", dataset="none", generator=TinyConditionalGenerator()
    )
    marker = str(tmp_path / "ran")
    inputs = keras.Input((4,))
    outputs = keras.layers.Lambda(lambda t, m=marker: (open(m, "w"), t)[1])(inputs)
    path = tmp_path / "unsafe" / "config.json"
    config = json.loads(path.read_text())
    config["generator"] = keras.saving.serialize_keras_object(keras.Model(inputs, outputs))
    path.write_text(json.dumps(config))
    (tmp_path / "ran").unlink()  # building the model above ran the function once
    with pytest.raises(ValueError, match="(?i)lambda|safe"):
        load_preset_dir(tmp_path / "unsafe")
    assert not (tmp_path / "ran").exists()


def test_weight_file_names_cannot_leave_the_folder(tmp_path):
    write_generator_preset(
        tmp_path / "p", family="test", dataset="none", generator=TinyConditionalGenerator()
    )
    path = tmp_path / "p" / "config.json"
    config = json.loads(path.read_text())
    config["weights"]["generator"] = "../elsewhere.weights.h5"
    path.write_text(json.dumps(config))
    with pytest.raises(ValueError, match="plain file names"):
        load_preset_dir(tmp_path / "p")


@keras.saving.register_keras_serializable(package="keras_stackgan_tests")
class HeadGenerator(keras.Model):
    """noise [n, 4] -> ``head`` (any layer, e.g. a Lambda) -> [n, 2, 2, 1]; head in its config."""

    def __init__(self, head=None, **kwargs):
        noise = keras.Input((4,), name="noise")
        self.head = head if head is not None else keras.layers.Activation("tanh")
        images = keras.layers.Reshape((2, 2, 1))(self.head(noise))
        super().__init__({"noise": noise}, images, **kwargs)
        self.noise_dim, self.image_size, self.channels = 4, 2, 1

    def get_config(self):
        return {"name": self.name, "head": keras.saving.serialize_keras_object(self.head)}

    @classmethod
    def from_config(cls, config):
        head = keras.saving.deserialize_keras_object(config.pop("head"))
        return cls(head=head, **config)


def test_a_lambda_preset_loads_only_when_the_user_opts_in(tmp_path):
    """``load_preset_dir(..., safe_mode=False)`` is the explicit opt-in: the same folder that
    safe mode refuses (its code never runs) then loads and generates what the saved model does."""
    marker = tmp_path / "ran"
    # The path is a constant of the function's code (Keras cannot reload default arguments).
    function = eval(f"lambda t: (open({str(marker)!r}, 'w').close(), t)[1] * 0.5")  # noqa: S307
    head = keras.layers.Lambda(function)
    generator = HeadGenerator(head=head)
    write_generator_preset(tmp_path / "own", family="test", dataset="none", generator=generator)
    marker.unlink()  # building the model above ran the function once
    with pytest.raises(ValueError, match="(?i)lambda|safe"):
        load_preset_dir(tmp_path / "own")
    assert not marker.exists()

    pipeline = load_preset_dir(tmp_path / "own", safe_mode=False)
    assert marker.exists()  # the user's own code ran, as asked
    noise = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")
    expected = keras.ops.convert_to_numpy(generator({"noise": noise}))
    got = keras.ops.convert_to_numpy(pipeline.generator({"noise": noise}))
    np.testing.assert_allclose(got, expected, atol=1e-6)
    assert pipeline.generate(5, seed=0).shape == (5, 2, 2, 1)
