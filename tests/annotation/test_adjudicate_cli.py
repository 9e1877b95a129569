"""`warta annotate agreement` and `warta annotate adjudicate`: output, files written, exit codes,
never overwriting gold in place, history with --replace, and the release text check."""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import pytest

from warta.annotation.records import (
    AnnotationRecord,
    dumps_records,
)
from warta.article import annotated_text
from warta.cli import main
from warta.gold import read_gold_dir

sys.path.insert(0, str(Path(__file__).parent))
from record_factory import annotation_record  # noqa: E402

TARGET = "nato_enlargement"
TITLE = "Rusia menolak NATO"
BODY = "Putin bertemu Biden di Jenewa pada 16 Juni 2021."
TEXT = annotated_text(TITLE, BODY)
_ids = itertools.count(1)


def record(
    annotator: str,
    spans,
    *,
    article: str = "a1",
    text: str = TEXT,
    document=("AGAINST",),
    ground_truth=False,
    summary="Ringkasan.",
) -> AnnotationRecord:
    return annotation_record(
        annotator, text, spans, annotation_id=next(_ids), article=article, task=1 if article == "a1" else 2,
        document=document, summary=summary, ground_truth=ground_truth,
    )


AGREED = [("Rusia", "GPE", "AGAINST"), ("NATO", "ORG"), ("Putin", "PER")]


def write_records(path: Path, records: list[AnnotationRecord]) -> Path:
    path.write_text(dumps_records(records), encoding="utf-8")
    return path


