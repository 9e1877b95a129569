"""``warta corpus diff OLD NEW``: what changed between two releases.

Articles are matched by id (ids are stable across releases): added, removed, and changed with the
list of fields that differ; a text change comes with a short unified-diff excerpt. For each labeled
config, rows are matched by id the same way. The result is plain data (JSON-ready); the CLI renders it.

Rows are streamed and compared by per-field digests. The documents of two releases in warta's
order (each split's shards in id order) are merged as two id-ordered streams, so memory grows with
the number of changes only; otherwise (and for the labeled configs) through an id -> field digest
index, with a second pass reading the texts of the rows whose title or text changed. Both releases
are checked against their manifests first: a diff of damaged files would be a lie.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warta.corpus.manifest import check_version
from warta.errors import ReleaseError
from warta.inputs import iter_parquet_batches
from warta.memory import use_lean_pool
from warta.release import Release

#: Fields whose change is shown as a unified diff excerpt.
TEXT_FIELDS = ("text", "title")
EXCERPT_LINES = 12


def _rows(release: Release, config: str) -> Iterator[dict[str, Any]]:
    for split in release.splits(config):
        for shard in release.shards(config, split):
            for batch in iter_parquet_batches(shard, batch_size=1_000):
                for row in batch.to_pylist():
                    row["split"] = split
                    yield row


def _digest(value: Any) -> bytes:
    return hashlib.blake2b(json.dumps(value, sort_keys=True, default=str).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _index(release: Release, config: str) -> dict[str, dict[str, bytes]]:
    """Id -> field -> 16-byte digest: what comparing needs, without holding the texts (memory stays
    at a few dozen bytes per field and row, however long the articles)."""
    if config not in release.configs():
        return {}
    return {row["id"]: {k: _digest(v) for k, v in row.items()} for row in _rows(release, config)}


def _texts(release: Release, config: str, ids: set[str]) -> dict[str, dict[str, Any]]:
    """The text fields of the rows ``ids`` (a second pass, only for rows whose text changed)."""
    if not ids:
        return {}
    return {row["id"]: {f: row.get(f) for f in TEXT_FIELDS} for row in _rows(release, config) if row["id"] in ids}


def text_excerpt(old: str | None, new: str | None, limit: int = EXCERPT_LINES) -> str:
    lines = list(
        difflib.unified_diff((old or "").splitlines(), (new or "").splitlines(), "old", "new", n=1, lineterm="")
    )
    if len(lines) > limit:
        lines = [*lines[:limit], f"... ({len(lines) - limit} more diff lines)"]
    return "\n".join(lines)


_MISSING = _digest(None)


def _compare(
    old: dict[str, dict[str, bytes]], new: dict[str, dict[str, bytes]]
) -> tuple[list[str], list[str], list[dict[str, Any]]]:
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = []
    for key in sorted(set(old) & set(new)):
        a, b = old[key], new[key]
        fields = sorted(f for f in set(a) | set(b) if a.get(f, _MISSING) != b.get(f, _MISSING))
        if fields:
            changed.append({"id": key, "fields": fields})
    return added, removed, changed


def _add_excerpts(old: Release, new: Release, changed: list[dict[str, Any]]) -> None:
    ids = {c["id"] for c in changed if any(f in c["fields"] for f in TEXT_FIELDS)}
    before, after = _texts(old, "documents", ids), _texts(new, "documents", ids)
    for item in changed:
        for f in TEXT_FIELDS:
            if f in item["fields"]:
                item[f"{f}_diff"] = text_excerpt(before[item["id"]][f], after[item["id"]][f])


def _indexed(old: Release, new: Release) -> tuple[list[str], list[str], list[dict[str, Any]]]:
    """The documents compared through the digest index (any row order)."""
    added, removed, changed = _compare(_index(old, "documents"), _index(new, "documents"))
    _add_excerpts(old, new, changed)
    return added, removed, changed


class _Unsorted(Exception):
    pass


def _sorted_rows(release: Release, config: str) -> Iterator[dict[str, Any]]:
    """Rows of ``config`` in id order: each split's shards are in id order (as warta writes
    them), so the splits are merged. Raises :class:`_Unsorted` if a split is not."""
    import heapq

    if config not in release.configs():
        return iter(())

    def split_rows(split: str) -> Iterator[dict[str, Any]]:
        last = None
        for shard in release.shards(config, split):
            for batch in iter_parquet_batches(shard, batch_size=1_000):
                for row in batch.to_pylist():
                    if last is not None and row["id"] <= last:
                        raise _Unsorted
                    last = row["id"]
                    row["split"] = split
                    yield row

    return heapq.merge(*(split_rows(s) for s in release.splits(config)), key=lambda r: r["id"])


def _changes(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any] | None:
    """The change between two rows of one id, compared field by field as :func:`_compare` does
    (digests; a missing field equals null), with the text excerpts (the texts are at hand)."""
    fields = sorted(f for f in set(a) | set(b) if _digest(a.get(f)) != _digest(b.get(f)))
    if not fields:
        return None
    item: dict[str, Any] = {"id": a["id"], "fields": fields}
    for f in TEXT_FIELDS:
        if f in fields:
            item[f"{f}_diff"] = text_excerpt(a.get(f), b.get(f))
    return item


def _compare_streams(old: Iterator[dict[str, Any]], new: Iterator[dict[str, Any]]) -> tuple[list[str], list[str], list[dict[str, Any]]]:
    """:func:`_indexed` of two id-ordered row streams, one row of each in memory at a time."""
    added: list[str] = []
    removed: list[str] = []
    changed: list[dict[str, Any]] = []
    a, b = next(old, None), next(new, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a["id"] < b["id"]):
            removed.append(a["id"])
            a = next(old, None)
        elif a is None or b["id"] < a["id"]:
            added.append(b["id"])
            b = next(new, None)
        else:
            item = _changes(a, b)
            if item is not None:
                changed.append(item)
            a, b = next(old, None), next(new, None)
    return added, removed, changed


def diff_releases(old_dir: str | Path, new_dir: str | Path) -> dict[str, Any]:
    """The differences, once both releases match their manifests (sizes and SHA-256, exit 3 if not).

    ``documents`` (the large config) is compared as two id-ordered streams, so memory does not
    grow with the corpus (a release whose shards are not in id order goes through the digest
    index instead); the labeled configs through the index."""
    use_lean_pool()
    old, new = Release.open(old_dir), Release.open(new_dir)
    for release in (old, new):
        check_version(release.version, error=ReleaseError, source=release.path / "manifest.json")
        release.check_files()
    try:
        added, removed, changed = _compare_streams(iter(_sorted_rows(old, "documents")), iter(_sorted_rows(new, "documents")))
    except _Unsorted:
        added, removed, changed = _indexed(old, new)
    labels: dict[str, Any] = {}
    for config in sorted((set(old.configs()) | set(new.configs())) - {"documents"}):
        a, r, c = _compare(_index(old, config), _index(new, config))
        labels[config] = {"added": a, "removed": r, "changed": c}
    old_schema = (old.manifest.get("schema") or {}).get("features_sha256")
    new_schema = (new.manifest.get("schema") or {}).get("features_sha256")
    return {
        "old": str(old_dir),
        "new": str(new_dir),
        "old_version": old.version,
        "new_version": new.version,
        "added": added,
        "removed": removed,
        "changed": changed,
        "labels": labels,
        "schema_changed": old_schema != new_schema,
    }


BUMPS = ("patch", "minor", "major")


def required_bump(diff: dict[str, Any]) -> str:
    """The smallest semver bump the changes need: major = schema change, minor = new articles or
    labeled rows, patch = corrections (changed or removed rows, e.g. a takedown)."""
    if diff["schema_changed"]:
        return "major"
    if diff["added"] or any(change["added"] for change in diff["labels"].values()):
        return "minor"
    return "patch"


def bump_of(old: tuple[int, int, int], new: tuple[int, int, int]) -> str | None:
    """Which part of the version went up (``None`` when the new version is not greater)."""
    if new[0] > old[0]:
        return "major"
    if new[0] == old[0] and new[1] > old[1]:
        return "minor"
    if new[:2] == old[:2] and new[2] > old[2]:
        return "patch"
    return None


def to_json(diff: dict[str, Any]) -> str:
    return json.dumps(diff, ensure_ascii=False, indent=2, sort_keys=True)
