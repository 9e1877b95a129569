"""How the corpus steps run: an engine maps a step function over tasks and gives back the results
in task order. What the steps do (:mod:`warta.corpus.steps`) knows nothing of engines.

- ``local``: this process, one task after the other, with a progress bar per stage.
- ``dask``: ``dask.distributed`` workers (a ``LocalCluster`` of ``workers`` processes, or the
  cluster at ``scheduler``); the optional extra ``warta[dask]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from warta.errors import InputError

ENGINES = ("local", "dask")


class Engine(Protocol):
    name: str
    #: How many tasks it runs at once (the global steps cut their work into about this many pieces).
    parallelism: int

    def map(self, fn: Callable[[Any], Any], tasks: Sequence[Any], *, desc: str) -> Iterator[Any]:
        """``fn(task)`` for every task; results are yielded in task order."""
        ...

    def close(self) -> None: ...


def open_engine(name: str = "local", *, workers: int | None = None, scheduler: str | None = None, progress: bool = False) -> Engine:
    """The engine called ``name`` (refused with a clear error when it cannot be used)."""
    if name == "local":
        if workers is not None or scheduler is not None:
            raise InputError("--workers and --scheduler need --engine dask", hint="add --engine dask, or drop them")
        from warta.corpus.engines.local import LocalEngine

        return LocalEngine(progress=progress)
    if name == "dask":
        if workers is not None and scheduler is not None:
            raise InputError("--workers starts a local cluster and --scheduler connects to one: pass only one of them")
        if workers is not None and workers < 1:
            raise InputError(f"--workers {workers}: need at least 1")
        from warta.corpus.engines.dask import DaskEngine

        return DaskEngine(workers=workers, scheduler=scheduler, progress=progress)
    raise InputError(f"unknown engine {name!r}", hint=f"use one of: {', '.join(ENGINES)}")
