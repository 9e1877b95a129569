"""The label schema: one YAML file from which the Label Studio config, the labeled configs'
``datasets.Features`` and the benchmarks' label validation are all derived.

Loading is strict: an unknown key, a duplicate label or a malformed value is a :class:`SchemaError`
naming the file and the key path, so a typo cannot silently drop a label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warta.errors import SchemaError

#: The schema shipped with the repository (``annotation/schema.yaml``); a copy is packaged so an
#: installed warta works outside a checkout.
PACKAGED_SCHEMA = Path(__file__).with_name("schema.yaml")

_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Bilingual:
    id: str
    en: str


@dataclass(frozen=True)
class EntityType:
    name: str
    description: Bilingual
    color: str
    hotkey: str


@dataclass(frozen=True)
class StanceLabel:
    name: str
    description: Bilingual


@dataclass(frozen=True)
class StanceTarget:
    id: str
    description: Bilingual


@dataclass(frozen=True)
class SummarySpec:
    min_sentences: int
    max_sentences: int
    language: str


@dataclass(frozen=True)
class LabelSchema:
    version: int
    entity_types: tuple[EntityType, ...]
    stance_labels: tuple[StanceLabel, ...]
    stance_targets: tuple[StanceTarget, ...]
    actor_types: tuple[str, ...]
    summary: SummarySpec

    @property
    def entity_labels(self) -> list[str]:
        return [entity.name for entity in self.entity_types]

    @property
    def stance_label_names(self) -> list[str]:
        return [label.name for label in self.stance_labels]

    @property
    def target_ids(self) -> list[str]:
        return [target.id for target in self.stance_targets]

    @property
    def iob2_tags(self) -> list[str]:
        """``O`` then ``B-X``, ``I-X`` for each entity type, in schema order (ClassLabel names)."""
        tags = ["O"]
        for name in self.entity_labels:
            tags += [f"B-{name}", f"I-{name}"]
        return tags


class _Reader:
    """Walks the parsed YAML, consuming keys so that leftovers can be reported as unknown."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> SchemaError:
        return SchemaError(f"{self.source}: {where}: {problem}", hint="see annotation/schema.yaml")

    def mapping(self, value: Any, where: str, required: set[str], optional: set[str] = frozenset()) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a mapping, got {type(value).__name__}")
        unknown = sorted(set(value) - required - optional)
        if unknown:
            raise self.fail(where, f"unknown key(s) {', '.join(map(repr, unknown))}")
        missing = sorted(required - set(value))
        if missing:
            raise self.fail(where, f"missing key(s) {', '.join(map(repr, missing))}")
        return value

    def string(self, value: Any, where: str, pattern: re.Pattern[str] | None = None) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "expected a non-empty string")
        if pattern is not None and not pattern.match(value):
            raise self.fail(where, f"{value!r} does not match {pattern.pattern}")
        return value

    def sequence(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list) or not value:
            raise self.fail(where, "expected a non-empty list")
        return value

    def bilingual(self, value: Any, where: str) -> Bilingual:
        data = self.mapping(value, where, {"id", "en"})
        return Bilingual(id=self.string(data["id"], f"{where}.id"), en=self.string(data["en"], f"{where}.en"))

    def unique(self, names: list[str], where: str) -> None:
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise self.fail(where, f"duplicate label {name!r}")
            seen.add(name)


def parse_schema(data: Any, source: str = "<schema>") -> LabelSchema:
    """Validate parsed YAML and build a :class:`LabelSchema`."""
    r = _Reader(source)
    top = r.mapping(data, "top level", {"version", "entity_types", "stance", "summary"})
    if top["version"] != 1:
        raise r.fail("version", f"unsupported schema version {top['version']!r} (this warta reads 1)")

    entities = []
    for i, item in enumerate(r.sequence(top["entity_types"], "entity_types")):
        where = f"entity_types[{i}]"
        e = r.mapping(item, where, {"name", "description", "color", "hotkey"})
        entities.append(
            EntityType(
                name=r.string(e["name"], f"{where}.name", _NAME),
                description=r.bilingual(e["description"], f"{where}.description"),
                color=r.string(e["color"], f"{where}.color", _COLOR),
                hotkey=r.string(str(e["hotkey"]), f"{where}.hotkey", re.compile(r"^[a-z0-9]$")),
            )
        )
    r.unique([e.name for e in entities], "entity_types")
    r.unique([e.hotkey for e in entities], "entity_types (hotkeys)")

    stance = r.mapping(top["stance"], "stance", {"labels", "targets", "actor_types"})
    labels = []
    for i, item in enumerate(r.sequence(stance["labels"], "stance.labels")):
        where = f"stance.labels[{i}]"
        s = r.mapping(item, where, {"name", "description"})
        labels.append(StanceLabel(r.string(s["name"], f"{where}.name", _NAME), r.bilingual(s["description"], f"{where}.description")))
    r.unique([label.name for label in labels], "stance.labels")
    targets = []
    for i, item in enumerate(r.sequence(stance["targets"], "stance.targets")):
        where = f"stance.targets[{i}]"
        t = r.mapping(item, where, {"id", "description"})
        targets.append(StanceTarget(r.string(t["id"], f"{where}.id", _ID), r.bilingual(t["description"], f"{where}.description")))
    r.unique([t.id for t in targets], "stance.targets")
    actor_types = [r.string(a, "stance.actor_types", _NAME) for a in r.sequence(stance["actor_types"], "stance.actor_types")]
    r.unique(actor_types, "stance.actor_types")
    undefined = sorted(set(actor_types) - {e.name for e in entities})
    if undefined:
        raise r.fail("stance.actor_types", f"not entity types: {', '.join(undefined)}")

    summary = r.mapping(top["summary"], "summary", {"min_sentences", "max_sentences", "language"})
    lo, hi = summary["min_sentences"], summary["max_sentences"]
    if not (isinstance(lo, int) and isinstance(hi, int) and 1 <= lo <= hi):
        raise r.fail("summary", "min_sentences and max_sentences must be integers with 1 <= min <= max")

    return LabelSchema(
        version=1,
        entity_types=tuple(entities),
        stance_labels=tuple(labels),
        stance_targets=tuple(targets),
        actor_types=tuple(actor_types),
        summary=SummarySpec(lo, hi, r.string(summary["language"], "summary.language")),
    )


def load_schema(path: str | Path | None = None) -> LabelSchema:
    """Load and validate a schema file (default: the packaged copy of ``annotation/schema.yaml``)."""
    from warta.inputs import read_yaml

    source = Path(path) if path is not None else PACKAGED_SCHEMA
    if not source.exists():
        raise SchemaError(f"{source}: no such schema file")
    return parse_schema(read_yaml(source, error=SchemaError), str(source))
