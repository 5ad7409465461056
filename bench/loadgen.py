"""An open-loop, constant-rate HTTP load generator (asyncio + aiohttp, keep-alive connections).

Request i is scheduled at start + i / rate whatever happened to the ones before, and its latency is measured
from that scheduled time to the end of its response body: when the server (or the generator) falls behind,
the wait counts in the latency instead of silently lowering the rate (no coordinated omission). Bounded in time
and count: `duration` seconds of schedule (at most `max_requests`), then at most `timeout` seconds to drain.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp

from bench.common import percentile


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None = None  # JSON


@dataclass
class LoadResult:
    rate: float
    duration: float
    scheduled: int
    latencies_ms: list[float] = field(default_factory=list)  # every request that ended, errors included
    send_lag_ms: list[float] = field(default_factory=list)  # how late the generator started each request
    errors: Counter[str] = field(default_factory=Counter)  # unexpected status codes and exceptions
    ok: int = 0
    elapsed_s: float = 0.0  # first scheduled send to last answer
    generator_cpu_s: float = 0.0

    @property
    def achieved_rate(self) -> float:
        return self.ok / self.elapsed_s if self.elapsed_s else 0.0

    def summary(self) -> str:
        lat = self.latencies_ms
        errors = sum(self.errors.values())
        text = (f"p50 {percentile(lat, 50):.1f} / p95 {percentile(lat, 95):.1f} / p99 {percentile(lat, 99):.1f} / "
                f"max {max(lat, default=float('nan')):.1f} ms; {self.achieved_rate:.0f} req/s achieved of "
                f"{self.rate:.0f} ({self.ok}/{self.scheduled} ok")
        if errors:
            text += ", errors: " + ", ".join(f"{k} x{v}" for k, v in self.errors.most_common(4))
        return text + ")"


async def _one(session: aiohttp.ClientSession, request: Request, scheduled: float, expect: frozenset[int],
               result: LoadResult | None) -> None:
    loop = asyncio.get_running_loop()
    if result is not None:
        result.send_lag_ms.append((loop.time() - scheduled) * 1000)
    try:
        async with session.request(request.method, request.path, data=request.body) as response:
            await response.read()
            status = response.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        if result is not None:
            result.latencies_ms.append((loop.time() - scheduled) * 1000)
            result.errors[type(exc).__name__] += 1
        return
    if result is None:
        return
    result.latencies_ms.append((loop.time() - scheduled) * 1000)
    if status in expect:
        result.ok += 1
    else:
        result.errors[f"HTTP {status}"] += 1


async def _schedule(session: aiohttp.ClientSession, make: Callable[[int], Request], rate: float, count: int,
                    first: int, expect: frozenset[int], result: LoadResult | None) -> list[asyncio.Task[None]]:
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.01
    tasks = []
    for i in range(count):
        scheduled = start + i / rate
        delay = scheduled - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(_one(session, make(first + i), scheduled, expect, result)))
    return tasks


async def _run(base_url: str, make: Callable[[int], Request], rate: float, duration: float, max_requests: int,
               headers: dict[str, str], expect: frozenset[int], warmup: float, connections: int,
               timeout: float) -> LoadResult:
    count = max(1, min(max_requests, int(rate * duration)))
    result = LoadResult(rate, duration, count)
    # Idle connections are dropped before gunicorn's keepalive (5 s) would close them under a request.
    connector = aiohttp.TCPConnector(limit=connections, keepalive_timeout=3)
    async with aiohttp.ClientSession(base_url, connector=connector, headers={"Content-Type": "application/json",
                                                                              **headers},
                                     timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        # Warm-up at the same rate: opens the connections; its requests are not counted.
        warm = int(rate * warmup)
        if warm:
            await asyncio.wait(await _schedule(session, make, rate, warm, 0, expect, None), timeout=timeout)
        cpu0 = time.process_time()
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        tasks = await _schedule(session, make, rate, count, warm, expect, result)
        _, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:
            task.cancel()
        if pending:
            result.errors["no answer in time"] += len(pending)
        result.elapsed_s = loop.time() - t0
        result.generator_cpu_s = time.process_time() - cpu0
    return result


def run(base_url: str, make: Callable[[int], Request], rate: float, duration: float, *, max_requests: int = 10_000,
        headers: dict[str, str] | None = None, expect: tuple[int, ...] = (200, 202), warmup: float = 1.0,
        connections: int = 64, timeout: float = 10.0) -> LoadResult:
    """Send make(i) at `rate` requests/s for `duration` s; make(i) for i < rate * warmup are the warm-up's."""
    return asyncio.run(_run(base_url, make, rate, duration, max_requests, headers or {}, frozenset(expect), warmup,
                            connections, timeout))
