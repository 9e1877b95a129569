"""Building a release: loads offline with datasets, byte-identical rebuilds, atomic, strict inputs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import release_helpers as h  # noqa: E402

from warta.corpus import build as build_module  # noqa: E402
from warta.corpus.card import read_header  # noqa: E402
from warta.errors import GoldError, InputError, OutputExistsError  # noqa: E402
from warta.features import features_for  # noqa: E402
from warta.gold import read_gold_file, write_gold_file  # noqa: E402
from warta.release import Release  # noqa: E402
from warta.schema import load_schema  # noqa: E402

SCHEMA = load_schema()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("build")
    report = h.build_seed(tmp, "corpus/releases/1.0.0")
    return tmp, report


def all_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_documents_load_offline_with_seed_values(built, tmp_path):
    tmp, report = built
    ds = h.load(report.out, "documents", tmp_path / "cache")
    assert list(ds) == ["test"]
    rows = {r["id"]: r for r in ds["test"]}
    assert sorted(rows) == ["cb33607aa2409de9", "e868b1205f427ac5"]
    a, b = rows["e868b1205f427ac5"], rows["cb33607aa2409de9"]
    assert a["title"] == "Jelang Dialog NATO-Rusia, AS Berharap Diplomasi Mampu Cegah Invasi Rusia"
    assert a["author"] == "Marcheilla Ariesta"
    assert a["published"] == "2022-01-12T13:16:00+07:00"
    assert b["title"] == "Rusia dan NATO bertemu untuk pembicaraan make-or-break tentang krisis Ukraina"
    assert b["section"] == "Europe"
    raw_bytes = (h.RAW / a["source_file"]).read_bytes()
    assert a["raw"].encode("utf-8") == raw_bytes
    for span in a["removed"]:
        assert a["raw"][span["start"] : span["end"]] == span["text"]
    default = h.load(report.out, None, tmp_path / "cache")
    assert default["test"]["id"] == ds["test"]["id"]


def test_labeled_configs_load_with_class_label_names(built, tmp_path):
    tmp, report = built
    articles = {a.id: a for a in h.seed_articles()}
    ner = h.load(report.out, "ner", tmp_path / "c")["test"]
    names = ner.features["entities"]["label"].names if hasattr(ner.features["entities"], "keys") else ner.features["entities"].feature["label"].names
    assert names == SCHEMA.entity_labels
    assert ner.features["ner_tags"].feature.names == SCHEMA.iob2_tags
    for row in ner:
        text = articles[row["id"]].annotated_text
        assert row["text"] == text
        assert len(row["tokens"]) == len(row["ner_tags"])
        tags = [SCHEMA.iob2_tags[t] for t in row["ner_tags"]]
        for e in row["entities"]:
            assert text[e["start"] : e["end"]] == e["text"]
            # the tokenizer never cuts an entity: its first token starts at the entity and is tagged B-
            label = SCHEMA.entity_labels[e["label"]]
            assert f"B-{label}" in tags
        assert sum(t.startswith("B-") for t in tags) == len(row["entities"])
    stance = h.load(report.out, "stance", tmp_path / "c")["test"]
    assert stance.features["label"].names == SCHEMA.stance_label_names
    ids = stance["id"]
    assert "e868b1205f427ac5:nato_enlargement:rusia" in ids
    assert "e868b1205f427ac5:nato_enlargement" in ids
    doc_rows = [r for r in stance if r["level"] == "document"]
    assert len(doc_rows) == 2 and all(r["actor"] is None for r in doc_rows)
    rusia = next(r for r in stance if r["id"] == "e868b1205f427ac5:nato_enlargement:rusia")
    assert SCHEMA.stance_label_names[rusia["label"]] == "AGAINST"
    assert all(rusia["text"][m["start"] : m["end"]] == "Rusia" for m in rusia["mentions"])
    summ = h.load(report.out, "summarization", tmp_path / "c")["test"]
    for row in summ:
        assert row["summary"] == row["references"][0] and len(row["references"]) == 2
        assert row["document"] == articles[row["article_id"]].annotated_text
    # the reader of the package root agrees with datasets
    rows = Release.open(report.out).read("stance", schema=SCHEMA)
    assert {r["label"] for r in rows} == {"AGAINST", "FAVOR", "NONE"}


def test_card_header(built):
    _, report = built
    header = read_header((report.out / "README.md").read_text(encoding="utf-8"))
    licence = (h.REPO / "LICENSE-DATA").read_text(encoding="utf-8")
    assert header["license"] == "other"
    assert f"license_name: {header['license_name']}" in licence and f"license_link: {header['license_link']}" in licence
    assert (report.out / header["license_link"]).read_bytes() == (h.REPO / "LICENSE-DATA").read_bytes()
    assert header["language"] == ["id"]
    for key in ("pretty_name", "task_categories", "task_ids", "size_categories", "annotations_creators",
                "language_creators", "source_datasets", "multilinguality"):
        assert header[key], key
    configs = {c["config_name"]: c for c in header["configs"]}
    assert set(configs) == {"documents", "ner", "stance", "summarization"}
    assert configs["documents"]["default"] is True
    assert configs["ner"]["data_files"] == [{"split": "test", "path": "ner/test-00000-of-00001.parquet"}]
    from datasets import Features

    for info in header["dataset_info"]:
        assert Features._from_yaml_list(info["features"]) == features_for(info["config_name"], SCHEMA)
        assert info["splits"][0]["num_examples"] == report.counts[info["config_name"]]["test"]


def test_card_is_a_datasheet_from_the_data(built):
    _, report = built
    card = (report.out / "README.md").read_text(encoding="utf-8")
    assert "Medcom.id (inferred, not certain)" in card
    assert "keluaran hk" in card and "CNN" in card and "machine translation" in card
    for span_reason in {s.reason for a in h.seed_articles() for s in a.removed}:
        assert f"`{span_reason}`" in card
    assert "fixture-annotator" in card and "one annotator" in card
    for config in ("documents", "ner", "stance", "summarization"):
        assert f'load_dataset("warta-nlp/warta", "{config}", revision="v1.0.0")' in card
    assert "@misc{warta_1_0_0" in card
    for label in SCHEMA.entity_labels + SCHEMA.stance_label_names:
        assert f"`{label}`" in card


def test_card_local_examples_run_as_written(built, monkeypatch, tmp_path):
    _, report = built
    card = (report.out / "README.md").read_text(encoding="utf-8")
    blocks = card.split("```python\n")[1:]
    local = [b.split("```")[0] for b in blocks if 'load_dataset("corpus/releases/1.0.0"' in b]
    assert local
    monkeypatch.chdir(report.out.parents[2])
    import datasets

    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "cache")
    namespace: dict = {}
    exec(compile(local[0], "card-example", "exec"), namespace)  # noqa: S102 - the card's own example
    assert namespace["ner"]["test"].num_rows == 2
    # the Hub examples are valid Python naming every config
    hub = next(b.split("```")[0] for b in blocks if "revision=" in b)
    compile(hub, "card-hub-example", "exec")


def test_rebuild_is_byte_identical(built, tmp_path):
    _, first = built
    second = h.build_seed(tmp_path, "corpus/releases/1.0.0")
    assert all_files(first.out) == all_files(second.out)


def test_refuses_existing_non_empty_folder(tmp_path):
    (tmp_path / "release").mkdir()
    (tmp_path / "release" / "keep.txt").write_text("mine")
    with pytest.raises(OutputExistsError):
        h.build_seed(tmp_path, gold=False)
    assert [p.name for p in (tmp_path / "release").iterdir()] == ["keep.txt"]


def test_failure_mid_build_leaves_nothing(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module.card_module, "render", broken)
    with pytest.raises(RuntimeError):
        h.build_seed(tmp_path, gold=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release-gold"]


def test_bad_version_refused(tmp_path):
    for version in ("1.0", "v1.0.0", "01.0.0", "1.0.0+build"):
        with pytest.raises(InputError, match="semantic version"):
            h.build_seed(tmp_path, gold=False, version=version)
    assert not (tmp_path / "release").exists()


def test_gold_on_another_text_is_refused_naming_the_file(tmp_path):
    articles = h.seed_articles()
    gold_dir = h.seed_gold(articles, tmp_path / "release-gold")
    path = gold_dir / "e868b1205f427ac5.json"
    doc = read_gold_file(path)
    doc.text_sha256 = "0" * 64
    write_gold_file(gold_dir, doc, overwrite=True)
    with pytest.raises(GoldError, match="e868b1205f427ac5.json"):
        h.build_seed(tmp_path)
    assert not (tmp_path / "release").exists()


def test_gold_for_unknown_article_is_refused(tmp_path):
    articles = h.seed_articles()
    gold_dir = h.seed_gold(articles, tmp_path / "release-gold")
    doc = read_gold_file(gold_dir / "e868b1205f427ac5.json")
    doc.article_id = "ffffffffffffffff"
    write_gold_file(gold_dir, doc)
    with pytest.raises(GoldError, match="ffffffffffffffff"):
        h.build_seed(tmp_path)


def test_duplicate_ids_refused(tmp_path):
    articles = h.seed_articles()
    articles[1].id = articles[0].id
    with pytest.raises(InputError, match="duplicate article id"):
        h.build_seed(tmp_path, gold=False, articles=articles)


def test_shards_split_large_configs(tmp_path):
    report = h.build_seed(tmp_path, max_rows=1)
    names = sorted(p.name for p in (report.out / "documents").iterdir())
    assert names == ["test-00000-of-00002.parquet", "test-00001-of-00002.parquet"]
    ds = h.load(report.out, "documents", tmp_path / "cache")
    assert ds["test"].num_rows == 2
    stance = h.load(report.out, "stance", tmp_path / "cache")
    assert stance["test"].num_rows == report.counts["stance"]["test"] == 6
