"""What every benchmark part shares: the articles, result rows and tables, CPU and memory meters, RESULTS.md.

Each part (bench/raw_throughput.py, service_throughput.py, api_latency.py, worker_memory.py, length_scaling.py,
batch_sizes.py) returns a PartResult; bench/run.py runs them all and prints one table.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
LOGS = ROOT / "var" / "bench"
SAMPLES = Path(os.environ.get("SAMPLES_DIR", ROOT.parent / "shared" / "samples" / "articles"))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# A part where other processes used more than this share of the machine is flagged as contaminated.
CONTENTION_LIMIT = 0.05


# -- articles --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Article:
    id: str
    text: str


def load_samples(folder: Path = SAMPLES) -> list[Article]:
    """The sample news articles (SOURCE.txt in the same folder describes them and is not one)."""
    paths = sorted(p for p in folder.glob("*.txt") if p.name != "SOURCE.txt")
    if not paths:
        raise SystemExit(f"no sample articles in {folder} (set SAMPLES_DIR)")
    return [Article(p.stem, p.read_text(encoding="utf-8")) for p in paths]


def synthetic(samples: Sequence[Article], chars: int, start: int = 0) -> Article:
    """A longer article made of real ones: one headline, then body paragraphs of the samples in turn.

    Cut at the last space before `chars` and ended with a full stop, so the text is `chars` long or a few
    characters shorter. Deterministic: the same arguments give the same text.
    """
    headline = samples[start % len(samples)].text.split("\n", 1)[0]
    bodies = [a.text.split("\n", 1)[1] if "\n" in a.text else a.text for a in samples]
    parts, size, i = [headline], len(headline), start
    while size < chars:
        paragraph = bodies[i % len(bodies)].strip()
        parts.append(paragraph)
        size += len(paragraph) + 1
        i += 1
    text = "\n".join(parts)
    if len(text) > chars:
        cut = text.rfind(" ", 0, chars - 1)
        text = text[:cut if cut > chars // 2 else chars - 1].rstrip(" ,;:") + "."
    return Article(f"synthetic-{chars // 1000}k", text)


def throughput_articles(quick: bool) -> list[Article]:
    """The article set of the throughput parts (raw and service alike), longest first.

    Longest first keeps a long article from running alone at the end while the other process idles. Full: the
    16 samples (1.5k-5.4k characters) and two longer synthetic ones (10k, 20k). Quick: the three shortest
    samples and one 3k synthetic.
    """
    samples = load_samples()
    if quick:
        chosen = [*sorted(samples, key=lambda a: len(a.text))[:3], synthetic(samples, 3000)]
    else:
        chosen = [*samples, synthetic(samples, 10_000), synthetic(samples, 20_000, start=5)]
    return sorted(chosen, key=lambda a: -len(a.text))


# -- results ---------------------------------------------------------------------------------------------------
@dataclass
class Row:
    part: str
    measure: str
    value: str
    goal: str = ""
    met: bool | None = None


@dataclass
class PartResult:
    name: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # numbers other parts need (raw throughput for the ratio)
    failed: str | None = None

    def add(self, measure: str, value: str, goal: str = "", met: bool | None = None) -> None:
        self.rows.append(Row(self.name, measure, value, goal, met))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(rows: Iterable[Row]) -> str:
    lines = ["| part | measure | value | goal | met |", "|---|---|---|---|---|"]
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(f"| {_cell(r.part)} | {_cell(r.measure)} | {_cell(r.value)} | {_cell(r.goal)} | {met} |")
    return "\n".join(lines)


def report(parts: Sequence[PartResult]) -> str:
    """The table of all parts, then each part's notes."""
    rows = [r for p in parts for r in p.rows]
    rows += [Row(p.name, "FAILED", p.failed) for p in parts if p.failed]
    out = [table(rows)]
    for p in parts:
        if p.notes:
            out.append(f"\n{p.name}:\n" + "\n".join(f"- {n}" for n in p.notes))
    return "\n".join(out)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); nan for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


# -- machine and processes -------------------------------------------------------------------------------------
def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rfind(")") + 2:].split()  # fields from 3 (state) on; the command name may hold spaces


