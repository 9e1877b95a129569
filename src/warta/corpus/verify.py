"""``warta corpus verify DIR``: is this release exactly what its manifest says?

Checks, streaming one row group at a time so a release of any size fits in memory:

- every file in the manifest exists with its SHA-256 and size; no file is there that is not listed;
- the card's ``configs``/``dataset_info`` agree with the files, and every config's features equal
  the label schema's (and each Parquet file's Arrow schema equals them);
- row counts per file and split; unique ids per config;
- ``documents``: ``raw_sha256`` is the SHA-256 of ``raw``, every removed span reproduces its text;
- ``ner``: every entity's offsets reproduce its text, ``tokens`` and ``ner_tags`` align;
  ``stance``: mentions inside the text; every ClassLabel id within its names;
- splits whose labels are withheld carry no labels.

Each problem names the file and, where there is one, the row id. Nothing is fixed or rewritten.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from warta.corpus.card import read_header
from warta.corpus.hide import is_hidden
from warta.errors import ReleaseError
from warta.features import CONFIGS, features_for
from warta.fsutil import sha256_file
from warta.release import CARD, MANIFEST, Release
from warta.schema import LabelSchema, load_schema

BATCH_ROWS = 1_000
MAX_PER_FILE = 50  # problems listed per file before summarising


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    row: str | None = None

    def __str__(self) -> str:
        return f"{self.file}" + (f" [row {self.row}]" if self.row else "") + f": {self.message}"


@dataclass
class VerifyReport:
    path: str
    version: str
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    files_checked: int = 0
    rows_checked: int = 0
    private: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data


def _batches(path: Path) -> Iterator[list[dict[str, Any]]]:
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS):
        yield batch.to_pylist()


class _Checker:
    def __init__(self, release: Release, schema: LabelSchema, report: VerifyReport) -> None:
        self.release = release
        self.schema = schema
        self.report = report
        self.per_file: dict[str, int] = {}

    def problem(self, file: str, message: str, row: str | None = None) -> None:
        n = self.per_file.get(file, 0) + 1
        self.per_file[file] = n
        if n <= MAX_PER_FILE:
            self.report.problems.append(Problem(file, message, row))
        elif n == MAX_PER_FILE + 1:
            self.report.problems.append(Problem(file, f"more than {MAX_PER_FILE} problems; stopped listing"))

    def files(self) -> list[dict[str, Any]]:
        entries = self.release.manifest.get("files")
        if not isinstance(entries, list):
            self.problem(MANIFEST, "no 'files' list")
            return []
        listed = {}
        for entry in entries:
            path = entry.get("path", "")
            listed[path] = entry
            target = self.release.path / path
            if not target.is_file():
                self.problem(path, "listed in the manifest but missing")
                continue
            size = target.stat().st_size
            if size != entry.get("bytes"):
                self.problem(path, f"size {size} bytes, manifest says {entry.get('bytes')}")
            digest = sha256_file(target)
            if digest != entry.get("sha256"):
                self.problem(path, f"sha256 {digest[:12]}…, manifest says {str(entry.get('sha256'))[:12]}… (the file was changed)")
            self.report.files_checked += 1
        for path in sorted(self.release.path.rglob("*")):
            relative = path.relative_to(self.release.path).as_posix()
            if path.is_file() and relative != MANIFEST and relative not in listed:
                self.problem(relative, "not listed in the manifest")
        return entries

    def card(self, configs: dict[str, dict[str, list[str]]]) -> None:
        from datasets import Features

        path = self.release.path / CARD
        if not path.is_file():
            return
        header = read_header(path.read_text(encoding="utf-8"))
        declared = {c.get("config_name"): c for c in header.get("configs") or []}
        if set(declared) != set(configs):
            self.problem(CARD, f"card configs {sorted(declared)} differ from the files' {sorted(configs)}")
        for name, entry in declared.items():
            splits = {d.get("split") for d in entry.get("data_files") or []}
            if name in configs and splits != set(configs[name]):
                self.problem(CARD, f"config {name}: card splits {sorted(splits)} differ from the files' {sorted(configs[name])}")
        for info in header.get("dataset_info") or []:
            name = info.get("config_name")
            if name not in CONFIGS:
                self.problem(CARD, f"dataset_info for unknown config {name!r}")
                continue
            try:
                features = Features._from_yaml_list(info.get("features") or [])
            except Exception as exc:  # noqa: BLE001 - any parse failure is a problem to report
                self.problem(CARD, f"dataset_info {name}: features do not parse ({exc})")
                continue
            if features != features_for(name, self.schema):
                self.problem(CARD, f"dataset_info {name}: features differ from the label schema's")

    def shard(self, entry: dict[str, Any], ids: Any, hidden: bool) -> None:
        """Check one shard; the 64-bit hashes of its row ids go to ``ids`` (a list of arrays)."""
        import numpy as np
        import pyarrow.parquet as pq

        found: list[int] = []

        config, split, path = entry.get("config"), entry.get("split"), entry["path"]
        target = self.release.path / path
        if not target.is_file():
            return
        if config not in CONFIGS:
            self.problem(path, f"unknown config {config!r}")
            return
        features = features_for(config, self.schema)
        try:
            metadata = pq.read_metadata(target)
            arrow = pq.read_schema(target)
        except Exception as exc:  # noqa: BLE001 - a damaged file is a problem to report
            self.problem(path, f"not a readable Parquet file ({exc})")
            return
        if not arrow.remove_metadata().equals(features.arrow_schema.remove_metadata()):
            self.problem(path, "columns or types differ from the schema")
            return
        if metadata.num_rows != entry.get("rows"):
            self.problem(path, f"{metadata.num_rows} rows, manifest says {entry.get('rows')}")
        for rows in _batches(target):
            for row in rows:
                self.row(path, config, row, found, hidden, features)
            self.report.rows_checked += len(rows)
        ids.append((path, np.array(found, dtype=np.uint64)))
        self.report.counts.setdefault(config, {}).setdefault(split, 0)
        self.report.counts[config][split] += metadata.num_rows

    def row(self, path: str, config: str, row: dict[str, Any], ids: list[int], hidden: bool, features: Any) -> None:
        rid = row.get("id")
        if not rid:
            self.problem(path, "row without id")
            return
        ids.append(id_hash(rid))
        if config == "documents":
            raw = row.get("raw") or ""
            if hashlib.sha256(raw.encode("utf-8")).hexdigest() != row.get("raw_sha256"):
                self.problem(path, "raw_sha256 is not the SHA-256 of raw", rid)
            for span in row.get("removed") or []:
                if raw[span["start"] : span["end"]] != span["text"]:
                    self.problem(path, f"removed span [{span['start']}, {span['end']}) ({span['reason']}) does not reproduce its text", rid)
            return
        if hidden and not is_hidden(config, row):
            self.problem(path, "labels present in a split whose labels are withheld", rid)
        if config == "ner":
            text = row.get("text") or ""
            n_labels = len(self.schema.entity_labels)
            for e in row.get("entities") or []:
                if text[e["start"] : e["end"]] != e["text"]:
                    self.problem(path, f"entity [{e['start']}, {e['end']}) reads {text[e['start']:e['end']]!r}, row says {e['text']!r}", rid)
                if not 0 <= e["label"] < n_labels:
                    self.problem(path, f"entity label id {e['label']} outside 0..{n_labels - 1}", rid)
            tags = row.get("ner_tags") or []
            if tags and len(tags) != len(row.get("tokens") or []):
                self.problem(path, f"{len(row.get('tokens') or [])} tokens but {len(tags)} ner_tags", rid)
            if any(not 0 <= t < len(self.schema.iob2_tags) for t in tags):
                self.problem(path, "ner_tags id outside the tag set", rid)
        elif config == "stance":
            text = row.get("text") or ""
            label = row.get("label")
            if label is not None and not 0 <= label < len(self.schema.stance_label_names):
                self.problem(path, f"stance label id {label} outside the label set", rid)
            if row.get("target") not in self.schema.target_ids:
                self.problem(path, f"target {row.get('target')!r} is not in the schema", rid)
            for m in row.get("mentions") or []:
                if not 0 <= m["start"] < m["end"] <= len(text):
                    self.problem(path, f"mention [{m['start']}, {m['end']}) outside the text", rid)
        elif config == "summarization":
            refs = row.get("references") or []
            if row.get("summary") is not None and (not refs or refs[0] != row["summary"]):
                self.problem(path, "summary is not the first reference", rid)


def id_hash(row_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(row_id.encode("utf-8"), digest_size=8).digest(), "big")


@dataclass(frozen=True)
class ShardCheck:
    """One shard's checks, as a task an engine can run anywhere the release folder is visible."""

    release: str
    entry: dict[str, Any]
    hidden: bool
    private: bool
    schema: LabelSchema


