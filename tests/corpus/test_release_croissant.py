"""croissant.json loads in mlcroissant (offline) and its records are the release's rows."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import release_helpers as h  # noqa: E402

from warta.release import Release  # noqa: E402


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    return h.build_seed(tmp_path_factory.mktemp("croissant")).out


def test_file_objects_carry_the_manifest_checksums(release):
    doc = json.loads((release / "croissant.json").read_text())
    objects = {d["contentUrl"]: d["sha256"] for d in doc["distribution"] if d["@type"] == "cr:FileObject"}
    shards = {f["path"]: f["sha256"] for f in Release.open(release).manifest["files"] if f.get("config")}
    assert objects == shards
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    assert doc["version"] == "1.0.0"


def test_mlcroissant_reads_every_record_set(release):
    import mlcroissant as mlc
    dataset = mlc.Dataset(jsonld=str(release / "croissant.json"))
    rel = Release.open(release)
    for config in rel.configs():
        records = list(dataset.records(record_set=config))
        rows = rel.read(config)
        assert len(records) == len(rows)
        ids = sorted(r[f"{config}/id"].decode() for r in records)
        assert ids == sorted(r["id"] for r in rows)
    ner = {r["ner/id"].decode(): r for r in dataset.records(record_set="ner")}
    row = rel.read("ner")[0]
    assert [t.decode() for t in ner[row["id"]]["ner/tokens"]] == row["tokens"]
