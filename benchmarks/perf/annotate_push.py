"""How long `warta annotate push` takes for 10,000 tasks (goal: <= 30 s on SQLite).

Writes a release of N synthetic Indonesian articles, then times, against a real Label Studio:

1. a push of the tasks alone (``--no-predictions``) into a new project;
2. a push with the gazetteer tagger's pre-annotations into another new project (the tagger runs
   on the client, overlapped with the server's import of the previous batch);
3. the same push again (lists every task, imports nothing: the idempotence check).

By default it starts its own server (``label-studio`` from LABEL_STUDIO_BIN, the repository's
``.venv-label-studio`` or PATH) on a free port with a temporary SQLite data directory, and stops it
at the end. Pass ``--url`` and ``--api-key`` (or LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY with
``--external``) to measure an existing server instead.

    .venv/bin/python benchmarks/perf/annotate_push.py [--tasks 10000] [--batch-size 500]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOKEN = "warta-benchmark-token-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def label_studio_server(workdir: Path) -> Iterator[str]:
    """A throwaway server; yields its URL and stops its whole process group afterwards."""
    import httpx

    binary = os.environ.get("LABEL_STUDIO_BIN") or (
        str(REPO / ".venv-label-studio" / "bin" / "label-studio")
        if (REPO / ".venv-label-studio" / "bin" / "label-studio").is_file()
        else shutil.which("label-studio")
    )
    if not binary:
        sys.exit("label-studio not found: set LABEL_STUDIO_BIN or pass --url/--api-key")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
    env.update(
        LABEL_STUDIO_BASE_DATA_DIR=str(workdir / "data"),
        LABEL_STUDIO_USERNAME="bench@example.org",
        LABEL_STUDIO_PASSWORD="bench-password-1",
        LABEL_STUDIO_USER_TOKEN=TOKEN,
        LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN="true",
        SENTRY_DSN="",
        FRONTEND_SENTRY_DSN="",
        COLLECT_ANALYTICS="false",
        LATEST_VERSION_CHECK="false",
    )
    log = (workdir / "label-studio.log").open("wb")
    process = subprocess.Popen(
        [binary, "start", "--no-browser", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        while True:
            if process.poll() is not None:
                sys.exit(f"label-studio exited; see {workdir / 'label-studio.log'}")
            with contextlib.suppress(httpx.HTTPError, ValueError):
                if httpx.get(f"{url}/health", timeout=2).json().get("status") == "UP":
                    break
            if time.perf_counter() - started > 180:
                sys.exit("label-studio did not come up within 180 s")
            time.sleep(0.5)
        print(f"server up in {time.perf_counter() - started:.1f} s at {url}", file=sys.stderr)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def write_release(folder: Path, count: int) -> Path:
    """A release with ``count`` synthetic articles of news length (~1.5 kB each)."""
    import json

    from datasets import Dataset

    from warta.features import documents_features
    from warta.fsutil import sha256_file

    features = documents_features()
    paragraph = (
        "Jakarta: Menteri Luar Negeri Retno Marsudi bertemu utusan NATO di Brussel pada 12 Januari 2022. "
        "Rusia menuntut jaminan bahwa Ukraina tidak akan bergabung dengan NATO, sementara Amerika Serikat "
        "menolak tuntutan itu. Pertemuan Dewan NATO-Rusia (NRC) berlangsung di tengah krisis perbatasan."
    )
    rows = []
    for i in range(count):
        row = {name: [] if name in ("captions", "removed") else None for name in features}
        row.update(
            id=f"bench{i:06d}",
            title=f"Berita {i}: NATO dan Rusia berunding",
            text="\n\n".join([paragraph] * (2 + i % 4)),
        )
        rows.append(row)
    shard = folder / "documents" / "test-00000-of-00001.parquet"
    shard.parent.mkdir(parents=True)
    Dataset.from_list(rows, features=features).to_parquet(str(shard))
    manifest = {
        "version": "1.0.0",
        "files": [
            {
                "path": "documents/test-00000-of-00001.parquet",
                "config": "documents",
                "split": "test",
                "rows": count,
                "sha256": sha256_file(shard),
            }
        ],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return folder


def run(url: str, api_key: str, release: Path, tasks: int, batch_size: int) -> None:
    from warta.annotation.connection import Connection
    from warta.annotation.push import push_release

    connection = Connection(url=url, api_key=api_key, timeout=600.0)
    stamp = int(time.time()) % 100000
    bare = push_release(
        connection, release, f"bench bare {tasks} {stamp}", batch_size=batch_size, predictions=False
    )
    assert bare.created == tasks, bare
    first = push_release(connection, release, f"bench push {tasks} {stamp}", batch_size=batch_size)
    assert first.created == tasks and first.predictions == tasks, first
    second = push_release(connection, release, f"bench push {tasks} {stamp}", batch_size=batch_size)
    assert second.created == 0 and second.skipped == tasks, second

    def verdict(seconds: float) -> str:
        return "met" if seconds <= 30 else "NOT met"

    print(
        f"push, tasks only:          {tasks} tasks in {bare.batches} batches of {batch_size}: {bare.seconds:6.1f} s "
        f"({tasks / bare.seconds:.0f} tasks/s; goal <= 30 s {verdict(bare.seconds)})"
    )
    print(
        f"push, with pre-annotations: {tasks} tasks in {first.batches} batches of {batch_size}: {first.seconds:6.1f} s "
        f"({tasks / first.seconds:.0f} tasks/s; goal <= 30 s {verdict(first.seconds)})"
    )
    print(f"re-push (list, import 0):   {second.skipped} tasks listed: {second.seconds:6.1f} s")
    print(f"load average during the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--url")
    parser.add_argument("--api-key")
    parser.add_argument(
        "--external", action="store_true", help="use LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="warta-bench-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        release = write_release(workdir / "release", args.tasks)
        print(
            f"release of {args.tasks} articles written in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        if args.url or args.external:
            url = args.url or os.environ["LABEL_STUDIO_URL"]
            key = args.api_key or os.environ["LABEL_STUDIO_API_KEY"]
            run(url, key, release, args.tasks, args.batch_size)
        else:
            with label_studio_server(workdir) as url:
                run(url, TOKEN, release, args.tasks, args.batch_size)


if __name__ == "__main__":
    main()
