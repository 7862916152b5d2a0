"""Pictures of results: image grids with captions, interpolations, side-by-side stages."""

from keras_stackgan.visual.grid import image_grid, save_grid

__all__ = ["image_grid", "save_grid"]
