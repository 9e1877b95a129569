"""Reading a release folder: the layout every stage agrees on.

A release is a Hugging Face dataset folder with no loading script::

    DIR/README.md                                  card; YAML header with configs + dataset_info
    DIR/manifest.json                              version, checksums, row counts, raw sources
    DIR/CHANGELOG.md
    DIR/<config>/<split>-00000-of-00001.parquet    one or more shards per config and split

``manifest.json`` lists every other file of the release with its SHA-256, size in bytes and (for
Parquet) config, split and row count. Its own SHA-256 identifies the release in score signatures.
Writing releases is the corpus stage's job; this module only reads.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from warta.errors import ReleaseError
from warta.fsutil import sha256_file
from warta.schema import LabelSchema

MANIFEST = "manifest.json"
CARD = "README.md"
CHANGELOG = "CHANGELOG.md"
SPLITS = ("train", "validation", "test")
_SHARD = re.compile(r"^(?P<split>[a-z]+)-(?P<index>\d{5})-of-(?P<count>\d{5})\.parquet$")


def shard_name(split: str, index: int = 0, count: int = 1) -> str:
    return f"{split}-{index:05d}-of-{count:05d}.parquet"


@dataclass(frozen=True)
class Release:
    """A release folder on disk. Cheap to create; files are read on first use."""

    path: Path

    @classmethod
    def open(cls, path: str | Path) -> Release:
        folder = Path(path)
        if not folder.is_dir():
            raise ReleaseError(f"{folder}: no such release folder", hint="build one with `warta corpus build`")
        if not (folder / MANIFEST).is_file():
            raise ReleaseError(f"{folder}: no {MANIFEST}; this is not a warta release folder")
        return cls(folder)

    @cached_property
    def manifest(self) -> dict[str, Any]:
        try:
            return json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ReleaseError(f"{self.path / MANIFEST}: not valid JSON ({exc.msg}, line {exc.lineno})") from None

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", "unknown"))

    @cached_property
    def manifest_sha256(self) -> str:
        return sha256_file(self.path / MANIFEST)

    def configs(self) -> list[str]:
        return sorted({f["config"] for f in self.manifest.get("files", []) if f.get("config")})

    def splits(self, config: str) -> list[str]:
        found = {f["split"] for f in self.manifest.get("files", []) if f.get("config") == config}
        return [s for s in SPLITS if s in found] + sorted(found - set(SPLITS))

    def shards(self, config: str, split: str) -> list[Path]:
        folder = self.path / config
        return sorted(p for p in folder.glob(f"{split}-*.parquet") if _SHARD.match(p.name))

    def read(
        self, config: str, split: str | None = None, schema: LabelSchema | None = None
    ) -> list[dict[str, Any]]:
        """Rows of one config (all splits, in split order, unless ``split`` is given) as plain dicts.

        ClassLabel columns are stored as integer ids; pass the label ``schema`` to get names back
        (``entities[].label`` and ``ner_tags`` in ``ner``, ``label`` in ``stance``).
        """
        import pyarrow.parquet as pq

        if config not in self.configs():
            raise ReleaseError(
                f"{self.path}: release {self.version} has no config {config!r} "
                f"(it has: {', '.join(self.configs()) or 'none'})",
                hint="labeled configs need a build with --gold",
            )
        splits = [split] if split is not None else self.splits(config)
        rows: list[dict[str, Any]] = []
        for name in splits:
            shards = self.shards(config, name)
            if not shards:
                raise ReleaseError(
                    f"{self.path}: config {config!r} has no split {name!r} "
                    f"(it has: {', '.join(self.splits(config))})"
                )
            for shard in shards:
                rows.extend(pq.read_table(shard).to_pylist())
        if schema is not None:
            decode_labels(config, rows, schema)
        return rows


def decode_labels(config: str, rows: list[dict[str, Any]], schema: LabelSchema) -> None:
    """Replace ClassLabel ids by their names in place (a no-op for values that are already names)."""

    def name(names: list[str], value: Any) -> Any:
        return names[value] if isinstance(value, int) else value

    if config == "ner":
        entity_names, tags = schema.entity_labels, schema.iob2_tags
        for row in rows:
            for entity in row.get("entities") or []:
                entity["label"] = name(entity_names, entity["label"])
            row["ner_tags"] = [name(tags, t) for t in row.get("ner_tags") or []]
    elif config == "stance":
        labels = schema.stance_label_names
        for row in rows:
            if row.get("label") is not None:
                row["label"] = name(labels, row["label"])
