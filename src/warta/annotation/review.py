"""``warta annotate review``: adjudication inside Label Studio, in a review project.

Label Studio Community has no review or curation view, so warta builds one from what Community
does have. The review project holds exactly the articles :func:`~warta.annotation.adjudicate.adjudicate`
leaves unresolved (one task per article, keyed by article id and imported once, as
:mod:`warta.annotation.push` does), and each task carries

* every annotator's version as a *prediction* whose ``model_version`` is the annotator's pseudonym,
  plus, when the vote decided anything, the *majority version* (``model_version`` ``"majority"``:
  accepted entities and decided stances, undecided items left out), so the curator sees all
  versions side by side, picks or edits one and submits it;
* a ``conflicts`` text (the panel of the review labeling config, see
  :func:`warta.annotation.labelconfig.build_label_config`) saying which spans and stances are
  undecided and who chose what (:func:`warta.annotation.conflicts.conflicts_text`).

The labeling config is the schema's, plus the panel: the label schema stays the one source of
truth, and ``warta annotate pull`` reads the curator's submissions back by the same control names,
as records with ``ground_truth`` true and ``source`` ``"review"`` that ``adjudicate`` then takes as
the gold of those articles. Once they are pulled, the articles are no longer unresolved, so running
``review`` again imports nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from warta.annotation.adjudicate import Adjudication, MajorityVersion, adjudicate
from warta.annotation.conflicts import conflicts_text
from warta.annotation.connection import Connection, connect, service_errors
from warta.annotation.labelconfig import (
    CONFLICTS_NAME,
    ENTITIES_NAME,
    SUMMARY_NAME,
    TEXT_NAME,
    build_label_config,
    document_stance_name,
    region_stance_name,
)
from warta.annotation.push import MAX_TITLE, PushReport, find_project, push_tasks, require_project
from warta.annotation.records import REVIEW, AnnotationRecord
from warta.errors import InputError
from warta.schema import LabelSchema, load_schema

if TYPE_CHECKING:
    from label_studio_sdk import LabelStudio

MAJORITY_VERSION = "majority"
REVIEW_SUFFIX = " (review)"


def review_project_title(title: str, review_project: str | None = None) -> str:
    """The review project's title: ``review_project``, else ``"<title> (review)"``."""
    name = review_project if review_project is not None else f"{title}{REVIEW_SUFFIX}"
    if len(name) > MAX_TITLE:
        raise InputError(
            f"the review project title {name!r} has {len(name)} characters; Label Studio allows {MAX_TITLE}",
            hint="name it with --review-project",
        )
    if name == title:
        raise InputError(
            f"the review project cannot be the project itself ({title!r})",
            hint="choose another --review-project",
        )
    return name


def _span_items(
    region: str, start: int, end: int, label: str, text: str
) -> dict[str, Any]:
    return {
        "id": region,
        "from_name": ENTITIES_NAME,
        "to_name": TEXT_NAME,
        "type": "labels",
        "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
    }


def _choice(region: str, name: str, label: str, value: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": region,
        "from_name": name,
        "to_name": TEXT_NAME,
        "type": "choices",
        "value": {**(value or {}), "choices": [label]},
    }


def record_result(record: AnnotationRecord) -> list[dict[str, Any]]:
    """Label Studio result items saying what ``record`` says (entities, stances, summary).

    Pulling a task whose annotation has this result gives back ``record``'s content: the
    round trip is tested.
    """
    text = record.text
    result: list[dict[str, Any]] = []
    regions: dict[str, str] = {}
    for index, e in enumerate(record.entities):
        region = f"e{index}"
        regions[e.region_id] = region
        result.append(_span_items(region, e.start, e.end, e.label, text))
    spans = {e.region_id: e for e in record.entities}
    for s in record.stance:
        e = spans[s.region_id]
        value = {"start": e.start, "end": e.end, "text": text[e.start : e.end]}
        result.append(_choice(regions[s.region_id], region_stance_name(s.target), s.label, value))
    for d in record.document_stance:
        result.append(_choice(f"doc-{d.target}", document_stance_name(d.target), d.label))
    if record.summary:
        result.append(
            {
                "id": "summary",
                "from_name": SUMMARY_NAME,
                "to_name": TEXT_NAME,
                "type": "textarea",
                "value": {"text": [record.summary]},
            }
        )
    return result


