"""InfoGAN's latent-code sweeps (Chen et al. 2016, Figure 2): one continuous code varied from
-1 to 1 across the columns, one categorical value per row."""

from __future__ import annotations

import numpy as np
from PIL import Image

from keras_stackgan.models.noise import stateless_normal
from keras_stackgan.visual.grid import image_grid

_SALT_NOISE = 1  # GeneratorPipeline.generate's salt of z


def code_sweep(
    pipeline, code_index: int, steps: int = 10, low: float = -1.0, high: float = 1.0, seed=0
) -> np.ndarray:
    """Images of every categorical value (rows) as continuous code ``code_index`` sweeps.

    Row ``k`` has categorical code ``k`` and one ``z`` (the ``k``-th of ``seed``'s draws, the
    same across the row); the swept code goes from ``low`` to ``high`` along the columns and
    the other continuous codes stay at 0 (the paper's Figure 2 layout).

    Args:
        pipeline: a ``GeneratorPipeline`` with ``num_classes`` and ``code_dim`` (InfoGAN).
        code_index: int in ``[0, code_dim)``, the continuous code to vary.
        steps: int >= 2, columns.
        low, high: float, the range of the swept code (the training prior's is [-1, 1]).
        seed: int, seed of the noise.

    Returns:
        uint8 ``[num_classes, steps, S, S, C]``.

    Raises:
        ValueError: for a generator without continuous codes or categories, or a bad index.
    """
    rows, width = pipeline.num_classes, pipeline.code_dim
    if not rows or not width:
        raise ValueError("code_sweep needs a generator with a categorical and continuous codes")
    if not 0 <= code_index < width:
        raise ValueError(f"code_index must be in [0, {width}), received {code_index}")
    if steps < 2:
        raise ValueError(f"steps must be >= 2, received {steps}")
    values = np.linspace(low, high, steps, dtype=np.float32)
    noise = np.asarray(stateless_normal([rows, pipeline.noise_dim], seed, _SALT_NOISE))
    codes = np.zeros((rows * steps, width), np.float32)
    codes[:, code_index] = np.tile(values, rows)
    labels = np.repeat(np.arange(rows, dtype=np.int32), steps)
    images = pipeline.images_from_inputs(np.repeat(noise, steps, axis=0), labels, codes)
    return np.asarray(images).reshape(rows, steps, *images.shape[1:])


def code_sweep_sheet(pipeline, code_index: int, steps: int = 10, seed=0, **kwargs) -> Image.Image:
    """``code_sweep`` as one sheet: rows = categorical values, columns = the swept code
    (captioned with its values). Keyword arguments go to ``code_sweep``."""
    grid = code_sweep(pipeline, code_index, steps, seed=seed, **kwargs)
    rows, columns = grid.shape[:2]
    low, high = kwargs.get("low", -1.0), kwargs.get("high", 1.0)
    captions = [f"{v:+.1f}" for v in np.linspace(low, high, columns)]
    # image_grid fills columns first: image i goes to column i // rows.
    by_column = grid.transpose(1, 0, *range(2, grid.ndim)).reshape(-1, *grid.shape[2:])
    return image_grid(by_column, columns, captions)
