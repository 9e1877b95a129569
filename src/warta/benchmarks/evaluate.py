"""Score a submission file against a labeled release: the I/O around :func:`scoring.score_task`.

``warta bench score`` and the leaderboard both go through :func:`score_file`, so a number on the
leaderboard is exactly what a participant gets on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warta.benchmarks.submissions import (
    DEFAULT_MAX_BYTES,
    GoldIndex,
    Submission,
    check_task,
    read_submission,
)
from warta.benchmarks.slices import DocumentInfo, SliceContext
from warta.errors import GoldError
from warta.release import Release
from warta.schema import LabelSchema, load_schema
from warta.spans import EntitySpan

#: Columns of the ``documents`` config that slices use (the rest is never read).
DOCUMENT_COLUMNS = ("id", "outlet", "story_id", "published")


@dataclass
class TaskGold:
    """The gold rows of one task and split of a release, and what identifies them."""

    task: str
    split: str
    rows: list[dict[str, Any]]
    version: str
    manifest_sha256: str
    schema: LabelSchema
    #: Gold entities of each article (from the ``ner`` config), for entity-level factual
    #: consistency of summaries; empty when the release has no ``ner`` config for the split.
    source_entities: dict[str, list[EntitySpan]] = field(default_factory=dict)
    #: What the slices of the results are computed from (article metadata, provenance, train entities).
    context: SliceContext = field(default_factory=SliceContext)

    @property
    def index(self) -> GoldIndex:
        return GoldIndex.from_rows(
            self.task, self.rows, description=f"the {self.split} split of release {self.version}"
        )


def load_task_gold(
    release: str | Path | Release,
    task: str,
    split: str = "test",
    schema: LabelSchema | None = None,
    *,
    gold_dir: str | Path | None = None,
) -> TaskGold:
    """The gold of one task and split, with the facts its slices need.

    ``gold_dir`` (the ``annotation/gold`` folder the release was built from) adds the gold
    agreement slice from each article's provenance; its files must be the ones the release's
    manifest lists (same SHA-256), or :class:`GoldError` says which one differs.
    """
    check_task(task)
    schema = schema or load_schema()
    if not isinstance(release, Release):
        release = Release.open(release)
        release.check_files()  # sizes and SHA-256 against the manifest before trusting the gold
    rows = release.read(task, split, schema=schema)
    entities: dict[str, list[EntitySpan]] = {}
    if task == "summarization" and "ner" in release.configs() and split in release.splits("ner"):
        for row in release.read("ner", split, schema=schema):
            entities[row["id"]] = [EntitySpan(e["start"], e["end"], e["label"]) for e in row["entities"]]
    context = slice_context(release, split, schema, gold_dir=gold_dir)
    return TaskGold(task, split, rows, release.version, release.manifest_sha256, schema, entities, context)


def _read_columns(path: Path, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """Only the named columns that the file has (a corrupt file is a ``ReleaseError``, exit 3)."""
    from warta.inputs import open_parquet, read_parquet

    present = set(open_parquet(path).schema_arrow.names)
    return read_parquet(path, columns=[c for c in columns if c in present]).to_pylist()


def gold_provenance(release: Release, gold_dir: str | Path) -> dict[str, dict[str, Any]]:
    """Article id -> provenance of the gold files, checked against the release's manifest hashes."""
    from warta.fsutil import sha256_file
    from warta.gold import read_gold_dir

    folder = Path(gold_dir)
    docs = read_gold_dir(folder)
    listed = {f["path"]: f["sha256"] for f in (release.manifest.get("gold") or {}).get("files", [])}
    for name, digest in sorted(listed.items()):
        path = folder / name
        if not path.is_file():
            raise GoldError(
                f"{path}: listed in the manifest of release {release.version} but missing",
                hint="pass the gold folder the release was built from",
            )
        if sha256_file(path) != digest:
            raise GoldError(
                f"{path}: differs from the gold release {release.version} was built from (SHA-256 mismatch)",
                hint="pass the gold folder the release was built from, or rebuild the release",
            )
    return {article: dict(doc.provenance) for article, doc in docs.items()}


def slice_context(
    release: Release, split: str, schema: LabelSchema, *, gold_dir: str | Path | None = None
) -> SliceContext:
    """Article metadata of ``split`` (``documents`` config), gold provenance and train-split entities."""
    provenance = gold_provenance(release, gold_dir) if gold_dir is not None else {}
    documents: dict[str, DocumentInfo] = {}
    if "documents" in release.configs() and split in release.splits("documents"):
        for shard in release.shards("documents", split):
            for row in _read_columns(shard, DOCUMENT_COLUMNS):
                documents[row["id"]] = DocumentInfo(
                    article_id=row["id"],
                    outlet=row.get("outlet"),
                    story_id=row.get("story_id"),
                    published=row.get("published"),
                    provenance=provenance.get(row["id"]),
                )
    train: frozenset[str] | None = None
    if split != "train" and "ner" in release.configs() and "train" in release.splits("ner"):
        surfaces = set()
        for row in release.read("ner", "train", schema=schema):
            text = row["text"]
            surfaces.update(text[e["start"] : e["end"]] for e in row["entities"] or [])
        train = frozenset(surfaces)
    return SliceContext(documents, train)


def score_submission(
    gold: TaskGold, submission: Submission, *, options: Any = None, system: str | None = None
) -> dict[str, Any]:
    """Results JSON (``warta.results.v1``) of a validated submission."""
    from warta.benchmarks.scoring import ScoreOptions, score_task

    kwargs: dict[str, Any] = {}
    if gold.task == "summarization" and gold.source_entities:
        kwargs["source_entities"] = gold.source_entities
    return score_task(
        gold.task,
        gold.rows,
        submission.predictions,
        options=options if options is not None else ScoreOptions(),
        dataset_version=gold.version,
        manifest_sha256=gold.manifest_sha256,
        system=system,
        split=gold.split,
        context=gold.context,
        **kwargs,
    )


def score_file(
    gold: TaskGold,
    path: str | Path,
    *,
    options: Any = None,
    system: str | None = None,
    allow_missing: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[dict[str, Any], Submission]:
    """Validate ``path`` against ``gold`` (every problem reported at once), then score it."""
    submission = read_submission(
        path, gold.task, gold.index, gold.schema, allow_missing=allow_missing, max_bytes=max_bytes
    )
    return score_submission(gold, submission, options=options, system=system), submission
