"""Adjudication inside Label Studio, against a real server: disagree -> review -> curator -> gold.

Two annotators agree on article C (so the vote gives its gold) and disagree on article E (A's DATE
"12 Januari 2022" against B's "Januari 2022", and A's FAVOR against B's NONE for AS: two ties).
`adjudicate` exits 1; `review` puts E (only E) in the review project with A's, B's and the
majority version; a third user, the curator, submits A's version there; after `pull`,
`adjudicate` writes the curator's annotation as E's gold and the majority as C's, and running
`review` again imports nothing.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

from warta.annotation.labelconfig import CONFLICTS_NAME
from warta.annotation.pseudonyms import Pseudonymizer, load_or_create_key
from warta.annotation.records import REVIEW, read_records
from warta.cli import main
from warta.gold import read_gold_dir

sys.path.insert(0, str(Path(__file__).parent))
from ls_helpers import ANNOTATIONS, ANNOTATOR_A, ANNOTATOR_B, SEED_C, SEED_E, annotate_seed_project  # noqa: E402

pytestmark = pytest.mark.label_studio

CURATOR = "curator.c@example.org"


def _annotations() -> dict:
    """A's and B's work, except that both annotate article C as A does (no ground truth)."""
    annotations = copy.deepcopy(ANNOTATIONS)
    agreed = {**annotations[ANNOTATOR_A][SEED_C], "ground_truth": False}
    annotations[ANNOTATOR_B][SEED_C] = {**agreed, "summary": "Rusia dan NATO berunding soal Ukraina."}
    annotations[ANNOTATOR_A][SEED_C] = agreed
    return annotations


def _project(client, title: str):
    (project,) = [p for p in client.projects.list(title=title) if p.title == title]
    return project


def test_review_loop_settles_ties_in_label_studio(label_studio, seed_release, unique_title, tmp_path, capsys):
    title = unique_title
    project = annotate_seed_project(label_studio, seed_release, title, _annotations())
    key_file = tmp_path / "pseudonym.key"
    pseudonym = Pseudonymizer(load_or_create_key(key_file))
    common = ["--url", label_studio.url, "--api-key", label_studio.token]
    records_file = tmp_path / "annotations.jsonl"
    gold = tmp_path / "gold"

    pull = ["annotate", "pull", "--project", title, "--out", str(records_file), "--key-file", str(key_file), *common]
    assert main(pull) == 0
    assert main(["annotate", "adjudicate", str(records_file), "--out", str(gold)]) == 1
    conflicts = json.loads((tmp_path / "conflicts.json").read_text(encoding="utf-8"))
    assert conflicts["articles"] == {"adjudicated": [SEED_C], "blocked": [SEED_E]}
    capsys.readouterr()

    review = ["annotate", "review", "--project", title, "--annotations", str(records_file), *common]
    assert main(review) == 0
    assert "1 tasks imported" in capsys.readouterr().out
    admin = label_studio.client()
    review_project = _project(admin, f"{title} (review)")
    details = admin.projects.get(review_project.id)
    assert f'name="{CONFLICTS_NAME}"' in details.label_config and details.maximum_annotations == 1
    (task,) = list(admin.tasks.list(project=review_project.id, fields="all"))
    data = task.data
    assert data["article_id"] == SEED_E and data["text"] == project.texts[SEED_E]
    # the panel says what is undecided and who chose what
    a, b = pseudonym(ANNOTATOR_A), pseudonym(ANNOTATOR_B)
    panel = data[CONFLICTS_NAME]
    assert "12 Januari 2022" in panel and "Januari 2022" in panel and "tie: 1 of 2 annotators" in panel
    assert "stance of actor AS on nato_enlargement" in panel and f"FAVOR: {a}" in panel and f"NONE: {b}" in panel
    assert SEED_C not in json.dumps(data)
    predictions = {p["model_version"]: p for p in (x if isinstance(x, dict) else x.dict() for x in task.predictions)}
    assert sorted(predictions) == sorted([a, b, "majority"])
    majority_spans = {(r["value"]["text"], r["value"]["labels"][0]) for r in predictions["majority"]["result"] if r["type"] == "labels"}
    assert majority_spans == {("NATO", "ORG"), ("Rusia", "GPE"), ("AS", "GPE")}  # the DATE tie is left out
    a_spans = {(r["value"]["text"], r["value"]["labels"][0]) for r in predictions[a]["result"] if r["type"] == "labels"}
    assert ("12 Januari 2022", "DATE") in a_spans

    # re-running before the curator has worked imports nothing
    assert main(review) == 0
    assert "0 tasks imported, 1 already there" in capsys.readouterr().out

    # the curator (a third user) takes A's version and submits it in the review project
    curator = label_studio.create_annotator(CURATOR)
    label_studio.client(curator.token).annotations.create(id=task.id, result=predictions[a]["result"], lead_time=30.0)

    assert main([*pull, "--force"]) == 0
    assert "review project" in capsys.readouterr().out
    records = read_records(records_file)
    (reviewed,) = [r for r in records if r.source == REVIEW]
    assert reviewed.ground_truth and reviewed.article_id == SEED_E and reviewed.annotator == pseudonym(CURATOR)
    assert main(["annotate", "adjudicate", str(records_file), "--out", str(gold)]) == 0
    written = read_gold_dir(gold)
    assert sorted(written) == sorted([SEED_C, SEED_E])
    e = written[SEED_E]
    a_record = next(r for r in records if r.annotator == a and r.article_id == SEED_E and r.source != REVIEW)
    assert [(x.start, x.end, x.label) for x in e.entities] == sorted((x.start, x.end, x.label) for x in a_record.entities)
    assert {(s.actor, s.label) for s in e.stance} == {("Rusia", "AGAINST"), ("AS", "FAVOR")}
    assert e.provenance["method"] == "ground truth"
    assert e.provenance["ground_truth"]["source"] == REVIEW and e.provenance["review_task_ids"] == [task.id]
    assert written[SEED_C].provenance["method"] == "majority vote"

    # nothing is unresolved any more: review creates nothing new
    assert main(review) == 0
    assert "0 unresolved articles: 0 tasks imported" in capsys.readouterr().out
    assert len(list(admin.tasks.list(project=review_project.id, fields="task_only", include="id"))) == 1

    # agreement leaves the curator's record out: still the two annotators only
    assert main(["annotate", "agreement", str(records_file), "--json", "--resamples", "0"]) == 0
    assert json.loads(capsys.readouterr().out)["annotators"] == sorted([a, b])
