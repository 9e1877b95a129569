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

import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from warta.errors import ReleaseError
from warta.fsutil import sha256_file
from warta.inputs import iter_parquet_batches, read_json
from warta.paths import check_relative, describe
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
    _checked: bool = field(default=False, init=False, repr=False, compare=False)

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
        """The manifest, checked for shape: every later use may trust its types and paths."""
        return validate_manifest(read_json(self.path / MANIFEST, error=ReleaseError), self.path / MANIFEST)

    def check_files(self) -> None:
        """Every file the manifest lists has its size and SHA-256, and is a regular file inside the folder.

        Cheap next to reading the data, and what makes a score's data hash mean the bytes scored:
        consumers call it before they trust a release. Raises :class:`ReleaseError` (exit 3).
        """
        if self._checked:
            return
        problems = list(file_problems(self))
        if problems:
            shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
            raise ReleaseError(
                f"{self.path}: release {self.version} does not match its manifest: {shown}",
                hint=f"run `warta corpus verify {self.path}`; restore the release from where it was published",
            )
        object.__setattr__(self, "_checked", True)

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
                for batch in iter_parquet_batches(shard, batch_size=10_000):
                    rows.extend(batch.to_pylist())
        if schema is not None:
            decode_labels(config, rows, schema)
        return rows


def validate_manifest(data: Any, source: Path) -> dict[str, Any]:
    """The shape every reader relies on; anything else is a damaged release, named precisely."""
    if not isinstance(data, dict):
        raise ReleaseError(f"{source}: expected a JSON object, got {type(data).__name__}", hint="the manifest is damaged; restore it")
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise ReleaseError(f"{source}: 'version' must be a non-empty string")
    files = data.get("files")
    if not isinstance(files, list):
        raise ReleaseError(f"{source}: 'files' must be a list of file entries")
    seen: set[str] = set()
    for number, entry in enumerate(files, start=1):
        where = f"{source}: files[{number - 1}]"
        if not isinstance(entry, dict):
            raise ReleaseError(f"{where} must be an object with path, bytes and sha256")
        path = check_relative(entry.get("path"), what=f"{where}.path")
        if path in seen:
            raise ReleaseError(f"{where}.path {describe(path)} is listed twice")
        seen.add(path)
        size, digest = entry.get("bytes"), entry.get("sha256")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ReleaseError(f"{where}.bytes must be a non-negative integer ({describe(path)})")
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise ReleaseError(f"{where}.sha256 must be 64 lowercase hex digits ({describe(path)})")
        config, split, rows = entry.get("config"), entry.get("split"), entry.get("rows")
        if config is not None or split is not None:
            if not isinstance(config, str) or not isinstance(split, str) or not _NAME.fullmatch(config) or not _NAME.fullmatch(split):
                raise ReleaseError(f"{where}: config and split must both be lowercase names ({describe(path)})")
            if not path.startswith(f"{config}/") or not (m := _SHARD.match(path[len(config) + 1 :])) or m["split"] != split:
                raise ReleaseError(f"{where}: a {config}/{split} shard must be at {config}/{split}-NNNNN-of-NNNNN.parquet, not {describe(path)}")
            if not isinstance(rows, int) or isinstance(rows, bool) or rows < 0:
                raise ReleaseError(f"{where}.rows must be a non-negative integer ({describe(path)})")
    for key in ("counts", "settings", "schema", "gold"):
        if data.get(key) is not None and not isinstance(data[key], dict):
            raise ReleaseError(f"{source}: '{key}' must be an object")
    for key in ("hidden_labels", "raw_sources"):
        if data.get(key) is not None and not isinstance(data[key], list):
            raise ReleaseError(f"{source}: '{key}' must be a list")
    return data


_SHA256 = re.compile(r"[0-9a-f]{64}")
_NAME = re.compile(r"[a-z][a-z0-9_]*")


def file_problems(release: Release) -> Any:
    """``"path: what is wrong"`` for every listed file that is missing, not regular, outside, or changed."""
    root = release.path.resolve()
    for entry in release.manifest["files"]:
        rel = entry["path"]
        target = release.path / rel
        try:
            info = os.lstat(target)
        except OSError:
            yield f"{rel} is missing"
            continue
        import stat

        if not stat.S_ISREG(info.st_mode):
            yield f"{rel} is not a regular file"
            continue
        real = target.resolve()
        if root not in real.parents:
            yield f"{rel} lies outside the release"
            continue
        if info.st_size != entry["bytes"]:
            yield f"{rel} has {info.st_size} bytes, the manifest says {entry['bytes']}"
            continue
        try:
            digest = sha256_file(target)
        except OSError as exc:
            yield f"{rel} cannot be read ({exc.strerror or exc})"
            continue
        if digest != entry["sha256"]:
            yield f"{rel} was changed (sha256 {digest[:12]}…, the manifest says {entry['sha256'][:12]}…)"


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
