"""``keras-stackgan serve``: a local demo page and a TF Serving-compatible REST API.

Needs the ``serve`` extra (``pip install -e ".[serve]"``: Flask).

```python
from keras_stackgan.serve import create_app, load_pipelines, serve

pipelines = load_pipelines(["flowers"])  # loaded once
serve(pipelines, port=8501)  # http://127.0.0.1:8501/ and /v1/models/flowers:predict
client = create_app(pipelines).test_client()  # for tests
```

Modules: ``app`` (Flask app, page API), ``rest`` (TF Serving's ``/v1/models`` routes),
``concurrency`` (one model call at a time, bounded line), ``served`` (loaded presets),
``validation`` (request limits and checks), ``pictures`` (PNG data URLs, uploads), ``server``
(the local HTTP server), ``page/`` (HTML, JS and CSS).
"""

from __future__ import annotations


def __getattr__(name):
    # Lazy: the CLI imports this package only to serve, and Flask only with the extra.
    if name == "create_app":
        from keras_stackgan.serve.app import create_app

        return create_app
    if name == "load_pipelines":
        from keras_stackgan.serve.served import load_pipelines

        return load_pipelines
    if name in ("serve", "make_local_server"):
        from keras_stackgan.serve import server

        return getattr(server, name)
    if name == "ServeLimits":
        from keras_stackgan.serve.validation import ServeLimits

        return ServeLimits
    raise AttributeError(f"module 'keras_stackgan.serve' has no attribute {name!r}")


__all__ = ["ServeLimits", "create_app", "load_pipelines", "make_local_server", "serve"]
