"""``GenerationQueue``: one model call at a time, a bounded line of waiting requests.

The web server answers each request in its own thread; those threads never call a model
themselves. They hand the call to the queue's single worker thread, so at most one forward pass
runs at a time (two cores, one model's activations in memory) and calls run in arrival order. A
request that finds ``max_pending`` calls already queued or running is refused at once with 503
instead of piling up threads that would wait for minutes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from keras_stackgan.serve.errors import ServeError

T = TypeVar("T")


class GenerationQueue:
    """Runs model calls one at a time on a worker thread; at most ``max_pending`` in the line.

    Args:
        max_pending: int >= 1, calls allowed in the line (including the one running); the next
            one is refused with ``ServeError(status=503)``.
        timeout: float seconds a request waits for its result before it gets a 503 (a call
            still queued is then cancelled; one already running finishes and is discarded).

    Examples:
    ```python
    queue = GenerationQueue(max_pending=4)
    images = queue.run(pipeline.generate, ["a red bird"], seed=0)
    queue.close()
    ```
    """

    def __init__(self, max_pending: int = 8, timeout: float = 300.0):
        if int(max_pending) < 1:
            raise ValueError(f"max_pending must be >= 1, received {max_pending}")
        self.max_pending = int(max_pending)
        self.timeout = float(timeout)
        self._slots = threading.BoundedSemaphore(self.max_pending)
        self._executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="keras-stackgan-model"
        )
        self._lock = threading.Lock()
        self._pending = 0

    @property
    def pending(self) -> int:
        """Calls queued or running now."""
        with self._lock:
            return self._pending

    def submit(self, function: Callable[..., T], *args, **kwargs) -> Future:
        """Queues ``function(*args, **kwargs)``; ``ServeError(503)`` when the line is full."""
        if not self._slots.acquire(blocking=False):
            raise ServeError(
                f"the server is busy: {self.max_pending} generation requests are already "
                "queued; retry in a few seconds",
                status=503,
            )
        with self._lock:
            self._pending += 1
        try:
            future = self._executor.submit(function, *args, **kwargs)
        except BaseException:
            self._release(None)
            raise
        future.add_done_callback(self._release)
        return future

    def run(self, function: Callable[..., T], *args, **kwargs) -> T:
        """``submit`` and wait for the result (its exceptions are re-raised here)."""
        future = self.submit(function, *args, **kwargs)
        try:
            return future.result(timeout=self.timeout)
        except (FutureTimeout, CancelledError):
            future.cancel()
            raise ServeError(
                f"generation did not finish within {self.timeout:g} s; try fewer images",
                status=503,
            ) from None

    def close(self) -> None:
        """Stops the worker after the calls already queued."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _release(self, _future) -> None:
        with self._lock:
            self._pending -= 1
        self._slots.release()
