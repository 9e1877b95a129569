"""The Label Studio labeling config, generated from the label schema (never written by hand).

Control names are part of warta's contract with Label Studio: :mod:`warta.annotation.pull` reads
results back by these names, so they are defined once here.

- ``text`` (``<Text>``, not ``<HyperText>``: offsets are then Unicode code points, i.e. Python
  ``str`` indices into the annotated text);
- ``entities`` (``<Labels>``), one label per schema entity type with its colour, hotkey and
  bilingual description as the hint;
- ``stance_<target>`` (``<Choices perRegion="true">``): the stance of the selected actor region
  toward the target, shown only when a region of an actor type is selected
  (``visibleWhen="region-selected"`` with ``whenLabelValue="PER,ORG,GPE"``, a comma-separated list
  in Label Studio 1.23). Checked in the real interface (headless Chromium): shown for an ORG
  region, hidden for a DATE region and with no region selected. Adding ``whenTagName`` (the
  object's name, as the tag docs suggest) hides it for every region, so it is left out;
- ``document_stance_<target>`` (``<Choices>``): the article's own stance toward the target;
- ``summary`` (``<TextArea>``): a reference summary in the schema's language and length.

The config of a review project (``review=True``, ``warta annotate review``) is the same config
with one more object on top: ``conflicts`` (``<Text>`` of the task's ``$conflicts``), a read-only
panel listing what the annotators disagreed on. No control points at it, so the curator's results
are read back by exactly the same names.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from warta.schema import LabelSchema, load_schema

TEXT_NAME = "text"
ENTITIES_NAME = "entities"
SUMMARY_NAME = "summary"
CONFLICTS_NAME = "conflicts"
REGION_STANCE_PREFIX = "stance_"
DOCUMENT_STANCE_PREFIX = "document_stance_"


def region_stance_name(target: str) -> str:
    return f"{REGION_STANCE_PREFIX}{target}"


def document_stance_name(target: str) -> str:
    return f"{DOCUMENT_STANCE_PREFIX}{target}"


def _bilingual(indonesian: str, english: str) -> str:
    return f"{indonesian} / {english}"


def build_label_config(schema: LabelSchema | None = None, *, review: bool = False) -> str:
    """The ``<View>`` XML for ``schema`` (default: the packaged schema), pretty-printed.

    ``review`` adds the conflicts panel of a review project (see the module docstring).
    """
    schema = schema if schema is not None else load_schema()
    view = ET.Element("View")
    if review:
        panel = ET.SubElement(view, "View", style="background: #fff4e5; padding: 0 8px; border-left: 4px solid #e07b00")
        ET.SubElement(
            panel,
            "Header",
            value=_bilingual(
                "Konflik antar-anotator: pilih atau sunting satu versi (prediksi), lalu kirim",
                "Annotator conflicts: pick or edit one version (predictions), then submit",
            ),
        )
        ET.SubElement(panel, "Text", name=CONFLICTS_NAME, value=f"${CONFLICTS_NAME}")

    ET.SubElement(
        view,
        "Header",
        value=_bilingual(
            "Tandai setiap entitas pada judul dan isi berita",
            "Mark every entity in the headline and body",
        ),
    )
    labels = ET.SubElement(view, "Labels", name=ENTITIES_NAME, toName=TEXT_NAME)
    for entity in schema.entity_types:
        ET.SubElement(
            labels,
            "Label",
            value=entity.name,
            background=entity.color,
            hotkey=entity.hotkey,
            hint=_bilingual(entity.description.id, entity.description.en),
        )
    ET.SubElement(view, "Text", name=TEXT_NAME, value=f"${TEXT_NAME}")

    actor_types = ",".join(schema.actor_types)
    for target in schema.stance_targets:
        about = _bilingual(target.description.id, target.description.en)
        region = ET.SubElement(
            view, "View", visibleWhen="region-selected", whenLabelValue=actor_types
        )
        ET.SubElement(
            region,
            "Header",
            value=_bilingual(
                f"Sikap aktor terpilih terhadap: {target.description.id}",
                f"Stance of the selected actor toward: {target.description.en}",
            ),
        )
        choices = ET.SubElement(
            region,
            "Choices",
            name=region_stance_name(target.id),
            toName=TEXT_NAME,
            perRegion="true",
            choice="single",
            showInline="true",
            visibleWhen="region-selected",
            whenLabelValue=actor_types,
            hint=about,
        )
        _stance_choices(choices, schema)

    for target in schema.stance_targets:
        ET.SubElement(
            view,
            "Header",
            value=_bilingual(
                f"Sikap artikel terhadap: {target.description.id}",
                f"Stance of the article toward: {target.description.en}",
            ),
        )
        choices = ET.SubElement(
            view,
            "Choices",
            name=document_stance_name(target.id),
            toName=TEXT_NAME,
            choice="single",
            showInline="true",
            hint=_bilingual(target.description.id, target.description.en),
        )
        _stance_choices(choices, schema)

    spec = schema.summary
    ET.SubElement(
        view,
        "Header",
        value=_bilingual(
            f"Ringkasan ({spec.min_sentences}-{spec.max_sentences} kalimat, bahasa Indonesia, hanya fakta dari artikel)",
            f"Summary ({spec.min_sentences}-{spec.max_sentences} sentences in Indonesian, only facts in the article)",
        ),
    )
    ET.SubElement(
        view,
        "TextArea",
        name=SUMMARY_NAME,
        toName=TEXT_NAME,
        rows=str(spec.max_sentences + 1),
        maxSubmissions="1",
        editable="true",
        placeholder=f"{spec.min_sentences}-{spec.max_sentences} kalimat",
    )

    ET.indent(view, space="  ")
    return ET.tostring(view, encoding="unicode") + "\n"


def _stance_choices(parent: ET.Element, schema: LabelSchema) -> None:
    for label in schema.stance_labels:
        ET.SubElement(
            parent,
            "Choice",
            value=label.name,
            hint=_bilingual(label.description.id, label.description.en),
        )
