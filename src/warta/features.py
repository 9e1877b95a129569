"""``datasets.Features`` of every release config, derived from the label schema.

Keeping them in the card's ``dataset_info`` is what makes ``load_dataset`` restore ClassLabel names
(datasets#3394). ``datasets`` is imported lazily: it is slow to import and most commands never need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from warta.schema import LabelSchema

if TYPE_CHECKING:
    from datasets import Features

CONFIGS = ("documents", "ner", "stance", "summarization")
LABELED_CONFIGS = ("ner", "stance", "summarization")


def _span(with_label: list[str] | None = None, with_text: bool = False):  # noqa: ANN202
    from datasets import ClassLabel, Value

    span = {"start": Value("int32"), "end": Value("int32")}
    if with_label is not None:
        span["label"] = ClassLabel(names=with_label)
    if with_text:
        span["text"] = Value("string")
    return span


def documents_features() -> Features:
    from datasets import Features, List, Value

    s = Value("string")
    return Features(
        {
            "id": s,
            "source_file": s,
            "source_line": Value("int32"),
            "url": s,
            "outlet": s,
            "title": s,
            "author": s,
            "published": s,
            "dateline": s,
            "section": s,
            "text": s,
            "captions": List(s),
            "raw": s,
            "raw_sha256": s,
            "removed": List({"start": Value("int32"), "end": Value("int32"), "reason": s, "text": s}),
            "story_id": s,
            "duplicate_of": s,
            "language": s,
        }
    )


def ner_features(schema: LabelSchema) -> Features:
    from datasets import ClassLabel, Features, List, Value

    s = Value("string")
    return Features(
        {
            "id": s,
            "title": s,
            "text": s,
            "entities": List(_span(schema.entity_labels, with_text=True)),
            "tokens": List(s),
            "ner_tags": List(ClassLabel(names=schema.iob2_tags)),
        }
    )


def stance_features(schema: LabelSchema) -> Features:
    from datasets import ClassLabel, Features, List, Value

    s = Value("string")
    return Features(
        {
            "id": s,
            "article_id": s,
            "target": s,
            "level": s,  # "actor" (one row per article x target x actor) or "document"
            "actor": s,  # canonical actor name; null on document rows
            "mentions": List(_span()),
            "text": s,
            "label": ClassLabel(names=schema.stance_label_names),
        }
    )


def summarization_features() -> Features:
    from datasets import Features, List, Value

    s = Value("string")
    return Features(
        {"id": s, "article_id": s, "document": s, "summary": s, "references": List(s)}
    )


def features_for(config: str, schema: LabelSchema) -> Features:
    if config == "documents":
        return documents_features()
    if config == "ner":
        return ner_features(schema)
    if config == "stance":
        return stance_features(schema)
    if config == "summarization":
        return summarization_features()
    raise ValueError(f"unknown config {config!r}; expected one of {', '.join(CONFIGS)}")
