"""``serve``: runs the app on a local threaded HTTP server until interrupted."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

from keras_stackgan.serve.app import create_app

logger = logging.getLogger(__name__)


def make_local_server(
    pipelines: Mapping[str, Any], host: str = "127.0.0.1", port: int = 8501, **app_kwargs
) -> BaseWSGIServer:
    """A threaded werkzeug server for ``create_app(pipelines, **app_kwargs)``, not yet running.

    Each request gets a thread (so the page stays responsive and a full queue answers 503 at
    once); model calls still run one at a time on the queue's worker. ``port=0`` picks a free
    port (``server.server_port``). Call ``serve_forever()`` and ``shutdown()``.
    """
    return make_server(host, int(port), create_app(pipelines, **app_kwargs), threaded=True)


def serve(
    pipelines: Mapping[str, Any], host: str = "127.0.0.1", port: int = 8501, **app_kwargs
) -> None:
    """Serves the page and the REST API on ``http://host:port/`` until Ctrl-C.

    Args:
        pipelines: dict preset name -> pipeline (``load_pipelines(names)``).
        host: interface to bind; the default answers only this machine. ``0.0.0.0`` exposes an
            unauthenticated server to the network.
        port: TCP port (8501, TF Serving's REST port).
        **app_kwargs: ``limits``, ``max_pending``, ``timeout`` of ``create_app``.
    """
    server = make_local_server(pipelines, host, port, **app_kwargs)
    shown = f"[{host}]" if ":" in host else host
    print(f"serving {', '.join(pipelines)} on http://{shown}:{server.server_port}/ (Ctrl-C stops)")
    print(f"TF Serving REST: POST http://{shown}:{server.server_port}/v1/models/<preset>:predict")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
