"""A bounded memo of what one token of text holds, for the per-token readers of the build.

Story terms and shingling read a text a whitespace token at a time, and tokens recur across
articles far more than texts do, so each keeps what it computed per token. The memo starts again
empty when full, so memory stays bounded whatever the corpus. Callers look tokens up in the plain
dict :meth:`TokenMemo.start` returns: ``dict.get`` on a hit is ~80 ns, against ~100 for a dict
subclass's ``__missing__`` and more for a ``functools.lru_cache`` call, on ~300 tokens an article.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class TokenMemo(Generic[T]):
    """``compute(token)`` per token, kept while there are at most ``limit`` entries.

    Use: ``table = memo.start()`` once per text, then ``found = table.get(token)`` and, when that
    is None, ``found = memo.add(token)``."""

    def __init__(self, compute: Callable[[str], T], limit: int) -> None:
        self.compute = compute
        self.limit = limit
        self.table: dict[str, T] = {}

    def start(self) -> dict[str, T]:
        """The table to look tokens up in, emptied first if it grew past the limit."""
        if len(self.table) > self.limit:
            self.table.clear()
        return self.table

    def add(self, token: str) -> T:
        value = self.table[token] = self.compute(token)
        return value

    def clear(self) -> None:
        self.table.clear()

    def __len__(self) -> int:
        return len(self.table)
