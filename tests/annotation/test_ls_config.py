"""The labeling config is generated from the schema and accepted by a real Label Studio 1.23."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
import yaml

from warta.annotation.labelconfig import (
    DOCUMENT_STANCE_PREFIX,
    ENTITIES_NAME,
    REGION_STANCE_PREFIX,
    SUMMARY_NAME,
    TEXT_NAME,
    build_label_config,
)
from warta.cli import main
from warta.errors import ServiceError
from warta.schema import PACKAGED_SCHEMA, load_schema, parse_schema


def _schema_with_two_targets():
    data = yaml.safe_load(PACKAGED_SCHEMA.read_text(encoding="utf-8"))
    data["stance"]["targets"].append(
        {
            "id": "sanctions",
            "description": {"id": "Sanksi terhadap Rusia.", "en": "Sanctions on Russia."},
        }
    )
    data["stance"]["actor_types"] = ["PER", "GPE"]
    return parse_schema(data, "two-targets.yaml")


@pytest.mark.parametrize(
    "schema", [load_schema(), _schema_with_two_targets()], ids=["packaged", "two-targets"]
)
def test_config_follows_the_schema(schema):
    root = ET.fromstring(build_label_config(schema))
    assert root.tag == "View"
    assert root.findall(".//HyperText") == []
    (text,) = root.iter("Text")
    assert text.attrib == {"name": TEXT_NAME, "value": "$text"}

    (labels,) = root.iter("Labels")
    assert labels.get("name") == ENTITIES_NAME and labels.get("toName") == TEXT_NAME
    found = [(label.get("value"), label.get("background"), label.get("hotkey")) for label in labels]
    assert found == [(e.name, e.color, e.hotkey) for e in schema.entity_types]
    for label, entity in zip(labels, schema.entity_types, strict=True):
        hint = label.get("hint")
        assert entity.description.id in hint and entity.description.en in hint

    choices = {c.get("name"): c for c in root.iter("Choices")}
    assert set(choices) == {REGION_STANCE_PREFIX + t for t in schema.target_ids} | {
        DOCUMENT_STANCE_PREFIX + t for t in schema.target_ids
    }
    for target in schema.target_ids:
        region = choices[REGION_STANCE_PREFIX + target]
        assert region.get("perRegion") == "true"
        assert region.get("visibleWhen") == "region-selected"
        assert region.get("whenLabelValue").split(",") == list(schema.actor_types)
        assert [c.get("value") for c in region] == schema.stance_label_names
        document = choices[DOCUMENT_STANCE_PREFIX + target]
        assert document.get("perRegion") is None
        assert [c.get("value") for c in document] == schema.stance_label_names

    (summary,) = root.iter("TextArea")
    assert summary.get("name") == SUMMARY_NAME and summary.get("toName") == TEXT_NAME
    headers = " ".join(h.get("value") for h in root.iter("Header"))
    for target in schema.stance_targets:
        assert target.description.id in headers and target.description.en in headers
    assert f"{schema.summary.min_sentences}-{schema.summary.max_sentences}" in headers

    names = [e.get("name") for e in root.iter() if e.get("name")]
    assert len(names) == len(set(names))


def test_config_command_prints_the_config(capsys):
    assert main(["annotate", "config"]) == 0
    assert capsys.readouterr().out == build_label_config(load_schema())


def test_review_config_is_the_schema_config_plus_the_conflicts_panel(capsys):
    import xml.etree.ElementTree as ET

    from label_studio_sdk.label_interface import LabelInterface

    assert main(["annotate", "config", "--review"]) == 0
    review = capsys.readouterr().out
    assert review == build_label_config(load_schema(), review=True)
    panel = ET.fromstring(review)[0]
    assert [(c.tag, c.get("name")) for c in panel] == [("Header", None), ("Text", "conflicts")]
    # the same controls, by the same names: pull reads a curator's work like an annotator's
    plain, with_panel = LabelInterface(build_label_config()), LabelInterface(review)
    assert sorted(c.name for c in plain.controls) == sorted(c.name for c in with_panel.controls)
    assert sorted(o.name for o in with_panel.objects) == ["conflicts", "text"]
    assert all(c.to_name == ["text"] for c in with_panel.controls)


def test_the_sdk_parses_the_controls():
    from label_studio_sdk.label_interface import LabelInterface

    interface = LabelInterface(build_label_config())
    assert sorted(interface.get_control(ENTITIES_NAME).labels) == sorted(
        load_schema().entity_labels
    )
    assert interface.get_control(SUMMARY_NAME).tag == "TextArea"


@pytest.mark.label_studio
def test_real_server_accepts_the_config(label_studio, unique_title):
    client = label_studio.client()
    config = build_label_config()
    project = client.projects.create(title=unique_title, label_config=config)
    stored = client.projects.get(project.id)
    controls = stored.parsed_label_config
    assert set(controls) == {ENTITIES_NAME, SUMMARY_NAME} | {
        prefix + t
        for prefix in (REGION_STANCE_PREFIX, DOCUMENT_STANCE_PREFIX)
        for t in load_schema().target_ids
    }
    assert controls[ENTITIES_NAME]["labels"] == load_schema().entity_labels
    client.projects.delete(project.id)


@pytest.mark.label_studio
def test_real_server_rejects_a_broken_config(label_studio, unique_title):
    """The acceptance above means something: the same server refuses a config naming a missing object."""
    from warta.annotation.connection import service_errors

    broken = build_label_config().replace(f'toName="{TEXT_NAME}"', 'toName="nowhere"', 1)
    client = label_studio.client()
    with (
        pytest.raises(ServiceError, match="HTTP 400"),
        service_errors(label_studio.connection(), "creating a project"),
    ):
        client.projects.create(title=unique_title, label_config=broken)
