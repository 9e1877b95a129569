"""`warta corpus build` end to end from corpus/raw, and the Parquet writer's determinism."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import release_helpers as h  # noqa: E402

from warta.cli import main  # noqa: E402
from warta.corpus import parquet  # noqa: E402
from warta.corpus.verify import verify_release  # noqa: E402
from warta.features import features_for  # noqa: E402
from warta.schema import load_schema  # noqa: E402


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_cli_build_with_gold_and_hidden_labels(tmp_path, capsys):
    gold = h.seed_gold(h.seed_articles(), tmp_path / "gold")
    args = ["corpus", "build", "--raw", str(h.RAW), "--out", str(tmp_path / "a"), "--version", "1.0.0",
            "--gold", str(gold), "--no-progress"]
    assert main(args) == 0
    assert "summarization" in capsys.readouterr().out
    assert verify_release(tmp_path / "a").ok
    args_b = [*args[:5], str(tmp_path / "b"), *args[6:]]
    assert main(args_b) == 0
    assert files(tmp_path / "a") == files(tmp_path / "b")
    # refusing to write into an existing release: exit 4, nothing changed
    before = files(tmp_path / "a")
    assert main(args) == 4
    assert files(tmp_path / "a") == before
    assert main([*args[:5], str(tmp_path / "pub"), *args[6:], "--hide-labels", "test", "--private-out", str(tmp_path / "priv")]) == 0
    assert verify_release(tmp_path / "pub").ok and verify_release(tmp_path / "priv").ok
    assert "private" in capsys.readouterr().out


def test_cli_build_refusals_name_the_file(tmp_path, capsys):
    gold = h.seed_gold(h.seed_articles(), tmp_path / "gold")
    path = gold / "cb33607aa2409de9.json"
    path.write_text(path.read_text().replace('"text_sha256": "', '"text_sha256": "00'))
    code = main(["corpus", "build", "--raw", str(h.RAW), "--out", str(tmp_path / "r"), "--version", "1.0.0", "--gold", str(gold), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 3 and "cb33607aa2409de9.json" in err and "Traceback" not in err
    assert not (tmp_path / "r").exists()
    assert main(["corpus", "build", "--raw", str(h.RAW), "--out", str(tmp_path / "r"), "--version", "one", "--no-progress"]) == 2
    assert "semantic version" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_parquet_is_deterministic_and_footer_normalised(tmp_path):
    import pyarrow.parquet as pq

    schema = load_schema()
    rows = [{"id": f"{i:04d}", "article_id": f"{i:04d}", "document": "teks " * i, "summary": "s", "references": ["s"]} for i in range(2500)]
    features = features_for("summarization", schema)
    a = parquet.write_split(tmp_path / "a", "summarization", "train", rows, features, max_rows=1000)
    parquet.write_split(tmp_path / "b", "summarization", "train", rows, features, max_rows=1000)
    assert [s.path for s in a] == [f"summarization/train-0000{i}-of-00003.parquet" for i in range(3)]
    assert [s.rows for s in a] == [1000, 1000, 500]
    assert files(tmp_path / "a") == files(tmp_path / "b")
    meta = pq.read_metadata(tmp_path / "a" / a[0].path)
    assert meta.created_by == parquet.CREATED_BY
    assert meta.num_row_groups == 1000 // parquet.ROW_GROUP_ROWS
    assert pq.read_table(tmp_path / "a" / a[2].path).to_pylist() == rows[2000:]


def test_cli_skip_bad_lists_skipped_inputs(tmp_path, capsys):
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(h.RAW, raw)
    (raw / "010_empty.txt").write_bytes(b"")
    args = ["corpus", "build", "--raw", str(raw), "--out", str(tmp_path / "r"), "--version", "1.0.0", "--no-progress"]
    assert main(args) == 2
    assert "010_empty.txt" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()
    assert main([*args, "--skip-bad"]) == 0
    out = capsys.readouterr().out
    assert "skipped" in out and "010_empty.txt" in out
    assert verify_release(tmp_path / "r").counts["documents"] == {"test": 2}
