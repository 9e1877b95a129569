"""Building :class:`AnnotationRecord` objects by naming surfaces instead of typing offsets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from warta.annotation.records import AnnotationRecord, EntityAnnotation, RegionStance, TargetStance
from warta.fsutil import sha256_text

TARGET = "nato_enlargement"


def find(text: str, surface: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence (0-based) of ``surface`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def annotation_record(
    annotator: str,
    text: str,
    entities: Iterable[Sequence] = (),
    *,
    annotation_id: int,
    article: str = "a1",
    task: int = 1,
    document: Iterable[str] = (),
    summary: str | None = None,
    ground_truth: bool = False,
) -> AnnotationRecord:
    """``entities``: ``(surface, label)``, ``(surface, label, stance)`` or ``(surface, label, stance, nth)``;
    a stance of ``None`` means no per-region choice."""
    ents, stance = [], []
    for i, spec in enumerate(entities):
        surface, label = spec[0], spec[1]
        start, end = find(text, surface, spec[3] if len(spec) > 3 else 0)
        ents.append(EntityAnnotation(f"r{i}", start, end, label, surface))
        if len(spec) > 2 and spec[2]:
            stance.append(RegionStance(f"r{i}", TARGET, spec[2]))
    return AnnotationRecord(
        task_id=task,
        article_id=article,
        text=text,
        text_sha256=sha256_text(text),
        annotator=annotator,
        annotation_id=annotation_id,
        ground_truth=ground_truth,
        entities=ents,
        stance=stance,
        document_stance=[TargetStance(TARGET, label) for label in document],
        summary=summary,
    )
