"""Hostile files and destinations for every `warta bench` command.

Predictions (validate, score), results (compare), meta.yaml and system folder names (leaderboard),
release destinations (score, leaderboard, baselines), tampered releases (validate, score,
leaderboard), text options, and OS errors writing outputs. Each case asserts (through
:class:`Case`) the exit code, the culprit named, no traceback and an unchanged tree.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.harness import BAD_UTF8, DEEP_JSON, HUGE_INT, REPO, SEED_RELEASE, TAMPERING, YAML_BOMB, Case, copy_release, run, tamper

SUBMISSIONS = REPO / "benchmarks" / "submissions"
NER = SUBMISSIONS / "gazetteer-tagger" / "ner.jsonl"
SUMMARIES = SUBMISSIONS / "lead-3" / "summarization.jsonl"
FIRST_ID = "cb33607aa2409de9"


# --------------------------------------------------------------------------------- predictions

PREDICTION_PAYLOADS: dict[str, tuple[bytes, str]] = {
    "deep-json": (DEEP_JSON.encode(), r"line 1: bad JSON: refused JSON: nested more than 64 levels"),
    "huge-int": (('{"id": "%s", "entities": [{"start": %s, "end": 5, "label": "GPE"}]}' % (FIRST_ID, HUGE_INT)).encode(), r"line 1: bad JSON: refused JSON: an integer of 5,000 digits"),
    "invalid-utf8": (b'{"id": "' + BAD_UTF8 + b'", "entities": []}', r"line 1: not valid UTF-8"),
    "lone-surrogate": (b'{"id": "\\ud800", "entities": []}', r"line 1: bad JSON: refused JSON: a lone surrogate"),
    "array-line": (b"[1, 2]", r"line 1: expected a JSON object, got (an array|array|list)"),
    "string-offsets": (('{"id": "%s", "entities": [{"start": "0", "end": "5", "label": "GPE"}]}' % FIRST_ID).encode(), r"line 1: entities\[0\]: 'start' must be an integer"),
    "label-not-in-schema": (('{"id": "%s", "entities": [{"start": 0, "end": 5, "label": "per"}]}' % FIRST_ID).encode(), r"line 1: entities\[0\]: label 'per' is not in the schema"),
    "nan": (('{"id": "%s", "entities": [{"start": NaN, "end": 5, "label": "GPE"}]}' % FIRST_ID).encode(), r"line 1: bad JSON: refused JSON: NaN"),
    "overflow": (('{"id": "%s", "entities": [{"start": 1e999, "end": 5, "label": "GPE"}]}' % FIRST_ID).encode(), r"line 1: bad JSON: refused JSON: the number 1e999 is out of range"),
    "bad-json": (b'{"id": ', r"line 1: bad JSON: Expecting value"),
}


def _predictions(folder: Path, payload: bytes) -> Path:
    path = folder / "ner.jsonl"
    rest = NER.read_bytes().split(b"\n", 1)[1]
    path.write_bytes(payload + b"\n" + rest)
    return path


@pytest.mark.parametrize("command", ["validate", "score"])
@pytest.mark.parametrize("name", list(PREDICTION_PAYLOADS))
def test_hostile_predictions(command: str, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload, culprit = PREDICTION_PAYLOADS[name]
    path = _predictions(tmp_path, payload)
    if command == "validate":
        args = ["bench", "validate", str(path), "--task", "ner", "--gold", str(SEED_RELEASE)]
    else:
        args = ["bench", "score", "--task", "ner", "--gold", str(SEED_RELEASE), "--predictions", str(path),
                "--resamples", "0", "--out", str(tmp_path / "results.json")]
    Case(f"{command}/{name}", args, 2, rf"ner\.jsonl: \d+ problem\(s\)[\s\S]*{culprit}", watch=[tmp_path, SEED_RELEASE]).check(capsys)


@pytest.mark.parametrize("command", ["validate", "score"])
def test_predictions_path_is_a_folder(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ner.jsonl"
    folder.mkdir()
    args = (["bench", "validate", str(folder), "--task", "ner", "--gold", str(SEED_RELEASE)] if command == "validate"
            else ["bench", "score", "--task", "ner", "--gold", str(SEED_RELEASE), "--predictions", str(folder)])
    Case(f"{command}/folder", args, 2, r"ner\.jsonl: no such submission file", watch=[tmp_path]).check(capsys)


# ------------------------------------------------------------------------------------- results


@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Results of lead-3 on the seed release, as `bench score` writes them."""
    out = tmp_path_factory.mktemp("results") / "lead-3.json"
    code = __import__("warta.cli", fromlist=["main"]).main(
        ["bench", "score", "--task", "summarization", "--gold", str(SEED_RELEASE), "--predictions", str(SUMMARIES),
         "--resamples", "20", "--out", str(out), "--json"]
    )
    assert code == 0
    return out


