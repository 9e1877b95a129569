"""`warta annotate push` against a real server: tasks, pre-annotations, idempotence, interruption."""

from __future__ import annotations

import signal
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest

from warta.annotation.labelconfig import build_label_config
from warta.annotation.push import push_release
from warta.annotation.tasks import release_task_data
from warta.article import annotated_text
from warta.cli import main
from warta.errors import ServiceError
from warta.fsutil import sha256_text
from warta.release import Release
from warta.tagger import GazetteerTagger

sys.path.insert(0, str(Path(__file__).parent))
from ls_helpers import synthetic_rows, write_release  # noqa: E402

pytestmark = pytest.mark.label_studio


def _tasks(client, title):
    (project,) = [p for p in client.projects.list(title=title) if p.title == title]
    return project, [
        t.dict() for t in client.tasks.list(project=project.id, page_size=1000, fields="all")
    ]


def test_push_imports_the_seed_release_with_predictions(label_studio, seed_release, unique_title):
    report = push_release(
        label_studio.connection(), seed_release, unique_title, maximum_annotations=3
    )
    rows = Release.open(seed_release).read("documents")
    assert report.project_created and report.created == report.articles == len(rows) >= 2
    assert report.skipped == 0 and report.changed == [] and report.predictions == len(rows)

    client = label_studio.client()
    project, tasks = _tasks(client, unique_title)
    details = client.projects.get(project.id)
    assert details.maximum_annotations == 3
    assert details.label_config.strip() == build_label_config().strip()
    by_article = {t["data"]["article_id"]: t for t in tasks}
    assert set(by_article) == {row["id"] for row in rows}
    tagger = GazetteerTagger()
    for row in rows:
        data = by_article[row["id"]]["data"]
        text = annotated_text(row["title"], row["text"])
        assert data["text"] == text and data["text_sha256"] == sha256_text(text)
        assert data["release_version"] == "1.0.0" and data["title"] == row["title"]
        (prediction,) = by_article[row["id"]]["predictions"]
        assert prediction["model_version"] == tagger.model_version
        spans = [
            (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
            for r in prediction["result"]
        ]
        assert spans == [(s.start, s.end, s.label) for s in sorted(tagger(text))] and spans
        assert all(
            r["value"]["text"] == text[r["value"]["start"] : r["value"]["end"]]
            for r in prediction["result"]
        )


def test_push_twice_imports_nothing_twice(label_studio, seed_release, unique_title):
    first = push_release(label_studio.connection(), seed_release, unique_title, batch_size=1)
    second = push_release(label_studio.connection(), seed_release, unique_title, batch_size=1)
    assert first.created == first.batches == first.articles
    assert not second.project_created and second.created == 0 and second.skipped == first.articles
    _, tasks = _tasks(label_studio.client(), unique_title)
    assert len(tasks) == first.articles
    assert max(Counter(t["data"]["article_id"] for t in tasks).values()) == 1


def test_push_reuses_a_project_and_updates_its_config(label_studio, seed_release, unique_title):
    old = '<View><Text name="text" value="$text"/><Labels name="entities" toName="text"><Label value="PER"/></Labels></View>'
    client = label_studio.client()
    created = client.projects.create(title=unique_title, label_config=old, maximum_annotations=1)
    report = push_release(label_studio.connection(), seed_release, unique_title, predictions=False)
    assert not report.project_created and report.project_id == created.id
    details = client.projects.get(created.id)
    assert (
        details.label_config.strip() == build_label_config().strip()
        and details.maximum_annotations == 2
    )


def test_changed_text_is_reported_not_duplicated(label_studio, tmp_path, unique_title):
    rows = synthetic_rows(4, prefix="chg")
    write_release(tmp_path / "v1", rows, version="1.0.0")
    rows[2] = {**rows[2], "text": rows[2]["text"] + " Paragraf baru."}
    rows.append(
        {"id": "chg-new", "title": "Artikel baru", "text": "Moskow menolak klaim tersebut."}
    )
    write_release(tmp_path / "v2", rows, version="1.1.0")

    push_release(label_studio.connection(), tmp_path / "v1", unique_title, predictions=False)
    report = push_release(
        label_studio.connection(), tmp_path / "v2", unique_title, predictions=False
    )
    assert report.created == 1 and report.skipped == 3
    (changed,) = report.changed
    old_text = annotated_text(
        synthetic_rows(4, prefix="chg")[2]["title"], synthetic_rows(4, prefix="chg")[2]["text"]
    )
    assert changed.article_id == "chg00002" and changed.task_sha256 == sha256_text(old_text)
    assert changed.release_sha256 == sha256_text(annotated_text(rows[2]["title"], rows[2]["text"]))

    _, tasks = _tasks(label_studio.client(), unique_title)
    assert len(tasks) == 5
    (kept,) = [t for t in tasks if t["data"]["article_id"] == "chg00002"]
    assert (
        kept["id"] == changed.task_id
        and kept["data"]["text"] == old_text
        and kept["data"]["release_version"] == "1.0.0"
    )
    assert all(not t["predictions"] for t in tasks)

    # The CLI says so on stderr and exits 1, so a script notices; still nothing is duplicated.
    cli = ["annotate", "push", "--release", str(tmp_path / "v2"), "--project", unique_title, "--no-predictions",
           "--url", label_studio.url, "--api-key", label_studio.token]
    assert main(cli) == 1
    _, tasks = _tasks(label_studio.client(), unique_title)
    assert len(tasks) == 5


def test_interrupted_push_completes_without_duplicates(
    label_studio, restart_label_studio, tmp_path, unique_title
):
    release = write_release(tmp_path / "release", synthetic_rows(40, prefix="int"))
    articles = len(release_task_data(Release.open(release)))
    stopped_after: list[int] = []

    def stop_server_after_two_batches(done: int, total: int) -> None:
        if done == 10 and not stopped_after:
            stopped_after.append(done)
            label_studio.stop()

    with pytest.raises(ServiceError, match="cannot reach Label Studio") as failure:
        push_release(
            label_studio.connection(),
            release,
            unique_title,
            batch_size=5,
            on_batch=stop_server_after_two_batches,
        )
    assert "\n" not in str(failure.value) and stopped_after == [10]

    label_studio.start()  # same data directory: the first two batches are there
    _, tasks = _tasks(label_studio.client(), unique_title)
    assert len(tasks) == 10

    report = push_release(label_studio.connection(), release, unique_title, batch_size=5)
    assert report.skipped == 10 and report.created == articles - 10 and not report.project_created
    _, tasks = _tasks(label_studio.client(), unique_title)
    counts = Counter(t["data"]["article_id"] for t in tasks)
    assert len(tasks) == articles and max(counts.values()) == 1

    restart_label_studio()  # a restart between pushes changes nothing either
    again = push_release(label_studio.connection(), release, unique_title, batch_size=5)
    assert again.created == 0 and again.skipped == articles


def test_push_killed_during_an_import_completes_without_duplicates(
    label_studio, tmp_path, unique_title
):
    """The server dies (SIGKILL) while a batch is being imported: that batch is all in or all out."""
    release = write_release(tmp_path / "release", synthetic_rows(600, prefix="kil"))
    killer: list[threading.Timer] = []

    def kill_during_next_batch(done: int, total: int) -> None:
        if done == 100 and not killer:
            killer.append(threading.Timer(0.3, label_studio.stop, kwargs={"sig": signal.SIGKILL}))
            killer[0].start()

    with pytest.raises(ServiceError, match="cannot reach Label Studio"):
        push_release(
            label_studio.connection(),
            release,
            unique_title,
            batch_size=100,
            on_batch=kill_during_next_batch,
        )
    killer[0].join()
    label_studio.start()
    _, tasks = _tasks(label_studio.client(), unique_title)
    assert len(tasks) % 100 == 0 and 100 <= len(tasks) < 600  # whole batches only

    report = push_release(label_studio.connection(), release, unique_title, batch_size=100)
    assert report.skipped == len(tasks) and report.created == 600 - len(tasks)
    _, tasks = _tasks(label_studio.client(), unique_title)
    assert len(tasks) == 600 and max(Counter(t["data"]["article_id"] for t in tasks).values()) == 1


def test_push_cli_with_progress_and_exit_code(
    label_studio, seed_release, unique_title, monkeypatch, capsys
):
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)
    args = [
        "annotate",
        "push",
        "--release",
        str(seed_release),
        "--project",
        unique_title,
        "--no-predictions",
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "created" in out and "2 tasks imported" in out
    assert main(args) == 0
    assert "0 tasks imported" in capsys.readouterr().out
    _, tasks = _tasks(label_studio.client(), unique_title)
    assert len(tasks) == 2 and all(not t["predictions"] for t in tasks)
