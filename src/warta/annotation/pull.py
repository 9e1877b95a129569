"""``warta annotate pull``: a Label Studio project's annotations -> warta annotation records (JSONL).

The export is a snapshot JSON export with full ``completed_by`` objects (the synchronous export
gives only user ids). :func:`records_from_export` is a pure function over that JSON (a list of task
dicts), so crafted exports test it without a server.

What is trusted and what is checked:

- offsets: ``start``/``end`` index the task text after CRLF -> LF (what the browser labels). The
  span text is recomputed as ``text[start:end]``; Label Studio's ``value.text`` is ignored (it
  collapses whitespace). An offset outside the text is an :class:`InputError` naming task and region.
- labels, targets, stance labels and control names must be the schema's (the config is generated
  from it); anything else means the project and the schema disagree: an error, nothing written.
- cancelled (skipped) annotations and drafts are not annotations of the text: they are left out
  and counted in the report.
- annotators are pseudonymised (:mod:`warta.annotation.pseudonyms`); no email is written.
- with ``--release``, every task's article must be in that release with the same text.

When the project has a review project (``warta annotate review``, default title
``"<title> (review)"``), it is pulled too: the curator's submitted annotations there become records
with ``ground_truth`` true and ``source`` ``"review"``. Beside ``--out`` a small summary
(``<out stem>.pull.json``: projects, counts) is written, so that a later ``agreement`` on a pull
without any submitted annotation can say which project has none yet.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warta.annotation.connection import Connection, connect, service_errors
from warta.annotation.labelconfig import (
    DOCUMENT_STANCE_PREFIX,
    ENTITIES_NAME,
    REGION_STANCE_PREFIX,
    SUMMARY_NAME,
)
from warta.annotation.push import find_project, require_project
from warta.annotation.records import (
    ANNOTATION,
    REVIEW,
    AnnotationRecord,
    EntityAnnotation,
    RegionStance,
    TargetStance,
    dumps_records,
)
from warta.errors import InputError, OutputExistsError, ServiceError, WartaError
from warta.fsutil import sha256_text, write_text_atomic
from warta.schema import LabelSchema, load_schema

if TYPE_CHECKING:
    from label_studio_sdk import LabelStudio

#: Serialization options that make the export carry the annotator's email and full predictions.
SNAPSHOT_OPTIONS: dict[str, Any] = {
    "predictions": {"only_id": False},
    "annotations__completed_by": {"only_id": False},
}


@dataclass
class PullReport:
    tasks: int = 0
    tasks_without_annotations: int = 0
    annotations: int = 0
    records: int = 0
    cancelled: int = 0
    drafts: int = 0
    annotators: dict[str, int] = field(default_factory=dict)
    dropped_stances: list[str] = field(default_factory=list)
    out: str | None = None
    seconds: float = 0.0
    project: str | None = None
    review_project: str | None = None
    #: records from the review project (``None``: there is no review project)
    review_records: int | None = None


def normalise_text(text: str) -> str:
    """CRLF and lone CR -> LF: the text the labeling interface shows and offsets index."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def annotator_identity(completed_by: Any) -> str:
    """The identity to pseudonymise: the email when the export has it, else the user id."""
    if isinstance(completed_by, dict):
        if completed_by.get("email"):
            return str(completed_by["email"])
        if completed_by.get("id") is not None:
            return f"user-id:{completed_by['id']}"
    elif completed_by is not None:
        return f"user-id:{completed_by}"
    raise ValueError("annotation has no completed_by")


def records_from_export(
    tasks: list[dict[str, Any]],
    pseudonymize: Callable[[str], str],
    *,
    schema: LabelSchema | None = None,
    articles: dict[str, str] | None = None,
    report: PullReport | None = None,
    source: str = ANNOTATION,
) -> list[AnnotationRecord]:
    """Annotation records from a Label Studio JSON export (a list of task dicts).

    ``articles`` (article id -> annotated text), when given, is the release the tasks must belong to.
    ``source`` ``"review"`` marks the records of a review project (ground truth, see the module docstring).
    Raises :class:`InputError` (naming task and region) on the first problem; returns records
    sorted by task id, then annotation id.
    """
    schema = schema if schema is not None else load_schema()
    report = report if report is not None else PullReport()
    if not isinstance(tasks, list):
        raise InputError(
            "the export is not a list of tasks", hint="pull a JSON export of the project"
        )
    records: list[AnnotationRecord] = []
    for task in tasks:
        task_id = task.get("id")
        where = f"task {task_id}"
        data = task.get("data") or {}
        raw_text = data.get("text")
        article_id = data.get("article_id")
        if not isinstance(raw_text, str) or article_id is None:
            raise InputError(
                f"{where}: task data has no text or no article_id",
                hint="push tasks with `warta annotate push`",
            )
        article_id = str(article_id)
        text = normalise_text(raw_text)
        if articles is not None:
            if article_id not in articles:
                raise InputError(
                    f"{where}: article {article_id} is not in the release",
                    hint="pull against the release the project was pushed from",
                )
            if normalise_text(articles[article_id]) != text:
                raise InputError(
                    f"{where}: the text of article {article_id} differs from the release's",
                    hint="the project was pushed from another release; pull against that one",
                )
        report.tasks += 1
        report.drafts += len(task.get("drafts") or [])
        kept = 0
        for annotation in task.get("annotations") or []:
            report.annotations += 1
            if annotation.get("was_cancelled"):
                report.cancelled += 1
                continue
            record = _record(task_id, article_id, text, annotation, pseudonymize, schema, report)
            if source == REVIEW:
                record.ground_truth = True
                record.source = REVIEW
            records.append(record)
            kept += 1
        if kept == 0:
            report.tasks_without_annotations += 1
    records.sort(key=lambda r: (r.task_id, r.annotation_id))
    report.records = len(records)
    report.annotators = dict(sorted(Counter(r.annotator for r in records).items()))
    return records


