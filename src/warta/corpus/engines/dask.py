"""The distributed engine: the same steps on ``dask.distributed``.

``workers=N`` starts a ``LocalCluster`` of N single-threaded worker processes (the steps are
CPU-bound Python: processes, not threads) with the monitors that would compete with them quietened
(:data:`QUIET_WORKERS`); ``scheduler=ADDRESS`` connects to a running cluster,
e.g. one started by ``dask-jobqueue`` on Slurm or by ``dask-kubernetes``. Tasks carry paths and
settings only, so the raw folder and the output must be on storage every worker sees. Results come
back in task order whatever order the workers finish in, which is what keeps the bytes the same.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from warta.errors import InputError, ServiceError
from warta.memory import use_lean_pool, worker_pool_environ

#: Dask settings for the cluster this engine starts. The defaults suit interactive analysis and cost a
#: CPU-bound build ~8 % of each worker's CPU (measured on a 2-core machine: other threads used 1.25 s
#: beside a 15 s read task, 0.22 s with these): the statistical profiler samples every thread's
#: stack every 10 ms, the event-loop tick check wakes every 20 ms and the system and memory monitors
#: poll psutil every 0.5 and 0.1 s, each taking the GIL from the step. The dashboard still works.
QUIET_WORKERS: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}


def worker_env() -> dict[str, str]:
    """The environment for the workers of a cluster started by hand (``dask-jobqueue``,
    ``dask-kubernetes``; see ``docs/scale.md``): :data:`QUIET_WORKERS` as ``DASK_...`` variables,
    and Arrow's pool (:func:`warta.memory.worker_pool_environ`), both read when a worker starts."""
    quiet = {"DASK_" + key.upper().replace(".", "__").replace("-", "_"): str(value) for key, value in QUIET_WORKERS.items()}
    return quiet | worker_pool_environ()


class DaskEngine:
    name = "dask"

    def __init__(self, *, workers: int | None = None, scheduler: str | None = None, progress: bool = False) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError("the dask engine needs dask.distributed, which is not installed", hint="pip install 'warta[dask]'") from None
        from warta.corpus.engines.worker_setup import LeanMemory

        self.progress = progress
        self.cluster = None
        use_lean_pool()  # the plan and the finish run in this process
        if scheduler is not None:
            try:
                self.client = Client(scheduler, timeout="20s")
            except (OSError, TimeoutError) as error:
                raise ServiceError(f"cannot reach the Dask scheduler at {scheduler} ({error})", hint="check the address (tcp://HOST:8786) and that the scheduler runs") from None
        else:
            import dask

            # The nannies copy the configuration in force when they start into their workers.
            with dask.config.set(QUIET_WORKERS):
                self.cluster = LocalCluster(
                    n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40,
                    env=worker_pool_environ(),
                )
                self.client = Client(self.cluster)
        self.client.register_plugin(LeanMemory())
        link = getattr(self.client, "dashboard_link", None)
        if progress and link:
            print(f"dask dashboard: {link}", file=sys.stderr, flush=True)
        info = self.client.scheduler_info()
        self.parallelism = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))

    def map(self, fn: Callable[[Any], Any], tasks: Sequence[Any], *, desc: str) -> Iterator[Any]:
        from distributed import as_completed

        if not tasks:
            return
        run = uuid.uuid4().hex
        futures = self.client.map(fn, list(tasks), pure=False, key=[f"{desc}-{run}-{i}" for i in range(len(tasks))])
        index = {f.key: i for i, f in enumerate(futures)}
        bar = None
        if self.progress:
            from tqdm import tqdm

            bar = tqdm(total=len(futures), desc=f"{desc} (dask)", unit="task", leave=False)
        done: dict[int, Any] = {}
        next_index = 0
        try:
            for future in as_completed(futures):
                done[index[future.key]] = future.result()
                future.release()
                if bar is not None:
                    bar.update(1)
                while next_index in done:
                    yield done.pop(next_index)
                    next_index += 1
        finally:
            for future in futures:
                future.cancel()
            if bar is not None:
                bar.close()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
