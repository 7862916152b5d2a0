"""Pictures of results: image grids with captions, interpolations, side-by-side stages,
style transfer, latent interpolations, vector arithmetic and learning curves."""

from keras_stackgan.visual.code_sweep import code_sweep, code_sweep_sheet
from keras_stackgan.visual.curve_plot import plot_curve
from keras_stackgan.visual.grid import image_grid, save_grid
from keras_stackgan.visual.interpolation import (
    interpolate_noise,
    interpolate_texts,
    rows_to_sheet,
    stages_side_by_side,
    style_transfer_sheet,
)
from keras_stackgan.visual.latent import (
    interpolate_latent,
    interpolation_sheet,
    vector_arithmetic,
    vector_arithmetic_sheet,
)

__all__ = [
    "code_sweep",
    "code_sweep_sheet",
    "image_grid",
    "interpolate_latent",
    "interpolate_noise",
    "interpolate_texts",
    "interpolation_sheet",
    "plot_curve",
    "rows_to_sheet",
    "save_grid",
    "stages_side_by_side",
    "style_transfer_sheet",
    "vector_arithmetic",
    "vector_arithmetic_sheet",
]