def _record(
    task_id: Any,
    article_id: str,
    text: str,
    annotation: dict[str, Any],
    pseudonymize: Callable[[str], str],
    schema: LabelSchema,
    report: PullReport,
) -> AnnotationRecord:
    annotation_id = annotation.get("id")
    where = f"task {task_id}, annotation {annotation_id}"
    try:
        annotator = pseudonymize(annotator_identity(annotation.get("completed_by")))
    except ValueError as exc:
        raise InputError(f"{where}: {exc}") from None
    entity_labels = set(schema.entity_labels)
    stance_labels = set(schema.stance_label_names)
    targets = set(schema.target_ids)
    actor_types = set(schema.actor_types)

    entities: dict[str, EntityAnnotation] = {}
    region_choices: list[tuple[str, str, str]] = []
    document: dict[str, str] = {}
    summaries: list[str] = []
    for item in annotation.get("result") or []:
        name = item.get("from_name", "")
        region = str(item.get("id"))
        value = item.get("value") or {}
        spot = f"{where}, region {region}"
        if name == ENTITIES_NAME:
            labels = value.get("labels") or []
            if len(labels) != 1 or labels[0] not in entity_labels:
                raise InputError(
                    f"{spot}: entity labels {labels} (expected exactly one of {', '.join(schema.entity_labels)})"
                )
            start, end = value.get("start"), value.get("end")
            if not (
                isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
            ):
                raise InputError(
                    f"{spot}: span {start}:{end} does not fit the task text ({len(text)} characters)",
                    hint="the export does not belong to this text; re-export the project",
                )
            if region in entities:
                raise InputError(f"{spot}: two entity results share this region id")
            entities[region] = EntityAnnotation(region, start, end, labels[0], text[start:end])
        elif name.startswith(REGION_STANCE_PREFIX):
            target = name[len(REGION_STANCE_PREFIX) :]
            region_choices.append(
                (region, target, _one_choice(value, stance_labels, targets, target, spot))
            )
        elif name.startswith(DOCUMENT_STANCE_PREFIX):
            target = name[len(DOCUMENT_STANCE_PREFIX) :]
            document[target] = _one_choice(value, stance_labels, targets, target, spot)
        elif name == SUMMARY_NAME:
            parts = value.get("text") or []
            parts = [parts] if isinstance(parts, str) else parts
            summaries.extend(str(p).strip() for p in parts if str(p).strip())
        else:
            raise InputError(
                f"{spot}: result from control {name!r}, which the schema's labeling config does not have",
                hint="update the project with `warta annotate push` or use the schema it was made with",
            )

    stances = []
    for region, target, label in region_choices:
        entity = entities.get(region)
        if entity is None:
            raise InputError(
                f"{where}, region {region}: a stance on a region that is not an entity span"
            )
        if entity.label not in actor_types:
            # The interface hides the stance choice on non-actors; a leftover from relabeling a region.
            report.dropped_stances.append(
                f"{where}, region {region}: stance on a {entity.label} span dropped"
            )
            continue
        stances.append(RegionStance(region, target, label))

    lead_time = annotation.get("lead_time")
    return AnnotationRecord(
        task_id=int(task_id),
        article_id=article_id,
        text=text,
        text_sha256=sha256_text(text),
        annotator=annotator,
        annotation_id=int(annotation_id),
        ground_truth=bool(annotation.get("ground_truth", False)),
        lead_time=None if lead_time is None else float(lead_time),
        created_at=annotation.get("created_at"),
        entities=sorted(entities.values(), key=lambda e: (e.start, e.end, e.label, e.region_id)),
        stance=sorted(stances, key=lambda s: (s.target, s.region_id)),
        document_stance=[TargetStance(t, document[t]) for t in sorted(document)],
        summary="\n".join(summaries) if summaries else None,
    )


def _one_choice(
    value: dict[str, Any], labels: set[str], targets: set[str], target: str, spot: str
) -> str:
    if target not in targets:
        raise InputError(f"{spot}: stance target {target!r} is not in the schema")
    choices = value.get("choices") or []
    if len(choices) != 1 or choices[0] not in labels:
        raise InputError(
            f"{spot}: stance choices {choices} (expected exactly one of {', '.join(sorted(labels))})"
        )
    return str(choices[0])


