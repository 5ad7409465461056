"""The progress line of `annotator batch`: done / failed / rate / ETA, on stderr."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

BAR = 24


def clock_text(seconds: float | None) -> str:
    if seconds is None:
        return "--:--:--"
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


class Progress:
    """Redrawn in place on a terminal; on a pipe or a log file, one line every `interval` seconds and at the end."""

    def __init__(self, total: int, stream: TextIO, interval: float = 5.0,
                 clock: Callable[[], float] = time.monotonic, tty: bool | None = None) -> None:
        self.total, self.stream, self.clock = total, stream, clock
        self.tty = stream.isatty() if tty is None else tty
        self.interval = 0.1 if self.tty else interval
        self.done = self.failed = 0
        self.started = clock()
        self._last_draw: float | None = None

    @property
    def count(self) -> int:
        return self.done + self.failed

    def rate(self) -> float:
        elapsed = self.clock() - self.started
        return self.count / elapsed if elapsed > 0 else 0.0

    def eta(self) -> float | None:
        rate = self.rate()
        return (self.total - self.count) / rate if rate > 0 else None

    def line(self) -> str:
        filled = BAR * self.count // self.total if self.total else BAR
        return (f"[{'#' * filled}{'-' * (BAR - filled)}] {self.count}/{self.total}  done {self.done}  "
                f"failed {self.failed}  {self.rate():.1f} docs/s  ETA {clock_text(self.eta())}")

    def update(self, ok: bool) -> None:
        if ok:
            self.done += 1
        else:
            self.failed += 1
        now = self.clock()
        if self._last_draw is None or now - self._last_draw >= self.interval:
            self.draw()

    def draw(self) -> None:
        self._last_draw = self.clock()
        if self.tty:
            self.stream.write("\r" + self.line() + "\x1b[K")
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def close(self) -> None:
        self.draw()
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
