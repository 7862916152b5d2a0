"""keras-stackgan: StackGAN and the text-to-image GANs it grew from, in Keras 3.

```python
import keras_stackgan

pipeline = keras_stackgan.load_pretrained("cub")
images = pipeline.generate("this bird is red with black wings", images_per_text=4, seed=0)
```
"""

from keras_stackgan.version import __version__


def __getattr__(name):
    # Lazy: importing the package (e.g. for the CLI's --help) does not import TensorFlow.
    if name in ("load_pretrained", "list_pretrained", "StackGANPipeline"):
        from keras_stackgan import pretrained

        return getattr(pretrained, name)
    if name == "export_saved_model":
        from keras_stackgan.export import export_saved_model

        return export_saved_model
    raise AttributeError(f"module 'keras_stackgan' has no attribute {name!r}")


__all__ = [
    "StackGANPipeline",
    "__version__",
    "export_saved_model",
    "list_pretrained",
    "load_pretrained",
]
