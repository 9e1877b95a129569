"""``manifest.json``: what a release is made of, with a checksum for every file.

The manifest lists every other file of the release (path, SHA-256, bytes, and for Parquet its
config, split and row count), the raw sources and gold files it was built from (by hash), the
settings, the warta version and a hash of the schema (the ``datasets`` features of every config
and the label schema). Keys are sorted and there are no timestamps, so the same inputs give the
same bytes. Its own SHA-256 identifies the release in score signatures.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

from warta.errors import InputError, WartaError
from warta.features import CONFIGS, features_for
from warta.fsutil import sha256_file, sha256_text
from warta.paths import describe
from warta.schema import LabelSchema

MANIFEST_FORMAT = 1
#: semver.org 2.0.0, without build metadata (a tag ``v<version>`` must be a valid git ref).
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?",
    re.ASCII,
)
MAX_VERSION = 64
#: A Hugging Face Hub repo id: ORG/NAME, each 1-96 of letters, digits, "-", "_", ".", not starting or
#: ending with "-" or ".", without "--" or "..".
_HUB_PART = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?")


def check_repo_id(repo_id: object, *, option: str = "--repo-id") -> str:
    """Return ``repo_id`` if it is a valid Hub dataset repo id ``ORG/NAME``, else :class:`InputError` (exit 2)."""
    parts = repo_id.split("/") if isinstance(repo_id, str) else []
    if len(parts) != 2 or not all(_HUB_PART.fullmatch(p) and "--" not in p and ".." not in p for p in parts):
        raise InputError(
            f"{option} {describe(repo_id)} is not a Hub repo id of the form ORG/NAME",
            hint="use ORG/NAME with letters, digits, '-', '_' and '.', e.g. warta-nlp/warta",
        )
    return repo_id


def check_version(version: object, *, error: type[WartaError] = InputError, source: object = None) -> str:
    """Return ``version`` if it is a semantic version (``1.0.0``, ``1.1.0-rc.1``), else raise.

    The whole string must match: ``"1.0.0\\n"`` is refused (the manifest and the tag would carry it)."""
    if not isinstance(version, str) or len(version) > MAX_VERSION or not _SEMVER.fullmatch(version):
        raise error(
            ("" if source is None else f"{source}: ") + f"release version {describe(version)} is not a semantic version",
            hint="use MAJOR.MINOR.PATCH, e.g. 1.0.0 (major = schema change, minor = new articles or labels, patch = corrections)",
        )
    return version


def version_key(version: str) -> tuple[int, int, int]:
    match = _SEMVER.fullmatch(version) if isinstance(version, str) else None
    if not match:
        return (-1, -1, -1)
    return (int(match.group(1)), int(match.group(2)), int(match.group(3)))


def dumps(data: Any) -> str:
    """The one JSON form of warta's release files: sorted keys, 2-space indent, UTF-8, final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def features_dict(schema: LabelSchema) -> dict[str, Any]:
    return {config: features_for(config, schema).to_dict() for config in CONFIGS}


def schema_hashes(schema: LabelSchema) -> dict[str, str]:
    """``features_sha256`` changes exactly when a column or label set changes (a major version)."""
    return {
        "features_sha256": sha256_text(json.dumps(features_dict(schema), sort_keys=True)),
        "label_schema_sha256": sha256_text(json.dumps(dataclasses.asdict(schema), sort_keys=True)),
    }


def settings_dict(settings: Any) -> Any:
    """Settings as plain JSON data (a dataclass, a mapping or ``None``)."""
    if settings is None:
        return None
    if dataclasses.is_dataclass(settings) and not isinstance(settings, type):
        settings = dataclasses.asdict(settings)
    elif hasattr(settings, "to_dict"):
        settings = settings.to_dict()
    return json.loads(json.dumps(settings, sort_keys=True, default=str))


def file_entry(folder: Path, relative: str, **extra: Any) -> dict[str, Any]:
    path = folder / relative
    return {"path": relative, "sha256": sha256_file(path), "bytes": path.stat().st_size, **extra}


_STREAMED = "\x00streamed\x00"
#: How ``json`` writes a string with ``ensure_ascii=False`` (its C encoder where built).
_string = json.encoder.encode_basestring
_SCALARS = (str, int, float, bool, type(None))


def _scalar(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)`` of a scalar, without its call for the common
    types (a string is what ``json`` itself encodes it with)."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def render_item(item: Any) -> str:
    """``item`` as :func:`write_streamed` places it: ``dumps`` of an item of a list at depth 1
    (four spaces deeper), without its final newline.

    A flat object of scalars (every ``raw_sources`` entry) is assembled from the values' JSON: with
    an indent, ``json`` encodes in Python, ~10x slower than its C encoder does a scalar. The same
    text (a test checks it on random objects); anything else goes through ``json.dumps``."""
    if isinstance(item, dict) and item and all(type(k) is str and isinstance(v, _SCALARS) for k, v in item.items()):
        fields = ",\n".join(f"      {_string(k)}: {_scalar(item[k])}" for k in sorted(item))
        return "    {\n" + fields + "\n    }"
    rendered = json.dumps(item, ensure_ascii=False, indent=2, sort_keys=True)
    return "    " + rendered.replace("\n", "\n    ")


def write_streamed(path: Path, data: dict[str, Any], key: str, items: Any) -> None:
    """Write ``data`` with ``data[key]`` taken from the iterable ``items``, never held as a list.

    The bytes are those of ``dumps({**data, key: list(items)})``: the rest of the document is
    rendered around a placeholder and the items are rendered one by one in its place (a list of
    objects at depth 1, so each item is indented by four spaces). ``items`` must not be empty.
    """
    import os

    text = dumps({**data, key: [_STREAMED]})
    marker = "    " + json.dumps(_STREAMED, ensure_ascii=False) + "\n"
    head, tail = text.split(marker)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(head)
        first = True
        for item in items:
            if not first:
                handle.write(",\n")
            first = False
            handle.write(render_item(item))
        if first:
            raise ValueError(f"{key}: nothing to write")
        handle.write("\n" + tail)
    os.replace(tmp, path)