def majority_result(text: str, version: MajorityVersion) -> list[dict[str, Any]]:
    """Label Studio result items of the majority version (no summary: summaries are not voted)."""
    result: list[dict[str, Any]] = []
    regions: dict[tuple[int, int], str] = {}
    for index, e in enumerate(version.entities):
        region = f"m{index}"
        regions.setdefault((e.start, e.end), region)
        result.append(_span_items(region, e.start, e.end, e.label, text))
    for s in version.stance:
        for m in s.mentions:
            value = {"start": m.start, "end": m.end, "text": text[m.start : m.end]}
            result.append(_choice(regions[(m.start, m.end)], region_stance_name(s.target), s.label, value))
    for d in version.document_stance:
        result.append(_choice(f"doc-{d.target}", document_stance_name(d.target), d.label))
    return result


def review_tasks(records: Iterable[AnnotationRecord], result: Adjudication) -> list[dict[str, Any]]:
    """One review task per unresolved article of ``result``, with its versions and conflicts panel.

    Sorted by article id. Review records already in ``records`` are not shown as versions (they
    settle their article, which is then not unresolved).
    """
    blocked = set(result.blocked)
    by_article: dict[str, list[AnnotationRecord]] = {}
    for record in records:
        if record.article_id in blocked and record.source != REVIEW:
            by_article.setdefault(record.article_id, []).append(record)
    tasks = []
    for article_id in sorted(blocked):
        versions = sorted(by_article.get(article_id, []), key=lambda r: r.annotator)
        if not versions:
            continue
        first = versions[0]
        conflicts = [c for c in result.conflicts if c.article_id == article_id]
        predictions = [
            {"model_version": r.annotator, "score": None, "result": record_result(r)}
            for r in versions
        ]
        majority = result.majority.get(article_id)
        if majority is not None and (majority.entities or majority.stance or majority.document_stance):
            predictions.append(
                {
                    "model_version": MAJORITY_VERSION,
                    "score": None,
                    "result": majority_result(first.text, majority),
                }
            )
        tasks.append(
            {
                "data": {
                    TEXT_NAME: first.text,
                    "article_id": article_id,
                    "text_sha256": first.text_sha256,
                    CONFLICTS_NAME: conflicts_text(conflicts),
                    "task_ids": sorted({r.task_id for r in versions}),
                    "annotators": [r.annotator for r in versions],
                },
                "predictions": predictions,
            }
        )
    return tasks


@dataclass
class ReviewReport:
    """What ``review`` did: the unresolved articles and what the import into the review project did."""

    review_project: str
    unresolved_articles: int
    push: PushReport | None


def push_review(
    connection: Connection,
    title: str,
    records: list[AnnotationRecord],
    *,
    review_project: str | None = None,
    min_votes: int = 2,
    schema: LabelSchema | None = None,
    client: LabelStudio | None = None,
) -> ReviewReport:
    """Create or update the review project of ``title`` with the articles ``records`` leave unresolved.

    The project ``title`` must exist (its records are what is reviewed). With no unresolved article
    and no review project yet, nothing is created.
    """
    schema = schema if schema is not None else load_schema()
    name = review_project_title(title, review_project)
    result = adjudicate(records, min_votes=min_votes)
    tasks = {t["data"]["article_id"]: t for t in review_tasks(records, result)}
    client = client if client is not None else connect(connection)
    with service_errors(connection, f"looking up project {title!r}"):
        require_project(client, title)
    if not tasks:
        with service_errors(connection, f"looking up project {name!r}"):
            if find_project(client, name) is None:
                return ReviewReport(name, 0, None)
    report = push_tasks(
        client,
        connection,
        name,
        [t["data"] for t in tasks.values()],
        schema=schema,
        maximum_annotations=1,
        label_config=build_label_config(schema, review=True),
        settings={"show_collab_predictions": True},
        task_factory=lambda data: tasks[data["article_id"]],
    )
    return ReviewReport(name, len(tasks), report)
