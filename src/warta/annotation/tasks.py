"""Release rows -> Label Studio tasks, and tagger spans -> Label Studio pre-annotations.

A task's ``text`` is :func:`warta.article.annotated_text` (headline, blank line, body): the same
string gold offsets index. ``article_id`` keys the task (a push never imports an article twice) and
``text_sha256`` lets a later push notice that the article's text changed between releases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from warta.annotation.labelconfig import ENTITIES_NAME, TEXT_NAME
from warta.article import annotated_text
from warta.errors import InputError, ReleaseError
from warta.fsutil import sha256_text
from warta.release import Release
from warta.spans import EntitySpan

#: Release columns copied into the task data, so annotators and the data manager can see them.
_CONTEXT_COLUMNS = ("title", "outlet", "published", "url")


def task_data(
    row: dict[str, Any], release_version: str, split: str | None = None
) -> dict[str, Any]:
    """The ``data`` of the task for one ``documents`` row."""
    text = annotated_text(row.get("title"), row["text"])
    data: dict[str, Any] = {
        TEXT_NAME: text,
        "article_id": str(row["id"]),
        "text_sha256": sha256_text(text),
        "release_version": release_version,
    }
    if split is not None:
        data["split"] = split
    for column in _CONTEXT_COLUMNS:
        if row.get(column) is not None:
            data[column] = row[column]
    return data


def release_task_data(release: Release) -> list[dict[str, Any]]:
    """Task data for every article of the release's ``documents`` config, in split order.

    Two rows with the same id are a broken release (a :class:`ReleaseError`), not two tasks.
    """
    seen: dict[str, str] = {}
    tasks = []
    for split in release.splits("documents") or []:
        for row in release.read("documents", split):
            data = task_data(row, release.version, split)
            article_id = data["article_id"]
            if article_id in seen:
                raise ReleaseError(
                    f"{release.path}: article {article_id} appears twice in documents ({seen[article_id]}, {split})",
                    hint="rebuild the release",
                )
            seen[article_id] = split
            tasks.append(data)
    if not tasks:
        raise ReleaseError(
            f"{release.path}: the documents config has no rows", hint="nothing to annotate"
        )
    return tasks


def prediction_result(
    text: str, spans: Iterable[EntitySpan], labels: Iterable[str]
) -> list[dict[str, Any]]:
    """Label Studio result items for ``spans`` (region ids ``p0``, ``p1``...); offsets are checked."""
    known = set(labels)
    result = []
    for index, span in enumerate(sorted(spans)):
        if span.label not in known:
            raise InputError(
                f"tagger produced label {span.label!r}, which the schema does not define"
            )
        if not (0 <= span.start < span.end <= len(text)):
            raise InputError(
                f"tagger produced span {span.start}:{span.end} outside a text of {len(text)} characters"
            )
        result.append(
            {
                "id": f"p{index}",
                "from_name": ENTITIES_NAME,
                "to_name": TEXT_NAME,
                "type": "labels",
                "value": {
                    "start": span.start,
                    "end": span.end,
                    "text": text[span.start : span.end],
                    "labels": [span.label],
                },
            }
        )
    return result


def make_task(
    data: dict[str, Any],
    tagger: Callable[[str], list[EntitySpan]] | None = None,
    model_version: str | None = None,
    labels: Iterable[str] = (),
) -> dict[str, Any]:
    """A task for import: ``data`` plus, when a tagger is given, one prediction stamped with its version.

    The gazetteer tagger has no confidence, so ``score`` is ``None`` rather than a made-up number.
    """
    task: dict[str, Any] = {"data": data}
    if tagger is not None:
        text = data[TEXT_NAME]
        task["predictions"] = [
            {
                "model_version": model_version,
                "score": None,
                "result": prediction_result(text, tagger(text), labels),
            }
        ]
    return task
