"""`warta corpus verify`: a clean release passes; every kind of edit is found and named."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import release_helpers as h  # noqa: E402

from warta.cli import main  # noqa: E402
from warta.corpus import parquet  # noqa: E402
from warta.corpus.manifest import dumps, file_entry  # noqa: E402
from warta.corpus.verify import verify_release  # noqa: E402
from warta.features import features_for  # noqa: E402
from warta.schema import load_schema  # noqa: E402

SCHEMA = load_schema()


@pytest.fixture()
def release(tmp_path):
    return h.build_seed(tmp_path).out


def rewrite(release: Path, config: str, edit) -> str:  # noqa: ANN001
    """Edit the rows of a config's shard and re-sign the manifest, so only content checks can tell."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    relative = f"{config}/test-00000-of-00001.parquet"
    rows = pq.read_table(release / relative).to_pylist()
    edit(rows)
    schema = parquet.arrow_schema(features_for(config, SCHEMA))
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), release / relative)
    manifest = json.loads((release / "manifest.json").read_text())
    for i, entry in enumerate(manifest["files"]):
        if entry["path"] == relative:
            manifest["files"][i] = file_entry(release, relative, config=config, split="test", rows=len(rows))
    (release / "manifest.json").write_text(dumps(manifest))
    return relative


def messages(release: Path) -> list[str]:
    return [str(p) for p in verify_release(release).problems]


def test_clean_release_verifies(release, capsys):
    report = verify_release(release)
    assert report.ok, report.problems
    assert report.counts["documents"] == {"test": 2} and report.counts["stance"] == {"test": 6}
    assert main(["corpus", "verify", str(release)]) == 0
    assert main(["corpus", "verify", str(release), "--json"]) == 0
    data = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert data["ok"] is True and data["rows_checked"] == 12


def test_edited_parquet_is_named(release, capsys):
    path = release / "documents" / "test-00000-of-00001.parquet"
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    found = messages(release)
    assert any(m.startswith("documents/test-00000-of-00001.parquet: sha256") for m in found)
    assert main(["corpus", "verify", str(release)]) == 3
    assert "documents/test-00000-of-00001.parquet" in capsys.readouterr().err


def test_unlisted_and_missing_files(release):
    (release / "notes.txt").write_text("extra")
    (release / "CHANGELOG.md").unlink()
    found = messages(release)
    assert "notes.txt: not listed in the manifest" in found
    assert "CHANGELOG.md: listed in the manifest but missing" in found


def test_card_edit_is_found(release):
    card = release / "README.md"
    card.write_text(card.read_text().replace("'0': PER", "'0': PERSON"))
    found = messages(release)
    assert any(m.startswith("README.md: sha256") for m in found)
    assert any("dataset_info ner: features differ" in m for m in found)


def test_removed_span_and_raw_hash_edits_name_the_row(release):
    def edit(rows):
        rows[0]["removed"][0]["start"] += 1
        rows[1]["raw"] = rows[1]["raw"] + " "

    relative = rewrite(release, "documents", edit)
    found = messages(release)
    assert any(m.startswith(f"{relative} [row cb33607aa2409de9]: removed span") for m in found), found
    assert f"{relative} [row e868b1205f427ac5]: raw_sha256 is not the SHA-256 of raw" in found


def test_entity_offsets_labels_and_duplicate_ids(release):
    def edit(rows):
        rows[0]["entities"][0]["end"] += 2
        rows[1]["entities"][0]["label"] = 17
        rows[1]["id"] = rows[0]["id"]

    relative = rewrite(release, "ner", edit)
    found = messages(release)
    assert any(m.startswith(f"{relative} [row cb33607aa2409de9]: entity [") for m in found), found
    assert any("entity label id 17 outside" in m for m in found)
    assert f"{relative} [row cb33607aa2409de9]: duplicate id" in found


def test_stance_label_out_of_range(release):
    def edit(rows):
        rows[0]["label"] = 9

    rewrite(release, "stance", edit)
    assert any("stance label id 9 outside the label set" in m for m in messages(release))


def test_row_count_and_schema_changes(release):
    def drop(rows):
        rows.pop()

    rewrite(release, "summarization", drop)
    found = messages(release)
    assert any(m.startswith("manifest.json: counts") for m in found), found
    import pyarrow.parquet as pq

    path = release / "summarization" / "test-00000-of-00001.parquet"
    table = pq.read_table(path).drop_columns(["references"])
    pq.write_table(table, path)
    assert any("columns or types differ" in m for m in messages(release))


def test_not_a_release(tmp_path):
    assert main(["corpus", "verify", str(tmp_path)]) == 3