def check_shard(task: ShardCheck) -> tuple[list[Problem], dict[str, dict[str, int]], int, list[Any]]:
    """Problems, counts, rows checked and id hashes of one shard."""
    release = Release(Path(task.release))
    report = VerifyReport(task.release, "", private=task.private)
    checker = _Checker(release, task.schema, report)
    ids: list[Any] = []
    checker.shard(task.entry, ids, hidden=task.hidden)
    return report.problems, report.counts, report.rows_checked, ids


def _repeated_ids(release: Release, entries: list[dict[str, Any]], hashes: list[tuple[str, Any]]) -> list[Problem]:
    """Rows whose id appears twice in a config: found by sorting 8-byte id hashes (8 bytes a row),
    then named by re-reading only the shards that hold a repeated hash."""
    import numpy as np

    if not hashes:
        return []
    values = np.concatenate([h for _, h in hashes])
    ordered = np.sort(values)
    repeated = set(ordered[1:][ordered[1:] == ordered[:-1]].tolist())
    if not repeated:
        return []
    problems = []
    seen: set[str] = set()
    for path, h in hashes:
        if not any(int(v) in repeated for v in h.tolist()):
            continue
        for rows in _batches(release.path / path):
            for row in rows:
                rid = row.get("id")
                if rid and id_hash(rid) in repeated:
                    if rid in seen:
                        problems.append(Problem(path, "duplicate id", rid))
                    seen.add(rid)
    return problems[:MAX_PER_FILE]