def _set(path: list[Any], value: Any) -> Any:
    def change(data: dict[str, Any]) -> dict[str, Any]:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return data

    return change


#: name -> (a change to the results data, or raw bytes, and the culprit: file and field)
RESULTS_PAYLOADS: dict[str, tuple[Any, str]] = {
    "rougeL-negative": (_set(["metrics", "rougeL.f", "value"], -2.37), r"metrics\.rougeL\.f\.value: -2\.37 is outside \[0, 1\]"),
    "rougeL-1e308": (_set(["metrics", "rougeL.f", "value"], 1e308), r"metrics\.rougeL\.f\.value: 1e\+308 is outside \[0, 1\]"),
    "ci-above-one": (_set(["metrics", "rouge1.f", "ci_high"], 1.5), r"metrics\.rouge1\.f\.ci_high: 1\.5 is outside"),
    "per-document-negative": (_set(["per_document", "values", 0, 0], -1), r"per_document\.values\[0\] \(rouge1\.p\): -1 is outside"),
    "per-document-huge": (_set(["per_document", "values", 1, 2], 1e308), r"per_document\.values\[1\] \(rouge1\.f\): 1e\+308 is outside"),
    "per-label-out-of-range": (_set(["per_label", "entity", "entity.precision_source", "value"], 7.0), r"per_label\.entity\.entity\.precision_source\.value: 7\.0 is outside"),
    "metric-string": (_set(["metrics", "rougeL.f", "value"], "0.5"), r"metrics\.rougeL\.f: values must be finite numbers or null"),
    "missing-key": (lambda d: {k: v for k, v in d.items() if k != "per_document"}, r"missing key\(s\) per_document"),
    "unknown-key": (_set(["extra"], 1), r"unknown key\(s\) extra"),
    "wrong-schema": (_set(["schema"], "warta.results.v0"), r"schema: expected 'warta\.results\.v1'"),
    "bad-signature": (_set(["signature"], "no signature"), r"signature: 'no signature' does not match"),
    "ids-rows-mismatch": (_set(["per_document", "ids"], ["x"]), r"per_document\.values: expected 1 rows"),
    "top-level-array": (b"[1, 2, 3]", r"expected a JSON object, got list"),
    "deep-json": (DEEP_JSON.encode(), r"refused JSON: nested more than 64 levels"),
    "huge-int": (None, r"refused JSON: an integer of 5,000 digits"),
    "infinity": (None, r"refused JSON: Infinity is not a number JSON allows"),
    "overflow": (None, r"refused JSON: the number 1e999 is out of range"),
    "invalid-utf8": (None, r"not valid UTF-8"),
    "lone-surrogate": (None, r"refused JSON: a lone surrogate"),
    "empty": (b"", r"not valid JSON"),
}


