"""``warta corpus build``: the streaming build, stage by stage, on any engine.

Stages (each leaves a completion file in the build's work folder ``.<OUT>.partial``, next to OUT):

1. **read** (per batch of raw files, in parallel): :func:`~warta.corpus.steps.read_step` spills the
   cleaned articles to Parquet and writes their fingerprints and signatures;
2. **plan** (global, over fingerprints only): repeated ids, exact duplicates (group by key), near
   duplicates (LSH bands, one :func:`~warta.corpus.steps.band_step` per group of bands), stories
   (:func:`~warta.corpus.steps.story_step` per range of days), connected components, splits, the
   release row order and the shard cuts;
3. **write** (per shard, in parallel): :func:`~warta.corpus.steps.shard_step` streams each shard's
   rows back from the spill;
4. **finish**: labeled configs, changelog, card, Croissant, and the manifest (its ``raw_sources``
   streamed from the fingerprints), then the staged folder is renamed to OUT.

Memory: the plan holds a few arrays per article (ids, ranks, keys: ~60 bytes each) and the band
keys of one task; articles only ever exist one batch (read) or one row group (write) at a time.
Every tie is broken by article id, so the bytes depend on the content alone, not on the engine,
the number of workers or the batch sizes. ``resume=True`` continues a killed build from its last
completed batch, stage and shard (the inputs and options must be the same); OUT itself only
appears complete, by one rename.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from warta.corpus import card as card_module
from warta.corpus import steps
from warta.corpus.build import (
    SPLITS,
    BuildOptions,
    BuildReport,
    check_options,
    manifest_base,
    split_order,
    write_release,
)
from warta.corpus.labeled import check_gold, labeled_rows
from warta.corpus.readers import Problem, list_raw_files
from warta.corpus.settings import CorpusSettings, load_settings
from warta.errors import InputError, OutputExistsError, WartaError
from warta.inputs import read_bytes, read_parquet
from warta.memory import give_back_free_memory
from warta.release import shard_name

#: A read task gets raw files up to this many bytes (its spill is about twice that, in Arrow).
BATCH_BYTES = 24 << 20
#: A shard is cut before it would exceed this many (uncompressed) bytes, whatever ``--shard-rows``.
SHARD_BYTES = 500 << 20
FORMAT = 3


def work_folder(out: Path) -> Path:
    """Where a build of ``out`` keeps its work (the same path every time, so it can be resumed)."""
    out = Path(out).absolute()
    return out.parent / f".{out.name}.partial"


def _survey(raw_dir: Path, files: list[str], batch_bytes: int) -> tuple[str, list[int]]:
    """The inputs' key (names, sizes, modification times: what a resumed build must find again)
    and where each read batch starts in ``files``: raw files up to ``batch_bytes`` per batch."""
    digest = hashlib.sha256()
    starts: list[int] = []
    size = 0
    root = os.fspath(raw_dir)
    for index, rel in enumerate(files):
        try:
            st = os.stat(os.path.join(root, rel))
            digest.update(f"{rel}\x00{st.st_size}\x00{st.st_mtime_ns}\n".encode())
            length = st.st_size
        except OSError:
            digest.update(f"{rel}\x00missing\n".encode())
            length = 0
        if not starts or size + length > batch_bytes:
            starts.append(index)
            size = 0
        size += length
    return digest.hexdigest(), starts


def _write_batch_lists(work: Path, files: list[str], starts: list[int]) -> int:
    """Each read batch's file names, one per line, in the work folder: the tasks carry the path,
    and no process keeps the names of the whole corpus (~100 bytes each) while the build runs.
    Names never hold a line break (:func:`list_raw_files` refuses control characters)."""
    folder = work / "read"
    folder.mkdir(exist_ok=True)
    bounds = [*starts, len(files)]
    for index in range(len(starts)):
        steps.write_json_lines(steps.batch_paths(work, index)["files"], files[bounds[index] : bounds[index + 1]])
    return len(starts)


def build(
    raw_dir: str | Path,
    out: str | Path,
    *,
    version: str,
    settings_path: str | Path | None = None,
    sources_path: str | Path | None = None,
    skip_bad: bool = False,
    progress: bool = False,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    batch_bytes: int = BATCH_BYTES,
    shard_bytes: int = SHARD_BYTES,
    **options: Any,
) -> tuple[BuildReport, list[Problem]]:
    """Build the release of ``raw_dir`` at ``out``; return the report and the skipped inputs."""
    from warta.corpus.engines import ENGINES, open_engine
    from warta.corpus.sources import load_source_notes

    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}", hint=f"use one of: {', '.join(ENGINES)}")
    opts = check_options(out, version=version, **options)
    settings = load_settings(settings_path)
    notes = load_source_notes(sources_path) if sources_path is not None else {}
    raw_dir = Path(raw_dir)
    unlisted: list[Problem] = []
    # With --skip-bad, entries that cannot be listed safely (a link out of the folder, ...) are skipped too.
    files = list_raw_files(raw_dir, on_problem=(lambda problem, error: unlisted.append(problem)) if skip_bad else None)
    if not files:
        raise InputError(f"{raw_dir}: no articles to build a release from")
    work = work_folder(opts.out)
    inputs_key, starts = _survey(raw_dir, files, batch_bytes)
    params = {
        "format": FORMAT,
        "raw": str(raw_dir.absolute()),
        "inputs": inputs_key,
        "version": version,
        "settings": json.loads(json.dumps(settings, default=lambda o: o.__dict__, sort_keys=True)),
        "sources": hashlib.sha256(read_bytes(sources_path, what="sources file")).hexdigest() if sources_path is not None else None,
        "skip_bad": skip_bad,
        "gold": sorted(opts.gold.files.items()) if opts.gold is not None else None,
        "hidden": opts.hidden,
        "max_rows": opts.max_rows,
        "batch_bytes": batch_bytes,
        "shard_bytes": shard_bytes,
        "options": {k: str(v) for k, v in sorted(options.items()) if k not in ("gold",)},
    }
    params = json.loads(json.dumps(params, sort_keys=True))
    if work.exists():
        if not resume:
            raise OutputExistsError(
                f"{work} holds an interrupted build of {opts.out}",
                hint="pass --resume to continue it (same inputs and options), or remove that folder to start over",
            )
        recorded = steps.read_json(work / "build.json") if (work / "build.json").is_file() else None
        if recorded != params:
            raise InputError(
                f"{work}: the interrupted build had other inputs or options; it cannot be resumed with these",
                hint="rerun with the same inputs and options, or remove that folder to start over",
            )
    else:
        work.mkdir(parents=True)
        steps.write_json(work / "build.json", params)
    runner = None
    try:
        n_batches = _write_batch_lists(work, files, starts)
        del files, starts
        give_back_free_memory()  # the names (~100 bytes per raw file), before the engine starts
        runner = open_engine(engine, workers=workers, scheduler=scheduler, progress=progress)
        result = _run(runner, opts, settings, notes, raw_dir, n_batches, work, skip_bad, shard_bytes, progress)
    except (WartaError, OSError):
        # Bad input, a refusal or a failed write (a full disk, a read-only folder): a failed build
        # leaves nothing behind. A crash or a kill keeps the work folder for --resume.
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        if runner is not None:
            runner.close()
    shutil.rmtree(work, ignore_errors=True)
    if unlisted:
        report, skipped = result
        result = report, sorted([*unlisted, *skipped], key=lambda p: (p.path, p.line or 0))
    return result


def _run(
    runner: Any,
    opts: BuildOptions,
    settings: CorpusSettings,
    notes: dict[str, Any],
    raw_dir: Path,
    n_batches: int,
    work: Path,
    skip_bad: bool,
    shard_bytes: int,
    progress: bool,
) -> tuple[BuildReport, list[Problem]]:
    # 1. read + clean + fingerprint
    gold_ids = frozenset(opts.gold.documents) if opts.gold is not None else frozenset()
    schema = steps.documents_schema_bytes()
    tasks = [
        steps.ReadTask(i, str(raw_dir.absolute()), str(work), settings, skip_bad, documents_schema=schema, gold_ids=gold_ids)
        for i in range(n_batches)
    ]
    summaries: dict[int, dict[str, Any]] = {}
    pending = []
    for task in tasks:
        done = steps.batch_paths(work, task.index)["done"]
        if done.is_file():
            summaries[task.index] = steps.read_json(done)
        else:
            pending.append(task)
    for summary in runner.map(steps.read_step, pending, desc="read+clean"):
        if "error" in summary:
            steps.raise_payload(summary["error"])
        summaries[summary["index"]] = summary
    counts = [summaries[i]["articles"] for i in range(len(tasks))]
    skipped = [Problem(p, line, message) for i in range(len(tasks)) for p, line, message in summaries[i]["skipped"]]

    # 2. global steps over fingerprints
    plan_done = work / "plan" / "plan.json"
    if plan_done.is_file():
        plan = steps.read_json(plan_done)
    else:
        plan = _plan(runner, work, settings, counts, skip_bad, opts, notes, shard_bytes)
        give_back_free_memory()  # the plan's arrays, before the shards are written
    skipped.extend(Problem(p, line, message) for p, line, message in plan["skipped"])
    skipped.sort(key=lambda p: (p.path, p.line or 0))

    # 3. write the documents shards
    staging = work / "release"
    staging.mkdir(exist_ok=True)
    shard_tasks = []
    entries: dict[int, dict[str, Any]] = {}
    for k, shard in enumerate(plan["shards"]):
        done = work / "write" / f"shard-{k:05d}.json"
        if done.is_file():
            entries[k] = steps.read_json(done)
        else:
            shard_tasks.append(
                (k, steps.ShardTask(str(work), str(staging), shard["plan_file"], shard["path"], shard["split"], plan["list_sources"], schema))
            )
    (work / "write").mkdir(exist_ok=True)
    for (k, _), entry in zip(shard_tasks, runner.map(steps.shard_step, [t for _, t in shard_tasks], desc="write")):
        steps.write_json(work / "write" / f"shard-{k:05d}.json", entry)
        entries[k] = entry

    # 4. finish
    return _finish(opts, settings, notes, work, staging, plan, [entries[k] for k in range(len(plan["shards"]))], summaries, counts, progress), skipped


def _where(work: Path, counts: list[int], index: int) -> str:

    for batch, count in enumerate(counts):
        if index < count:
            row = read_parquet(steps.batch_paths(work, batch)["fp"], columns=["source_file", "source_line"]).slice(index, 1).to_pylist()[0]
            return row["source_file"] if row["source_line"] is None else f"{row['source_file']}, line {row['source_line']}"
        index -= count
    return "?"


def _components(n: int, edges: Any) -> Any:
    """For each of ``n`` nodes, the smallest node of its connected component."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if len(edges) == 0:
        return np.arange(n, dtype=np.int64)
    graph = coo_matrix((np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    smallest = np.full(labels.max() + 1, n, dtype=np.int64)
    np.minimum.at(smallest, labels, np.arange(n, dtype=np.int64))
    return smallest[labels]


def _plan(runner: Any, work: Path, settings: CorpusSettings, counts: list[int], skip_bad: bool, opts: BuildOptions, notes: dict[str, Any], shard_bytes: int) -> dict[str, Any]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from warta.corpus.dedup import lsh_params
    from warta.corpus.splits import split_of

    folder = work / "plan"
    folder.mkdir(exist_ok=True)
    # Filled in place, a batch at a time: no list of parts to concatenate (which would hold every
    # column twice) and each batch's decoded table freed before the next.
    total = sum(counts)
    has_text = np.empty(total, dtype=bool)
    exact = np.empty(total, dtype=np.uint64)
    day = np.empty(total, dtype=np.int32)
    nbytes = np.empty(total, dtype=np.int64)
    spill_row = np.empty(total, dtype=np.int32)
    batch_of = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
    ids_parts = []
    offset = 0
    for index, count in enumerate(counts):
        table = read_parquet(steps.batch_paths(work, index)["fp"], columns=["id", "has_text", "exact", "day", "nbytes", "spill_row"])
        if len(table) != count:
            raise InputError(f"{steps.batch_paths(work, index)['fp']}: {len(table)} rows, its batch says {count}", hint=steps.DAMAGED_WORK)
        ids_parts.append(table.column("id").combine_chunks())
        for name, out in (("has_text", has_text), ("exact", exact), ("day", day), ("nbytes", nbytes), ("spill_row", spill_row)):
            out[offset : offset + count] = table.column(name).to_numpy(zero_copy_only=False)
        offset += count
        del table
    # Ids stay in Arrow (a few bytes each past their length): no Python string per article.
    ids = pa.chunked_array(ids_parts, type=pa.string()).combine_chunks()
    del ids_parts

    # Repeated ids: the first in file order is kept. Arrow's sort is stable and compares UTF-8
    # bytes, which orders as code points do: the order ``sorted()`` gives the strings.
    order = pc.sort_indices(ids).to_numpy()
    sorted_ids = ids.take(order)
    repeat = np.zeros(total, dtype=bool)
    problems: list[list[Any]] = []
    if total > 1:
        same = np.flatnonzero(pc.equal(sorted_ids.slice(1), sorted_ids.slice(0, total - 1)).to_numpy(zero_copy_only=False)) + 1
        repeat[order[same]] = True
    if repeat.any():
        run_starts = np.ones(total, dtype=bool)
        run_starts[same] = False
        first_of = np.empty(total, dtype=np.int64)
        first_of[order] = order[np.maximum.accumulate(np.where(run_starts, np.arange(total), 0))]
        for index in np.flatnonzero(repeat).tolist():
            where, first = _where(work, counts, index), _where(work, counts, int(first_of[index]))
            message = f"duplicate id {ids[index].as_py()} (already used by {first})"
            if not skip_bad:
                raise InputError(f"{where}: {message}", hint="remove the repeated article or rename the file so its id differs")
            path, _, line = where.partition(", line ")
            problems.append([path, int(line) if line else None, message])
    keep_order = order[~repeat[order]]  # fingerprint rows of the kept articles, by id
    n = len(keep_order)
    if n == 0:
        raise InputError("no articles to build a release from: every raw input was skipped", hint="fix the inputs listed by --skip-bad, or add articles")
    kept_ids = ids.take(pa.array(keep_order))
    del ids, sorted_ids, order
    keep_rank = np.full(total, -1, dtype=np.int64)
    keep_rank[keep_order] = np.arange(n)
    np.save(folder / "keep_rank.npy", keep_rank)

    # Exact and near duplicates, among the kept articles that have text.
    part_order = keep_order[has_text[keep_order]]
    part_to_keep = keep_rank[part_order]
    m = len(part_order)
    part_rank = np.full(total, -1, dtype=np.int64)
    part_rank[part_order] = np.arange(m)
    np.save(folder / "rank.npy", part_rank)
    edges = [np.zeros((0, 2), dtype=np.int64)]
    keys = exact[part_order]
    by_key = np.argsort(keys, kind="stable")
    ordered_keys = keys[by_key]
    starts = np.concatenate(([True], ordered_keys[1:] != ordered_keys[:-1])) if m else np.zeros(0, dtype=bool)
    group_first = by_key[np.maximum.accumulate(np.where(starts, np.arange(m), 0))] if m else by_key
    edges.append(np.stack([by_key[~starts], group_first[~starts]], axis=1).astype(np.int64))
    del part_rank, exact, keys, by_key, ordered_keys, starts, group_first
    bands, rows = lsh_params(settings.dedup.threshold, settings.dedup.num_perm)
    groups = max(1, min(bands, runner.parallelism))
    band_tasks = [
        steps.BandTask(str(work), tuple(range(bands))[g::groups], rows, settings.dedup.threshold, tuple(counts)) for g in range(groups)
    ]
    edges.extend(runner.map(steps.band_step, band_tasks, desc="near duplicates"))
    dup_edges = np.concatenate(edges)
    dup_root_part = _components(m, dup_edges)
    dup_root = np.arange(n, dtype=np.int64)
    dup_root[part_to_keep] = part_to_keep[dup_root_part]

    # Stories: duplicates join their original; day ranges are independent tasks.
    window = settings.stories.window_days
    kept_days = day[keep_order]
    dated = np.sort(kept_days[kept_days >= 0])
    story_edges = [np.flatnonzero(dup_root != np.arange(n))]
    story_edges = [np.stack([story_edges[0], dup_root[story_edges[0]]], axis=1)]
    if len(dated):
        pieces = max(runner.parallelism * 2 if runner.parallelism > 1 else 1, -(-len(dated) // 200_000))
        cuts = sorted({int(dated[min(len(dated) - 1, (len(dated) * k) // pieces)]) for k in range(pieces)} | {int(dated[0])})
        ranges = [(cuts[k], (cuts[k + 1] - 1) if k + 1 < len(cuts) else int(dated[-1])) for k in range(len(cuts))]
        story_tasks = [
            steps.StoryTask(str(work), lo, hi, window, settings.stories.similarity, settings.stories.min_shared_terms, tuple(counts))
            for lo, hi in ranges
        ]
        story_edges.extend(runner.map(steps.story_step, story_tasks, desc="stories"))
    story_root = _components(n, np.concatenate(story_edges).astype(np.int64))

    # Splits, by story.
    roots = np.unique(story_root)
    small = len(roots) < settings.splits.min_stories_for_training
    names = [*SPLITS]
    root_split = np.zeros(len(roots), dtype=np.int32)
    for k, root_id in enumerate(kept_ids.take(pa.array(roots)).to_pylist()):
        name = settings.splits.small_corpus_split if small else split_of("story-" + root_id, settings.splits)
        if name not in names:
            names.append(name)
        root_split[k] = names.index(name)
    split_index = root_split[np.searchsorted(roots, story_root)]
    names_sorted = sorted(names, key=split_order)
    order_of = np.array([names_sorted.index(name) for name in names], dtype=np.int32)

    # Release order (split, then id) and shard cuts.
    release = np.argsort(order_of[split_index], kind="stable")
    shards = []
    stories_per_split: dict[str, int] = {}
    duplicates_per_split: dict[str, list[list[str]]] = {}
    n_duplicates: dict[str, int] = {}
    articles_per_split: dict[str, int] = {}
    row_bytes = nbytes[keep_order]
    for rank_in_names, name in enumerate(names_sorted):
        members = release[order_of[split_index[release]] == rank_in_names]
        if not len(members):
            continue
        articles_per_split[name] = len(members)
        stories_per_split[name] = int(len(np.unique(story_root[members])))
        dups = members[dup_root[members] != members]
        n_duplicates[name] = int(len(dups))
        duplicates_per_split[name] = (
            [list(pair) for pair in zip(kept_ids.take(pa.array(dups)).to_pylist(), kept_ids.take(pa.array(dup_root[dups])).to_pylist())]
            if len(dups) <= card_module.LIST_LIMIT
            else []
        )
        cuts = [0]
        size = 0
        for position, b in enumerate(row_bytes[members].tolist()):
            if position - cuts[-1] >= opts.max_rows or (position > cuts[-1] and size + b > shard_bytes):
                cuts.append(position)
                size = 0
            size += b
        cuts.append(len(members))
        count = len(cuts) - 1
        for k in range(count):
            chosen = members[cuts[k] : cuts[k + 1]]
            rows_fp = keep_order[chosen]
            plan_file = folder / f"shard-{name}-{k:05d}.parquet"
            table = pa.table(
                {
                    "batch": pa.array(batch_of[rows_fp], type=pa.int32()),
                    "spill_row": pa.array(spill_row[rows_fp], type=pa.int32()),
                    "story_id": pc.binary_join_element_wise("story-", kept_ids.take(pa.array(story_root[chosen])), ""),
                    "duplicate_of": pc.if_else(
                        pa.array(dup_root[chosen] != chosen), kept_ids.take(pa.array(dup_root[chosen])), pa.scalar(None, pa.string())
                    ),
                }
            )
            steps._write_parquet(plan_file, table)
            shards.append({"split": name, "path": f"documents/{shard_name(name, k, count)}", "plan_file": str(plan_file), "rows": len(chosen)})
    translated = [article_id for article_id, note in notes.items() if note.translated_from]
    present = {article_id: names[split_index[position]] for article_id, position in _positions(kept_ids, translated).items()}
    plan = {
        "n": n,
        "skipped": problems,
        "shards": shards,
        "articles": articles_per_split,
        "stories": stories_per_split,
        "n_stories": int(len(roots)),
        "duplicates": duplicates_per_split,
        "n_duplicates": n_duplicates,
        "translated": present,
        "list_sources": n <= card_module.LIST_LIMIT,
        "gold": _gold_fields(opts, kept_ids, dup_root, story_root, split_index, names),
    }
    steps.write_json(folder / "plan.json", plan)
    return plan


def _positions(kept_ids: Any, wanted: list[str]) -> dict[str, int]:
    """The positions in ``kept_ids`` (unique) of those of the ``wanted`` ids that are there."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not wanted:
        return {}
    found = pc.index_in(pa.array(wanted, type=pa.string()), value_set=kept_ids).to_pylist()
    return {article_id: position for article_id, position in zip(wanted, found) if position is not None}


def _gold_fields(opts: BuildOptions, kept_ids: Any, dup_root: Any, story_root: Any, split_index: Any, names: list[str]) -> dict[str, Any]:
    """``{id: [split, story_id, duplicate_of]}`` of the articles that have gold."""
    out = {}
    if opts.gold is None:
        return out
    for article_id, position in sorted(_positions(kept_ids, sorted(opts.gold.documents)).items()):
        root = int(dup_root[position])
        story = kept_ids[int(story_root[position])].as_py()
        out[article_id] = [names[split_index[position]], "story-" + story, kept_ids[root].as_py() if root != position else None]
    return out


def _summary(plan: dict[str, Any], entries: list[dict[str, Any]], splits: list[str] | None) -> card_module.CorpusSummary:
    chosen = [s for s in plan["articles"] if splits is None or s in splits]
    removal: Counter = Counter()
    removed_chars: Counter = Counter()
    outlets = 0
    sources = []
    for entry in entries:
        if entry["split"] not in chosen:
            continue
        for reason, (spans, chars) in entry["removal"].items():
            removal[reason] += spans
            removed_chars[reason] += chars
        outlets += entry["outlets"]
        sources.extend(entry["sources"])
    n_dups = sum(plan["n_duplicates"][s] for s in chosen)
    duplicates = sorted(tuple(pair) for s in chosen for pair in plan["duplicates"][s]) if n_dups <= card_module.LIST_LIMIT else None
    n_articles = sum(plan["articles"][s] for s in chosen)
    return card_module.CorpusSummary(
        n_articles=n_articles,
        removal=removal,
        removed_chars=removed_chars,
        stories={s: plan["stories"][s] for s in chosen},
        n_stories=sum(plan["stories"][s] for s in chosen),
        duplicates=duplicates,
        n_duplicates=n_dups,
        outlets_recorded=outlets,
        sources=sorted((card_module.SourceEntry(**row) for row in sources), key=lambda e: e.id) if plan["list_sources"] else None,
        translated=sorted(a for a, s in plan["translated"].items() if s in chosen),
    )


def _raw_sources(work: Path, counts: list[int]):  # noqa: ANN202
    """The manifest's ``raw_sources`` in their order (source file, line): the read order."""
    import numpy as np

    keep_rank = steps.read_array(work / "plan" / "keep_rank.npy", mmap=True)
    offset = 0
    for index, count in enumerate(counts):
        table = read_parquet(steps.batch_paths(work, index)["fp"], columns=["id", "source_file", "raw_sha256"])
        kept = np.asarray(keep_rank[offset : offset + count]) >= 0
        for i, row in enumerate(table.to_pylist()):
            if kept[i]:
                yield {"path": row["source_file"], "sha256": row["raw_sha256"], "article_id": row["id"]}
        offset += count


def _finish(
    opts: BuildOptions,
    settings: CorpusSettings,
    notes: dict[str, Any],
    work: Path,
    staging: Path,
    plan: dict[str, Any],
    entries: list[dict[str, Any]],
    summaries: dict[int, dict[str, Any]],
    counts: list[int],
    progress: bool,
) -> BuildReport:
    from warta.fsutil import ensure_absent_or_empty

    gold_articles = []
    if opts.gold is not None:
        seen = set()
        for index in sorted(summaries):
            for data in summaries[index]["gold"]:
                if data["id"] in seen or data["id"] not in plan["gold"]:
                    continue
                seen.add(data["id"])
                article = steps.article_from_dict(data)
                article.split, article.story_id, article.duplicate_of = plan["gold"][data["id"]]
                gold_articles.append(article)
        gold_articles.sort(key=lambda a: (split_order(str(a.split)), a.id))
        check_gold(opts.gold, gold_articles, opts.schema)
    labeled = labeled_rows(gold_articles, opts.gold, opts.schema) if opts.gold is not None else {}
    base = manifest_base(opts, settings)

    def write_documents(writer: Any) -> None:
        for entry in entries:
            writer.add_shard({"path": entry["path"], "sha256": entry["sha256"], "bytes": entry["bytes"], "config": "documents", "split": entry["split"], "rows": entry["rows"]})

    private_staging = None
    if opts.private_out is not None:
        private_staging = work / "private"
        shutil.rmtree(private_staging, ignore_errors=True)
        private_staging.mkdir()
    for name in ("README.md", "CHANGELOG.md", "croissant.json", "LICENSE-DATA", "manifest.json", "ner", "stance", "summarization"):
        target = staging / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    writer, files, pw = write_release(
        opts, staging, write_documents=write_documents, labeled=labeled,
        public_summary=_summary(plan, entries, None),
        private_summary=_summary(plan, entries, opts.hidden) if opts.hidden else None,
        base=base, sources=notes, raw_sources=lambda: _raw_sources(work, counts), private_staging=private_staging,
    )
    # Into place: the private folder first (as the in-memory build does), then the release.
    for source, target in ((private_staging, opts.private_out), (staging, opts.out)):
        if source is None:
            continue
        ensure_absent_or_empty(target)
        if target.exists():
            target.rmdir()
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    return BuildReport(opts.out, opts.version, writer.counts, files, opts.private_out, pw.counts if pw is not None else {})