def _all_parents() -> dict[int, int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields:
                parents[int(entry)] = int(fields[1])
    return parents


def descendants(pid: int) -> list[int]:
    """pid and every process below it (RQ's job processes and gunicorn's workers included)."""
    children: dict[int, list[int]] = {}
    for child, parent in _all_parents().items():
        children.setdefault(parent, []).append(child)
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def children(pid: int) -> list[int]:
    return [child for child, parent in _all_parents().items() if parent == pid]


def leads_group(pid: int) -> bool:
    """Whether the process is its own process group's leader (RQ's forked job process calls setpgrp)."""
    fields = _stat_fields(pid)
    return fields is not None and int(fields[2]) == pid


def process_cpu(pid: int) -> float:
    """CPU seconds of a process and of its children it has waited for (utime + stime + cutime + cstime)."""
    fields = _stat_fields(pid)
    return sum(int(x) for x in fields[11:15]) / CLOCK_TICKS if fields else 0.0


def tree_cpu(pid: int) -> float:
    return sum(process_cpu(p) for p in descendants(pid))


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy since boot (all cores; idle and iowait excluded)."""
    values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / CLOCK_TICKS


class CpuMeter:
    """Who used the CPU while a part ran: this process's tree (the bench and all it started) and everyone else.

    The other share is what contaminates the numbers (a training run, a test suite); it is reported per part.
    """

    def __init__(self) -> None:
        self.wall = time.monotonic()
        self.busy = machine_busy()
        self.ours = tree_cpu(os.getpid())

    def stop(self) -> dict[str, float]:
        wall = time.monotonic() - self.wall
        busy = machine_busy() - self.busy
        ours = tree_cpu(os.getpid()) - self.ours
        capacity = wall * (os.cpu_count() or 1)
        return {"wall_s": wall, "ours_cpu_s": ours, "other_cpu_s": max(0.0, busy - ours),
                "other_share": max(0.0, busy - ours) / capacity if capacity else 0.0}


def contention_note(cpu: dict[str, float]) -> str:
    share = cpu["other_share"]
    flag = " -- CONTAMINATED: rerun on a quiet machine" if share > CONTENTION_LIMIT else ""
    return (f"other processes used {100 * share:.0f} % of the machine ({cpu['other_cpu_s']:.1f} CPU s over "
            f"{cpu['wall_s']:.1f} s on {os.cpu_count()} cores){flag}")


@dataclass(frozen=True)
class Memory:
    rss: float  # MB
    pss: float  # MB: shared pages divided among the processes that share them
    uss: float  # MB: private pages (Private_Clean + Private_Dirty): what the process alone costs
    private_dirty: float  # MB: pages written since the fork (copy-on-write copies) or allocated afterwards


def memory(pid: int) -> Memory | None:
    try:
        raw = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    kb: dict[str, int] = {}
    for line in raw.splitlines()[1:]:
        name, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            kb[name.strip()] = int(rest.split()[0])
    return Memory(kb.get("Rss", 0) / 1024, kb.get("Pss", 0) / 1024,
                  (kb.get("Private_Clean", 0) + kb.get("Private_Dirty", 0)) / 1024, kb.get("Private_Dirty", 0) / 1024)


def machine_info(written: tuple[str, ...] = ()) -> str:
    """CPU, load, Python and commit; `written` are files the caller rewrites with this line (no code change)."""
    cpu, flags = "unknown cpu", set[str]()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name") and cpu == "unknown cpu":
            cpu = line.split(":", 1)[1].strip()
        elif line.startswith("flags") and not flags:
            flags = set(line.split(":", 1)[1].split())
    # Hosts sold under one model name ("AMD EPYC") differ up to twofold in speed here; the vector units tell some
    # apart, not all (training.evaluate.core_speed measures the difference).
    vector = [f for f in ("avx2", "avx512f", "avx512_bf16") if f in flags]
    cpu += f", {'+'.join(vector) or 'no avx2'}"
    load = Path("/proc/loadavg").read_text().split()[:3]
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                                *(f":(exclude){path}" for path in written)], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        commit += " + uncommitted changes" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return (f"commit {commit}; {os.cpu_count()} cores ({cpu}); load average {' '.join(load)} at start; "
            f"Python {platform.python_version()}")


# -- HTTP ------------------------------------------------------------------------------------------------------
def api_headers(api_key: str | None) -> dict[str, str]:
    """Headers for /v1/annotations, /v1/jobs and /v1/batches: a Bearer key, or none when the API runs without auth."""
    return {"Authorization": f"Bearer {api_key}"} if api_key else {}


# -- command line and RESULTS.md --------------------------------------------------------------------------------
def command_line() -> str:
    """The command that produced these numbers, as someone would type it again."""
    script = Path(sys.argv[0])
    module = "bench" if script.name == "__main__.py" else f"bench.{script.stem}"
    command = " ".join([f"python -m {module}", *map(shlex.quote, sys.argv[1:])])
    return f"make bench = {command}" if os.environ.get("MAKELEVEL") else command


def write_results(parts: Sequence[PartResult], command: str, conditions: str, path: Path = RESULTS) -> None:
    """Append a dated section: the command, the conditions, the table and the notes."""
    stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    section = f"\n## {stamp}, `{command}`\n\n{conditions}\n\n{report(parts)}\n"
    with path.open("a", encoding="utf-8") as out:
        out.write(section)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def handle_sigterm() -> None:
    """SIGTERM (a supervisor, `kill`) unwinds like Ctrl-C, so every stack is torn down by its finally."""
    signal.signal(signal.SIGTERM, _interrupt)


AUTH_HELP = "run the API with API keys on (one key is created)"


def base_parser(description: str | None, module: str, stack: bool = False) -> argparse.ArgumentParser:
    """--quick and --write for every part; --auth too for the parts that start a service stack."""
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (small sizes, short durations)")
    parser.add_argument("--write", action="store_true", help=f"append the results to {RESULTS.relative_to(ROOT)}")
    if stack:
        parser.add_argument("--auth", action="store_true", help=AUTH_HELP)
    return parser


def run_part(run: Callable[[argparse.Namespace], PartResult], args: argparse.Namespace) -> None:
    """Run one part alone: print its table and notes, append them to RESULTS.md when --write is given."""
    handle_sigterm()
    conditions = machine_info()
    try:
        result = run(args)
    except KeyboardInterrupt:
        print("interrupted; everything this part started has been stopped", file=sys.stderr)
        raise SystemExit(130) from None
    print(f"\n{conditions}\n\n{report([result])}")
    if args.write:
        write_results([result], command_line(), conditions)
        print(f"\nappended to {RESULTS}")
    if result.failed:
        raise SystemExit(1)
