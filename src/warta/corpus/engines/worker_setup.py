"""What a Dask worker does for a build besides running its steps (``distributed`` is imported here,
so only the dask engine loads this module)."""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from warta.memory import give_back_free_memory, use_lean_pool


class LeanMemory(WorkerPlugin):
    """Arrow's system allocator in every worker (those that join the cluster later included), and
    the memory a task freed given back when it ends, as the local engine does between tasks."""

    name = "warta-lean-memory"

    def setup(self, worker: Any) -> None:
        use_lean_pool()

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if start == "executing":
            give_back_free_memory()
