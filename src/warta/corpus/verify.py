"""``warta corpus verify DIR``: is this release exactly what its manifest says, and is it true?

A checksum only proves that the bytes are the ones the manifest lists; whoever edits a file can fix
the manifest too. So verify also re-derives, in one streaming pass (one batch of rows at a time,
holding at most an id and two hashes per document), everything a release states that can be
derived from something else in it:

- files: every manifest entry is a plain relative path to a regular file inside the folder (no
  symlink) with its SHA-256 and size; no file is there that is not listed; the version is semver;
- the card's ``configs``/``dataset_info`` agree with the files, and every config's features equal
  the label schema's (and each Parquet file's Arrow schema equals them); a file that does not
  decode is "corrupt file";
- row counts per file (footer, rows read, manifest entry) and per config and split (``counts``);
  unique ids per config; ``raw_sources`` name the documents' raw hashes;
- ``documents``: ``raw_sha256`` is the SHA-256 of ``raw``; every removed span reproduces its text,
  in order, without overlaps; every body paragraph of ``text`` is found in ``raw``, in order and
  outside the removed spans; the text is not empty;
- ``ner``: every entity's ``text`` equals ``text[start:end]``; ``tokens`` and ``ner_tags`` equal
  what the build's tokenizer and IOB2 code (:mod:`warta.tokenize`) derive from ``text`` and the
  entities (without entity cuts in a split whose labels are withheld);
- ``ner``/``stance``/``summarization``: every row's article is in ``documents`` and its text is
  that article's annotated text (title, blank line, body); stance ids follow their article,
  target and actor; ClassLabel ids are within their names;
- splits whose labels are withheld carry no labels.

Each problem names the file and, where there is one, the row id. Nothing is fixed or rewritten.
Every problem, a corrupt Parquet file included, is collected rather than raised: the report is the
whole list, and the CLI exits 3 (an inconsistent release) when it is not empty.

Each shard is checked as a task of an engine (:mod:`warta.corpus.engines`: this process, or Dask
workers); ids are kept unique over 8-byte hashes, and the per-document index (an id and two
hashes) is gathered in the calling process, where the labeled rows are matched against it.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from warta.article import annotated_text
from warta.corpus.card import read_header
from warta.corpus.hide import is_hidden
from warta.corpus.labeled import actor_slug
from warta.corpus.manifest import check_version
from warta.errors import InputError, ReleaseError
from warta.features import CONFIGS, features_for
from warta.fsutil import sha256_file
from warta.inputs import LIMITS, iter_parquet_batches, open_parquet, read_text
from warta.memory import use_lean_pool
from warta.release import CARD, MANIFEST, Release
from warta.schema import LabelSchema, load_schema
from warta.spans import EntitySpan
from warta.tokenize import entity_token_spans, iob2_tags, token_spans

BATCH_ROWS = 1_000
MAX_PER_FILE = 50  # problems listed per file before summarising
#: Configs whose rows point at an article of ``documents``, and the column holding its text.
TEXT_COLUMN = {"ner": "text", "stance": "text", "summarization": "document"}


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


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass
class _Documents:
    """What later configs need to know about each article: hashes, not texts (memory stays small)."""

    annotated: dict[str, bytes] = field(default_factory=dict)  # id -> sha256 of the annotated text
    raw: dict[str, str] = field(default_factory=dict)  # id -> raw_sha256 (hex, as the manifest has it)


class _Checker:
    def __init__(self, release: Release, schema: LabelSchema, report: VerifyReport) -> None:
        self.release = release
        self.schema = schema
        self.report = report
        self.per_file: dict[str, int] = {}
        self.documents = _Documents()
        self.corrupt = False
        #: In a shard task, labeled rows are matched against ``documents`` later (by :meth:`merge`).
        self.defer_anchors = False
        self.anchors: list[tuple[str, str, Any, bytes]] = []

    def problem(self, file: str, message: str, row: str | None = None) -> None:
        n = self.per_file.get(file, 0) + 1
        self.per_file[file] = n
        if n <= MAX_PER_FILE:
            self.report.problems.append(Problem(file, message, row))
        elif n == MAX_PER_FILE + 1:
            self.report.problems.append(Problem(file, f"more than {MAX_PER_FILE} problems; stopped listing"))

    # ------------------------------------------------------------------------------------- files

    def files(self) -> list[dict[str, Any]]:
        """Check every listed file; return the entries whose file may be read (regular, inside)."""
        root = self.release.path.resolve()
        readable = []
        for entry in self.release.manifest["files"]:
            path = entry["path"]
            target = self.release.path / path
            try:
                info = os.lstat(target)
            except OSError:
                self.problem(path, "listed in the manifest but missing")
                continue
            if stat.S_ISLNK(info.st_mode):
                self.problem(path, "is a symlink, not a regular file: a release holds its own files")
                continue
            if not stat.S_ISREG(info.st_mode):
                self.problem(path, "not a regular file")
                continue
            try:
                real = target.resolve(strict=True)
            except (OSError, RuntimeError):
                self.problem(path, "cannot be resolved (symlink loop in its folder)")
                continue
            if root not in real.parents:
                self.problem(path, f"lies outside the release folder (at {real})")
                continue
            if info.st_size != entry["bytes"]:
                self.problem(path, f"size {info.st_size} bytes, manifest says {entry['bytes']}")
            try:
                digest = sha256_file(target)
            except OSError as exc:
                self.problem(path, f"cannot be read ({exc.strerror or exc})")
                continue
            if digest != entry["sha256"]:
                self.problem(path, f"sha256 {digest[:12]}…, manifest says {entry['sha256'][:12]}… (the file was changed)")
            self.report.files_checked += 1
            readable.append(entry)
        listed = {entry["path"] for entry in self.release.manifest["files"]}
        for relative in _walk(self.release.path):
            if relative != MANIFEST and relative not in listed:
                self.problem(relative, "not listed in the manifest")
        return readable

    # -------------------------------------------------------------------------------------- card

    def card(self, configs: dict[str, dict[str, list[str]]]) -> None:
        from datasets import Features

        path = self.release.path / CARD
        if not path.is_file() or path.is_symlink():
            return
        try:
            header = read_header(read_text(path, max_bytes=LIMITS.max_config_bytes, error=ReleaseError, what="card"), CARD)
        except ReleaseError as exc:
            self.problem(CARD, exc.message.removeprefix(f"{CARD}: ").removeprefix(f"{path}: "))
            return
        declared_list = header.get("configs") or []
        infos = header.get("dataset_info") or []
        if not isinstance(declared_list, list) or not all(isinstance(c, dict) for c in declared_list):
            self.problem(CARD, "'configs' in the card header must be a list of mappings")
            return
        if not isinstance(infos, list) or not all(isinstance(i, dict) for i in infos):
            self.problem(CARD, "'dataset_info' in the card header must be a list of mappings")
            return
        declared = {str(c.get("config_name")): c for c in declared_list}
        if set(declared) != set(configs):
            self.problem(CARD, f"card configs {sorted(declared)} differ from the files' {sorted(configs)}")
        for name, entry in declared.items():
            data_files = entry.get("data_files") or []
            if not isinstance(data_files, list) or not all(isinstance(d, dict) for d in data_files):
                self.problem(CARD, f"config {name}: data_files must be a list of mappings")
                continue
            splits = {str(d.get("split")) for d in data_files}
            if name in configs and splits != set(configs[name]):
                self.problem(CARD, f"config {name}: card splits {sorted(splits)} differ from the files' {sorted(configs[name])}")
        for info in infos:
            name = info.get("config_name")
            if name not in CONFIGS:
                self.problem(CARD, f"dataset_info for unknown config {str(name)!r}")
                continue
            try:
                features = Features._from_yaml_list(info.get("features") or [])
            except Exception as exc:  # noqa: BLE001 - any parse failure is a problem to report
                self.problem(CARD, f"dataset_info {name}: features do not parse ({type(exc).__name__}: {str(exc)[:120]})")
                continue
            if features != features_for(name, self.schema):
                self.problem(CARD, f"dataset_info {name}: features differ from the label schema's")

    # ------------------------------------------------------------------------------------ shards

    def shard(self, entry: dict[str, Any], ids: list[int], hidden: bool) -> None:
        """Check one shard; the 64-bit hashes of its row ids are appended to ``ids``."""
        config, split, path = entry["config"], entry["split"], entry["path"]
        target = self.release.path / path
        if config not in CONFIGS:
            self.problem(path, f"unknown config {config!r}")
            return
        features = features_for(config, self.schema)
        try:
            parquet = open_parquet(target)
            metadata, arrow = parquet.metadata, parquet.schema_arrow
        except ReleaseError as exc:
            self._corrupt(path, exc)
            return
        if not arrow.remove_metadata().equals(features.arrow_schema.remove_metadata()):
            self.problem(path, "columns or types differ from the schema")
            return
        if metadata.num_rows != entry.get("rows"):
            self.problem(path, f"{metadata.num_rows} rows, manifest says {entry.get('rows')}")
        rows_read = 0
        try:
            for batch in iter_parquet_batches(target, batch_size=BATCH_ROWS):
                rows = batch.to_pylist()
                for row in rows:
                    self.row(path, config, row, ids, hidden)
                rows_read += len(rows)
                self.report.rows_checked += len(rows)
        except ReleaseError as exc:
            self._corrupt(path, exc)
            return
        if rows_read != metadata.num_rows:
            self.problem(path, f"{rows_read} rows read, the file's footer says {metadata.num_rows}")
        self.report.counts.setdefault(config, {}).setdefault(split, 0)
        self.report.counts[config][split] += rows_read

    def _corrupt(self, path: str, exc: ReleaseError) -> None:
        self.corrupt = True
        reason = exc.message.split(": ", 1)[-1] if exc.message.startswith("corrupt file") else exc.message
        self.problem(path, f"corrupt file {path}: {reason}")

    def row(self, path: str, config: str, row: dict[str, Any], ids: list[int], hidden: bool) -> None:
        rid = row.get("id")
        if not rid:
            self.problem(path, "row without id")
            return
        ids.append(id_hash(rid))
        if config == "documents":
            self.document(path, rid, row)
            return
        if hidden and not is_hidden(config, row):
            self.problem(path, "labels present in a split whose labels are withheld", rid)
        self.anchored(path, config, rid, row)
        if config == "ner":
            self.ner(path, rid, row, hidden)
        elif config == "stance":
            self.stance(path, rid, row)
        elif config == "summarization":
            refs = row.get("references") or []
            if row.get("summary") is not None and (not refs or refs[0] != row["summary"]):
                self.problem(path, "summary is not the first reference", rid)

    def document(self, path: str, rid: str, row: dict[str, Any]) -> None:
        raw = row.get("raw") or ""
        text = row.get("text") or ""
        raw_sha256 = hashlib.sha256(raw.encode("utf-8")).hexdigest()
        if raw_sha256 != row.get("raw_sha256"):
            self.problem(path, "raw_sha256 is not the SHA-256 of raw", rid)
        self.documents.annotated[rid] = _digest(annotated_text(row.get("title"), text))
        self.documents.raw[rid] = raw_sha256
        removed: list[tuple[int, int]] = []
        end_of_last = 0
        for span in row.get("removed") or []:
            start, end = span.get("start"), span.get("end")
            where = f"removed span [{start}, {end}) ({span.get('reason')})"
            if not (_is_int(start) and _is_int(end) and 0 <= start <= end <= len(raw)):
                self.problem(path, f"{where} is outside raw ({len(raw)} characters)", rid)
                continue
            if raw[start:end] != span.get("text"):
                self.problem(path, f"{where} does not reproduce its text", rid)
            if start < end_of_last:
                self.problem(path, f"{where} is out of order or overlaps the span before it", rid)
            end_of_last = max(end_of_last, end)
            removed.append((start, end))
        if not text.strip():
            self.problem(path, "text is empty: an article has at least one body paragraph", rid)
            return
        position = 0
        spans = sorted(removed)
        for number, paragraph in enumerate(text.split("\n\n"), start=1):
            found = _find_outside(raw, paragraph, position, spans) if paragraph else -1
            if found < 0:
                shown = paragraph[:40] + ("…" if len(paragraph) > 40 else "")
                self.problem(path, f"paragraph {number} of text ({shown!r}) is not in raw after offset {position} (outside the removed spans)", rid)
                return
            position = found + len(paragraph)

    def anchored(self, path: str, config: str, rid: str, row: dict[str, Any]) -> None:
        """A labeled row belongs to an article of ``documents`` and carries its annotated text."""
        if self.report.private:
            return  # a private folder holds labels only; its public twin has the documents
        article_id = rid if config == "ner" else row.get("article_id")
        digest = _digest(row.get(TEXT_COLUMN[config]) or "")
        if self.defer_anchors:
            self.anchors.append((config, rid, article_id, digest))
        else:
            self.anchor(path, config, rid, article_id, digest)

    def anchor(self, path: str, config: str, rid: str, article_id: Any, digest: bytes) -> None:
        expected = self.documents.annotated.get(article_id) if isinstance(article_id, str) else None
        if expected is None:
            self.problem(path, f"article {article_id!r} is not in documents", rid)
            return
        if digest != expected:
            self.problem(path, f"{TEXT_COLUMN[config]} is not the annotated text (title, blank line, body) of article {article_id} in documents", rid)

    def merge(self, result: ShardResult) -> None:
        """Take in one shard task's findings, then check its labeled rows against ``documents``
        (which the documents shards, checked first, have filled)."""
        self.report.problems.extend(result.problems)
        for file, n in result.per_file.items():
            self.per_file[file] = self.per_file.get(file, 0) + n
        self.report.rows_checked += result.rows_checked
        for name, splits in result.counts.items():
            for split, n in splits.items():
                self.report.counts.setdefault(name, {}).setdefault(split, 0)
                self.report.counts[name][split] += n
        self.corrupt = self.corrupt or result.corrupt
        for rid, annotated, raw in result.documents:
            self.documents.annotated[rid] = annotated
            self.documents.raw[rid] = raw
        for config, rid, article_id, digest in result.anchors:
            self.anchor(result.path, config, rid, article_id, digest)

    def ner(self, path: str, rid: str, row: dict[str, Any], hidden: bool) -> None:
        text = row.get("text") or ""
        labels = self.schema.entity_labels
        spans: list[EntitySpan] = []
        for e in row.get("entities") or []:
            start, end, label = e.get("start"), e.get("end"), e.get("label")
            if not (_is_int(start) and _is_int(end) and 0 <= start < end <= len(text)):
                self.problem(path, f"entity [{start}, {end}) is outside the text ({len(text)} characters)", rid)
                continue
            if text[start:end] != e.get("text"):
                self.problem(path, f"entity [{start}, {end}) reads {text[start:end]!r}, row says {e.get('text')!r}", rid)
            if not (_is_int(label) and 0 <= label < len(labels)):
                self.problem(path, f"entity label id {label} outside 0..{len(labels) - 1}", rid)
                continue
            spans.append(EntitySpan(start, end, labels[label]))
        tags = row.get("ner_tags") or []
        tokens = row.get("tokens") or []
        if tags and len(tags) != len(tokens):
            self.problem(path, f"{len(tokens)} tokens but {len(tags)} ner_tags", rid)
        tag_names = self.schema.iob2_tags
        if any(not (_is_int(t) and 0 <= t < len(tag_names)) for t in tags):
            self.problem(path, "ner_tags id outside the tag set", rid)
            return
        if hidden:
            cut = token_spans(text)
            expected_tags: list[str] = []
        else:
            spans.sort()
            cut = entity_token_spans(text, spans)
            expected_tags = iob2_tags(cut, spans)
        if tokens != [text[s:e] for s, e in cut]:
            self.problem(path, "tokens are not the tokenizer's tokens of text (warta.tokenize, cut at the entities)", rid)
        elif [tag_names[t] for t in tags] != expected_tags:
            self.problem(path, "ner_tags are not the IOB2 tags of the entities over the tokens", rid)

    def stance(self, path: str, rid: str, row: dict[str, Any]) -> None:
        text = row.get("text") or ""
        label = row.get("label")
        if label is not None and not (_is_int(label) and 0 <= label < len(self.schema.stance_label_names)):
            self.problem(path, f"stance label id {label} outside the label set", rid)
        target = row.get("target")
        if target not in self.schema.target_ids:
            self.problem(path, f"target {target!r} is not in the schema", rid)
        for m in row.get("mentions") or []:
            start, end = m.get("start"), m.get("end")
            if not (_is_int(start) and _is_int(end) and 0 <= start < end <= len(text)):
                self.problem(path, f"mention [{start}, {end}) outside the text", rid)
        level, actor = row.get("level"), row.get("actor")
        if level == "document":
            expected = f"{row.get('article_id')}:{target}"
        elif level == "actor" and isinstance(actor, str):
            expected = f"{row.get('article_id')}:{target}:{actor_slug(actor)}"
        else:
            self.problem(path, f"level {level!r} with actor {actor!r}: expected 'document' (no actor) or 'actor' (with one)", rid)
            return
        if rid != expected:
            self.problem(path, f"id is not {expected!r} (article, target and actor of the row)", rid)

    # ----------------------------------------------------------------------------------- totals

    def raw_sources(self) -> None:
        sources = self.release.manifest.get("raw_sources")
        if sources is None or self.report.private or "documents" not in self.report.counts:
            return
        named: dict[str, str] = {}
        for i, item in enumerate(sources):
            if not isinstance(item, dict) or not isinstance(item.get("article_id"), str) or not isinstance(item.get("sha256"), str):
                self.problem(MANIFEST, f"raw_sources[{i}] must be an object with article_id and sha256 strings")
                return
            named[item["article_id"]] = item["sha256"]
        if set(named) != set(self.documents.raw):
            missing = sorted(set(self.documents.raw) - set(named))[:3]
            extra = sorted(set(named) - set(self.documents.raw))[:3]
            self.problem(MANIFEST, f"raw_sources do not name the documents (without a source: {missing}; not in documents: {extra})")
            return
        for article_id, digest in sorted(named.items()):
            if self.documents.raw[article_id] != digest:
                self.problem(MANIFEST, f"raw_sources sha256 of article {article_id} is not the SHA-256 of its raw text")


def _find_outside(raw: str, paragraph: str, position: int, removed: list[tuple[int, int]]) -> int:
    """First offset >= ``position`` where ``paragraph`` occurs in ``raw`` without touching a removed span."""
    while True:
        found = raw.find(paragraph, position)
        if found < 0:
            return -1
        end = found + len(paragraph)
        overlap = next((e for s, e in removed if s < end and found < e), None)
        if overlap is None:
            return found
        position = max(found + 1, overlap)


def _walk(root: Path) -> Iterator[str]:
    """Relative paths of everything below ``root`` that is not a folder, symlinks not followed."""
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        for name in sorted(dirs):
            if (base / name).is_symlink():
                yield (base / name).relative_to(root).as_posix()
        for name in sorted(files):
            yield (base / name).relative_to(root).as_posix()


def id_hash(row_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(row_id.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


@dataclass(frozen=True)
class ShardCheck:
    """One shard's checks, as a task an engine can run anywhere the release folder is visible."""

    release: str
    entry: dict[str, Any]
    hidden: bool
    private: bool
    schema: LabelSchema


