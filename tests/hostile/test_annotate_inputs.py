"""Hostile files for `annotate agreement` and `annotate adjudicate`: annotation records and destinations.

Every case asserts (through :class:`Case`) the exit code, a message naming the culprit, no
traceback and that nothing under the watched folders changed; adjudicate cases also check that no
gold and no conflicts report appeared.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.harness import BAD_UTF8, DEEP_JSON, HUGE_INT, SEED_RELEASE, Case, copy_release

TEXT = "Rusia menolak NATO.\n\nPutin berbicara di Moskow."


def record(annotator: str = "ann-1", annotation_id: int = 1, **changes: Any) -> dict[str, Any]:
    """A valid warta.annotation.v1 record as JSON data; ``changes`` replace fields."""
    data: dict[str, Any] = {
        "format": "warta.annotation.v1",
        "task_id": 1,
        "article_id": "a1",
        "text": TEXT,
        "text_sha256": hashlib.sha256(TEXT.encode("utf-8")).hexdigest(),
        "annotator": annotator,
        "annotation_id": annotation_id,
        "ground_truth": False,
        "lead_time": None,
        "created_at": None,
        "entities": [{"region_id": "r0", "start": 0, "end": 5, "label": "GPE", "text": "Rusia"}],
        "stance": [{"region_id": "r0", "target": "nato_enlargement", "label": "AGAINST"}],
        "document_stance": [{"target": "nato_enlargement", "label": "AGAINST"}],
        "summary": None,
    }
    data.update(changes)
    return data


def line(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


GOOD = line(record("ann-2", 2))

#: name -> (first line of the records file, the culprit it must be blamed for)
RECORD_PAYLOADS: dict[str, tuple[bytes, str]] = {
    "deep-json": (DEEP_JSON.encode(), r"records\.jsonl, line 1: refused JSON: nested more than"),
    "huge-int": (line(record()).replace(b'"task_id": 1', b'"task_id": ' + HUGE_INT.encode()), r"line 1: refused JSON: an integer of 5,000 digits"),
    "invalid-utf8": (b'{"format": "' + BAD_UTF8 + b'"}', r"records\.jsonl, line 1: not valid UTF-8"),
    "lone-surrogate": (line(record()).replace(b"Rusia menolak", b"\\ud800usia menolak"), r"line 1: refused JSON: a lone surrogate"),
    "array-record": (b"[1, 2, 3]", r"line 1: not a warta annotation record: expected a JSON object, got an array"),
    "string-record": (b'"record"', r"line 1: .*expected a JSON object, got a string"),
    "string-offsets": (
        line(record(entities=[{"region_id": "r0", "start": "0", "end": "5", "label": "GPE", "text": "Rusia"}])),
        r"line 1: .*entities\[0\]: start and end must be integers, got a string",
    ),
    "offsets-outside-text": (
        line(record(entities=[{"region_id": "r0", "start": 40, "end": 400, "label": "GPE", "text": "x"}])),
        r"line 1: .*span 40:400 does not fit the text",
    ),
    "bool-offset": (
        line(record(entities=[{"region_id": "r0", "start": True, "end": 5, "label": "GPE", "text": "Rusia"}])),
        r"line 1: .*start and end must be integers, got a boolean",
    ),
    "label-per": (
        line(record(entities=[{"region_id": "r0", "start": 0, "end": 5, "label": "per", "text": "Rusia"}])),
        r"line 1: .*label 'per' is not in the label schema",
    ),
    "stance-maybe": (
        line(record(stance=[{"region_id": "r0", "target": "nato_enlargement", "label": "MAYBE"}])),
        r"line 1: .*stance label 'MAYBE' is not in the label schema",
    ),
    "document-stance-maybe": (
        line(record(document_stance=[{"target": "nato_enlargement", "label": "MAYBE"}])),
        r"line 1: .*document_stance\[0\]: stance label 'MAYBE'",
    ),
    "unknown-target": (
        line(record(document_stance=[{"target": "moon_landing", "label": "FAVOR"}])),
        r"line 1: .*target 'moon_landing' is not in the label schema",
    ),
    "entities-not-a-list": (line(record(entities={"r0": 1})), r"line 1: .*entities must be an array, got an object"),
    "entity-not-an-object": (line(record(entities=[[0, 5, "GPE"]])), r"line 1: .*entities\[0\] must be an object, got an array"),
    "task-id-string": (line(record(task_id="1")), r"line 1: .*task_id must be an integer, got a string"),
    "missing-fields": (line({"format": "warta.annotation.v1"}), r"line 1: .*missing field\(s\) task_id"),
    "wrong-format": (line(record(format="v0")), r"line 1: .*format is 'v0'"),
    "article-id-escape": (line(record(article_id="../escaped")), r"line 1: article_id '\.\./escaped' cannot be used as a file name"),
    "article-id-slash": (line(record(article_id="a/b")), r"line 1: article_id 'a/b' cannot be used as a file name"),
    "article-id-newline": (line(record(article_id="a1\n# injected")), r"line 1: article_id 'a1\\\\n# injected' cannot be used"),
    "nan-lead-time": (line(record()).replace(b'"lead_time": null', b'"lead_time": NaN'), r"line 1: refused JSON: NaN is not a number"),
    "overflowing-lead-time": (line(record()).replace(b'"lead_time": null', b'"lead_time": 1e999'), r"line 1: refused JSON: the number 1e999 is out of range"),
    "bad-json": (b'{"format": ', r"records\.jsonl, line 1: not valid JSON"),
    "edited-text": (line(record(text=TEXT.replace("Rusia", "Cina!"))), r"line 1: .*text_sha256 is not the SHA-256 of text"),
}


def records_file(folder: Path, first: bytes) -> Path:
    path = folder / "records.jsonl"
    path.write_bytes(first + b"\n" + GOOD + b"\n")
    return path


RECORD_CASE_IDS = [f"{command}/{name}" for name in RECORD_PAYLOADS for command in ("agreement", "adjudicate")]


@pytest.mark.parametrize("case_id", RECORD_CASE_IDS)
def test_hostile_records(case_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command, name = case_id.split("/")
    payload, culprit = RECORD_PAYLOADS[name]
    file = records_file(tmp_path, payload)
    if command == "agreement":
        args = ["annotate", "agreement", str(file), "--resamples", "0"]
    else:
        args = ["annotate", "adjudicate", str(file), "--out", str(tmp_path / "gold")]
    Case(case_id, args, 2, culprit, watch=[tmp_path]).check(capsys)
    assert not (tmp_path / "gold").exists() and not (tmp_path / "conflicts.json").exists()


@pytest.mark.parametrize("command", ["agreement", "adjudicate"])
def test_records_path_is_a_folder(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "records.jsonl"
    folder.mkdir()
    args = ["annotate", command, str(folder)] + ([] if command == "agreement" else ["--out", str(tmp_path / "gold")])
    Case(f"{command}/folder", args, 2, r"records\.jsonl: is a folder", watch=[tmp_path]).check(capsys)


def test_escaping_article_id_writes_nothing_outside_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The reproduction of the issue: two agreeing annotations of `../escaped`."""
    work = tmp_path / "work"
    work.mkdir()
    file = work / "records.jsonl"
    file.write_bytes(line(record(article_id="../escaped")) + b"\n" + line(record("ann-2", 2, article_id="../escaped")) + b"\n")
    Case("adjudicate/escape", ["annotate", "adjudicate", str(file), "--out", str(work / "gold")], 2,
         r"'\.\./escaped' cannot be used as a file name", watch=[tmp_path]).check(capsys)
    assert not (work / "escaped.json").exists() and not (tmp_path / "escaped.json").exists()


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_release(tmp_path_factory.mktemp("release") / "1.0.0", SEED_RELEASE)


