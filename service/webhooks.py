"""Webhooks, API side: callback URLs are checked at submission; the workers sign, deliver and log.

The delivery log is written by workers/webhooks.py under the keys below (one Redis list per job or batch,
one JSON entry per attempt); the API only reads it. Keep both modules' key formats in step.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from redis import Redis

Resolver = Callable[[str, int], list[str]]


def deliveries_key(kind: str, ident: str) -> str:
    return f"ann:deliveries:{kind}:{ident}"


def batch_waiters_key(job_id: str) -> str:
    """Set of batch ids with a callback that wait for this job to end (read by workers/webhooks.py)."""
    return f"ann:job:{job_id}:batches"


def _resolve(host: str, port: int) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def callback_url_problem(url: str, allow_private: bool, resolve: Resolver = _resolve) -> str | None:
    """None when `url` may receive webhooks, else the reason it may not.

    Every address the host resolves to must be public: a callback is a request our workers make from inside
    the network, so a URL aimed at 127.0.0.1, 10/8 or the cloud metadata address (169.254.169.254) would turn
    the service into a proxy to internal systems. The workers check again before each attempt, since DNS can
    change in between.
    """
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return "The port is not valid."
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host:
        return "Must be an http or https URL with a host."
    if parts.username or parts.password:
        return "Must not carry credentials; requests are authenticated by the X-Signature header."
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError):
        return f"The host {host!r} does not resolve."
    if not addresses:
        return f"The host {host!r} does not resolve."
    if allow_private:
        return None
    for raw in addresses:
        address = ipaddress.ip_address(raw.split("%", 1)[0])  # drop an IPv6 zone id ("fe80::1%eth0")
        if not address.is_global or address.is_multicast:
            return (f"The host {host!r} resolves to {address}, a private, loopback, link-local or reserved "
                    "address; callbacks must reach a public address.")
    return None


def cached_checker(allow_private: bool, resolve: Resolver = _resolve) -> Callable[[str], str | None]:
    """callback_url_problem with a per-request memo: a batch may name the same receiver 1000 times."""
    memo: dict[str, str | None] = {}

    def check(url: str) -> str | None:
        if url not in memo:
            memo[url] = callback_url_problem(url, allow_private, resolve)
        return memo[url]

    return check


def read_deliveries(redis: Redis, kind: str, ident: str) -> list[dict[str, Any]]:
    return [json.loads(item) for item in redis.lrange(deliveries_key(kind, ident), 0, -1)]
