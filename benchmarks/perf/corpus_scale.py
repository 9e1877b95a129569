"""End-to-end `warta corpus build` at scale: throughput, wall time and peak memory of the process tree.

Usage::

    .venv/bin/python benchmarks/perf/corpus_scale.py --n 100000
    .venv/bin/python benchmarks/perf/corpus_scale.py --n 1000000 --engine local --engine dask

For each N, :func:`warta.corpus.synthetic.generate` writes N noisy scrapes (``.txt`` files and
``.jsonl`` feeds, ~6 % exact and ~6 % near duplicates, stories of 1-4 articles) into a temporary
folder (kept between engines, reused with ``--raw``). Then ``warta corpus build`` runs as a child
process per engine, and a sampler sums the RSS of that process and all its descendants (the Dask
scheduler, nanny and worker processes included) every 0.2 s. Reported: articles per CPU-second
(user + system time of the whole tree), wall time, articles per wall-second, CPU µs per article
and peak RSS of the tree, then the wall time and peak RSS of each stage (read, plan, write, finish:
seen from the completion files in the build's work folder). Goals on a 2-core machine: >= 2,000 articles/CPU-s for ``local``, peak
RSS <= 1 GB at 1M and within 1.3x between 100k and 1M, and ``dask`` with 2 workers >= 1.7x the
wall-clock speed of ``local``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


STAGES = ("start", "read", "plan", "write", "finish")


def stage_of(work: Path, shards: dict[str, int]) -> str:
    """The build's current stage, from the completion files it leaves in its work folder: the
    finish (manifest, card, the release moved into place) starts once every shard has its file."""
    if (work / "write").exists():
        if "n" not in shards:
            shards["n"] = len(json.loads((work / "plan" / "plan.json").read_text(encoding="utf-8"))["shards"])
        return "finish" if sum(1 for _ in (work / "write").glob("shard-*.json")) >= shards["n"] else "write"
    if (work / "plan").exists():
        return "plan"
    if work.exists():
        return "read"
    return "start"


def measure(command: list[str], env: dict[str, str], work: Path) -> dict[str, Any]:
    import psutil

    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(process.pid)
    peak = 0
    split: dict[int, tuple[float, float]] = {}  # pid -> (user, system), as last sampled
    shards: dict[str, int] = {}  # the plan's shard count, read once
    stages: list[list[Any]] = []  # [stage, first seen, last seen, peak RSS, peak RSS of the build process], in order
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        rss = own = 0
        for p in tree:
            try:
                rss += p.memory_info().rss
                if p is root:
                    own = rss
                times = p.cpu_times()
                split[p.pid] = (times.user, times.system)
            except psutil.NoSuchProcess:
                pass
        peak = max(peak, rss)
        now, stage = time.perf_counter() - start, stage_of(work, shards)
        if stages and STAGES.index(stage) < STAGES.index(stages[-1][0]):
            stage = stages[-1][0]  # the work folder is being removed at the end: still the last stage
        if not stages or stages[-1][0] != stage:
            stages.append([stage, now, now, 0, 0])
        stages[-1][2:] = [now, max(stages[-1][3], rss), max(stages[-1][4], own)]
        time.sleep(0.2)
    wall = time.perf_counter() - start
    stderr = process.stderr.read() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode}):\n{stderr[-3000:]}")
    # CPU: the sampled per-process totals, plus whatever the tree's processes did after the last
    # sample (the root's own rusage covers its waited-for children).
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": wall, "peak_rss": peak, "cpu_sampled": sum(user + system for user, system in split.values()), "cpu_children": children.ru_utime + children.ru_stime,
        "stages": [entry for entry in stages if entry[0] != "start"],
        # The build process (with the Dask engine also the scheduler and the client) and its descendants (the workers).
        "client": split.get(process.pid, (0.0, 0.0)),
        "workers": tuple(map(sum, zip((0.0, 0.0), *(v for pid, v in split.items() if pid != process.pid)))),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, action="append", help="articles (repeatable); default 100000")
    parser.add_argument("--engine", action="append", choices=["local", "dask"], help="repeatable; default local")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--raw", type=Path, help="reuse this folder of scrapes (generated if missing)")
    args = parser.parse_args()
    warta = str(Path(sys.executable).with_name("warta"))
    env = dict(os.environ)
    print(f"{'N':>9} {'engine':>8} {'art/CPU-s':>10} {'wall s':>8} {'art/wall-s':>10} {'CPU µs/art':>10} {'peak RSS MB':>11}", flush=True)
    for n in args.n or [100_000]:
        owned = args.raw is None
        raw = args.raw or Path(tempfile.mkdtemp(prefix=f"warta-scale-{n}-"))
        if not raw.exists() or not any(raw.iterdir()):
            from warta.corpus.synthetic import generate

            t0 = time.perf_counter()
            made = generate(raw, n, seed=args.seed)
            print(f"  generated {made} in {time.perf_counter() - t0:.0f} s at {raw}", flush=True)
        for engine in args.engine or ["local"]:
            out = Path(tempfile.mkdtemp(prefix="warta-scale-out-")) / "release"
            command = [warta, "corpus", "build", "--raw", str(raw), "--out", str(out), "--version", "1.0.0", "--no-progress", "--engine", engine]
            if engine == "dask":
                command += ["--workers", str(args.workers)]
            before = __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN)
            r = measure(command, env, out.parent / f".{out.name}.partial")
            cpu = r["cpu_children"] - (before.ru_utime + before.ru_stime)
            # Dask workers are grandchildren that the CLI's cluster reaps: rusage covers them only
            # when they were waited for; take the larger of the two counts.
            cpu = max(cpu, r["cpu_sampled"])
            print(
                f"{n:>9} {engine:>8} {n / cpu:>10,.0f} {r['wall']:>8,.1f} {n / r['wall']:>10,.0f} {1e6 * cpu / n:>10,.0f} {r['peak_rss'] / 2**20:>11,.0f}",
                flush=True,
            )
            print("           " + ", ".join(f"{name} {t1 - t0:,.0f} s (peak {rss / 2**20:,.0f} MB)" for name, t0, t1, rss, _ in r["stages"]), flush=True)
            if engine == "dask":
                print("           peak RSS of the build process (client, scheduler): " + ", ".join(f"{name} {own / 2**20:,.0f} MB" for name, _, _, _, own in r["stages"]), flush=True)
            (cu, cs), (wu, ws) = r["client"], r["workers"]
            print(f"           CPU s (user/system, as last sampled): build process {cu:,.0f}/{cs:,.0f}, descendants {wu:,.0f}/{ws:,.0f}", flush=True)
            shutil.rmtree(out.parent, ignore_errors=True)
        if owned:
            shutil.rmtree(raw, ignore_errors=True)


if __name__ == "__main__":
    main()