def export_project(
    client: LabelStudio, connection: Connection, project_id: int
) -> list[dict[str, Any]]:
    """A full JSON snapshot export of the project (every task, every annotation, full annotators)."""
    with service_errors(connection, f"exporting project {project_id}"):
        export = client.projects.exports.create(
            project_id, title="warta pull", serialization_options=SNAPSHOT_OPTIONS
        )
        deadline = time.monotonic() + connection.timeout
        status = export.status
        while status not in ("completed", "failed"):
            if time.monotonic() > deadline:
                raise ServiceError(
                    f"the export of project {project_id} did not finish within {connection.timeout:g} s",
                    hint="check the server's log",
                )
            time.sleep(0.5)
            status = client.projects.exports.get(project_id, export_pk=export.id).status
        if status == "failed":
            raise ServiceError(
                f"Label Studio failed to export project {project_id}", hint="check the server's log"
            )
        payload = b"".join(
            client.projects.exports.download(project_id, export_pk=export.id, export_type="JSON")
        )
        client.projects.exports.delete(project_id, export_pk=export.id)
    try:
        return json.loads(payload)
    except json.JSONDecodeError as exc:
        raise InputError(f"the export of project {project_id} is not JSON ({exc.msg})") from None


def release_articles(release_dir: str | Path) -> dict[str, str]:
    """article id -> annotated text, for every article of a release's documents."""
    from warta.annotation.tasks import release_task_data
    from warta.release import Release

    return {
        data["article_id"]: data["text"] for data in release_task_data(Release.open(release_dir))
    }


def pull(
    connection: Connection,
    title: str,
    out: str | Path,
    *,
    pseudonymize: Callable[[str], str],
    release_dir: str | Path | None = None,
    force: bool = False,
    schema: LabelSchema | None = None,
    client: LabelStudio | None = None,
    review_project: str | None = None,
) -> PullReport:
    """Export project ``title`` (and its review project, if any) and write the records to ``out``.

    Atomically, and never over a file unless ``force``. ``review_project`` names the review
    project when it is not ``"<title> (review)"``.
    """
    from warta.annotation.review import review_project_title

    started = time.perf_counter()
    target = Path(out)
    if target.exists() and not force:
        raise OutputExistsError(
            f"{target} already exists", hint="pass --force to replace it, or choose another --out"
        )
    articles = release_articles(release_dir) if release_dir is not None else None
    client = client if client is not None else connect(connection)
    with service_errors(connection, f"looking up project {title!r}"):
        project = require_project(client, title)
    try:
        review_name: str | None = review_project_title(title, review_project)
    except InputError:
        if review_project is not None:
            raise
        review_name = None  # a title too long for a default review title: it has no review project
    review = None
    if review_name is not None:
        with service_errors(connection, f"looking up project {review_name!r}"):
            review = find_project(client, review_name)
    if review_project is not None and review is None:
        raise InputError(
            f"Label Studio has no project titled {review_project!r}",
            hint="make it with `warta annotate review`, or leave out --review-project",
        )
    tasks = export_project(client, connection, int(project.id))
    report = PullReport(project=title)
    records = records_from_export(
        tasks, pseudonymize, schema=schema, articles=articles, report=report
    )
    if review is not None:
        review_report = PullReport()
        review_records = records_from_export(
            export_project(client, connection, int(review.id)),
            pseudonymize,
            schema=schema,
            articles=articles,
            report=review_report,
            source=REVIEW,
        )
        records += review_records
        report.review_project = review_name
        report.review_records = len(review_records)
        report.cancelled += review_report.cancelled
        report.drafts += review_report.drafts
        report.dropped_stances += review_report.dropped_stances
        report.records = len(records)
    write_text_atomic(target, dumps_records(records), overwrite=force)
    write_text_atomic(
        summary_path(target),
        json.dumps(
            {
                "format": PULL_SUMMARY_FORMAT,
                "project": title,
                "review_project": report.review_project,
                "tasks": report.tasks,
                "records": report.records,
                "review_records": report.review_records,
                "cancelled": report.cancelled,
                "drafts": report.drafts,
            },
            indent=2,
            sort_keys=True,
            ensure_ascii=False,
        )
        + "\n",
        overwrite=True,
    )
    report.out = str(target)
    report.seconds = time.perf_counter() - started
    return report


PULL_SUMMARY_FORMAT = "warta.pull.v1"


def summary_path(out: str | Path) -> Path:
    """Where pull writes the summary of a records file: ``annotations.jsonl`` -> ``annotations.pull.json``."""
    return Path(out).with_suffix(".pull.json")


def read_pull_summary(records_file: str | Path) -> dict[str, Any] | None:
    """The pull summary beside ``records_file``, or ``None`` when there is none (or it is unreadable)."""
    from warta.inputs import read_json

    path = summary_path(records_file)
    if not path.is_file():
        return None
    try:
        data = read_json(path)
    except WartaError:
        return None  # a damaged summary only loses the better message
    return data if isinstance(data, dict) and data.get("format") == PULL_SUMMARY_FORMAT else None
