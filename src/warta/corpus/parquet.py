"""Deterministic Parquet writing: the same rows and features give the same bytes.

Every writer option that changes the bytes is fixed here (format version, compression, dictionary
encoding, statistics, row-group and page sizes). The Arrow schema carries the ``datasets`` features
under the ``huggingface`` metadata key (as ``Dataset.to_parquet`` writes it), so a shard keeps its
ClassLabel names even without the card. The one varying field Parquet writers put in the footer,
``created_by`` (it names the pyarrow version), is replaced by :data:`CREATED_BY` so that rebuilding
with another pyarrow release still gives identical bytes.

Rows are streamed: a shard is written in row groups of :data:`ROW_GROUP_ROWS` rows, and a split is
cut into shards of at most ``max_rows`` rows (``<split>-0000i-of-0000n.parquet``), so memory stays
bounded by one row group however large the corpus.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warta.release import shard_name

if TYPE_CHECKING:
    import pyarrow as pa
    from datasets import Features

#: Written into every footer instead of the pyarrow version string.
CREATED_BY = "warta release writer (parquet-cpp-arrow)"
ROW_GROUP_ROWS = 1_000
SHARD_ROWS = 50_000
WRITER_OPTIONS: dict[str, Any] = {
    "version": "2.6",
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "data_page_version": "1.0",
    "store_schema": True,
    "write_page_index": False,
    "write_page_checksum": False,
}


@dataclass(frozen=True)
class Shard:
    """One written Parquet file, relative to the release folder."""

    path: str
    split: str
    rows: int


def arrow_schema(features: Features) -> pa.Schema:
    """The Arrow schema of ``features`` with the ``huggingface`` metadata ``datasets`` reads back."""
    schema = features.arrow_schema
    info = {"info": {"features": features.to_dict()}}
    return schema.with_metadata({"huggingface": json.dumps(info, sort_keys=True)})


def _has_class_label(feature: Any) -> bool:
    from datasets import ClassLabel

    if isinstance(feature, ClassLabel):
        return True
    if isinstance(feature, dict):
        return any(_has_class_label(f) for f in feature.values())
    inner = getattr(feature, "feature", None)
    return inner is not None and _has_class_label(inner)


def _identity(row: dict[str, Any]) -> dict[str, Any]:
    return row


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _normalise_footer(path: Path) -> None:
    """Replace the writer's ``created_by`` string in the footer (field 6 of FileMetaData).

    Only the footer changes and it is the last thing in the file, so every page offset stays valid;
    the footer length before the trailing ``PAR1`` is rewritten to match. The file is changed in
    place (it is always a writer's temporary file): only the footer is read, never the whole shard.
    """
    import pyarrow.parquet as pq

    created_by = pq.read_metadata(path).created_by
    if not created_by or created_by == CREATED_BY:
        return
    with open(path, "r+b") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(size - 8)
        (footer_len,) = struct.unpack("<I", handle.read(4))
        start = size - 8 - footer_len
        handle.seek(start)
        footer = handle.read(footer_len)
        old, new = created_by.encode("utf-8"), CREATED_BY.encode("utf-8")
        if len(old) >= 128 or len(new) >= 128:  # one-byte varint length prefixes only
            return
        needle = bytes([len(old)]) + old
        if footer.count(needle) != 1:
            return
        footer = footer.replace(needle, bytes([len(new)]) + new)
        handle.seek(start)
        handle.write(footer + struct.pack("<I", len(footer)) + b"PAR1")
        handle.truncate()


def _write_one(path: Path, rows: list[dict[str, Any]], schema: pa.Schema, encode) -> None:  # noqa: ANN001
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(path, schema, **WRITER_OPTIONS) as writer:
        for batch in _batches(rows, ROW_GROUP_ROWS):
            table = pa.Table.from_pylist([encode(r) for r in batch], schema=schema)
            writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
        if not rows:
            writer.write_table(pa.Table.from_pylist([], schema=schema))
    _normalise_footer(path)


def write_split(
    folder: Path,
    config: str,
    split: str,
    rows: list[dict[str, Any]],
    features: Features,
    *,
    max_rows: int = SHARD_ROWS,
    progress: Any = None,
) -> list[Shard]:
    """Write ``rows`` (already in their final order) as ``<config>/<split>-*.parquet`` under ``folder``.

    ClassLabel values may be given as names; they are encoded to ids with ``features``.
    ``progress`` (optional) gets ``update(n)`` calls as rows are written.
    """
    if max_rows < 1:
        raise ValueError("max_rows must be >= 1")
    schema = arrow_schema(features)
    # Only ClassLabel columns need encoding (names -> ids); the rest goes to Arrow as is.
    encode = features.encode_example if _has_class_label(features) else _identity
    count = max(1, -(-len(rows) // max_rows))
    shards: list[Shard] = []
    for index in range(count):
        chunk = rows[index * max_rows : (index + 1) * max_rows]
        relative = f"{config}/{shard_name(split, index, count)}"
        _write_one(folder / relative, chunk, schema, encode)
        shards.append(Shard(relative, split, len(chunk)))
        if progress is not None:
            progress.update(len(chunk))
    return shards


def file_rows(path: str | os.PathLike[str]) -> int:
    import pyarrow.parquet as pq

    return pq.read_metadata(path).num_rows
