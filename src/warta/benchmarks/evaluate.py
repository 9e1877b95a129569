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
from warta.release import Release
from warta.schema import LabelSchema, load_schema
from warta.spans import EntitySpan


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

    @property
    def index(self) -> GoldIndex:
        return GoldIndex.from_rows(
            self.task, self.rows, description=f"the {self.split} split of release {self.version}"
        )


def load_task_gold(
    release: str | Path | Release, task: str, split: str = "test", schema: LabelSchema | None = None
) -> TaskGold:
    """The gold of ``task`` and ``split``, from a release whose files match its manifest.

    :meth:`Release.check_files` runs first (exit 3 on a mismatch): the signature's data hash is the
    manifest's, so it only identifies the bytes scored if those bytes are the manifest's.
    """
    check_task(task)
    schema = schema or load_schema()
    release = release if isinstance(release, Release) else Release.open(release)
    release.check_files()
    rows = release.read(task, split, schema=schema)
    entities: dict[str, list[EntitySpan]] = {}
    if task == "summarization" and "ner" in release.configs() and split in release.splits("ner"):
        for row in release.read("ner", split, schema=schema):
            entities[row["id"]] = [EntitySpan(e["start"], e["end"], e["label"]) for e in row["entities"]]
    return TaskGold(task, split, rows, release.version, release.manifest_sha256, schema, entities)


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
