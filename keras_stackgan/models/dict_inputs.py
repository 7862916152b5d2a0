"""Lets the dict-input models take numpy arrays and tensors mixed in one call."""

import numpy as np
from keras import ops, tree


class MixedDictInputs:
    """Converts numpy leaves of the inputs to tensors before ``keras.Model.__call__``.

    Written by hand because Keras refuses nested inputs that mix tensors and non-tensors
    ("you cannot mix tensors and non-tensors"), which is what users naturally pass:
    ``discriminator({"images": generated_tensor, "embedding": numpy_embeddings})``.
    """

    def __call__(self, inputs, *args, **kwargs):
        inputs = tree.map_structure(
            lambda x: ops.convert_to_tensor(x) if isinstance(x, np.ndarray | np.generic) else x,
            inputs,
        )
        return super().__call__(inputs, *args, **kwargs)
