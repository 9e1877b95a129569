"""`annotate wait` against the real server, and `agreement` on a pull without submitted annotations."""

from __future__ import annotations

import json

import pytest

from warta.annotation.pull import summary_path
from warta.cli import main

pytestmark = pytest.mark.label_studio


def test_wait_returns_when_the_server_answers_and_exits_5_when_none_does(label_studio, capsys):
    from ls_helpers import free_port

    assert main(["annotate", "wait", "--url", label_studio.url, "--timeout", "30"]) == 0
    assert "Label Studio is up" in capsys.readouterr().out
    nobody = f"http://127.0.0.1:{free_port()}"
    assert main(["annotate", "wait", "--url", nobody, "--timeout", "1"]) == 5
    err = capsys.readouterr().err
    assert f"error: Label Studio at {nobody} did not answer within 1 s" in err and "Traceback" not in err


def test_agreement_on_a_pull_without_annotations_says_none_were_submitted(
    label_studio, seed_release, unique_title, tmp_path, capsys
):
    common = ["--url", label_studio.url, "--api-key", label_studio.token]
    assert main(["annotate", "push", "--release", str(seed_release), "--project", unique_title, "--no-predictions", *common]) == 0
    out = tmp_path / "annotations.jsonl"
    assert main(["annotate", "pull", "--project", unique_title, "--out", str(out), "--key-file", str(tmp_path / "k"), *common]) == 0
    assert out.read_text(encoding="utf-8") == ""
    summary = json.loads(summary_path(out).read_text(encoding="utf-8"))
    assert summary["project"] == unique_title and summary["tasks"] == 2 and summary["records"] == 0
    capsys.readouterr()
    assert main(["annotate", "agreement", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"error: {out}: no annotations submitted yet in project {unique_title!r} (2 tasks pulled)" in err
    # without the summary (a file from elsewhere) the old advice stands
    summary_path(out).unlink()
    assert main(["annotate", "agreement", str(out)]) == 2
    assert "no annotation records" in capsys.readouterr().err
