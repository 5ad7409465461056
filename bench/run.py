"""`make bench`: every benchmark part in turn, one table, and a dated section appended to bench/RESULTS.md.

Parts (each also runs alone: python -m bench.<module> --help):
  raw      bench/raw_throughput.py      the job function in 1 and 2 forked processes: articles/s, tokens/s
  service  bench/service_throughput.py  the same articles through HTTP -> Redis -> W=1,2 workers; ratio to raw
  length   bench/length_scaling.py      time per article at 1k, 5k, 20k, 100k characters, per stage
  workers  bench/worker_memory.py       cold start and RSS/PSS of 1, 2, 4 workers and their job processes
  api      bench/api_latency.py         POST /v1/annotations and GET /v1/jobs/{id} p50/p95/p99 at 100, 500 req/s
  batches  bench/batch_sizes.py         time and peak RSS per processor batch size; short articles per Stanza call

Each part starts its own private stack (redis-server, gunicorn, workers on free ports) and stops it, on Ctrl-C
too. --quick is a smoke run (about two minutes) and writes nothing unless --write is given; a full run appends
its section to bench/RESULTS.md unless --no-write is given. Run it on a quiet machine: every part reports how
much of the machine other processes used while it ran.

    python -m bench.run [--quick] [--only raw,service,...] [--auth] [--write | --no-write]
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable

from bench import api_latency, batch_sizes, length_scaling, raw_throughput, service_throughput, worker_memory
from bench.common import (
    AUTH_HELP,
    RESULTS,
    PartResult,
    command_line,
    handle_sigterm,
    machine_info,
    report,
    write_results,
)

PARTS = ("raw", "service", "length", "workers", "api", "batches")


def _args(quick: bool, auth: bool = False) -> list[str]:
    return (["--quick"] if quick else []) + (["--auth"] if auth else [])


def run_parts(names: list[str], quick: bool, auth: bool) -> list[PartResult]:
    results: list[PartResult] = []
    raw: PartResult | None = None
    steps: dict[str, Callable[[], PartResult]] = {
        "raw": lambda: raw_throughput.run(raw_throughput.options(raw_throughput.parser().parse_args(_args(quick)))),
        "service": lambda: service_throughput.run(
            service_throughput.options(service_throughput.parser().parse_args(_args(quick, auth))), raw),
        "length": lambda: length_scaling.run(length_scaling.options(length_scaling.parser().parse_args(_args(quick)))),
        "workers": lambda: worker_memory.run(worker_memory.options(worker_memory.parser().parse_args(_args(quick,
                                                                                                          auth)))),
        "api": lambda: api_latency.run(api_latency.options(api_latency.parser().parse_args(_args(quick, auth)))),
        "batches": lambda: batch_sizes.run(batch_sizes.options(batch_sizes.parser().parse_args(_args(quick)))),
    }
    for name in names:
        print(f"\n== {name} ({time.strftime('%H:%M:%S')})", flush=True)
        try:
            result = steps[name]()
        except Exception as exc:  # one broken part must not lose the others' numbers
            traceback.print_exc()
            result = PartResult(name, failed=f"{type(exc).__name__}: {exc}"[:300])
        if name == "raw" and not result.failed:
            raw = result
        results.append(result)
        print(report([result]), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a fast smoke run; writes nothing unless --write")
    parser.add_argument("--only", default=",".join(PARTS), help=f"parts to run, in this order (default "
                                                                 f"{','.join(PARTS)})")
    parser.add_argument("--auth", action="store_true", help=AUTH_HELP)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help="append to bench/RESULTS.md even with --quick")
    group.add_argument("--no-write", action="store_true", help="do not append to bench/RESULTS.md")
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n]
    unknown = sorted(set(names) - set(PARTS))
    if unknown:
        parser.error(f"unknown parts {unknown}; choose from {', '.join(PARTS)}")
    handle_sigterm()
    conditions = machine_info()
    started = time.monotonic()
    try:
        results = run_parts(names, args.quick, args.auth)
    except KeyboardInterrupt:
        print("\ninterrupted: every stack the benchmark started has been stopped; nothing written", file=sys.stderr)
        raise SystemExit(130) from None
    print(f"\n\n{conditions}; took {time.monotonic() - started:.0f} s\n\n{report(results)}")
    if (args.write or not args.quick) and not args.no_write:
        write_results(results, command_line(), conditions)
        print(f"\nappended to {RESULTS}")
    if any(r.failed for r in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
