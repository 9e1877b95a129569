"""A labeled character span: what taggers emit and scorers compare."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class EntitySpan:
    """``text[start:end]`` is an entity of type ``label``; offsets are Python ``str`` indices."""

    start: int
    end: int
    label: str
