"""A job that ignores RQ's in-process timeout, as one stuck in a long C call would (for test_prefork.py)."""

from __future__ import annotations

import signal
import time


def hang(seconds: float) -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # the timeout's signal never arrives
    time.sleep(seconds)
