"""The embedded engine: every step in this process, one task at a time, streaming."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from warta.memory import give_back_free_memory, use_lean_pool


class LocalEngine:
    name = "local"
    parallelism = 1

    def __init__(self, *, progress: bool = False) -> None:
        self.progress = progress
        use_lean_pool()  # the steps run here

    def map(self, fn: Callable[[Any], Any], tasks: Sequence[Any], *, desc: str) -> Iterator[Any]:
        bar = None
        if self.progress and tasks:
            from tqdm import tqdm

            bar = tqdm(total=len(tasks), desc=desc, unit="task", leave=False)
        try:
            for task in tasks:
                result = fn(task)
                give_back_free_memory()  # what the task freed, before the next one
                yield result
                if bar is not None:
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()

    def close(self) -> None:
        return None