def _hostile_results(genuine: Path, name: str, folder: Path) -> Path:
    change, _ = RESULTS_PAYLOADS[name]
    text = genuine.read_text(encoding="utf-8")
    if isinstance(change, bytes):
        data = change
    elif callable(change):
        data = json.dumps(change(json.loads(text)), indent=2).encode("utf-8")
    elif name == "huge-int":
        data = text.replace('"n_documents": 2', f'"n_documents": {HUGE_INT}').encode("utf-8")
    elif name == "infinity":
        data = text.replace('"value": ', '"value": Infinity, "x": ', 1).encode("utf-8")
    elif name == "overflow":
        data = text.replace('"value": ', '"value": 1e999, "x": ', 1).encode("utf-8")
    elif name == "invalid-utf8":
        data = text.replace('"system": null', '"system": "@@"').encode("utf-8").replace(b"@@", BAD_UTF8)
    else:  # lone surrogate
        data = text.replace('"system": null', '"system": "\\ud800"').encode("utf-8")
    path = folder / "edited.json"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("order", ["a", "b"])
@pytest.mark.parametrize("name", list(RESULTS_PAYLOADS))
def test_compare_refuses_hostile_results(order: str, name: str, genuine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edited = _hostile_results(genuine, name, tmp_path)
    pair = [edited, genuine] if order == "a" else [genuine, edited]
    culprit = RESULTS_PAYLOADS[name][1]
    Case(f"compare/{name}/{order}", ["bench", "compare", *map(str, pair), "--trials", "10", "--resamples", "10"], 2,
         rf"{edited}[\s\S]*{culprit}", watch=[tmp_path, genuine]).check(capsys)


def test_compare_results_path_is_a_folder(genuine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Case("compare/folder", ["bench", "compare", str(tmp_path), str(genuine)], 2, rf"{tmp_path}: is a folder", watch=[tmp_path]).check(capsys)


def test_genuine_results_still_compare(genuine: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outcome = run(capsys, "bench", "compare", str(genuine), str(genuine), "--trials", "10", "--resamples", "10", "--json")
    assert outcome.code == 0, outcome.err
    assert json.loads(outcome.out)["metrics"]["rougeL.f"]["delta"] == 0


# ------------------------------------------------------------------------ meta.yaml, folder names


def _system(root: Path, name: str = "hostile-system", meta: bytes | None = None) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "meta.yaml").write_bytes(meta if meta is not None else (SUBMISSIONS / "gazetteer-tagger" / "meta.yaml").read_bytes())
    shutil.copy(NER, folder / "ner.jsonl")
    return folder


META_PAYLOADS: dict[str, tuple[bytes, str]] = {
    "alias-bomb": (YAML_BOMB.encode(), r"meta\.yaml: refused YAML: more than 200,000 values once aliases are expanded"),
    "recursive-alias": (b"a: &a [*a]\n", r"meta\.yaml: refused YAML: an alias refers to a value that contains it"),
    "python-tag": (b'name: !!python/object/apply:os.system ["touch /tmp/warta-pwned"]\n', r"meta\.yaml, line 1: refused YAML"),
    "invalid-utf8": (b"name: " + BAD_UTF8 + b"\n", r"meta\.yaml, line 1: not valid UTF-8"),
    "deep": (b"name: " + b"[" * 200 + b"]" * 200 + b"\n", r"meta\.yaml: refused YAML: nested"),
    "a-list": (b"- name\n- authors\n", r"meta\.yaml: expected a mapping"),
    "syntax": (b"name: [unclosed\n", r"meta\.yaml, line \d+: not valid YAML"),
    "bad-date": (b"name: x\nauthors: [a]\nurl: null\ndescription: d\ndate: 2026-02-30\n", r"meta\.yaml: invalid meta\.yaml: line 5: 'date' '2026-02-30' is not a calendar date"),
    "javascript-url": (b"name: x\nauthors: [a]\nurl: 'javascript:alert(1)'\ndescription: d\ndate: '2026-01-01'\n", r"line 3: 'url' must be an http\(s\) URL"),
}


def _leaderboard_args(submissions: Path, out: Path, release: Path = SEED_RELEASE) -> list[str]:
    return ["bench", "leaderboard", "--release", str(release), "--submissions", str(submissions), "--out", str(out), "--resamples", "1"]


@pytest.mark.parametrize("name", list(META_PAYLOADS))
def test_leaderboard_refuses_hostile_meta(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload, culprit = META_PAYLOADS[name]
    _system(tmp_path / "subs", meta=payload)
    Case(f"leaderboard/meta-{name}", _leaderboard_args(tmp_path / "subs", tmp_path / "lb"), 2, culprit, watch=[tmp_path]).check(capsys)
    assert not Path("/tmp/warta-pwned").exists()


FOLDER_NAMES = {
    "newline": ("sys\n", r"system id 'sys\\\\n' cannot be used as a file name"),
    "space": ("my system", r"system id 'my system' cannot be used"),
    "dash-first": ("-rf", r"system id '-rf' cannot be used"),
    "dots": ("a..b", r"system id 'a\.\.b' cannot be used"),
    "non-ascii": ("sistém", r"system id 'sistém' cannot be used"),
    "markup": ("[red]x", r"system id '\[red\]x' cannot be used"),
    "too-long": ("x" * 129, r"system id 'x{20,}"),
}


@pytest.mark.parametrize("name", list(FOLDER_NAMES))
def test_leaderboard_refuses_unsafe_folder_names(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder_name, culprit = FOLDER_NAMES[name]
    _system(tmp_path / "subs", folder_name)
    Case(f"leaderboard/folder-{name}", _leaderboard_args(tmp_path / "subs", tmp_path / "lb"), 2, culprit, watch=[tmp_path]).check(capsys)
    assert not (tmp_path / "lb").exists()


def test_formula_and_markup_in_meta_are_defused(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A display name that a spreadsheet would run, and one that rich would interpret: shown as text."""
    monkeypatch.setenv("COLUMNS", "300")  # wide enough that rich does not wrap the name
    meta = (SUBMISSIONS / "gazetteer-tagger" / "meta.yaml").read_text(encoding="utf-8")
    formula = '=cmd|"/c calc"!A1'
    _system(tmp_path / "subs", "formula", meta.replace("name: Gazetteer tagger", f"name: '{formula}'").encode())
    _system(tmp_path / "subs", "markup", meta.replace("name: Gazetteer tagger", "name: '[/red]@x[bold]'").encode())
    outcome = run(capsys, *_leaderboard_args(tmp_path / "subs", tmp_path / "lb"))
    assert outcome.code == 0, outcome.err
    assert "[/red]@x[bold]" in outcome.out
    rows = list(csv.DictReader(io.StringIO((tmp_path / "lb" / "leaderboard.csv").read_text(encoding="utf-8"))))
    names = {row["system"]: row["name"] for row in rows}
    assert names == {"formula": "'" + formula, "markup": "[/red]@x[bold]"}
    for row in rows:
        for column in ("task", "system", "name", "status", "metric", "signature"):
            assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r")), (column, row[column])


# --------------------------------------------------------------------- releases: read-only, checked


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_release(tmp_path_factory.mktemp("release") / "1.0.0")


def _destination_cases(release: Path, tmp: Path) -> dict[str, list[str]]:
    holder = release.parent
    return {
        "score-out-in-release": ["bench", "score", "--task", "ner", "--gold", str(release), "--predictions", str(NER), "--out", str(release / "results.json")],
        "score-out-manifest": ["bench", "score", "--task", "ner", "--gold", str(release), "--predictions", str(NER), "--out", str(release / "manifest.json"), "--replace"],
        "leaderboard-out-release": _leaderboard_args(SUBMISSIONS, release, release) + ["--replace"],
        "leaderboard-out-inside": _leaderboard_args(SUBMISSIONS, release / "leaderboard", release),
        "leaderboard-replace-holder": _leaderboard_args(SUBMISSIONS, holder, release) + ["--replace"],
        "baselines-out-release": ["bench", "baselines", "--release", str(release), "--out", str(release)],
        "baselines-out-inside": ["bench", "baselines", "--release", str(release), "--out", str(release / "ner")],
        "baselines-replace-holder": ["bench", "baselines", "--release", str(release), "--out", str(holder), "--replace"],
    }


DESTINATION_IDS = list(_destination_cases(Path("/r/1.0.0"), Path("/t")))


@pytest.mark.parametrize("name", DESTINATION_IDS)
def test_release_destinations_are_refused(name: str, release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _destination_cases(release, tmp_path)[name]
    command = " ".join(args[:2])
    Case(name, args, 4, rf"{command}: refusing to write to .*release folder {release}", watch=[release.parent]).check(capsys)


@pytest.mark.parametrize("command", ["validate", "score", "leaderboard"])
@pytest.mark.parametrize("how", TAMPERING)
def test_tampered_releases_are_refused(command: str, how: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_release(tmp_path / "release")
    tamper(folder / "ner" / "test-00000-of-00001.parquet", how)
    args = {
        "validate": ["bench", "validate", str(NER), "--task", "ner", "--gold", str(folder)],
        "score": ["bench", "score", "--task", "ner", "--gold", str(folder), "--predictions", str(NER), "--out", str(tmp_path / "r.json")],
        "leaderboard": _leaderboard_args(SUBMISSIONS, tmp_path / "lb", folder),
    }[command]
    Case(f"{command}/tampered-{how}", args, 3, r"does not match its manifest: ner/test-00000-of-00001\.parquet", watch=[tmp_path]).check(capsys)


# ------------------------------------------------------------------------- text options, OS errors


SURROGATE_OPTIONS = {
    "score-system": ["bench", "score", "--task", "ner", "--gold", str(SEED_RELEASE), "--predictions", str(NER), "--system", "sys\ud800"],
    "score-split": ["bench", "score", "--task", "ner", "--gold", str(SEED_RELEASE), "--predictions", str(NER), "--split", "te\udcffst"],
    "validate-task": ["bench", "validate", str(NER), "--task", "ner\ud800", "--gold", str(SEED_RELEASE)],
    "leaderboard-split": ["bench", "leaderboard", "--release", str(SEED_RELEASE), "--split", "\ud800"],
    "compare-path": ["bench", "compare", "a\ud800.json", "b.json"],
    "baselines-nul": ["bench", "baselines", "--release", str(SEED_RELEASE), "--out", "subs\x00x"],
}


@pytest.mark.parametrize("name", list(SURROGATE_OPTIONS))
def test_invalid_text_in_options_is_exit_2(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Case(name, SURROGATE_OPTIONS[name], 2, r"is not valid text", watch=[tmp_path, SEED_RELEASE]).check(capsys)


def _blocked_outputs(tmp: Path) -> dict[str, list[str]]:
    blocker = tmp / "blocker"
    return {
        "score-out-under-file": ["bench", "score", "--task", "ner", "--gold", str(SEED_RELEASE), "--predictions", str(NER), "--resamples", "0", "--out", str(blocker / "r.json")],
        "leaderboard-out-under-file": _leaderboard_args(SUBMISSIONS, blocker / "lb"),
        "baselines-out-under-file": ["bench", "baselines", "--release", str(SEED_RELEASE), "--out", str(blocker / "subs")],
    }


def test_score_out_naming_a_folder_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "keep.txt").write_text("kept\n", encoding="utf-8")
    args = ["bench", "score", "--task", "ner", "--gold", str(SEED_RELEASE), "--predictions", str(NER), "--resamples", "0",
            "--out", str(tmp_path / "folder"), "--replace"]
    Case("score/out-is-folder", args, 2, rf"{tmp_path}/folder: is a folder", watch=[tmp_path]).check(capsys)


@pytest.mark.parametrize("name", list(_blocked_outputs(Path("/t"))))
def test_os_errors_writing_outputs_are_one_line(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "blocker").write_text("a file where a folder is expected\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "keep.txt").write_text("kept\n", encoding="utf-8")
    outcome = Case(name, _blocked_outputs(tmp_path)[name], 1, rf"error: {tmp_path}/(blocker|folder)", watch=[tmp_path]).check(capsys)
    assert len([x for x in outcome.err.splitlines() if x.startswith("error:")]) == 1
