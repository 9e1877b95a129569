"""The README's Label Studio loop, one to one, against a real server.

The README starts a server by hand; here the session's server fixture stands in for those lines
(the test checks the README sets the same variables and flags). The annotators' work in the browser
is replaced by two users annotating through the API exactly what the committed gold says, so the
loop must bring the gold back unchanged through Label Studio, pull and adjudication. Every `warta`
command of the README block then runs as written.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))
from ls_helpers import LabelStudioServer  # noqa: E402
from readme_commands import blocks, commands, run  # noqa: E402

from warta.annotation.labelconfig import (  # noqa: E402
    ENTITIES_NAME, SUMMARY_NAME, TEXT_NAME, document_stance_name, region_stance_name,
)
from warta.gold import GoldDocument, read_gold_dir  # noqa: E402

pytestmark = pytest.mark.label_studio


def gold_result(gold: GoldDocument, text: str, prefix: str, summary: str) -> list[dict]:
    """Label Studio result items that say what ``gold`` says (as the labeling interface sends them)."""
    result: list[dict] = []
    region_of: dict[tuple[int, int], str] = {}
    for index, e in enumerate(gold.entities):
        region = f"{prefix}{index}"
        region_of[(e.start, e.end)] = region
        value = {"start": e.start, "end": e.end, "text": text[e.start : e.end]}
        result.append({"id": region, "from_name": ENTITIES_NAME, "to_name": TEXT_NAME, "type": "labels", "value": {**value, "labels": [e.label]}})
    for stance in gold.stance:
        for m in stance.mentions:
            value = {"start": m.start, "end": m.end, "text": text[m.start : m.end]}
            result.append({
                "id": region_of[(m.start, m.end)], "from_name": region_stance_name(stance.target), "to_name": TEXT_NAME,
                "type": "choices", "value": {**value, "choices": [stance.label]},
            })
    for d in gold.document_stance:
        result.append({"id": f"{prefix}doc-{d.target}", "from_name": document_stance_name(d.target), "to_name": TEXT_NAME, "type": "choices", "value": {"choices": [d.label]}})
    result.append({"id": f"{prefix}sum", "from_name": SUMMARY_NAME, "to_name": TEXT_NAME, "type": "textarea", "value": {"text": [summary]}})
    return result


def stance_items(gold: GoldDocument) -> set[tuple[int, int, str, str]]:
    return {(m.start, m.end, s.target, s.label) for s in gold.stance for m in s.mentions}


def test_readme_annotation_loop(label_studio: LabelStudioServer, repo: Path, tmp_path: Path) -> None:
    (block,) = blocks("For annotation leads", "sh")
    lines = commands(block)
    setup = [line for line in lines if not line.startswith(".venv/bin/warta")]
    warta = [line for line in lines if line.startswith(".venv/bin/warta")]
    # The README's server lines set what the fixture sets, and start it the way the fixture does.
    exported = " ".join(setup)
    for name in ("LABEL_STUDIO_BASE_DATA_DIR", "LABEL_STUDIO_USERNAME", "LABEL_STUDIO_PASSWORD", "LABEL_STUDIO_USER_TOKEN",
                 "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true", "LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY"):
        assert name in exported
        if not name.startswith(("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY")):
            assert name.split("=")[0] in label_studio.environment()
    assert ".venv-label-studio/bin/label-studio start --no-browser --host 127.0.0.1 --port 8080 > label-studio.log 2>&1 &" in setup

    # A scratch copy of the repository's data, so the loop can write gold and a new release.
    for item in ("corpus/raw", "corpus/releases/1.0.0", "annotation/gold"):
        shutil.copytree(repo / item, tmp_path / item)
    for item in ("corpus/config.yaml", "corpus/sources.yaml", "LICENSE-DATA"):
        shutil.copy(repo / item, tmp_path / item)
    env = {**os.environ, "LABEL_STUDIO_URL": label_studio.url, "LABEL_STUDIO_API_KEY": label_studio.token,
           "WARTA_PSEUDONYM_KEY_FILE": str(tmp_path / "pseudonym.key")}
    committed = read_gold_dir(repo / "annotation" / "gold")

    expected = [
        "annotate wait", "annotate config", "annotate push", "annotate status", "annotate pull", "annotate agreement",
        "annotate adjudicate", "annotate review", "annotate pull", "annotate adjudicate", "corpus build", "corpus diff",
    ]
    assert [" ".join(line.split()[1:3]) for line in warta] == expected
    outputs: dict[str, str] = {}
    for line in warta:
        step = " ".join(line.split()[1:3])
        if step == "annotate status":
            annotate_like_the_gold(label_studio, committed)
        outputs.setdefault(step, run(line, tmp_path, env).stdout)  # a repeated step keeps its first output
        if step == "annotate review":
            outputs["review again"] = run(line, tmp_path, env).stdout

    assert "Label Studio is up" in outputs["annotate wait"]
    assert "<View" in outputs["annotate config"]
    # The annotators agreed on everything: nothing to review, no review project to pull.
    assert "no unresolved articles" in outputs["annotate review"] and "no unresolved articles" in outputs["review again"]
    page = (tmp_path / "agreement.html").read_text(encoding="utf-8")
    assert page.count('class="heatmap"') == 3 and "Annotators against the gold" in page
    # Two annotators agreed on everything: agreement is perfect and adjudication gives the gold back.
    assert "1.000" in outputs["annotate agreement"] or "100" in outputs["annotate agreement"]
    adjudicated = read_gold_dir(tmp_path / "annotation" / "gold")
    assert set(adjudicated) == set(committed)
    for article_id, gold in committed.items():
        new = adjudicated[article_id]
        assert new.text_sha256 == gold.text_sha256
        assert new.entities == gold.entities
        assert stance_items(new) == stance_items(gold)
        assert new.document_stance == gold.document_stance
        assert sorted(new.summaries) == sorted([gold.summaries[0], second_summary(gold)])
        assert len(list((tmp_path / "annotation" / "gold" / "history").glob(f"{article_id}.*.json"))) == 1
    assert (tmp_path / "corpus" / "releases" / "1.1.0" / "manifest.json").is_file()
    assert "1.0.0" in outputs["corpus diff"] and "1.1.0" in outputs["corpus diff"]


def second_summary(gold: GoldDocument) -> str:
    """The second annotator writes a shorter summary: the gold's first two sentences."""
    import re

    sentences = re.split(r"(?<=\.)\s+", gold.summaries[0])
    return " ".join(sentences[:2])


def annotate_like_the_gold(label_studio: LabelStudioServer, gold: dict[str, GoldDocument]) -> None:
    admin = label_studio.client()
    (project,) = [p for p in admin.projects.list(title="warta seed") if p.title == "warta seed"]
    tasks = {t.data["article_id"]: t for t in admin.tasks.list(project=project.id, fields="task_only", include="id,data")}
    assert set(tasks) == set(gold)
    for n, email in enumerate(["reader.one@example.org", "reader.two@example.org"]):
        client = label_studio.client(label_studio.create_annotator(email).token)
        for article_id, doc in gold.items():
            text = tasks[article_id].data["text"]
            summary = doc.summaries[0] if n == 0 else second_summary(doc)
            client.annotations.create(id=tasks[article_id].id, result=gold_result(doc, text, f"r{n}-", summary), lead_time=60.0 + n)
