"""The generated config in Label Studio's own labeling interface (headless Chromium), round-tripped
through pull: the per-region stance appears only for actor regions, and what an annotator clicks
comes back as warta records."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from warta.annotation.labelconfig import ENTITIES_NAME, TEXT_NAME
from warta.annotation.pseudonyms import Pseudonymizer
from warta.annotation.pull import pull
from warta.annotation.push import push_release
from warta.annotation.records import read_records

sys.path.insert(0, str(Path(__file__).parent))
from ls_helpers import ADMIN_EMAIL, ADMIN_PASSWORD, write_release  # noqa: E402

pytestmark = [pytest.mark.label_studio, pytest.mark.chromium]

TITLE = "Rusia dan NATO bertemu"
BODY = "Pertemuan di Brussel pada 12 Januari 2022 membahas Ukraina.\nMoskow menolak perluasan NATO."
REGION_HEADER = "Sikap aktor terpilih"


def test_annotator_clicks_become_records(label_studio, chromium, tmp_path, unique_title):

    release = write_release(tmp_path / "release", [{"id": "ui-1", "title": TITLE, "text": BODY}])
    report = push_release(label_studio.connection(), release, unique_title, predictions=False)
    client = label_studio.client()
    (task,) = list(
        client.tasks.list(project=report.project_id, fields="task_only", include="id,data")
    )
    text = task.data["text"]
    nato, date = text.index("NATO"), text.index("12 Januari 2022")
    regions = [("orgreg", nato, nato + 4, "ORG"), ("datereg", date, date + 15, "DATE")]
    annotation = client.annotations.create(
        id=task.id,
        result=[
            {
                "id": rid,
                "from_name": ENTITIES_NAME,
                "to_name": TEXT_NAME,
                "type": "labels",
                "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
            }
            for rid, start, end, label in regions
        ],
    )
    summary = "Rusia dan NATO bertemu di Brussel. Moskow menolak perluasan NATO."

    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{label_studio.url}/user/login/")
    page.fill("input[name=email]", ADMIN_EMAIL)
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(
        f"{label_studio.url}/projects/{report.project_id}/data?task={task.id}&annotation={annotation.id}"
    )
    page.wait_for_selector("text=Sikap artikel terhadap", timeout=90_000)
    header = page.locator(f"text={REGION_HEADER}").first

    def select(surface: str) -> None:
        page.locator(".htx-highlight", has_text=surface).first.click()
        time.sleep(1.0)

    assert not header.is_visible()  # no region selected
    select("12 Januari 2022")
    assert not header.is_visible()  # DATE is not an actor
    page.keyboard.press("Escape")
    select("NATO")
    assert header.is_visible()  # ORG is
    page.locator("label:has-text('FAVOR')").first.click()
    page.keyboard.press("Escape")
    time.sleep(0.5)
    assert not header.is_visible()
    page.locator("label:has-text('AGAINST')").last.click()  # the article's own stance
    page.get_by_placeholder("2-4 kalimat").fill(summary)
    page.locator("button:has-text('Add')").click()
    page.locator("button:has-text('Update')").click()
    page.wait_for_load_state("networkidle")
    time.sleep(1.5)

    out = tmp_path / "records.jsonl"
    pull(
        label_studio.connection(),
        unique_title,
        out,
        pseudonymize=Pseudonymizer(b"k" * 32),
        release_dir=release,
    )
    (record,) = read_records(out)
    assert [(e.region_id, e.start, e.end, e.label, e.text) for e in record.entities] == [
        ("orgreg", nato, nato + 4, "ORG", "NATO"),
        ("datereg", date, date + 15, "DATE", "12 Januari 2022"),
    ]
    assert [(s.region_id, s.target, s.label) for s in record.stance] == [
        ("orgreg", "nato_enlargement", "FAVOR")
    ]
    assert [(d.target, d.label) for d in record.document_stance] == [
        ("nato_enlargement", "AGAINST")
    ]
    assert record.summary == summary