@dataclass
class ShardResult:
    """What checking one shard found, and what the checks across shards need of it."""

    path: str
    problems: list[Problem]
    per_file: dict[str, int]
    counts: dict[str, dict[str, int]]
    rows_checked: int
    corrupt: bool
    ids: Any  # uint64 array: the hashes of the row ids
    documents: list[tuple[str, bytes, str]]  # (id, sha256 of the annotated text, raw_sha256)
    anchors: list[tuple[str, str, Any, bytes]]  # (config, row id, article id, sha256 of the row's text)


def check_shard(task: ShardCheck) -> ShardResult:
    """Check one shard on its own; the checks against other shards are left to the caller."""
    import numpy as np

    release = Release(Path(task.release))
    report = VerifyReport(task.release, "", private=task.private)
    checker = _Checker(release, task.schema, report)
    checker.defer_anchors = True
    ids: list[int] = []
    checker.shard(task.entry, ids, hidden=task.hidden)
    documents = [(rid, annotated, checker.documents.raw[rid]) for rid, annotated in checker.documents.annotated.items()]
    return ShardResult(
        task.entry["path"], report.problems, checker.per_file, report.counts, report.rows_checked, checker.corrupt,
        np.array(ids, dtype=np.uint64), documents, checker.anchors,
    )


