"""The corpus build as plain steps over files, apart from how they are run (see :mod:`warta.corpus.engines`).

Each step is a module-level function of one small, picklable task (paths and settings, never open
files or big objects), so an engine can run it in this process or ship it to a Dask worker that
shares the storage. Everything a step writes goes to the build's work folder first and is renamed
into place, and its completion file is written last: a killed step leaves no file that looks done.

- :func:`read_step`: one batch of raw files -> cleaned articles spilled to Arrow IPC (sorted by id),
  their fingerprints (file order) and MinHash signatures (``.npy``), and a JSON summary (the marker).
- :func:`band_step`: LSH over some bands of every signature -> confirmed near-duplicate edges.
- :func:`story_step`: story blocking over a range of event days -> story edges.
- :func:`shard_step`: one release shard streamed from the spill, joined with its global fields.

Edges and shard rows are in "rank" space: the position of an article among the kept articles
sorted by id. Rank, not arrival order, decides every tie, so the result depends on content alone.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warta.article import Article, RemovedSpan
from warta.corpus.settings import CorpusSettings
from warta import inputs
from warta.errors import WartaError
from warta.fsutil import write_text_atomic

#: Rows per record batch of a spill file: the unit a shard writer reads back.
SPILL_ROWS = 64
#: The spill is an Arrow IPC file, read back three times (once per split), with uncompressed
#: buffers: LZ4 makes it 2.5x smaller (~2.0 against ~4.9 KB an article) but costs ~15 µs an
#: article more to write and ~11 µs more each time it is read (docs/scale.md). ``"lz4"`` here is
#: the choice for a cluster whose shared storage, not its CPUs, is what a build waits on.
SPILL_COMPRESSION: str | None = None
#: Decoded spill batches a shard writer keeps for the next rows (bounds its memory whatever the
#: number of spill files).
SPILL_CACHE_BYTES = 64 << 20
#: Spill files a shard writer keeps open at once.
SPILL_OPEN_FILES = 256
#: Articles converted to Arrow at once while reading (bounds the Python objects alive).
CONVERT_ROWS = 1_000
#: A shard task takes this many row groups' rows from the spill at once: each record batch then gives
#: more rows per take, for ~30 MB more held per row group (measured in docs/scale.md).
TAKE_ROW_GROUPS = 2


def _atomic_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp{os.getpid()}")


def write_json(path: Path, data: Any) -> None:
    """A completion marker or plan, written atomically (what a resumed build finds is whole)."""
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, sort_keys=True), overwrite=True)


def read_json(path: Path) -> Any:
    """A marker or plan of the work folder, through the shared reader: a damaged one is named."""
    return inputs.read_json(path, hint=DAMAGED_WORK)


def write_json_lines(path: Path, items: list[Any]) -> None:
    """A list as JSON lines, written atomically (a batch's file names)."""
    write_text_atomic(path, "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), overwrite=True)


def read_json_lines(path: Path) -> list[Any]:
    """A list written by :func:`write_json_lines`, through the shared reader."""
    return [value for _, value in inputs.iter_jsonl(path, hint=DAMAGED_WORK)]


def read_array(path: Path, *, mmap: bool = False) -> Any:
    """A ``.npy`` array of the work folder (signatures, ranks), through the shared reader."""
    return inputs.read_npy(path, mmap=mmap, hint=DAMAGED_WORK)


#: The hint of every error about the build's own work folder.
DAMAGED_WORK = "the build's work folder is damaged; remove it and build again without --resume"


def error_payload(error: WartaError) -> dict[str, Any]:
    return {"class": type(error).__name__, "message": error.message, "hint": error.hint}


def raise_payload(payload: dict[str, Any]) -> None:
    from warta import errors

    cls = getattr(errors, payload["class"], errors.InputError)
    raise cls(payload["message"], hint=payload.get("hint"))


# --- read + clean + fingerprint -------------------------------------------------------------


@dataclass(frozen=True)
class ReadTask:
    index: int
    raw_dir: str
    work: str  # the batch's raw files are listed in batch_paths(work, index)["files"]
    settings: CorpusSettings
    skip_bad: bool
    documents_schema: bytes  # documents_schema_bytes(), made once by the engine's caller
    gold_ids: frozenset[str] = field(default_factory=frozenset)


def documents_schema_bytes() -> bytes:
    """The release's documents Arrow schema (with the ``huggingface`` metadata ``datasets`` reads
    back), serialised for the tasks. It is derived from ``datasets.Features`` once, in the process
    that makes the tasks: a worker that derived it itself would import ``datasets`` (69 MB of
    resident memory per process) for this alone."""
    from warta.corpus.parquet import arrow_schema
    from warta.features import documents_features

    return arrow_schema(documents_features()).serialize().to_pybytes()


@functools.lru_cache(maxsize=2)
def documents_schema(serialised: bytes) -> Any:
    """The schema :func:`documents_schema_bytes` serialised, read back once per process."""
    import pyarrow as pa

    return pa.ipc.read_schema(pa.py_buffer(serialised))


def batch_paths(work: str | Path, index: int) -> dict[str, Path]:
    folder = Path(work) / "read"
    return {
        "spill": folder / f"spill-{index:05d}.arrow",
        "fp": folder / f"fp-{index:05d}.parquet",
        "sig": folder / f"sig-{index:05d}.npy",
        "done": folder / f"batch-{index:05d}.json",
        "files": folder / f"files-{index:05d}.jsonl",
    }


def fingerprint_schema():  # noqa: ANN201
    import pyarrow as pa

    return pa.schema(
        [
            ("id", pa.string()),
            ("source_file", pa.string()),
            ("source_line", pa.int32()),
            ("raw_sha256", pa.string()),
            ("has_text", pa.bool_()),
            ("exact", pa.uint64()),
            ("day", pa.int32()),
            ("terms", pa.list_(pa.uint64())),
            ("spill_row", pa.int32()),
            ("nbytes", pa.int64()),
        ]
    )


def _row_bytes(article: Article) -> int:
    """Uncompressed size estimate of a documents row (UTF-8 bytes of its strings)."""
    size = len(article.raw.encode("utf-8")) + len(article.text.encode("utf-8"))
    size += sum(len(c.encode("utf-8")) for c in article.captions) + sum(len(s.text.encode("utf-8")) + 32 for s in article.removed)
    return size + 256


def read_step(task: ReadTask) -> dict[str, Any]:
    """Read, clean and fingerprint one batch of raw files; write its spill, fingerprints, signatures."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from warta.corpus.build import document_row
    from warta.corpus.fingerprint import Fingerprinter
    from warta.corpus.ingest import iter_articles

    paths = batch_paths(task.work, task.index)
    paths["done"].parent.mkdir(parents=True, exist_ok=True)
    schema = spill_schema(documents_schema(task.documents_schema))
    fingerprinter = Fingerprinter(task.settings)
    num_perm = task.settings.dedup.num_perm
    skipped: list[Any] | None = [] if task.skip_bad else None
    tables: list[Any] = []
    rows: list[dict[str, Any]] = []
    fps: dict[str, list[Any]] = {name: [] for name in fingerprint_schema().names}
    signatures: list[Any] = []
    gold: list[dict[str, Any]] = []
    empty = np.zeros(num_perm, dtype=np.uint32)
    try:
        files = read_json_lines(paths["files"])
        for article in iter_articles(Path(task.raw_dir), task.settings, skipped=skipped, files=files):
            fp = fingerprinter.fingerprint(article)
            fps["id"].append(article.id)
            fps["source_file"].append(article.source_file)
            fps["source_line"].append(article.source_line)
            fps["raw_sha256"].append(article.raw_sha256)
            fps["has_text"].append(fp.has_text)
            fps["exact"].append(fp.exact)
            fps["day"].append(fp.day)
            fps["terms"].append(fp.terms)
            fps["nbytes"].append(_row_bytes(article))
            signatures.append(fingerprinter.signature(article.text).astype(np.uint32) if fp.has_text else empty)
            if article.id in task.gold_ids:
                gold.append(article_to_dict(article))
            row = document_row(article)
            inferred = bool(article.metadata.get("outlet_inferred"))
            row["outlet_inferred"] = inferred
            row["outlet_evidence"] = article.metadata.get("outlet_evidence") if inferred else None
            rows.append(row)
            if len(rows) == CONVERT_ROWS:
                tables.append(pa.Table.from_pylist(rows, schema=schema))
                rows = []
    except WartaError as error:
        return {"index": task.index, "error": error_payload(error)}
    if rows:
        tables.append(pa.Table.from_pylist(rows, schema=schema))
    # One contiguous table: a take from a chunked table would concatenate its chunks on every call.
    table = pa.concat_tables(tables).combine_chunks() if tables else schema.empty_table()
    tables.clear()
    order = pc.sort_indices(table, sort_keys=[("id", "ascending")])
    spill_row = np.empty(len(table), dtype=np.int32)
    spill_row[np.asarray(order)] = np.arange(len(table), dtype=np.int32)
    fps["spill_row"] = spill_row
    _write_spill(paths["spill"], table, order)
    del table, tables
    _write_parquet(paths["fp"], pa.Table.from_pydict(fps, schema=fingerprint_schema()), compression="zstd", compression_level=1)
    sig = np.stack(signatures) if signatures else np.zeros((0, num_perm), dtype=np.uint32)
    tmp = _atomic_path(paths["sig"])
    with open(tmp, "wb") as handle:
        np.save(handle, sig)
    os.replace(tmp, paths["sig"])
    summary = {
        "index": task.index,
        "articles": len(fps["id"]),
        "skipped": [[p.path, p.line, p.message] for p in (skipped or [])],
        "gold": gold,
    }
    write_json(paths["done"], summary)
    return summary


def spill_schema(documents: Any) -> Any:
    """A batch's spill: the ``documents`` rows plus what the card says of an inferred outlet
    (which the release rows do not hold)."""
    import pyarrow as pa

    schema = documents.remove_metadata()
    return schema.append(pa.field("outlet_inferred", pa.bool_())).append(pa.field("outlet_evidence", pa.string()))


def _write_spill(path: Path, table: Any, order: Any) -> None:
    """The batch's rows in id order, as record batches of exactly :data:`SPILL_ROWS` rows (the
    last one shorter), so that spill row ``r`` is row ``r % SPILL_ROWS`` of batch ``r // SPILL_ROWS``.
    Taken a batch at a time from the (contiguous) table: no second copy of it."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    tmp = _atomic_path(path)
    options = ipc.IpcWriteOptions(compression=SPILL_COMPRESSION)
    with pa.OSFile(str(tmp), "wb") as sink, ipc.new_file(sink, table.schema, options=options) as writer:
        for start in range(0, len(table), SPILL_ROWS):
            (part,) = table.take(order[start : start + SPILL_ROWS]).combine_chunks().to_batches()
            writer.write_batch(part)
    os.replace(tmp, path)


class SpillReader:
    """Spill rows by (batch, spill row), with a bounded cache of decoded record batches and of
    open files: a shard reads every spill file forward, so memory stays bounded by the cache
    however many spill files the corpus has."""

    def __init__(self, work: str) -> None:
        from collections import OrderedDict

        self.work = work
        self.files: OrderedDict[int, tuple[Any, Path]] = OrderedDict()
        self.cache: OrderedDict[tuple[int, int], Any] = OrderedDict()
        self.held = 0

    def _file(self, batch: int) -> tuple[Any, Path]:
        found = self.files.get(batch)
        if found is not None:
            self.files.move_to_end(batch)
            return found
        path = batch_paths(self.work, batch)["spill"]
        found = self.files[batch] = (inputs.open_arrow_file(path, hint=DAMAGED_WORK), path)
        if len(self.files) > SPILL_OPEN_FILES:
            self.files.popitem(last=False)
        return found

    def record_batch(self, batch: int, index: int) -> Any:
        key = (batch, index)
        found = self.cache.get(key)
        if found is not None:
            self.cache.move_to_end(key)
            return found
        reader, path = self._file(batch)
        found = self.cache[key] = inputs.read_arrow_batch(reader, index, path, hint=DAMAGED_WORK)
        self.held += found.nbytes
        while self.held > SPILL_CACHE_BYTES and len(self.cache) > 1:
            _, dropped = self.cache.popitem(last=False)
            self.held -= dropped.nbytes
        return found

    def take(self, batches: Any, spill_rows: Any) -> Any:
        """The rows ``(batches[i], spill_rows[i])`` as one table, in that order."""
        import numpy as np
        import pyarrow as pa

        keys = batches.astype(np.int64) * (1 << 32) + spill_rows // SPILL_ROWS
        by_key = np.argsort(keys, kind="stable")
        ordered = keys[by_key]
        bounds = np.flatnonzero(np.diff(ordered)) + 1
        parts = []
        # One take per record batch (in file and batch order: each spill file read forward), then
        # one take back into row order.
        for run in np.split(by_key, bounds) if len(by_key) else []:
            key = int(keys[run[0]])
            source = self.record_batch(key >> 32, key & 0xFFFFFFFF)
            parts.append(source.take(pa.array(spill_rows[run] % SPILL_ROWS, type=pa.int32())))
        position = np.empty(len(keys), dtype=np.int64)
        position[by_key] = np.arange(len(keys))
        return pa.Table.from_batches(parts).take(pa.array(position)).combine_chunks()


def _write_parquet(path: Path, table: Any, **options: Any) -> None:
    import pyarrow.parquet as pq

    tmp = _atomic_path(path)
    pq.write_table(table, tmp, **options)
    os.replace(tmp, path)


def article_to_dict(article: Article) -> dict[str, Any]:
    data = article.to_dict()
    data["removed"] = [[s.start, s.end, s.reason, s.text] for s in article.removed]
    return data


def article_from_dict(data: dict[str, Any]) -> Article:
    data = dict(data)
    data["removed"] = [RemovedSpan(*s) for s in data["removed"]]
    return Article(**data)


# --- near duplicates: LSH bands --------------------------------------------------------------


@dataclass(frozen=True)
class BandTask:
    work: str
    bands: tuple[int, ...]
    rows_per_band: int
    threshold: float
    counts: tuple[int, ...]  # articles per read batch (fingerprint rows)


def band_step(task: BandTask) -> Any:
    """Confirmed near-duplicate edges (rank pairs) from the given LSH bands.

    As in :class:`warta.corpus.dedup.Deduplicator`: articles are in id order, the band key of a
    band is a hash of its rows of the signature, each member of a bucket is compared with at most
    :data:`~warta.corpus.dedup.MAX_BUCKET_COMPARISONS` earlier members, and a pair is a near
    duplicate when the share of equal signature values reaches the threshold.
    """
    import numpy as np

    from warta.corpus.dedup import MAX_BUCKET_COMPARISONS, band_key

    plan = Path(task.work) / "plan"
    rank = read_array(plan / "rank.npy")  # fingerprint row -> rank among participating articles, -1 if none
    n = int(rank.max()) + 1 if len(rank) else 0
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    r = task.rows_per_band
    pairs = []
    # One band at a time (a pass over the signature files each, read through the page cache): the
    # keys of one band are held, not those of all bands.
    for band in task.bands:
        keys = np.zeros(n, dtype=np.uint64)
        offset = 0
        for index, count in enumerate(task.counts):
            sig = read_array(batch_paths(task.work, index)["sig"], mmap=True)
            ranks = rank[offset : offset + count]
            present = ranks >= 0
            keys[ranks[present]] = band_key(np.asarray(sig[:, band * r : (band + 1) * r])[present], band)
            offset += count
            del sig
        pairs.append(bucket_pairs(keys, MAX_BUCKET_COMPARISONS))
        del keys
    codes = np.unique(np.concatenate(pairs))
    del pairs
    if not len(codes):
        return np.zeros((0, 2), dtype=np.int64)
    candidates = np.stack([codes // n, codes % n], axis=1)
    del codes
    return candidates[_similar(task, rank, candidates)]


_PAIRS_AT_ONCE = 1 << 14


def bucket_pairs(keys: Any, most: int) -> Any:
    """Each member of a bucket (a run of equal ``keys``) against the ``most`` members before it in
    the bucket, in index order: the pairs ``(a, b)``, ``b < a``, as the one number ``a * n + b``
    (which sorts as the pair does). The same pairs as looping over
    :func:`warta.corpus.dedup.equal_runs`, without a NumPy array per bucket: once sorted, two
    positions ``d`` apart are in one bucket exactly when their keys are equal."""
    import numpy as np

    n = len(keys)
    order = np.argsort(keys, kind="stable").astype(np.int64)
    ordered = keys[order]
    out = []
    for d in range(1, min(most, n - 1) + 1):
        same = np.flatnonzero(ordered[d:] == ordered[:-d])
        if not len(same):
            break  # no run is longer than d
        out.append(order[same + d] * n + order[same])
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def _similar(task: BandTask, rank: Any, candidates: Any) -> Any:
    """Whether each candidate pair (of ranks) reaches the threshold, comparing the two signatures
    read from their batch files: one pair of batches at a time, so that no more than two
    signature files are mapped and no copy of the candidates' signatures is held."""
    import numpy as np

    present = np.flatnonzero(rank >= 0)
    row_of = np.empty(int(rank.max()) + 1, dtype=np.int64)
    row_of[rank[present]] = present  # rank -> fingerprint row
    del present
    starts = np.concatenate(([0], np.cumsum(task.counts)))
    rows = row_of[candidates]
    del row_of
    batch = np.searchsorted(starts, rows, side="right") - 1
    rows -= starts[batch]
    groups = batch[:, 0] * len(task.counts) + batch[:, 1]
    by_group = np.argsort(groups, kind="stable")
    bounds = np.flatnonzero(np.diff(groups[by_group])) + 1
    similar = np.empty(len(candidates), dtype=bool)
    for part in np.split(by_group, bounds) if len(by_group) else []:
        a_batch, b_batch = int(batch[part[0], 0]), int(batch[part[0], 1])
        sig_a = read_array(batch_paths(task.work, a_batch)["sig"], mmap=True)
        sig_b = sig_a if b_batch == a_batch else read_array(batch_paths(task.work, b_batch)["sig"], mmap=True)
        for start in range(0, len(part), _PAIRS_AT_ONCE):
            chosen = part[start : start + _PAIRS_AT_ONCE]
            a, b = sig_a[rows[chosen, 0]], sig_b[rows[chosen, 1]]
            similar[chosen] = (a == b).mean(axis=1) >= task.threshold
        del sig_a, sig_b
    return similar


# --- stories: blocking by date window x rare-term postings ------------------------------------


@dataclass(frozen=True)
class StoryTask:
    work: str
    first_day: int
    last_day: int
    window: int
    similarity: float
    min_shared_terms: int
    counts: tuple[int, ...]


def story_step(task: StoryTask) -> Any:
    """Story edges (rank pairs) for the articles whose event day is in ``[first_day, last_day]``.

    The same blocking as :func:`warta.corpus.stories.assign_stories`: each article of a day is
    compared with the articles of the ``window`` days before and the earlier articles (by id) of
    its own day that share a term whose postings in that window are at most
    :data:`~warta.corpus.stories.MAX_POSTINGS`. A day only needs the days before it, so day ranges
    are independent tasks.
    """
    import numpy as np

    from warta.corpus.stories import window_links

    rank = read_array(Path(task.work) / "plan" / "keep_rank.npy", mmap=True)
    lo = task.first_day - task.window
    # Compact CSR of the articles in range: (day, rank) sorted, term hashes in one flat array.
    days_parts, ranks_parts, lengths_parts, values_parts = [], [], [], []
    offset = 0
    for index, count in enumerate(task.counts):
        table = inputs.read_parquet(batch_paths(task.work, index)["fp"], columns=["day", "terms"])
        days = table.column("day").to_numpy()
        ranks = np.asarray(rank[offset : offset + count])
        offset += count
        column = table.column("terms").combine_chunks()
        lengths = np.diff(column.offsets.to_numpy())
        hit = np.flatnonzero((days >= lo) & (days <= task.last_day) & (ranks >= 0) & (lengths > 0))
        if not len(hit):
            continue
        chosen = np.zeros(len(days), dtype=bool)
        chosen[hit] = True
        days_parts.append(days[hit])
        ranks_parts.append(ranks[hit])
        lengths_parts.append(lengths[hit])
        values_parts.append(column.values.to_numpy()[np.repeat(chosen, lengths)])
        del table, column
    if not days_parts:
        return np.zeros((0, 2), dtype=np.int64)
    days = np.concatenate(days_parts)
    ranks = np.concatenate(ranks_parts)
    lengths = np.concatenate(lengths_parts)
    values = np.concatenate(values_parts)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    order = np.lexsort((ranks, days))
    days, ranks, lengths, starts = days[order], ranks[order], lengths[order], starts[order]
    return window_links(
        days, ranks, starts, lengths, values,
        first_day=task.first_day, window=task.window, similarity=task.similarity, min_shared_terms=task.min_shared_terms,
    )


# --- write one shard ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ShardTask:
    work: str
    staging: str
    plan_file: str  # Parquet: batch, spill_row, story_id, duplicate_of in output order
    relative: str  # documents/<split>-0000i-of-0000n.parquet
    split: str
    summarise_sources: bool
    documents_schema: bytes  # documents_schema_bytes()


def shard_step(task: ShardTask) -> dict[str, Any]:
    """Write one documents shard from the spill; return its manifest entry and card figures."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from warta.corpus.parquet import ROW_GROUP_ROWS, WRITER_OPTIONS, _normalise_footer
    from warta.fsutil import sha256_file

    schema = documents_schema(task.documents_schema)
    plan = inputs.read_parquet(task.plan_file)
    batches = plan.column("batch").to_numpy()
    spill_rows = plan.column("spill_row").to_numpy()
    target = Path(task.staging) / task.relative
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _atomic_path(target)
    spill = SpillReader(task.work)
    removal: dict[str, list[int]] = {}
    outlets = 0
    sources: list[dict[str, Any]] = []

    with pq.ParquetWriter(tmp, schema, **WRITER_OPTIONS) as writer:
        # Taken from the spill TAKE_ROW_GROUPS row groups at a time (each record batch gives more
        # rows per take the more rows are taken at once), written in row groups of ROW_GROUP_ROWS.
        step = TAKE_ROW_GROUPS * ROW_GROUP_ROWS
        for start in range(0, len(plan), step):
            stop = min(start + step, len(plan))
            chunk = spill.take(batches[start:stop], spill_rows[start:stop])
            part = plan.slice(start, stop - start)
            chunk = chunk.set_column(chunk.schema.get_field_index("story_id"), "story_id", part.column("story_id"))
            chunk = chunk.set_column(chunk.schema.get_field_index("duplicate_of"), "duplicate_of", part.column("duplicate_of"))
            inferred = chunk.column("outlet_inferred")
            if task.summarise_sources:
                sources.extend(
                    chunk.select(["id", "source_file", "title", "author", "published", "outlet", "url", "outlet_inferred", "outlet_evidence"]).to_pylist()
                )
            outlets += len(chunk) - chunk.column("outlet").null_count - (pc.sum(inferred).as_py() or 0)
            chunk = pa.Table.from_arrays([chunk.column(name).combine_chunks() for name in schema.names], schema=schema)
            writer.write_table(chunk, row_group_size=ROW_GROUP_ROWS)
            removed = pc.list_flatten(chunk.column("removed"))
            if len(removed):
                reasons = pc.struct_field(removed, "reason").to_pylist()
                lengths = (pc.struct_field(removed, "end").to_numpy() - pc.struct_field(removed, "start").to_numpy()).tolist()
                for reason, length in zip(reasons, lengths):
                    entry = removal.setdefault(reason, [0, 0])
                    entry[0] += 1
                    entry[1] += length
            del chunk
    _normalise_footer(tmp)
    os.replace(tmp, target)
    return {
        "path": task.relative,
        "sha256": sha256_file(target),
        "bytes": target.stat().st_size,
        "rows": len(plan),
        "split": task.split,
        "removal": removal,
        "outlets": outlets,
        "sources": sources,
    }
