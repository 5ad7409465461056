"""Fork N workers from a process that has loaded the models, and keep N running.

The parent loads the pipelines once; each fork shares those pages copy-on-write (gc.freeze() in main keeps
the collector from touching them), so an extra worker costs its own working memory, not another copy of
the models, and starts in milliseconds instead of seconds. The parent does no work of its own: it re-forks a
worker that dies (under a new name, since RQ keeps a dead worker's name registered for a while), passes
SIGTERM/SIGINT on to every worker (RQ's warm shutdown: the current job finishes) and exits when they have.
A worker whose parent is gone gets SIGTERM from the kernel (PR_SET_PDEATHSIG), so none is left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType

log = logging.getLogger("workers.prefork")
PR_SET_PDEATHSIG = 1
# A worker that keeps dying at once (Redis refusing it, a broken model) is re-forked at most this often.
RESTART_DELAY = 1.0
WATCHDOG_EVERY = 5.0


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass  # not Linux: a worker would outlive a killed parent, as separate processes do anyway


class Prefork:
    def __init__(self, target: Callable[[str], None], name: str, processes: int, restart: bool = True,
                 overdue: Callable[[list[str]], list[str]] | None = None) -> None:
        """`overdue(names)` (checked every WATCHDOG_EVERY s) names the workers to kill -9 and replace."""
        self.target, self.name, self.processes, self.restart = target, name, processes, restart
        self.overdue = overdue
        self.children: dict[int, int] = {}  # pid -> slot
        self.names: dict[int, str] = {}  # pid -> worker name
        self.generation = [0] * processes
        self.stopping = False

    def _spawn(self, slot: int) -> None:
        self.generation[slot] += 1
        # Slot (when there are several) and generation in the name: RQ refuses a name whose dead owner has not
        # expired yet. A lone worker keeps the name it was given, as a worker without the supervisor would.
        base = self.name if self.processes == 1 else f"{self.name}-{slot + 1}"
        child_name = base + (f"-r{self.generation[slot] - 1}" if self.generation[slot] > 1 else "")
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                # A group of its own: a signal to the parent's group must reach a worker once, through the parent
                # (RQ takes a second SIGTERM as "cold shutdown" and kills the running job).
                os.setpgid(0, 0)
                _die_with_parent()
                self.target(child_name)
            except BaseException:  # a process boundary: log it here, the parent sees the exit code and re-forks
                log.exception("worker %s crashed", child_name)
                code = 1
            finally:
                logging.shutdown()
                os._exit(code)
        self.children[pid] = slot
        self.names[pid] = child_name
        log.info("forked worker %s (pid %d)", child_name, pid)

    def _kill_overdue(self) -> None:
        assert self.overdue is not None
        late = set(self.overdue(list(self.names.values())))
        for pid, name in list(self.names.items()):
            if name in late:
                log.warning("worker %s (pid %d) is past its job's timeout; killing it", name, pid)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def _forward(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self._forward)
        signal.signal(signal.SIGINT, self._forward)
        for slot in range(self.processes):
            self._spawn(slot)
        next_check = time.monotonic() + WATCHDOG_EVERY
        while self.children:
            try:
                # Polling rather than a blocking wait: the watchdog runs in this thread, as the parent must stay
                # single-threaded to fork safely.
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                time.sleep(0.2)
                if self.overdue is not None and time.monotonic() >= next_check:
                    next_check = time.monotonic() + WATCHDOG_EVERY
                    self._kill_overdue()
                continue
            if pid not in self.children:
                continue
            slot = self.children.pop(pid)
            self.names.pop(pid, None)
            if self.stopping or not self.restart:
                continue
            code = os.waitstatus_to_exitcode(status)
            if code == 0:  # it stopped itself (recycled after max jobs or memory): replace it at once
                log.info("worker in slot %d (pid %d) retired; forking a new one", slot + 1, pid)
            else:
                log.warning("worker in slot %d (pid %d) exited with status %d; forking a new one", slot + 1, pid,
                            code)
                time.sleep(RESTART_DELAY)
            if not self.stopping:
                self._spawn(slot)
        log.info("all workers stopped")
        sys.stdout.flush()
