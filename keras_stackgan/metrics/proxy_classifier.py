"""``ProxyClassifier``: a compact CNN species classifier whose pooled features stand in for
Inception's in proxy-IS and proxy-FID."""

from __future__ import annotations

from collections.abc import Sequence

import keras

FEATURES_LAYER = "features"


@keras.saving.register_keras_serializable(package="keras_stackgan")
class ProxyClassifier(keras.Model):
    """A small convolutional classifier trained from scratch on the real images of a dataset.

    ``len(filters)`` stages; stage ``i`` starts with a stride-2 ``3x3`` convolution to
    ``filters[i]`` channels and has ``depths[i]`` convolutions in all, each followed by batch
    normalisation and ReLU. A global average pool gives the **features** (``filters[-1]``-d,
    non-negative, the analogue of Inception's pool3), then dropout and a linear layer give the
    class logits. The defaults (64x64 input, ``(32, 64, 128, 256)`` filters, depths
    ``(1, 2, 2, 1)``) have about 0.6 M parameters and 34 M multiply-adds per image, so it trains
    in minutes on a CPU.

    Proxy-IS and proxy-FID computed from this network (``ProxyEvaluator``) are **not comparable
    with published Inception Score or FID values**: only with other numbers from the same
    classifier weights, image size and sample count.

    Args:
        num_classes: int. Number of classes.
        image_size: int. Height and width of the (square) input. Defaults to 64.
        filters: sequence of int. Channels of each stage. Defaults to ``(32, 64, 128, 256)``.
        depths: sequence of int, same length as ``filters``. Convolutions per stage (at least
            1). Defaults to ``(1, 2, 2, 1)``.
        dropout: float. Dropout on the features before the logits. Defaults to 0.3.
        **kwargs: passed to ``keras.Model``.

    Call arguments:
        inputs: float tensor ``[batch, image_size, image_size, 3]`` with values in ``[-1, 1]``
            (``ProxyEvaluator`` converts uint8 images and resizes).

    Returns:
        float32 logits ``[batch, num_classes]``. ``features_model`` returns the pooled features
        ``[batch, filters[-1]]`` (values ``>= 0``) and the logits.

    Examples:
    ```python
    model = ProxyClassifier(num_classes=102)
    model(np.zeros((2, 64, 64, 3), "float32")).shape  # (2, 102)
    features, logits = model.features_model(np.zeros((2, 64, 64, 3), "float32"))  # (2, 256)
    ```
    """

    def __init__(
        self,
        num_classes: int,
        image_size: int = 64,
        filters: Sequence[int] = (32, 64, 128, 256),
        depths: Sequence[int] = (1, 2, 2, 1),
        dropout: float = 0.3,
        **kwargs,
    ):
        if len(filters) != len(depths) or min(depths) < 1:
            raise ValueError(f"filters {filters} and depths {depths}: equal lengths, depths >= 1")

        # === Functional Model ===
        inputs = keras.Input((image_size, image_size, 3), name="images")
        x = inputs
        for stage, (width, depth) in enumerate(zip(filters, depths)):
            for k in range(depth):
                x = keras.layers.Conv2D(
                    width,
                    3,
                    strides=2 if k == 0 else 1,
                    padding="same",
                    use_bias=False,
                    name=f"stage{stage}_conv{k}",
                )(x)
                x = keras.layers.BatchNormalization(name=f"stage{stage}_norm{k}")(x)
                x = keras.layers.ReLU(name=f"stage{stage}_relu{k}")(x)
        features = keras.layers.GlobalAveragePooling2D(name=FEATURES_LAYER)(x)
        x = keras.layers.Dropout(dropout, name="dropout")(features)
        logits = keras.layers.Dense(num_classes, dtype="float32", name="logits")(x)
        super().__init__(inputs=inputs, outputs=logits, **kwargs)

        # === Config ===
        self.num_classes = num_classes
        self.image_size = image_size
        self.filters = list(filters)
        self.depths = list(depths)
        self.dropout = dropout

    @property
    def feature_dim(self) -> int:
        """Size of the pooled features (``filters[-1]``)."""
        return self.filters[-1]

    @property
    def features_model(self) -> keras.Model:
        """A ``keras.Model`` sharing this model's layers: images -> ``[features, logits]``."""
        model = self.__dict__.get("_features_model")
        if model is None:
            model = keras.Model(
                self.inputs, [self.get_layer(FEATURES_LAYER).output, self.outputs[0]]
            )
            # Kept out of Keras' attribute tracking: it only re-uses this model's variables.
            object.__setattr__(self, "_features_model", model)
        return model

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "trainable": self.trainable,
            "num_classes": self.num_classes,
            "image_size": self.image_size,
            "filters": list(self.filters),
            "depths": list(self.depths),
            "dropout": self.dropout,
        }
