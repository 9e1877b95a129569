"""What a Dask worker does once, before it runs a build's steps (``distributed`` is imported here,
so only the dask engine loads this module)."""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from warta.memory import use_lean_pool


class LeanPool(WorkerPlugin):
    """Arrow's system allocator in every worker, those that join the cluster later included."""

    name = "warta-lean-pool"

    def setup(self, worker: Any) -> None:
        use_lean_pool()
