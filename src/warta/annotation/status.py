"""``warta annotate status``: how far a project's annotation has got, by task and by annotator.

Counts submitted annotations only (cancelled ones are counted apart). A task is complete when it
has as many submitted annotations as its ``overlap`` (the number of annotators Label Studio serves
it to: ``maximum_annotations`` for the overlap cohort, 1 for the rest when the project samples
agreement with ``overlap_cohort_percentage`` below 100; see :mod:`warta.annotation.push`).
Completion is reported per cohort, with the number of articles that have at least two submitted
annotations (enough to measure agreement on). Annotators appear as pseudonyms, never as emails.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from warta.annotation.connection import Connection, connect, service_errors
from warta.annotation.pull import annotator_identity
from warta.annotation.push import require_project

if TYPE_CHECKING:
    from label_studio_sdk import LabelStudio


@dataclass
class CohortStatus:
    """The tasks served to ``overlap`` annotators each."""

    overlap: int
    tasks: int = 0
    annotations: int = 0
    complete_tasks: int = 0

    @property
    def completion(self) -> float | None:
        return self.complete_tasks / self.tasks if self.tasks else None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "completion": self.completion}


@dataclass
class ProjectStatus:
    project_id: int
    project_title: str
    maximum_annotations: int
    tasks: int = 0
    tasks_with_predictions: int = 0
    model_versions: dict[str, int] = field(default_factory=dict)
    annotations: int = 0
    cancelled: int = 0
    #: number of submitted annotations -> number of tasks with that many
    annotations_per_task: dict[int, int] = field(default_factory=dict)
    #: pseudonym -> submitted annotations
    annotators: dict[str, int] = field(default_factory=dict)
    complete_tasks: int = 0
    duplicated_articles: list[str] = field(default_factory=list)
    overlap_share: int = 100
    #: overlap -> the cohort of tasks served to that many annotators
    cohorts: dict[int, CohortStatus] = field(default_factory=dict)
    #: tasks with at least two submitted annotations (agreement can be measured on them)
    agreement_ready: int = 0

    @property
    def completion(self) -> float | None:
        """Share of tasks with all their annotations; ``None`` for a project without tasks."""
        return self.complete_tasks / self.tasks if self.tasks else None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["annotations_per_task"] = {
            str(k): v for k, v in sorted(self.annotations_per_task.items())
        }
        data["completion"] = self.completion
        data["cohorts"] = {str(k): c.to_dict() for k, c in sorted(self.cohorts.items())}
        return data


def summarise_tasks(
    tasks: list[dict[str, Any]],
    pseudonymize: Callable[[str], str],
    emails: dict[int, str],
    status: ProjectStatus,
) -> ProjectStatus:
    """Fill ``status`` from task dicts (``annotations`` with ``completed_by`` ids, ``predictions``)."""
    per_task: Counter[int] = Counter()
    annotators: Counter[str] = Counter()
    versions: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    for task in tasks:
        status.tasks += 1
        article_id = (task.get("data") or {}).get("article_id")
        if article_id is not None:
            articles[str(article_id)] += 1
        predictions = task.get("predictions") or []
        if predictions:
            status.tasks_with_predictions += 1
            versions.update(str(p.get("model_version")) for p in predictions)
        submitted = 0
        for annotation in task.get("annotations") or []:
            if annotation.get("was_cancelled"):
                status.cancelled += 1
                continue
            submitted += 1
            user = annotation.get("completed_by")
            user_id = user.get("id") if isinstance(user, dict) else user
            identity = emails.get(user_id) if user_id is not None else None
            annotators[pseudonymize(identity or annotator_identity(user))] += 1
        status.annotations += submitted
        per_task[submitted] += 1
        overlap = int(task.get("overlap") or status.maximum_annotations)
        cohort = status.cohorts.setdefault(overlap, CohortStatus(overlap))
        cohort.tasks += 1
        cohort.annotations += submitted
        if submitted >= overlap:
            status.complete_tasks += 1
            cohort.complete_tasks += 1
        if submitted >= 2:
            status.agreement_ready += 1
    status.annotations_per_task = dict(sorted(per_task.items()))
    status.annotators = dict(sorted(annotators.items()))
    status.model_versions = dict(sorted(versions.items()))
    status.duplicated_articles = sorted(a for a, n in articles.items() if n > 1)
    status.cohorts = dict(sorted(status.cohorts.items()))
    return status


def project_status(
    connection: Connection,
    title: str,
    *,
    pseudonymize: Callable[[str], str],
    client: LabelStudio | None = None,
) -> ProjectStatus:
    client = client if client is not None else connect(connection)
    with service_errors(connection, f"reading the status of project {title!r}"):
        project = require_project(client, title)
        details = client.projects.get(project.id)
        emails = {int(u.id): u.email for u in client.users.list() if u.email}
        tasks = [
            task.dict() if hasattr(task, "dict") else dict(task)
            for task in client.tasks.list(project=project.id, page_size=1000, fields="all")
        ]
    status = ProjectStatus(int(project.id), title, int(details.maximum_annotations or 1))
    share = getattr(details, "overlap_cohort_percentage", None)
    status.overlap_share = 100 if share is None else int(share)
    return summarise_tasks(tasks, pseudonymize, emails, status)
