"""The job function without the service: load the pipelines once as a worker does, then run jobs in forked children.

`load()` mirrors workers/main.py (load, warm up, gc.collect + gc.freeze); `annotate()` is the very function the
queue calls (workers.tasks.annotate) and also counts the words Stanza produced, for tokens/s.
"""

from __future__ import annotations

import gc
import os
import pickle
import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_words = [0]  # words of the documents analysed by this process (reset per forked child)
_loaded = [False]


def load() -> float:
    """Load the pipelines into this process, like a worker before it forks; returns the seconds it took."""
    if _loaded[0]:
        return 0.0
    from workers import pipeline, tasks
    from workers.config import WorkerSettings
    from workers.nlp import analyse

    started = time.perf_counter()
    annotators = pipeline.load(WorkerSettings.from_env())  # also torch.set_num_threads(TORCH_THREADS, default 1)
    for annotator in annotators.values():
        analyse(annotator, pipeline.WARMUP_TEXT, ["entities", "sentiment", "events"])

    def counting(*args: Any, **kwargs: Any) -> Any:
        analysis = analyse(*args, **kwargs)
        _words[0] += sum(len(s.words) for s in analysis.doc.sentences)
        return analysis

    # workers.tasks calls analyse by its module-level name: count the words it gets, change nothing else.
    tasks.analyse = counting
    gc.collect()
    gc.freeze()
    _loaded[0] = True
    return time.perf_counter() - started


def annotate(doc_id: str, text: str) -> tuple[dict[str, Any], int]:
    """workers.tasks.annotate on one article with the default tasks; the result and its word count."""
    from workers.tasks import annotate as job

    before = _words[0]
    result = job({"id": doc_id, "text": text})
    return result, _words[0] - before


def in_fork(fn: Callable[[], T]) -> tuple[T, float]:
    """Run fn in a child forked from this (loaded) process, as RQ runs a job; its value and the child's peak RSS (MB).

    The value comes back pickled through a pipe; an exception in the child is raised here as RuntimeError.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        status = 0
        try:
            try:
                payload = pickle.dumps(("ok", fn()))
            except BaseException:
                payload, status = pickle.dumps(("error", traceback.format_exc())), 1
            with os.fdopen(write_fd, "wb") as out:
                out.write(payload)
        finally:
            os._exit(status)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb") as inp:
            data = inp.read()
    finally:
        _, _, usage = os.wait4(pid, 0)
    if not data:
        raise RuntimeError("the forked child died without an answer")
    kind, value = pickle.loads(data)
    if kind == "error":
        raise RuntimeError(f"in the forked child:\n{value}")
    return value, usage.ru_maxrss / 1024
