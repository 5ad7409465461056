"""Taking a job off an RQ queue so that it is never in no list and no registry, not even for a millisecond.

RQ pops a job with BLPOP when a worker listens on more than one queue (ours listen on webhooks, then
annotations) and enters it in the started registry only later, in prepare_execution: a worker killed, or a
Redis that dies, in between loses the job for good (it stays "queued" in no queue). A claim pops the job and
enters it in the queue's started registry in one Lua script, as RQ's own registry entry ("<job id>:<execution
id>", expiring at the score) under a reservation of the worker's; if the worker dies holding it, RQ's registry
cleanup sees the entry expire and retries the job (or fails it with AbandonedJobError once no retry is left).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from redis import Redis
from rq.exceptions import NoSuchJobError
from rq.executions import Execution, ExecutionRegistry
from rq.job import Job
from rq.queue import Queue
from rq.utils import as_text, current_timestamp

# KEYS: queue, its started registry, the next queue, its registry, ... in priority order.
# ARGV: the registry score (the claim's expiry) and the reservation's execution id.
_CLAIM = """
for i = 1, #KEYS, 2 do
  local job_id = redis.call('LPOP', KEYS[i])
  if job_id then
    redis.call('ZADD', KEYS[i + 1], ARGV[1], job_id .. ':' .. ARGV[2])
    return {i, job_id}
  end
end
return false
"""


@dataclass(frozen=True)
class Claim:
    job: Job
    queue: Queue
    reservation: Execution


class Claimer:
    """Claims the first job of the first non-empty queue for one worker (one per worker: it holds a script)."""

    def __init__(self, connection: Redis, worker_name: str, job_class: type[Job] = Job,
                 serializer: Any = None) -> None:
        self.connection = connection
        self.worker_name = worker_name
        self.job_class = job_class
        self.serializer = serializer
        self._script = connection.register_script(_CLAIM)

    def claim(self, queues: list[Queue], ttl: int) -> Claim | None:
        """The next job of `queues` (in order), held for `ttl` seconds unless renewed or started; None if empty."""
        keys = [key for queue in queues for key in (queue.key, queue.started_job_registry.key)]
        while True:
            execution_id = uuid.uuid4().hex
            raw = self._script(keys=keys, args=[current_timestamp() + ttl, execution_id])
            if not raw:
                return None
            queue, job_id = queues[(int(raw[0]) - 1) // 2], as_text(raw[1])
            try:
                job = self.job_class.fetch(job_id, connection=self.connection, serializer=self.serializer)
            except NoSuchJobError:  # deleted while queued: drop its entry and take the next one
                self.connection.zrem(queue.started_job_registry.key, f"{job_id}:{execution_id}")
                continue
            reservation = Execution(execution_id, job_id, self.connection, worker_name=self.worker_name)
            with self.connection.pipeline() as pipe:
                reservation.save(ttl, pipe)
                ExecutionRegistry(job_id, pipe).add(reservation, ttl, pipe)
                pipe.execute()
            return Claim(job, queue, reservation)
