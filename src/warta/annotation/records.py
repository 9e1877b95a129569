"""warta's annotation records: one per (task, annotator), independent of Label Studio's JSON.

``warta annotate pull`` writes them as JSONL (one record per line); agreement and adjudication read
them. Offsets index ``text`` (the annotated text: headline, blank line, body) and have been checked
against it when the record was made; ``annotator`` is a stable pseudonym, never an email.

``source`` says where the annotation was made: ``"annotation"`` (the project annotators work in) or
``"review"`` (a curator's submission in the review project made by ``warta annotate review``; such
records are ground truth and are left out of agreement). Records written before ``source`` existed
read as ``"annotation"``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from warta.errors import InputError

RECORD_FORMAT = "warta.annotation.v1"
ANNOTATION = "annotation"
REVIEW = "review"
SOURCES = (ANNOTATION, REVIEW)


@dataclass(frozen=True)
class EntityAnnotation:
    region_id: str
    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True)
class RegionStance:
    """The stance an annotator gave on one entity region (a Label Studio per-region choice)."""

    region_id: str
    target: str
    label: str


@dataclass(frozen=True)
class TargetStance:
    target: str
    label: str


@dataclass
class AnnotationRecord:
    task_id: int
    article_id: str
    text: str
    text_sha256: str
    annotator: str
    annotation_id: int
    ground_truth: bool = False
    lead_time: float | None = None
    created_at: str | None = None
    entities: list[EntityAnnotation] = field(default_factory=list)
    stance: list[RegionStance] = field(default_factory=list)
    document_stance: list[TargetStance] = field(default_factory=list)
    summary: str | None = None
    source: str = ANNOTATION
    format: str = RECORD_FORMAT

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnnotationRecord:
        if data.get("format") != RECORD_FORMAT:
            raise ValueError(f"format is {data.get('format')!r}, expected {RECORD_FORMAT!r}")
        source = data.get("source", ANNOTATION)
        if source not in SOURCES:
            raise ValueError(f"source is {source!r}, expected one of {', '.join(SOURCES)}")
        return cls(
            task_id=int(data["task_id"]),
            article_id=str(data["article_id"]),
            text=str(data["text"]),
            text_sha256=str(data["text_sha256"]),
            annotator=str(data["annotator"]),
            annotation_id=int(data["annotation_id"]),
            ground_truth=bool(data.get("ground_truth", False)),
            lead_time=None if data.get("lead_time") is None else float(data["lead_time"]),
            created_at=data.get("created_at"),
            entities=[EntityAnnotation(**e) for e in data.get("entities", [])],
            stance=[RegionStance(**s) for s in data.get("stance", [])],
            document_stance=[TargetStance(**s) for s in data.get("document_stance", [])],
            summary=data.get("summary"),
            source=source,
        )


def read_records(path: str | Path) -> list[AnnotationRecord]:
    """Read a JSONL file of records; a bad line is an :class:`InputError` naming file and line."""
    from warta.inputs import iter_jsonl

    source = Path(path)
    if not source.is_file():
        raise InputError(f"{source}: no such annotation file", hint="create one with `warta annotate pull`")
    records = []
    for number, value in iter_jsonl(source, hint="pull the annotations again with `warta annotate pull`"):
        try:
            records.append(AnnotationRecord.from_dict(value))
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{source}:{number}: not a warta annotation record ({exc})") from None
    return records


def dumps_records(records: list[AnnotationRecord]) -> str:
    return "".join(record.to_json() + "\n" for record in records)
