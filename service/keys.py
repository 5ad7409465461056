"""API keys: created and revoked from the CLI, stored hashed in Redis, checked on every request for jobs.

A key reads `bk_<id>_<secret>`. The id is public (it names the key in logs, listings and job metadata);
only a SHA-256 digest of the whole key is stored. The secret carries 256 random bits, so a plain digest is as
strong as a slow password hash here and costs microseconds per request. Digests are compared with
hmac.compare_digest, and an unknown id is compared against a dummy digest, so timing tells nothing.

Each key also gets a webhook signing secret (readable: the workers sign with it, workers/webhooks.py reads
the same hash), a request rate limit and a queue quota.

Redis keys: ann:key:<id> (hash), ann:keys (set of ids), ann:rate:<id>:<window> (counter).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from redis import Redis

PREFIX = "bk_"
KEY_ID = re.compile(r"[0-9a-f]{12}")
KEY = re.compile(rf"bk_({KEY_ID.pattern})_[A-Za-z0-9_-]{{43}}")
INDEX = "ann:keys"
_DUMMY = hashlib.sha256(b"no such key").hexdigest()


def record_key(key_id: str) -> str:
    return f"ann:key:{key_id}"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    created_at: str
    rate_limit: int  # requests per rate window
    queue_quota: int  # documents queued or running at once
    webhook_secret: str
    revoked_at: str | None = None

    def public(self) -> dict[str, object]:
        """What listings show: never the digest, never the webhook secret."""
        return {"id": self.id, "name": self.name, "created_at": self.created_at, "rate_limit": self.rate_limit,
                "queue_quota": self.queue_quota, "revoked_at": self.revoked_at}


@dataclass(frozen=True)
class Check:
    """The outcome of one authenticated request: the key (None if refused) and the rate window's count."""
    key: ApiKey | None
    count: int
    retry_after: int


class KeyStore:
    def __init__(self, redis: Redis, rate_window: int = 60) -> None:
        self.redis, self.rate_window = redis, rate_window

    def create(self, name: str, rate_limit: int, queue_quota: int) -> tuple[str, ApiKey]:
        """A new key: the plaintext (shown once, never stored) and its record."""
        key_id = secrets.token_hex(6)
        plaintext = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
        record = ApiKey(id=key_id, name=name, created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                        rate_limit=rate_limit, queue_quota=queue_quota, webhook_secret=secrets.token_urlsafe(32))
        with self.redis.pipeline() as pipe:
            pipe.hset(record_key(key_id), mapping={
                "name": name, "digest": _digest(plaintext), "created_at": record.created_at,
                "rate_limit": rate_limit, "queue_quota": queue_quota, "webhook_secret": record.webhook_secret})
            pipe.sadd(INDEX, key_id)
            pipe.execute()
        return plaintext, record

    def get(self, key_id: str) -> ApiKey | None:
        return self._record(key_id, self.redis.hgetall(record_key(key_id)))  # type: ignore[arg-type]

    def list(self) -> list[ApiKey]:
        ids = sorted(_text(i) for i in self.redis.smembers(INDEX))
        records = [self.get(i) for i in ids]
        return [r for r in records if r is not None]

    def revoke(self, key_id: str) -> bool:
        if not KEY_ID.fullmatch(key_id) or not self.redis.exists(record_key(key_id)):
            return False
        self.redis.hset(record_key(key_id), "revoked_at", datetime.now(UTC).isoformat(timespec="seconds"))
        return True

    def check(self, presented: str) -> Check:
        """Authenticate a presented key and count the request against its rate window, in one round trip."""
        match = KEY.fullmatch(presented)
        key_id = match.group(1) if match else "000000000000"
        now = time.time()
        window = int(now // self.rate_window)
        rate_key = f"ann:rate:{key_id}:{window}"
        with self.redis.pipeline() as pipe:
            pipe.hgetall(record_key(key_id))
            if match:
                pipe.incr(rate_key)
                pipe.expire(rate_key, self.rate_window * 2)
            raw, *rest = pipe.execute()
        record = self._record(key_id, raw)
        stored = _text(raw[b"digest"]) if record is not None and b"digest" in raw else _DUMMY
        valid = hmac.compare_digest(_digest(presented), stored) and match is not None
        if not valid or record is None or record.revoked_at:
            return Check(None, 0, 0)
        retry_after = max(1, int((window + 1) * self.rate_window - now) + 1)
        return Check(record, int(rest[0]), retry_after)

    @staticmethod
    def _record(key_id: str, raw: dict[bytes, bytes]) -> ApiKey | None:
        if not raw:
            return None
        fields = {_text(k): _text(v) for k, v in raw.items()}
        return ApiKey(id=key_id, name=fields.get("name", ""), created_at=fields.get("created_at", ""),
                      rate_limit=int(fields.get("rate_limit", 0)), queue_quota=int(fields.get("queue_quota", 0)),
                      webhook_secret=fields.get("webhook_secret", ""), revoked_at=fields.get("revoked_at"))
