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

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warta.errors import InputError
from warta.inputs import iter_jsonl
from warta.paths import check_name, describe

if TYPE_CHECKING:
    from warta.schema import LabelSchema

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
    def from_dict(cls, data: Any, schema: LabelSchema | None = None) -> AnnotationRecord:
        """A record from its JSON object, every field checked for type and range.

        Offsets must be integers with ``0 <= start < end <= len(text)``; ``text_sha256`` must be the
        hash of ``text`` (text is checked before the hash, so a lone surrogate is named as such); the article id must be
        usable as a file name (it names the gold file); with ``schema``, entity labels, stance
        labels and targets must be the schema's. Raises ``ValueError`` saying which field is wrong.
        """
        if not isinstance(data, dict):
            raise ValueError(f"expected a JSON object, got {_kind(data)}")
        if data.get("format") != RECORD_FORMAT:
            raise ValueError(f"format is {describe(data.get('format'))}, expected {RECORD_FORMAT!r}")
        source = data.get("source", ANNOTATION)
        if source not in SOURCES:
            raise ValueError(f"source is {describe(source)}, expected one of {', '.join(SOURCES)}")
        missing = [k for k in ("task_id", "article_id", "text", "text_sha256", "annotator", "annotation_id") if k not in data]
        if missing:
            raise ValueError(f"missing field(s) {', '.join(missing)}")
        text = _string(data, "text")
        entities = [_entity(e, i, text) for i, e in enumerate(_list(data, "entities"))]
        stance = [_region_stance(s, i) for i, s in enumerate(_list(data, "stance"))]
        document_stance = [_target_stance(s, i) for i, s in enumerate(_list(data, "document_stance"))]
        ground_truth = data.get("ground_truth", False)
        if not isinstance(ground_truth, bool):
            raise ValueError(f"ground_truth must be true or false, got {_kind(ground_truth)}")
        lead_time = data.get("lead_time")
        if lead_time is not None and (isinstance(lead_time, bool) or not isinstance(lead_time, (int, float))):
            raise ValueError(f"lead_time must be a number or null, got {_kind(lead_time)}")
        for key in ("created_at", "summary"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise ValueError(f"{key} must be a string or null, got {_kind(data[key])}")
        record = cls(
            task_id=_integer(data, "task_id"),
            article_id=check_name(_string(data, "article_id"), what="article_id", error=InputError),
            text=text,
            text_sha256=_string(data, "text_sha256"),
            annotator=_string(data, "annotator"),
            annotation_id=_integer(data, "annotation_id"),
            ground_truth=ground_truth,
            lead_time=None if lead_time is None else float(lead_time),
            created_at=data.get("created_at"),
            entities=entities,
            stance=stance,
            document_stance=document_stance,
            summary=data.get("summary"),
            source=source,
        )
        if record.text_sha256 != hashlib.sha256(text.encode("utf-8")).hexdigest():
            raise ValueError("text_sha256 is not the SHA-256 of text (the record was edited after it was pulled)")
        if schema is not None:
            check_labels(record, schema)
        return record


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _string(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string, got {_kind(value)}")
    return value


def _integer(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{key} must be an integer, got {_kind(value)}")
    return value


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{key} must be an array, got {_kind(value)}")
    return value


def _fields(value: Any, where: str, names: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be an object, got {_kind(value)}")
    if set(value) != set(names):
        raise ValueError(f"{where} must have exactly the fields {', '.join(names)}")
    return value


def _entity(value: Any, index: int, text: str) -> EntityAnnotation:
    where = f"entities[{index}]"
    data = _fields(value, where, ("region_id", "start", "end", "label", "text"))
    for key in ("region_id", "label", "text"):
        if not isinstance(data[key], str):
            _fail(f"{where}.{key} must be a string, got {_kind(data[key])}")
    start, end = data["start"], data["end"]
    if type(start) is not int or type(end) is not int:
        raise ValueError(f"{where}: start and end must be integers, got {_kind(start)} and {_kind(end)}")
    if not 0 <= start < end <= len(text):
        raise ValueError(f"{where}: span {start}:{end} does not fit the text ({len(text)} characters)")
    return EntityAnnotation(data["region_id"], start, end, data["label"], data["text"])


def _region_stance(value: Any, index: int) -> RegionStance:
    where = f"stance[{index}]"
    data = _fields(value, where, ("region_id", "target", "label"))
    for key in ("region_id", "target", "label"):
        if not isinstance(data[key], str):
            _fail(f"{where}.{key} must be a string, got {_kind(data[key])}")
    return RegionStance(data["region_id"], data["target"], data["label"])


def _target_stance(value: Any, index: int) -> TargetStance:
    where = f"document_stance[{index}]"
    data = _fields(value, where, ("target", "label"))
    for key in ("target", "label"):
        if not isinstance(data[key], str):
            _fail(f"{where}.{key} must be a string, got {_kind(data[key])}")
    return TargetStance(data["target"], data["label"])


def _fail(message: str) -> None:
    raise ValueError(message)


def check_labels(record: AnnotationRecord, schema: LabelSchema) -> None:
    """Entity labels, stance labels and targets of ``record`` are the schema's (``ValueError`` if not)."""
    entity_labels, stance_labels, targets = set(schema.entity_labels), set(schema.stance_label_names), set(schema.target_ids)
    for i, entity in enumerate(record.entities):
        if entity.label not in entity_labels:
            raise ValueError(
                f"entities[{i}]: label {describe(entity.label)} is not in the label schema "
                f"(it has {', '.join(schema.entity_labels)})"
            )
    for where, items in (("stance", record.stance), ("document_stance", record.document_stance)):
        for i, item in enumerate(items):
            if item.target not in targets:
                raise ValueError(
                    f"{where}[{i}]: target {describe(item.target)} is not in the label schema "
                    f"(it has {', '.join(schema.target_ids)})"
                )
            if item.label not in stance_labels:
                raise ValueError(
                    f"{where}[{i}]: stance label {describe(item.label)} is not in the label schema "
                    f"(it has {', '.join(schema.stance_label_names)})"
                )


def read_records(path: str | Path, schema: LabelSchema | None = None) -> list[AnnotationRecord]:
    """Read a JSONL file of records; a bad line is an :class:`InputError` naming file and line.

    Lines are read with :func:`warta.inputs.iter_jsonl` (size, depth, integer and UTF-8 limits);
    with ``schema``, labels and targets are checked against it (:func:`check_labels`).
    """
    source = Path(path)
    if not source.exists():
        raise InputError(f"{source}: no such annotation file", hint="create one with `warta annotate pull`")
    hint = "records are written by `warta annotate pull`"
    records = []
    for number, value in iter_jsonl(source, hint=hint):
        try:
            records.append(AnnotationRecord.from_dict(value, schema))
        except ValueError as exc:
            raise InputError(f"{source}, line {number}: not a warta annotation record: {exc}", hint=hint) from None
        except InputError as exc:
            raise InputError(f"{source}, line {number}: {exc.message}", hint=exc.hint) from None
    return records


def dumps_records(records: list[AnnotationRecord]) -> str:
    return "".join(record.to_json() + "\n" for record in records)
