"""`warta annotate status` on the project two users annotated."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from warta.annotation.pseudonyms import Pseudonymizer, load_or_create_key
from warta.annotation.status import project_status
from warta.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from ls_helpers import ANNOTATIONS  # noqa: E402

pytestmark = pytest.mark.label_studio


def test_status_counts(label_studio, annotated_project, tmp_path):
    key = load_or_create_key(tmp_path / "key")
    status = project_status(
        label_studio.connection(), annotated_project.title, pseudonymize=Pseudonymizer(key)
    )
    pseudonyms = Pseudonymizer(key)
    assert status.tasks == 2 and status.tasks_with_predictions == 2
    assert status.model_versions == {"warta-gazetteer-1": 2}
    assert status.annotations == 4 and status.cancelled == 1
    assert status.annotations_per_task == {2: 2}
    assert status.annotators == {pseudonyms(email): 2 for email in ANNOTATIONS}
    assert (
        status.maximum_annotations == 2 and status.complete_tasks == 2 and status.completion == 1.0
    )
    assert status.duplicated_articles == []


def test_status_of_a_fresh_project_and_json_output(
    label_studio, seed_release, unique_title, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)
    key_file = str(tmp_path / "key")
    assert (
        main(
            [
                "annotate",
                "push",
                "--release",
                str(seed_release),
                "--project",
                unique_title,
                "--no-predictions",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert (
        main(["annotate", "status", "--project", unique_title, "--json", "--key-file", key_file])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["tasks"] == 2 and data["tasks_with_predictions"] == 0 and data["annotations"] == 0
    assert (
        data["annotations_per_task"] == {"0": 2}
        and data["completion"] == 0.0
        and data["annotators"] == {}
    )

    assert main(["annotate", "status", "--project", unique_title, "--key-file", key_file]) == 0
    assert "annotations per task" in capsys.readouterr().out
    assert (
        main(["annotate", "status", "--project", "no such project here", "--key-file", key_file])
        == 2
    )


def test_status_and_pull_of_a_missing_project_say_what_to_do(label_studio, tmp_path, capsys):
    common = ["--url", label_studio.url, "--api-key", label_studio.token]
    assert main(["annotate", "status", "--project", "no such project", *common]) == 2
    assert main(["annotate", "pull", "--project", "no such project", "--out", str(tmp_path / "a.jsonl"), *common]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err.count("error: Label Studio has no project titled 'no such project'") == 2
    assert err.count("hint: push one with `warta annotate push`") == 2
    assert not (tmp_path / "a.jsonl").exists()