def make_release(folder: Path, body: str = BODY) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from warta.fsutil import sha256_file

    (folder / "documents").mkdir(parents=True)
    pq.write_table(
        pa.table({"id": ["a1"], "title": [TITLE], "text": [body]}),
        folder / "documents" / "train-00000-of-00001.parquet",
    )
    shard = folder / "documents" / "train-00000-of-00001.parquet"
    manifest = {
        "version": "0.1.0",
        "files": [
            {
                "path": "documents/train-00000-of-00001.parquet",
                "config": "documents",
                "split": "train",
                "rows": 1,
                "bytes": shard.stat().st_size,
                "sha256": sha256_file(shard),
            }
        ],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_agreement_table_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = write_records(
        tmp_path / "a.jsonl", [record("ann-1", AGREED), record("ann-2", AGREED[:2])]
    )
    assert main(["annotate", "agreement", str(file), "--resamples", "50"]) == 0
    out = capsys.readouterr().out
    assert "ann-1 × ann-2" in out and "strict F1" in out and "Krippendorff" in out
    assert (
        main(["annotate", "agreement", str(file), "--json", "--seed", "3", "--resamples", "50"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["seed"] == 3 and data["resamples"] == 50
    pair = data["entities"]["pairs"][0]
    # 2 of ann-1's 3 spans match ann-2's 2: F1 = 4/5
    assert pair["strict"]["matched"] == 2 and pair["strict"]["f1"]["value"] == pytest.approx(0.8)
    assert (
        main(["annotate", "agreement", str(file), "--json", "--seed", "3", "--resamples", "50"])
        == 0
    )
    assert json.loads(capsys.readouterr().out) == data


def test_agreement_bad_input_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["annotate", "agreement", str(tmp_path / "missing.jsonl")]) == 2
    assert "no such annotation file" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"format": "warta.annotation.v1"}\n', encoding="utf-8")
    assert main(["annotate", "agreement", str(bad)]) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert main(["annotate", "agreement", str(empty)]) == 2
    assert main(["annotate", "adjudicate", str(empty), "--out", str(tmp_path / "gold")]) == 2
    assert "no annotation records" in capsys.readouterr().err
    assert main(["annotate", "agreement", str(empty), "--seed", "-1"]) == 2  # usage error


def test_adjudicate_writes_gold_and_conflicts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = annotated_text("NATO berkembang", "Ukraina ingin bergabung.")
    records = [
        record("ann-1", AGREED),
        record("ann-2", AGREED),
        record("ann-3", AGREED[:2]),
        record("ann-1", [("NATO", "ORG")], article="a2", text=other),
        record("ann-2", [("Ukraina", "GPE")], article="a2", text=other),
    ]
    file = write_records(tmp_path / "r.jsonl", records)
    gold_dir = tmp_path / "annotation" / "gold"
    release = make_release(tmp_path / "release")
    code = main(["annotate", "adjudicate", str(file), "--out", str(gold_dir)])
    assert code == 1  # a2 is blocked by ties
    out = capsys.readouterr().out
    assert "blocked" in out
    gold = read_gold_dir(gold_dir)
    assert list(gold) == ["a1"]
    assert [(e.text, e.label) for e in gold["a1"].entities] == [
        ("Rusia", "GPE"),
        ("NATO", "ORG"),
        ("Putin", "PER"),
    ]
    report = json.loads((tmp_path / "annotation" / "conflicts.json").read_text(encoding="utf-8"))
    assert report["articles"] == {"adjudicated": ["a1"], "blocked": ["a2"]}
    assert {c["article_id"] for c in report["conflicts"] if c["status"] == "unresolved"} == {"a2"}
    assert "## Article a2" in (tmp_path / "annotation" / "conflicts.md").read_text(encoding="utf-8")
    # only a1's records: everything settled, exit 0, and checked against the release
    file = write_records(tmp_path / "r1.jsonl", records[:3])
    assert (
        main(
            [
                "annotate",
                "adjudicate",
                str(file),
                "--out",
                str(gold_dir),
                "--release",
                str(release),
                "--conflicts",
                str(tmp_path / "c.json"),
            ]
        )
        == 0
    )
    assert "unchanged" in capsys.readouterr().out
    assert json.loads((tmp_path / "c.json").read_text())["articles"]["blocked"] == []


def test_gold_is_never_overwritten_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold_dir = tmp_path / "gold"
    first = write_records(tmp_path / "1.jsonl", [record("ann-1", AGREED), record("ann-2", AGREED)])
    assert main(["annotate", "adjudicate", str(first), "--out", str(gold_dir)]) == 0
    before = (gold_dir / "a1.json").read_bytes()
    # the same decisions again: a no-op
    assert main(["annotate", "adjudicate", str(first), "--out", str(gold_dir)]) == 0
    assert (gold_dir / "a1.json").read_bytes() == before
    capsys.readouterr()
    # different decisions: refused, exit 4, nothing written
    second = write_records(
        tmp_path / "2.jsonl", [record("ann-1", AGREED[:2]), record("ann-2", AGREED[:2])]
    )
    assert (
        main(
            [
                "annotate",
                "adjudicate",
                str(second),
                "--out",
                str(gold_dir),
                "--conflicts",
                str(tmp_path / "c2.json"),
            ]
        )
        == 4
    )
    err = capsys.readouterr().err
    assert "a1" in err and "--replace" in err
    assert (gold_dir / "a1.json").read_bytes() == before
    assert not (gold_dir / "history").exists() and not (tmp_path / "c2.json").exists()
    # --replace: the new gold is written, the previous one kept in history/
    assert main(["annotate", "adjudicate", str(second), "--out", str(gold_dir), "--replace"]) == 0
    (kept,) = (gold_dir / "history").iterdir()
    assert kept.read_bytes() == before and kept.name.startswith("a1.") and kept.suffix == ".json"
    assert [e.text for e in read_gold_dir(gold_dir)["a1"].entities] == ["Rusia", "NATO"]


def test_a_text_that_differs_from_the_release_is_a_gold_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_records(tmp_path / "r.jsonl", [record("ann-1", AGREED), record("ann-2", AGREED)])
    release = make_release(tmp_path / "release", body=BODY.replace("Jenewa", "Jenewa, Swiss"))
    gold_dir = tmp_path / "gold"
    assert (
        main(
            ["annotate", "adjudicate", str(file), "--out", str(gold_dir), "--release", str(release)]
        )
        == 3
    )
    err = capsys.readouterr().err
    assert "article a1" in err and "not the text of release 0.1.0" in err
    assert not gold_dir.exists()
    missing = write_records(
        tmp_path / "m.jsonl",
        [record("ann-1", AGREED, article="zz"), record("ann-2", AGREED, article="zz")],
    )
    assert (
        main(
            [
                "annotate",
                "adjudicate",
                str(missing),
                "--out",
                str(gold_dir),
                "--release",
                str(make_release(tmp_path / "r2")),
            ]
        )
        == 3
    )
    assert "not in release" in capsys.readouterr().err


def test_labels_outside_the_schema_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_records(
        tmp_path / "r.jsonl",
        [record("ann-1", [("NATO", "ALLIANCE")]), record("ann-2", [("NATO", "ALLIANCE")])],
    )
    assert main(["annotate", "adjudicate", str(file), "--out", str(tmp_path / "gold")]) == 3
    assert "ALLIANCE" in capsys.readouterr().err
    assert not (tmp_path / "gold").exists() and not (tmp_path / "conflicts.json").exists()
