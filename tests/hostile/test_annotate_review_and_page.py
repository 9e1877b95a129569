"""Hostile inputs to `annotate agreement --html/--gold`, `annotate review` and `annotate wait`.

Everything here fails before any server is contacted (review reads its records first; the URL
points nowhere), so these run without Label Studio.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.harness import BAD_UTF8, DEEP_JSON, HUGE_INT, SEED_RELEASE, Case, copy_release

NOWHERE = ["--url", "http://127.0.0.1:9", "--api-key", "not-a-real-key"]


def _records(tmp: Path, content: bytes | str) -> Path:
    path = tmp / "annotations.jsonl"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _good_line() -> str:
    from warta.annotation.records import AnnotationRecord
    from warta.fsutil import sha256_text

    text = "Rusia menolak."
    return AnnotationRecord(1, "a1", text, sha256_text(text), "ann-1", 1).to_json()


def cases(tmp: Path) -> list[Case]:
    out: list[Case] = []
    for name, content, culprit in [
        ("deep-json", DEEP_JSON, r"annotations\.jsonl"),
        ("huge-int", '{"task_id": ' + HUGE_INT + "}", r"annotations\.jsonl"),
        ("bad-utf8", BAD_UTF8, r"annotations\.jsonl"),
        ("not-a-record", "[1, 2]\n", r"annotations\.jsonl:1"),
        ("bad-source", _good_line().replace('"source": "annotation"', '"source": "curator"') + "\n", r"annotations\.jsonl:1.*source"),
    ]:
        folder = tmp / name
        folder.mkdir()
        path = _records(folder, content)
        out.append(Case(f"review-{name}", ["annotate", "review", "--project", "p x y", "--annotations", str(path), *NOWHERE], 2, culprit, [folder]))
        out.append(Case(f"page-{name}", ["annotate", "agreement", str(path), "--html", str(folder / "r.html")], 2, culprit, [folder]))
    folder = tmp / "gold-bad"
    (folder / "gold").mkdir(parents=True)
    (folder / "gold" / "a1.json").write_text("{", encoding="utf-8")
    path = _records(folder, _good_line() + "\n" + _good_line().replace('"ann-1"', '"ann-2"').replace('"annotation_id": 1', '"annotation_id": 2') + "\n")
    out.append(Case("page-bad-gold", ["annotate", "agreement", str(path), "--gold", str(folder / "gold")], 3, r"a1\.json", [folder]))
    out.append(Case("page-gold-missing", ["annotate", "agreement", str(path), "--gold", str(folder / "nope")], 2, r"nope", [folder]))
    release = copy_release(tmp / "release-copy", SEED_RELEASE)
    out.append(Case("page-into-release", ["annotate", "agreement", str(path), "--html", str(release / "agreement.html")], 4, r"release", [release, folder]))
    out.append(Case("wait-bad-url", ["annotate", "wait", "--url", "ftp://x", "--timeout", "0"], 5, r"ftp://x", []))
    out.append(Case("review-title-too-long", ["annotate", "review", "--project", "x" * 45, "--annotations", str(path), *NOWHERE], 2, r"--review-project", [folder]))
    return out


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-review")


def test_hostile_inputs(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for case in cases(tree):
        case.check(capsys)
