"""`warta annotate pull`: a real project annotated by two users -> records; crafted exports -> errors."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

from warta.annotation.pseudonyms import Pseudonymizer, load_or_create_key
from warta.annotation.pull import PullReport, pull, records_from_export
from warta.annotation.records import read_records
from warta.cli import main
from warta.errors import InputError, OutputExistsError
from warta.fsutil import sha256_text

sys.path.insert(0, str(Path(__file__).parent))
from ls_helpers import (  # noqa: E402
    ANNOTATIONS,
    ANNOTATOR_A,
    ANNOTATOR_B,
    SEED_C,
    SEED_E,
    find,
    ls_result,
    synthetic_rows,
    write_release,
)


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return tmp_path / "private" / "pseudonym.key"


@pytest.mark.label_studio
def test_pull_gives_one_record_per_annotator_and_task(
    label_studio, annotated_project, key_file, tmp_path
):
    out = tmp_path / "records.jsonl"
    pseudonymize = Pseudonymizer(load_or_create_key(key_file))
    report = pull(
        label_studio.connection(),
        annotated_project.title,
        out,
        pseudonymize=pseudonymize,
        release_dir=annotated_project.release,
    )
    records = read_records(out)
    assert report.records == len(records) == 4
    assert report.cancelled == 1 and report.tasks == 2 and report.tasks_without_annotations == 0

    fresh = Pseudonymizer(load_or_create_key(key_file))  # same key file: same pseudonyms
    expected_annotator = {fresh(email): email for email in ANNOTATIONS}
    assert set(report.annotators) == set(expected_annotator) and len(expected_annotator) == 2
    assert all(count == 2 for count in report.annotators.values())
    assert "@" not in out.read_text(encoding="utf-8")

    for record in records:
        email = expected_annotator[record.annotator]
        spec = ANNOTATIONS[email][record.article_id]
        text = annotated_project.texts[record.article_id]
        assert record.text == text and record.text_sha256 == sha256_text(text)
        assert record.task_id == annotated_project.task_ids[record.article_id]
        assert record.lead_time == spec["lead_time"]
        assert record.ground_truth == spec["ground_truth"]
        expected = sorted(
            (
                find(text, surface, occurrence),
                find(text, surface, occurrence) + len(surface),
                label,
                surface,
            )
            for surface, occurrence, label, _ in spec["entities"]
        )
        assert [(e.start, e.end, e.label, e.text) for e in record.entities] == expected
        assert all(record.text[e.start : e.end] == e.text for e in record.entities)
        by_region = {e.region_id: e for e in record.entities}
        stances = sorted((by_region[s.region_id].text, s.label) for s in record.stance)
        assert stances == sorted(
            (surface, stance) for surface, _, _, stance in spec["entities"] if stance
        )
        assert [(d.target, d.label) for d in record.document_stance] == [
            ("nato_enlargement", spec["document"])
        ]
        assert record.summary == spec["summary"]
    assert {r.annotator for r in records if r.ground_truth} == {fresh(ANNOTATOR_B)}


@pytest.mark.label_studio
def test_pull_refuses_to_overwrite_and_checks_the_release(
    label_studio, annotated_project, key_file, tmp_path, monkeypatch
):
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)
    out = tmp_path / "records.jsonl"
    out.write_text("keep me\n", encoding="utf-8")
    args = [
        "annotate",
        "pull",
        "--project",
        annotated_project.title,
        "--out",
        str(out),
        "--key-file",
        str(key_file),
    ]
    assert main(args) == OutputExistsError.exit_code
    assert out.read_text(encoding="utf-8") == "keep me\n"

    other = write_release(tmp_path / "other-release", synthetic_rows(3))
    assert main([*args, "--force", "--release", str(other)]) == InputError.exit_code
    assert out.read_text(encoding="utf-8") == "keep me\n"

    assert main([*args, "--force", "--release", str(annotated_project.release)]) == 0
    assert len(read_records(out)) == 4


# --- crafted exports (no server): the pure conversion and its errors


def _export(text: str = "NATO dan Rusia\r\n\r\nMoskow menolak.") -> list[dict]:
    lf = text.replace("\r\n", "\n")
    spec = {
        "entities": [
            ("NATO", 0, "ORG", None),
            ("Rusia", 0, "GPE", "AGAINST"),
            ("Moskow", 0, "GPE", "AGAINST"),
        ],
        "document": "AGAINST",
        "summary": "Rusia menolak.",
    }
    return [
        {
            "id": 7,
            "data": {"text": text, "article_id": "art-1"},
            "drafts": [{"id": 1, "result": []}],
            "annotations": [
                {
                    "id": 70,
                    "completed_by": {"id": 2, "email": "Someone@Example.org"},
                    "result": ls_result(lf, spec, prefix="r"),
                    "was_cancelled": False,
                    "ground_truth": False,
                    "lead_time": 5.5,
                    "created_at": "2026-01-01T00:00:00Z",
                },
                {
                    "id": 71,
                    "completed_by": {"id": 3, "email": "b@example.org"},
                    "result": [],
                    "was_cancelled": True,
                },
            ],
        }
    ]


def _pseudonyms() -> Pseudonymizer:
    return Pseudonymizer(b"k" * 32)


def test_offsets_index_the_text_with_crlf_normalised():
    report = PullReport()
    (record,) = records_from_export(_export(), _pseudonyms(), report=report)
    assert record.text == "NATO dan Rusia\n\nMoskow menolak."
    assert [(e.start, e.end, e.text) for e in record.entities] == [
        (0, 4, "NATO"),
        (9, 14, "Rusia"),
        (16, 22, "Moskow"),
    ]
    assert record.annotator == _pseudonyms()("someone@example.org")  # case and spaces do not matter
    assert report.cancelled == 1 and report.drafts == 1 and report.records == 1


def test_value_text_is_not_trusted():
    export = _export()
    for item in export[0]["annotations"][0]["result"]:
        if "start" in item["value"]:
            item["value"]["text"] = "collapsed   whitespace"
    (record,) = records_from_export(export, _pseudonyms())
    assert [e.text for e in record.entities] == ["NATO", "Rusia", "Moskow"]


@pytest.mark.parametrize(("start", "end"), [(0, 99), (-1, 3), (5, 5), (10, 4)])
def test_bad_offsets_name_task_and_region(start, end):
    export = _export()
    export[0]["annotations"][0]["result"][0]["value"].update(start=start, end=end)
    with pytest.raises(InputError, match=r"task 7, annotation 70, region r0: span"):
        records_from_export(export, _pseudonyms())


def test_article_missing_from_release_is_an_error():
    with pytest.raises(InputError, match="task 7: article art-1 is not in the release"):
        records_from_export(_export(), _pseudonyms(), articles={"other": "x"})
    with pytest.raises(InputError, match="differs from the release"):
        records_from_export(_export(), _pseudonyms(), articles={"art-1": "another text"})
    (record,) = records_from_export(
        _export(), _pseudonyms(), articles={"art-1": "NATO dan Rusia\n\nMoskow menolak."}
    )
    assert record.article_id == "art-1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r[0]["value"].update(labels=["ANIMAL"]), "entity labels"),
        (lambda r: r[0]["value"].update(labels=["ORG", "GPE"]), "entity labels"),
        (lambda r: r[2]["value"].update(choices=["MAYBE"]), "stance choices"),
        (
            lambda r: r.append({**copy.deepcopy(r[2]), "id": "ghost"}),
            "region ghost: a stance on a region that is not",
        ),
        (
            lambda r: r.append({**copy.deepcopy(r[0]), "from_name": "sentiment"}),
            "control 'sentiment'",
        ),
        (
            lambda r: r.append({**copy.deepcopy(r[2]), "from_name": "stance_brexit"}),
            "target 'brexit'",
        ),
        (lambda r: r.append(copy.deepcopy(r[0])), "two entity results share"),
    ],
)
def test_results_the_schema_does_not_allow_are_errors(change, message):
    export = _export()
    change(export[0]["annotations"][0]["result"])
    with pytest.raises(InputError, match=message):
        records_from_export(export, _pseudonyms())


def test_stance_left_on_a_relabelled_non_actor_is_dropped_and_reported():
    export = _export()
    result = export[0]["annotations"][0]["result"]
    result[1]["value"]["labels"] = ["LOC"]  # Rusia relabelled LOC after its stance was given
    report = PullReport()
    (record,) = records_from_export(export, _pseudonyms(), report=report)
    assert [s.region_id for s in record.stance] == ["r2"]
    assert len(report.dropped_stances) == 1 and "region r1" in report.dropped_stances[0]


def test_completed_by_as_id_only_is_pseudonymised_too():
    export = _export()
    export[0]["annotations"][0]["completed_by"] = 2
    (record,) = records_from_export(export, _pseudonyms())
    assert record.annotator.startswith("ann-") and record.annotator == _pseudonyms()("user-id:2")


def test_records_round_trip_through_jsonl(tmp_path):
    from warta.annotation.records import dumps_records

    records = records_from_export(_export(), _pseudonyms())
    path = tmp_path / "r.jsonl"
    path.write_text(dumps_records(records), encoding="utf-8")
    assert read_records(path) == records
    assert (
        json.loads(path.read_text(encoding="utf-8").splitlines()[0])["format"]
        == "warta.annotation.v1"
    )


def test_seed_specs_are_consistent_with_the_two_annotators():
    """Guards the fixture: both annotators label both seed articles, exactly one ground truth."""
    assert set(ANNOTATIONS) == {ANNOTATOR_A, ANNOTATOR_B}
    assert all(set(articles) == {SEED_C, SEED_E} for articles in ANNOTATIONS.values())
    assert sum(spec["ground_truth"] for a in ANNOTATIONS.values() for spec in a.values()) == 1
