"""A private service stack for one benchmark part: redis-server, gunicorn and RQ workers on free ports.

Built from scripts/stack.py's pieces, as tests/integration/conftest.py does. The API runs with AUTH_DISABLED=1
unless the part asks for API keys (`--auth`: one key, with limits no benchmark reaches, is created with
service.keys and sent as a Bearer token on every request). Use it as a context manager: everything it started
is stopped on exit, Ctrl-C and SIGTERM included. Logs stay in var/bench/<time>-<name>/.
"""

from __future__ import annotations

import contextlib
import os
import runpy
import shutil
import signal
import subprocess
import time
from datetime import datetime
from types import TracebackType
from typing import Any

import requests
from redis import Redis

from bench.common import LOGS, ROOT, api_headers, children, descendants, leads_group
from scripts.stack import RedisServer, free_port, start_api, start_worker, stop
from service.keys import KeyStore
from workers.heartbeat import live_workers


class BenchStack:
    def __init__(self, name: str, env: dict[str, str] | None = None, auth: bool = False) -> None:
        self.dir = LOGS / f"{datetime.now():%Y%m%d-%H%M%S}-{name}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.redis = RedisServer(free_port(), self.dir / "redis").start()
        self.api: subprocess.Popen[bytes] | None = None
        # annotator-worker processes by label; with --processes N, one of them forks N RQ workers named
        # <label>-1 .. <label>-N that share its loaded models (workers/prefork.py).
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self.label_of: dict[str, str] = {}  # RQ worker name -> label of its annotator-worker process
        self._pids: dict[str, int] = {}
        self.env = {**os.environ, "REDIS_URL": self.redis.url, "PYTHONUNBUFFERED": "1",
                    "AUTH_DISABLED": "0" if auth else "1", **(env or {})}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.started_at: dict[str, float] = {}  # worker name -> time.monotonic() of its Popen
        self.started_epoch: dict[str, float] = {}  # worker name -> time.time() of its Popen
        try:
            self.api_key = create_api_key(self.redis_client()) if auth else None
        except BaseException:
            self.close()
            raise
        self.headers = api_headers(self.api_key)

    def __enter__(self) -> BenchStack:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def redis_client(self) -> Redis:
        return Redis.from_url(self.redis.url)

    def session(self) -> requests.Session:
        http = requests.Session()
        http.headers.update(self.headers)
        return http

    # -- API ---------------------------------------------------------------------------------------------------
    def start_api(self, timeout: float = 60) -> None:
        self.api = start_api(self.port, self.env, self.dir / "api.log")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.api.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.api.returncode}; see {self.dir / 'api.log'}")
            try:
                if requests.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"API not healthy after {timeout:.0f} s; see {self.dir / 'api.log'}")

    def gunicorn_settings(self) -> str:
        """service/gunicorn_conf.py as this stack's environment makes it."""
        saved = dict(os.environ)
        try:
            os.environ.update(self.env)
            conf = runpy.run_path(str(ROOT / "service" / "gunicorn_conf.py"))
        finally:
            os.environ.clear()
            os.environ.update(saved)
        return (f"gunicorn {conf.get('worker_class', 'sync')}, {conf.get('workers', 1)} processes x "
                f"{conf.get('threads', 1)} threads, keepalive {conf.get('keepalive', 2)} s "
                f"(service/gunicorn_conf.py; API_PROCESSES={self.env.get('API_PROCESSES', '')!s} "
                f"API_THREADS={self.env.get('API_THREADS', '')!s})")

    def wait_ready(self, timeout: float = 60) -> None:
        """/v1/ready: Redis reachable and a worker has its models loaded."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/v1/ready", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.url}/v1/ready not 200 after {timeout:.0f} s")

    # -- workers -----------------------------------------------------------------------------------------------
    def start_workers(self, count: int, prefix: str = "w") -> list[str]:
        """`count` RQ workers as `make run` starts them: one annotator-worker that loads the models and forks
        them (one process of its own when count is 1); wait_workers() waits for them."""
        label = f"{prefix}{len(self.workers) + 1}"
        # A lone worker keeps the label as its name (forked and supervised in process, or the loading process).
        names = [f"{label}-{i + 1}" for i in range(count)] if count > 1 else [label]
        for name in names:
            self.started_at[name], self.started_epoch[name] = time.monotonic(), time.time()
            self.label_of[name] = label
        self.workers[label] = start_worker(self.env, self.dir / f"{label}.log", label, processes=count)
        return names

    def worker_pid(self, name: str) -> int:
        """The pid of RQ worker `name`, from its heartbeat (the process itself, or a fork of it)."""
        if name not in self._pids:
            self._pids[name] = int(live_workers(self.redis_client())[name]["pid"])
        return self._pids[name]

    def parent_pids(self) -> list[int]:
        """annotator-worker processes that forked RQ workers (they hold the models but run no job)."""
        workers = {self.worker_pid(name) for name in self.label_of}
        return [proc.pid for proc in self.workers.values() if proc.pid not in workers]

    def wait_workers(self, names: list[str], timeout: float = 300) -> dict[str, float]:
        """Seconds from each worker's process start to its heartbeat key in Redis (its models loaded)."""
        ready: dict[str, float] = {}
        redis = self.redis_client()
        deadline = time.monotonic() + timeout
        while len(ready) < len(names) and time.monotonic() < deadline:
            for name in names:
                if name in ready:
                    continue
                proc = self.workers[self.label_of[name]]
                if proc.poll() is not None:
                    log = (self.dir / f"{self.label_of[name]}.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"worker {name} exited with {proc.returncode}:\n{log}")
                if name in live_workers(redis):
                    ready[name] = time.monotonic() - self.started_at[name]
            time.sleep(0.05)
        if len(ready) < len(names):
            raise RuntimeError(f"workers {sorted(set(names) - set(ready))} not ready after {timeout:.0f} s")
        return ready

    def job_processes(self, name: str) -> list[int]:
        """The forked job process of a worker, if one runs: RQ forks one per job into a process group of its own.

        The worker's other child, if any, is RQ's scheduler (forked too, when this worker holds the lock).
        """
        return [pid for pid in children(self.worker_pid(name)) if leads_group(pid)]

    def stop_workers(self) -> None:
        for label in list(self.workers):
            proc = self.workers.pop(label)
            rq_workers = {proc.pid, *(pid for name, pid in self._pids.items() if self.label_of[name] == label)}
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)  # first: a forking parent must not replace what dies below
            # RQ's warm shutdown waits for the running job; a benchmark does not need its result.
            for pid in descendants(proc.pid):
                if pid not in rq_workers:
                    _kill(pid)
            stop(proc, timeout=20)
        self.label_of.clear()
        self._pids.clear()

    def worker_log_times(self, name: str) -> dict[str, float]:
        """Epoch times of the worker's "pipelines loaded" and "ready" log lines (logging's asctime, local time)."""
        out: dict[str, float] = {}
        for line in (self.dir / f"{self.label_of[name]}.log").read_text(errors="replace").splitlines():
            for label, marker in (("loaded", "pipelines loaded"), ("ready", f"worker {name} ready")):
                if marker in line and label not in out:
                    with contextlib.suppress(ValueError):
                        out[label] = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()
        return out

    # -- teardown ----------------------------------------------------------------------------------------------
    def close(self) -> None:
        # A Ctrl-C (or SIGTERM) during the teardown waits for its end, then interrupts: never half a teardown.
        deferred: list[int] = []
        previous = {sig: signal.signal(sig, lambda signum, frame: deferred.append(signum))
                    for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.stop_workers()
            if self.api is not None:
                stop(self.api, timeout=20)
                self.api = None
            self.redis.stop()
            shutil.rmtree(self.dir / "redis", ignore_errors=True)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if deferred:
            raise KeyboardInterrupt


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def create_api_key(redis: Redis) -> str:
    """A key with a rate limit and queue quota no benchmark reaches, made as `flask keys create` makes them."""
    return KeyStore(redis).create("bench", 10**9, 10**9)[0]


def job_details(redis: Redis, job_ids: list[str]) -> list[dict[str, Any]]:
    """What the API does not show: which worker ran each job (RQ's job hash)."""
    with redis.pipeline(transaction=False) as pipe:
        for job_id in job_ids:
            pipe.hmget(f"rq:job:{job_id}", ["worker_name", "status"])
        raw = pipe.execute()
    return [{"worker": (w or b"").decode(), "status": (s or b"").decode()} for w, s in raw]
