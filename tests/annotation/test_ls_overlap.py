"""Agreement sampling: `push --overlap 2 --overlap-share 30` and three real users taking tasks from /next.

Label Studio's own task distribution (``GET /api/projects/<id>/next``, what the labeling stream of
each annotator calls) must serve the 3 tasks of the overlap cohort (30 % of 10, chosen by
SHA-256 of the article id) to two annotators and every other task to one; `status` then reports
both cohorts complete and 3 articles with enough annotations for agreement.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from warta.annotation.labelconfig import TEXT_NAME, document_stance_name
from warta.annotation.push import cohort_rank, overlap_cohort
from warta.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from ls_helpers import synthetic_rows, write_release  # noqa: E402


def test_overlap_cohort_is_chosen_by_article_id_and_keeps_annotated_tasks():
    ids = [f"a{i}" for i in range(10)]
    ranked = sorted(ids, key=cohort_rank)
    fresh = overlap_cohort([(a, 2, 0) for a in reversed(ids)], 2, 30)
    assert {a for a, v in fresh.items() if v == 2} == set(ranked[:3])
    assert sum(v == 1 for v in fresh.values()) == 7
    # an annotated task keeps its overlap; the cohort is filled up with the next ones by rank
    worked = overlap_cohort([(a, 2 if a == ranked[9] else 1, 2 if a == ranked[9] else 0) for a in ids], 2, 30)
    assert {a for a, v in worked.items() if v == 2} == {ranked[9], ranked[0], ranked[1]}
    assert overlap_cohort([(a, 2, 0) for a in ids], 1, 30) == {a: 1 for a in ids}
    assert overlap_cohort([(a, 1, 0) for a in ids], 3, 100) == {a: 3 for a in ids}


@pytest.mark.label_studio
def test_label_studio_serves_the_overlap_cohort_to_two_of_three_annotators(
    label_studio, unique_title, tmp_path, capsys
):
    import httpx

    rows = synthetic_rows(10, prefix="ovl")
    release = write_release(tmp_path / "release", rows)
    common = ["--url", label_studio.url, "--api-key", label_studio.token]
    push = ["annotate", "push", "--release", str(release), "--project", unique_title, "--no-predictions",
            "--overlap", "2", "--overlap-share", "30", *common]
    assert main(push) == 0
    assert "overlap: 3 tasks served to 2 annotators (30% share)" in capsys.readouterr().out
    admin = label_studio.client()
    (project,) = [p for p in admin.projects.list(title=unique_title) if p.title == unique_title]
    details = admin.projects.get(project.id)
    assert details.maximum_annotations == 2 and details.overlap_cohort_percentage == 30
    overlap = {t.data["article_id"]: t.overlap for t in admin.tasks.list(project=project.id, fields="all")}
    cohort = set(sorted(overlap, key=cohort_rank)[:3])
    assert {a for a, v in overlap.items() if v == 2} == cohort and Counter(overlap.values()) == {1: 7, 2: 3}
    # pushing again changes nothing
    assert main(push) == 0
    assert "0 tasks' overlap set" in capsys.readouterr().out

    users = [label_studio.create_annotator(f"sampler.{n}@example.org") for n in range(3)]
    served: list[tuple[int, str]] = []
    active = list(range(3))
    for _ in range(40):
        if not active:
            break
        for n in list(active):
            headers = {"Authorization": f"Token {users[n].token}"}
            response = httpx.get(f"{label_studio.url}/api/projects/{project.id}/next", headers=headers, timeout=60)
            if response.status_code == 404:
                active.remove(n)
                continue
            response.raise_for_status()
            task = response.json()
            served.append((n, task["data"]["article_id"]))
            result = [{"id": "d", "from_name": document_stance_name("nato_enlargement"), "to_name": TEXT_NAME,
                       "type": "choices", "value": {"choices": ["NONE"]}}]
            httpx.post(f"{label_studio.url}/api/tasks/{task['id']}/annotations/", headers=headers,
                       json={"result": result, "lead_time": 1.0}, timeout=60).raise_for_status()
    assert not active, "the annotators were still being served tasks"
    per_article = Counter(article for _, article in served)
    assert {a: per_article[a] for a in overlap} == {a: 2 if a in cohort else 1 for a in overlap}
    assert all(len({n for n, a in served if a == article}) == 2 for article in cohort)  # two different people
    assert len({n for n, _ in served}) >= 2

    assert main(["annotate", "status", "--project", unique_title, "--json", "--key-file", str(tmp_path / "k"), *common]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["overlap_share"] == 30 and status["agreement_ready"] == 3
    assert status["cohorts"]["2"] == {"overlap": 2, "tasks": 3, "annotations": 6, "complete_tasks": 3, "completion": 1.0}
    assert status["cohorts"]["1"] == {"overlap": 1, "tasks": 7, "annotations": 7, "complete_tasks": 7, "completion": 1.0}
    assert status["completion"] == 1.0
    assert main(["annotate", "status", "--project", unique_title, "--key-file", str(tmp_path / "k"), *common]) == 0
    out = capsys.readouterr().out
    assert "completion per cohort" in out and "enough for agreement): 3" in out