def _repeated_ids(release: Release, hashes: list[tuple[str, Any]]) -> list[Problem]:
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
        try:
            for batch in iter_parquet_batches(release.path / path, batch_size=BATCH_ROWS):
                for rid in batch.column("id").to_pylist():
                    if rid and id_hash(rid) in repeated:
                        if rid in seen:
                            problems.append(Problem(path, "duplicate id", rid))
                        seen.add(rid)
        except ReleaseError:
            continue  # already reported as a corrupt file
    return problems[:MAX_PER_FILE]


def verify_release(path: str | Path, schema: LabelSchema | None = None, *, engine: Any = None) -> VerifyReport:
    """Check a release folder; problems are collected, not raised (a folder without manifest raises).

    Each shard is checked as a task of ``engine`` (a :mod:`warta.corpus.engines` engine; in this
    process when ``None``). What crosses shards is gathered here: uniqueness of ids over 8-byte
    hashes, and an index of the documents (id, SHA-256 of the annotated text, raw SHA-256: an id
    and two hashes per document) that the labeled rows and ``raw_sources`` are checked against."""
    use_lean_pool()
    release = Release.open(path)
    try:
        manifest = release.manifest
    except ReleaseError as exc:
        message = exc.message.removeprefix(f"{release.path / MANIFEST}: ")
        return VerifyReport(str(path), "unknown", [Problem(MANIFEST, message)])
    schema = schema or load_schema()
    report = VerifyReport(str(path), release.version, private=bool(manifest.get("private")))
    checker = _Checker(release, schema, report)
    try:
        check_version(manifest["version"], error=InputError)
    except InputError as exc:
        checker.problem(MANIFEST, exc.message)
    entries = checker.files()
    hidden = set(manifest.get("hidden_labels") or [])
    configs: dict[str, dict[str, list[str]]] = {}
    for entry in manifest["files"]:
        if entry.get("config"):
            configs.setdefault(entry["config"], {}).setdefault(entry["split"], []).append(entry["path"])
    checker.card(configs)
    order = [c for c in CONFIGS if c in configs] + sorted(set(configs) - set(CONFIGS))
    readable = {e["path"] for e in entries}
    if not report.private and configs and "documents" not in configs:
        checker.problem(MANIFEST, "no documents config: a public release holds the articles its labels point at")
    from warta.corpus.engines.local import LocalEngine

    runner = engine or LocalEngine()
    for config in order:
        shards = sorted((e for e in manifest["files"] if e.get("config") == config and e["path"] in readable), key=lambda e: e["path"])
        tasks = [ShardCheck(str(release.path), e, e["split"] in hidden and not report.private, report.private, schema) for e in shards]
        hashes: list[tuple[str, Any]] = []
        for result in runner.map(check_shard, tasks, desc=f"verify {config}"):
            checker.merge(result)
            hashes.append((result.path, result.ids))
        report.problems.extend(_repeated_ids(release, hashes))
    checker.raw_sources()
    expected = manifest.get("counts")
    if expected is not None and expected != report.counts and not checker.corrupt and len(readable) == len(manifest["files"]):
        checker.problem(MANIFEST, f"counts {json.dumps(expected, sort_keys=True)} differ from the files' {json.dumps(report.counts, sort_keys=True)}")
    return report
