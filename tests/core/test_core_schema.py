from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from warta.errors import SchemaError
from warta.schema import PACKAGED_SCHEMA, load_schema, parse_schema


@pytest.fixture()
def data(repo: Path) -> dict:
    return yaml.safe_load((repo / "annotation" / "schema.yaml").read_text(encoding="utf-8"))


def test_default_schema_content(repo: Path) -> None:
    schema = load_schema(repo / "annotation" / "schema.yaml")
    assert schema.entity_labels == ["PER", "ORG", "GPE", "LOC", "DATE"]
    assert schema.stance_label_names == ["FAVOR", "AGAINST", "NONE"]
    assert schema.target_ids[0] == "nato_enlargement"
    assert schema.actor_types == ("PER", "ORG", "GPE")
    assert schema.iob2_tags[:3] == ["O", "B-PER", "I-PER"] and len(schema.iob2_tags) == 11
    assert all(e.description.id and e.description.en for e in schema.entity_types)


def test_packaged_schema_is_the_repository_schema(repo: Path) -> None:
    assert PACKAGED_SCHEMA.read_bytes() == (repo / "annotation" / "schema.yaml").read_bytes()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(extra=1), "unknown key(s) 'extra'"),
        (lambda d: d["entity_types"].append(copy.deepcopy(d["entity_types"][0]) | {"hotkey": "x"}), "duplicate label 'PER'"),
        (lambda d: d["entity_types"][1].update(hotkey="p"), "duplicate label 'p'"),
        (lambda d: d["entity_types"][0].update(color="red"), "entity_types[0].color"),
        (lambda d: d["entity_types"][0].pop("description"), "missing key(s) 'description'"),
        (lambda d: d["stance"]["labels"].append({"name": "NONE", "description": {"id": "x", "en": "y"}}), "duplicate label 'NONE'"),
        (lambda d: d["stance"].update(actor_types=["PER", "EVENT"]), "not entity types: EVENT"),
        (lambda d: d["stance"]["targets"][0].update(id="NATO enlargement"), "stance.targets[0].id"),
        (lambda d: d["summary"].update(min_sentences=5), "min_sentences"),
        (lambda d: d.update(version=2), "unsupported schema version"),
    ],
)
def test_bad_schema_is_a_clear_error(data: dict, mutate, message: str) -> None:
    mutate(data)
    with pytest.raises(SchemaError) as caught:
        parse_schema(data, "schema.yaml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("schema.yaml: ")


def test_missing_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="no such schema file"):
        load_schema(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("entity_types: [", encoding="utf-8")
    with pytest.raises(SchemaError, match="not valid YAML"):
        load_schema(bad)
