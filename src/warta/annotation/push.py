"""``warta annotate push``: a release's articles -> tasks of a Label Studio project, idempotently.

Tasks are keyed by ``article_id``. Before importing, the project's existing tasks are listed, and
only articles that have no task yet are imported, in batches (each batch is one request and one
database transaction on the server). So pushing twice imports nothing twice, and a push interrupted
half-way (server stopped, network gone) is completed by running it again. An article whose text
changed since its task was created (different ``text_sha256``) is reported and left alone: neither
duplicated nor overwritten, because annotations on the old task index the old text.

Agreement sampling (``--overlap K --overlap-share P``): the project gets Label Studio's own
settings ``maximum_annotations = K`` and ``overlap_cohort_percentage = P``, so the server's task
distribution (``/next``) serves the tasks of the overlap cohort to K annotators and the others to
one. Label Studio 1.23 picks the cohort at random (feature flag
``fflag_feat_utc_563_randomize_overlap_cohort`` is on) and re-picks it on every import, so after
importing, push sets each task's ``overlap`` itself (:func:`overlap_cohort`): the cohort is the
``round(n·P/100)`` tasks (Label Studio's own count) ranked first by SHA-256 of the article id,
which is the same on every run and every server. Tasks that already have annotations keep the
overlap they were annotated under (moving them would change what "complete" means for work done).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warta.annotation.connection import Connection, connect, service_errors
from warta.annotation.labelconfig import build_label_config
from warta.annotation.tasks import make_task, release_task_data
from warta.errors import InputError
from warta.release import Release
from warta.schema import LabelSchema, load_schema

if TYPE_CHECKING:
    from label_studio_sdk import LabelStudio

DEFAULT_BATCH_SIZE = 500
DEFAULT_MAXIMUM_ANNOTATIONS = 2
_LIST_PAGE_SIZE = 1000
#: Label Studio's limits on a project title.
MIN_TITLE, MAX_TITLE = 3, 50


@dataclass(frozen=True)
class ChangedArticle:
    """An article whose text differs from the text of its existing task."""

    article_id: str
    task_id: int
    task_sha256: str | None
    release_sha256: str


@dataclass
class PushReport:
    project_id: int
    project_title: str
    project_created: bool
    articles: int
    created: int = 0
    skipped: int = 0
    changed: list[ChangedArticle] = field(default_factory=list)
    duplicated_in_project: list[str] = field(default_factory=list)
    predictions: int = 0
    model_version: str | None = None
    batches: int = 0
    seconds: float = 0.0
    maximum_annotations: int = DEFAULT_MAXIMUM_ANNOTATIONS
    overlap_share: int = 100
    #: tasks served to ``maximum_annotations`` annotators (the overlap cohort), after the push
    overlap_tasks: int | None = None
    #: tasks whose ``overlap`` push set so the cohort is the deterministic one
    overlap_updated: int = 0


def find_project(client: LabelStudio, title: str) -> Any | None:
    """The project titled exactly ``title``, or ``None``; two such projects are an error."""
    matches = [p for p in client.projects.list(page_size=100, title=title) if p.title == title]
    if len(matches) > 1:
        ids = ", ".join(str(p.id) for p in matches)
        raise InputError(
            f"several Label Studio projects are titled {title!r} (ids {ids})",
            hint="rename or delete all but one, then push again",
        )
    return matches[0] if matches else None


def require_project(client: LabelStudio, title: str) -> Any:
    """The project titled exactly ``title``; its absence is an :class:`InputError` saying what to do."""
    project = find_project(client, title)
    if project is None:
        raise InputError(
            f"Label Studio has no project titled {title!r}",
            hint="push one with `warta annotate push`",
        )
    return project


def ensure_project(
    client: LabelStudio,
    title: str,
    label_config: str,
    maximum_annotations: int,
    model_version: str | None,
    extra: dict[str, Any] | None = None,
) -> tuple[int, bool]:
    """Create the project, or update the existing one's config; returns ``(id, created)``.

    ``extra`` are more project settings (``overlap_cohort_percentage``, ``show_collab_predictions``).
    """
    settings: dict[str, Any] = {
        "label_config": label_config,
        "maximum_annotations": maximum_annotations,
        **(extra or {}),
    }
    if model_version is not None:
        # Pre-annotations from this model version are shown to annotators.
        settings.update(model_version=model_version, show_collab_predictions=True)
    project = find_project(client, title)
    if project is None:
        created = client.projects.create(title=title, **settings)
        return int(created.id), True
    client.projects.update(project.id, **settings)
    return int(project.id), False


def cohort_size(tasks: int, share: int) -> int:
    """How many tasks Label Studio puts in the overlap cohort: ``int(n·P/100 + 0.5)`` (its formula)."""
    return int(tasks * share / 100 + 0.5)


def cohort_rank(article_id: str) -> str:
    """The order in which articles join the overlap cohort: SHA-256 of the article id."""
    return hashlib.sha256(article_id.encode("utf-8")).hexdigest()


def overlap_cohort(
    tasks: Iterable[tuple[str, int, int]], maximum_annotations: int, share: int
) -> dict[str, int]:
    """article_id -> the ``overlap`` its task should have, from ``(article_id, overlap, annotations)``.

    Annotated tasks keep their overlap; the cohort is filled up to :func:`cohort_size` with the
    unannotated tasks first by :func:`cohort_rank`; every other unannotated task gets overlap 1.
    """
    rows = sorted(tasks, key=lambda row: cohort_rank(row[0]))
    wanted = cohort_size(len(rows), share) if maximum_annotations > 1 else 0
    fixed = [row for row in rows if row[2] > 0]
    room = max(wanted - sum(1 for row in fixed if row[1] > 1), 0)
    overlap: dict[str, int] = {row[0]: row[1] for row in fixed}
    for article_id, _, _ in (row for row in rows if row[2] == 0):
        overlap[article_id] = maximum_annotations if room > 0 else 1
        room -= 1
    return overlap


def apply_overlap_cohort(
    client: LabelStudio, project_id: int, maximum_annotations: int, share: int
) -> tuple[int, int]:
    """Set each task's ``overlap`` to :func:`overlap_cohort`'s; returns ``(cohort tasks, tasks updated)``."""
    current: dict[str, tuple[int, int, int]] = {}
    for task in client.tasks.list(
        project=project_id,
        page_size=_LIST_PAGE_SIZE,
        fields="task_only",
        include="id,data,overlap,total_annotations",
    ):
        article_id = (task.data or {}).get("article_id")
        if article_id is None or str(article_id) in current:
            continue
        current[str(article_id)] = (int(task.id), int(task.overlap or 1), int(task.total_annotations or 0))
    wanted = overlap_cohort(
        ((a, overlap, done) for a, (_, overlap, done) in current.items()), maximum_annotations, share
    )
    updated = 0
    for article_id in sorted(wanted):
        task_id, overlap, _ = current[article_id]
        if wanted[article_id] != overlap:
            client.tasks.update(str(task_id), overlap=wanted[article_id])
            updated += 1
    return sum(1 for v in wanted.values() if v > 1), updated


def existing_tasks(client: LabelStudio, project_id: int) -> dict[str, list[tuple[int, str | None]]]:
    """article_id -> [(task id, text_sha256)] for every task of the project that has an article id."""
    found: dict[str, list[tuple[int, str | None]]] = {}
    for task in client.tasks.list(
        project=project_id, page_size=_LIST_PAGE_SIZE, fields="task_only", include="id,data"
    ):
        data = task.data or {}
        article_id = data.get("article_id")
        if article_id is not None:
            found.setdefault(str(article_id), []).append((int(task.id), data.get("text_sha256")))
    return found


def push_tasks(
    client: LabelStudio,
    connection: Connection,
    title: str,
    tasks_data: list[dict[str, Any]],
    *,
    schema: LabelSchema | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    maximum_annotations: int = DEFAULT_MAXIMUM_ANNOTATIONS,
    tagger: Callable[[str], list[Any]] | None = None,
    on_batch: Callable[[int, int], None] | None = None,
    label_config: str | None = None,
    settings: dict[str, Any] | None = None,
    task_factory: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    overlap_share: int | None = None,
) -> PushReport:
    """Import the tasks in ``tasks_data`` that the project does not have yet.

    ``on_batch(imported_so_far, to_import)`` is called after each batch (progress display).
    ``label_config`` (default: the schema's), ``settings`` (more project settings) and
    ``task_factory`` (task data -> the task to import, default: with the tagger's prediction) let
    the review project reuse the same idempotent import. ``overlap_share`` (0-100) is the share of
    tasks served to ``maximum_annotations`` annotators (see the module docstring); ``None`` leaves
    the project's setting as it is (a new project: all of them).
    """
    if not MIN_TITLE <= len(title) <= MAX_TITLE:
        raise InputError(
            f"project title {title!r} has {len(title)} characters; Label Studio needs {MIN_TITLE} to {MAX_TITLE}",
            hint="choose another --project",
        )
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, got {batch_size}")
    if maximum_annotations < 1:
        raise InputError(
            f"maximum annotations per task must be at least 1, got {maximum_annotations}"
        )
    if overlap_share is not None and not 0 <= overlap_share <= 100:
        raise InputError(f"the overlap share is a percentage from 0 to 100, not {overlap_share}")
    settings = dict(settings or {})
    if overlap_share is not None:
        settings["overlap_cohort_percentage"] = overlap_share
    schema = schema if schema is not None else load_schema()
    model_version = getattr(tagger, "model_version", None) if tagger is not None else None
    if tagger is not None and not model_version:
        raise InputError(
            "the tagger has no model_version; predictions must say which model made them"
        )
    started = time.perf_counter()

    with service_errors(connection, f"preparing project {title!r}"):
        project_id, created = ensure_project(
            client,
            title,
            label_config if label_config is not None else build_label_config(schema),
            maximum_annotations,
            model_version,
            settings,
        )
        existing = existing_tasks(client, project_id)

    report = PushReport(
        project_id,
        title,
        created,
        articles=len(tasks_data),
        model_version=model_version,
        maximum_annotations=maximum_annotations,
        overlap_share=100 if overlap_share is None else overlap_share,
    )
    report.duplicated_in_project = sorted(a for a, tasks in existing.items() if len(tasks) > 1)
    missing: list[dict[str, Any]] = []
    for data in tasks_data:
        have = existing.get(data["article_id"])
        if not have:
            missing.append(data)
            continue
        task_id, task_sha = have[0]
        if task_sha != data["text_sha256"]:
            report.changed.append(
                ChangedArticle(data["article_id"], task_id, task_sha, data["text_sha256"])
            )
        else:
            report.skipped += 1

    if on_batch is not None:
        on_batch(0, len(missing))
    labels = schema.entity_labels

    def prepare(start: int) -> list[dict[str, Any]]:
        if task_factory is not None:
            return [task_factory(data) for data in missing[start : start + batch_size]]
        return [
            make_task(data, tagger, model_version, labels)
            for data in missing[start : start + batch_size]
        ]

    # The next batch is tagged in a worker thread while the server imports the current one: the
    # tagger is client CPU, the import is server time, so the two overlap instead of adding up.
    starts = list(range(0, len(missing), batch_size))
    with ThreadPoolExecutor(max_workers=1) as worker:
        pending = worker.submit(prepare, starts[0]) if starts else None
        for index, start in enumerate(starts):
            assert pending is not None
            batch = pending.result()
            pending = worker.submit(prepare, starts[index + 1]) if index + 1 < len(starts) else None
            where = (
                f"importing tasks {start + 1}-{start + len(batch)} of {len(missing)} into {title!r}"
            )
            with service_errors(connection, where):
                # No automatic retry: a retried import whose first attempt did commit would
                # duplicate tasks. A failed push is completed by running it again, which skips
                # what is there.
                client.projects.import_tasks(
                    id=project_id,
                    request=batch,
                    request_options={
                        "timeout_in_seconds": int(connection.timeout),
                        "max_retries": 0,
                    },
                )
            report.created += len(batch)
            report.predictions += sum(len(task.get("predictions", [])) for task in batch)
            report.batches += 1
            if on_batch is not None:
                on_batch(report.created, len(missing))
    if overlap_share is not None:
        with service_errors(connection, f"setting the overlap cohort of {title!r}"):
            report.overlap_tasks, report.overlap_updated = apply_overlap_cohort(
                client, project_id, maximum_annotations, overlap_share
            )
    report.seconds = time.perf_counter() - started
    return report


def push_release(
    connection: Connection,
    release_dir: str | Path,
    title: str,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    predictions: bool = True,
    maximum_annotations: int = DEFAULT_MAXIMUM_ANNOTATIONS,
    schema: LabelSchema | None = None,
    on_batch: Callable[[int, int], None] | None = None,
    client: LabelStudio | None = None,
    overlap_share: int | None = None,
) -> PushReport:
    """Push the ``documents`` of a release, with the offline gazetteer tagger's pre-annotations."""
    tasks_data = release_task_data(Release.open(release_dir))
    tagger = None
    if predictions:
        from warta.tagger import GazetteerTagger

        tagger = GazetteerTagger()
    client = client if client is not None else connect(connection)
    return push_tasks(
        client,
        connection,
        title,
        tasks_data,
        schema=schema,
        batch_size=batch_size,
        maximum_annotations=maximum_annotations,
        tagger=tagger,
        on_batch=on_batch,
        overlap_share=overlap_share,
    )
