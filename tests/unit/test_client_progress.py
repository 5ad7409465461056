"""The progress line of `annotator batch`: done / failed / rate / ETA."""

from __future__ import annotations

import io

from client.progress import Progress, clock_text


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_rate_and_eta_from_the_documents_so_far() -> None:
    clock, out = Clock(), io.StringIO()
    progress = Progress(100, out, interval=5, clock=clock, tty=False)
    assert progress.eta() is None
    for i in range(20):
        clock.now += 0.5
        progress.update(ok=i != 3)
    assert (progress.done, progress.failed, progress.rate()) == (19, 1, 2.0)
    assert progress.eta() == 40
    assert progress.line() == "[####--------------------] 20/100  done 19  failed 1  2.0 docs/s  ETA 0:00:40"


def test_without_a_terminal_one_line_per_interval_and_one_at_the_end() -> None:
    clock, out = Clock(), io.StringIO()
    progress = Progress(30, out, interval=5, clock=clock, tty=False)
    for _ in range(30):
        clock.now += 1
        progress.update(ok=True)
    progress.close()
    lines = out.getvalue().splitlines()
    assert [line.split()[1] for line in lines] == ["1/30", "6/30", "11/30", "16/30", "21/30", "26/30", "30/30"]
    assert lines[-1].endswith("done 30  failed 0  1.0 docs/s  ETA 0:00:00")
    assert "\r" not in out.getvalue()


def test_on_a_terminal_the_line_is_redrawn_in_place() -> None:
    clock, out = Clock(), io.StringIO()
    progress = Progress(2, out, clock=clock, tty=True)
    clock.now += 1
    progress.update(ok=True)
    clock.now += 1
    progress.update(ok=False)
    progress.close()
    assert out.getvalue().count("\r") == 3 and out.getvalue().endswith("\n")


def test_clock_text() -> None:
    assert clock_text(3725.4) == "1:02:05"
    assert clock_text(None) == "--:--:--"