def _destinations(release: Path) -> dict[str, list[str]]:
    return {
        "out-is-release": ["--out", str(release)],
        "out-inside-release": ["--out", str(release / "gold")],
        "default-conflicts-in-release": ["--out", str(release / "ner" / "gold")],
        "conflicts-overwrites-manifest": ["--out", "{tmp}/gold", "--conflicts", str(release / "manifest.json")],
        "conflicts-twin-overwrites-card": ["--out", "{tmp}/gold", "--conflicts", str(release / "README.json")],
        "conflicts-inside-release-folder": ["--out", "{tmp}/gold", "--conflicts", str(release / "ner" / "c.json")],
    }


DESTINATION_IDS = list(_destinations(Path("/r")))


@pytest.mark.parametrize("name", DESTINATION_IDS)
def test_adjudicate_refuses_release_destinations(
    name: str, release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "records.jsonl"
    file.write_bytes(line(record()) + b"\n" + GOOD + b"\n")
    options = [o.replace("{tmp}", str(tmp_path)) for o in _destinations(release)[name]]
    Case(f"adjudicate/{name}", ["annotate", "adjudicate", str(file), *options], 4,
         rf"refusing to write to .*the release folder {release}", watch=[release, tmp_path]).check(capsys)


def test_out_under_a_file_is_one_line_naming_the_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file where a folder is expected: an OS error, one line naming the path, nothing written."""
    file = tmp_path / "records.jsonl"
    file.write_bytes(line(record()) + b"\n" + GOOD + b"\n")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file\n", encoding="utf-8")
    outcome = Case("adjudicate/out-under-file", ["annotate", "adjudicate", str(file), "--out", str(blocker / "gold")], 1,
                   rf"error: {blocker}", watch=[tmp_path]).check(capsys)
    assert len([x for x in outcome.err.splitlines() if x.startswith("error:")]) == 1


def test_markup_in_records_is_printed_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Annotator names are user data: rich markup in them is shown, not interpreted (and no MarkupError)."""
    file = tmp_path / "records.jsonl"
    file.write_bytes(line(record("[/red]x[bold]")) + b"\n" + line(record("ann-2", 2)) + b"\n")
    from tests.hostile.harness import run

    outcome = run(capsys, "annotate", "agreement", str(file), "--resamples", "0")
    assert outcome.code == 0, outcome.err
    assert "[/red]x[bold]" in outcome.out


@pytest.mark.parametrize("which", ["json", "md"])
def test_conflicts_report_naming_a_folder_is_refused_before_any_gold(which: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "records.jsonl"
    file.write_bytes(line(record()) + b"\n" + GOOD + b"\n")
    (tmp_path / f"report.{which}").mkdir()
    Case(f"adjudicate/conflicts-{which}-folder", ["annotate", "adjudicate", str(file), "--out", str(tmp_path / "gold"),
         "--conflicts", str(tmp_path / "report.json")], 2, rf"report\.{which}: is a folder", watch=[tmp_path]).check(capsys)
