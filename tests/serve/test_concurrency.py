"""``GenerationQueue``: one call at a time, in arrival order, a bounded line, timeouts."""

import threading
import time

import pytest

from keras_stackgan.serve.concurrency import GenerationQueue
from keras_stackgan.serve.errors import ServeError


def test_calls_run_one_at_a_time_in_arrival_order():
    queue = GenerationQueue(max_pending=8)
    running, peak, order = [0], [0], []
    lock = threading.Lock()

    def job(i):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.02)
        order.append(i)
        with lock:
            running[0] -= 1
        return i * i

    futures = [queue.submit(job, i) for i in range(6)]
    assert [f.result(timeout=10) for f in futures] == [i * i for i in range(6)]
    assert peak[0] == 1 and order == list(range(6))
    assert queue.pending == 0
    queue.close()


def test_a_full_line_is_refused_with_503_and_frees_up():
    queue = GenerationQueue(max_pending=2)
    release = threading.Event()
    first, second = queue.submit(release.wait, 10), queue.submit(release.wait, 10)
    with pytest.raises(ServeError) as error:
        queue.submit(time.sleep, 0)
    assert error.value.status == 503 and "busy" in error.value.message
    assert queue.pending == 2
    release.set()
    first.result(timeout=10), second.result(timeout=10)
    assert queue.run(sum, [1, 2, 3]) == 6
    queue.close()


def test_errors_are_reraised_and_slow_calls_time_out():
    queue = GenerationQueue(max_pending=2, timeout=0.2)
    with pytest.raises(ValueError, match="bad"):
        queue.run(lambda: (_ for _ in ()).throw(ValueError("bad")))
    with pytest.raises(ServeError) as error:
        queue.run(time.sleep, 1.0)
    assert error.value.status == 503 and "did not finish" in error.value.message
    time.sleep(1.0)
    assert queue.pending == 0
    with pytest.raises(ValueError):
        GenerationQueue(max_pending=0)
    queue.close()