def verify_release(path: str | Path, schema: LabelSchema | None = None, *, engine: Any = None) -> VerifyReport:
    """Check a release folder; problems are collected, not raised (a missing manifest raises).

    Shards are checked one row group at a time, each shard as a task of ``engine`` (a
    :mod:`warta.corpus.engines` engine; in this process when ``None``); uniqueness of ids is
    checked over 8-byte hashes, so memory does not grow with the rows' size."""
    release = Release.open(path)
    try:
        manifest = release.manifest
    except ReleaseError as exc:
        return VerifyReport(str(path), "unknown", [Problem(MANIFEST, exc.message)])
    schema = schema or load_schema()
    report = VerifyReport(str(path), release.version, private=bool(manifest.get("private")))
    checker = _Checker(release, schema, report)
    entries = checker.files()
    hidden = set(manifest.get("hidden_labels") or [])
    configs: dict[str, dict[str, list[str]]] = {}
    for entry in entries:
        if entry.get("config"):
            configs.setdefault(entry["config"], {}).setdefault(entry["split"], []).append(entry["path"])
    checker.card(configs)
    from warta.corpus.engines.local import LocalEngine

    runner = engine or LocalEngine()
    for config in sorted(configs):
        shards = sorted((e for e in entries if e.get("config") == config), key=lambda e: e["path"])
        tasks = [ShardCheck(str(release.path), e, e["split"] in hidden and not report.private, report.private, schema) for e in shards]
        hashes: list[Any] = []
        for problems, counts, rows, ids in runner.map(check_shard, tasks, desc=f"verify {config}"):
            report.problems.extend(problems)
            report.rows_checked += rows
            for name, splits in counts.items():
                for split, n in splits.items():
                    report.counts.setdefault(name, {}).setdefault(split, 0)
                    report.counts[name][split] += n
            hashes.extend(ids)
        report.problems.extend(_repeated_ids(release, shards, hashes))
    expected = manifest.get("counts")
    if expected is not None and expected != report.counts and not any(p.file.endswith(".parquet") for p in report.problems):
        checker.problem(MANIFEST, f"counts {json.dumps(expected, sort_keys=True)} differ from the files' {json.dumps(report.counts, sort_keys=True)}")
    return report
