"""Gold annotations as stored in ``annotation/gold/``: one JSON file per article.

Each file is anchored to the article id and to the SHA-256 of the annotated text (headline, blank
line, body; see :func:`warta.article.annotated_text`). If a change of cleaning moves the text, the
hash no longer matches and :func:`check_against_text` fails loudly instead of letting offsets
silently point at the wrong characters.

File format (``<article_id>.json``, UTF-8, sorted keys, 2-space indent)::

    {
      "article_id": "e868b1205f427ac5",
      "text_sha256": "<sha256 of the annotated text>",
      "entities": [{"start": 0, "end": 5, "label": "ORG", "text": "NATO"}, ...],
      "stance": [{"target": "nato_enlargement", "actor": "Rusia",
                  "mentions": [{"start": 10, "end": 15}], "label": "AGAINST"}, ...],
      "document_stance": [{"target": "nato_enlargement", "label": "NONE"}],
      "summaries": ["..."],
      "provenance": {"method": "...", "annotators": ["ann-1"], ...}
    }
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from warta.errors import GoldError
from warta.fsutil import sha256_text, write_text_atomic
from warta.inputs import check_text, read_json
from warta.paths import check_name, child, require_inside
from warta.schema import LabelSchema


@dataclass(frozen=True)
class GoldEntity:
    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True)
class Mention:
    start: int
    end: int


@dataclass(frozen=True)
class ActorStance:
    target: str
    actor: str
    mentions: tuple[Mention, ...]
    label: str


@dataclass(frozen=True)
class DocumentStance:
    target: str
    label: str


@dataclass
class GoldDocument:
    article_id: str
    text_sha256: str
    entities: list[GoldEntity] = field(default_factory=list)
    stance: list[ActorStance] = field(default_factory=list)
    document_stance: list[DocumentStance] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        data = asdict(self)
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, data: Any, source: str = "<gold>") -> GoldDocument:
        """Strict: offsets are integers (not strings, floats or booleans), labels and texts strings."""
        r = _Fields(source)
        top = r.mapping(data, "the gold record")
        return cls(
            article_id=check_name(r.string(top.get("article_id"), "article_id"), what=f"{source}: article_id", error=GoldError),
            text_sha256=r.string(top.get("text_sha256"), "text_sha256"),
            entities=[
                GoldEntity(r.int(e.get("start"), f"{w}.start"), r.int(e.get("end"), f"{w}.end"), r.string(e.get("label"), f"{w}.label"), r.string(e.get("text"), f"{w}.text"))
                for w, e in r.items(top, "entities")
            ],
            stance=[
                ActorStance(
                    target=r.string(s.get("target"), f"{w}.target"),
                    actor=r.string(s.get("actor"), f"{w}.actor"),
                    mentions=tuple(Mention(r.int(m.get("start"), f"{mw}.start"), r.int(m.get("end"), f"{mw}.end")) for mw, m in r.items(s, "mentions", f"{w}.")),
                    label=r.string(s.get("label"), f"{w}.label"),
                )
                for w, s in r.items(top, "stance")
            ],
            document_stance=[
                DocumentStance(r.string(d.get("target"), f"{w}.target"), r.string(d.get("label"), f"{w}.label"))
                for w, d in r.items(top, "document_stance")
            ],
            summaries=[r.string(x, f"summaries[{i}]") for i, x in enumerate(r.list(top.get("summaries", []), "summaries"))],
            provenance=r.mapping(top.get("provenance", {}), "provenance"),
        )


class _Fields:
    """Typed access to a parsed gold record; every mismatch is a :class:`GoldError` naming the field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, expected: str, value: Any) -> GoldError:
        return GoldError(f"{self.source}: {where} must be {expected}, got {type(value).__name__}", hint="fix the gold file (see warta.gold for its format)")

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "an object", value)
        return value

    def list(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, "a list", value)
        return value

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise self.fail(where, "a string", value)
        return check_text(value, f"{self.source}: {where}", error=GoldError)

    def int(self, value: Any, where: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(where, "an integer", value)
        return value

    def items(self, parent: dict[str, Any], key: str, prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
        values = self.list(parent.get(key, []), f"{prefix}{key}")
        return [(f"{prefix}{key}[{i}]", self.mapping(v, f"{prefix}{key}[{i}]")) for i, v in enumerate(values)]


def gold_path(gold_dir: str | Path, article_id: str) -> Path:
    return child(gold_dir, article_id, what="article id", suffix=".json", error=GoldError)


def read_gold_file(path: str | Path) -> GoldDocument:
    path = Path(path)
    return GoldDocument.from_dict(read_json(path, error=GoldError), str(path))


def read_gold_dir(gold_dir: str | Path) -> dict[str, GoldDocument]:
    """All gold documents in a folder, keyed by article id (files not named ``*.json`` are ignored).

    A file that is a link out of the folder is refused: inputs are read only from the folders given."""
    folder = Path(gold_dir)
    if not folder.is_dir():
        raise GoldError(f"{folder}: no such gold folder")
    docs: dict[str, GoldDocument] = {}
    for path in sorted(folder.glob("*.json")):
        require_inside(folder, path, what="gold file", error=GoldError)
        doc = read_gold_file(path)
        if path.stem != doc.article_id:
            raise GoldError(f"{path}: file name does not match article_id {doc.article_id!r}")
        docs[doc.article_id] = doc
    return docs


def write_gold_file(gold_dir: str | Path, doc: GoldDocument, *, overwrite: bool = False) -> Path:
    """Write atomically; refuse to replace an existing file unless ``overwrite`` (callers keep history)."""
    return write_text_atomic(gold_path(gold_dir, doc.article_id), doc.to_json(), overwrite=overwrite)


def check_against_text(doc: GoldDocument, text: str, schema: LabelSchema, source: str = "<gold>") -> None:
    """Raise :class:`GoldError` unless every offset and label of ``doc`` fits ``text`` and ``schema``."""
    actual = sha256_text(text)
    if actual != doc.text_sha256:
        raise GoldError(
            f"{source}: gold for article {doc.article_id} was made on a different text "
            f"(gold text_sha256 {doc.text_sha256[:12]}…, release text {actual[:12]}…)",
            hint="the cleaning changed; re-anchor the gold (re-annotate or migrate the offsets) before building",
        )
    labels = set(schema.entity_labels)
    for e in doc.entities:
        if not (0 <= e.start < e.end <= len(text)):
            raise GoldError(f"{source}: entity [{e.start}, {e.end}) out of range for a text of {len(text)} characters")
        if text[e.start : e.end] != e.text:
            raise GoldError(f"{source}: entity [{e.start}, {e.end}) reads {text[e.start:e.end]!r} in the text, gold says {e.text!r}")
        if e.label not in labels:
            raise GoldError(f"{source}: entity label {e.label!r} is not in the schema ({', '.join(sorted(labels))})")
    stance_labels = set(schema.stance_label_names)
    targets = set(schema.target_ids)
    for s in [*doc.stance, *doc.document_stance]:
        if s.target not in targets:
            raise GoldError(f"{source}: stance target {s.target!r} is not in the schema")
        if s.label not in stance_labels:
            raise GoldError(f"{source}: stance label {s.label!r} is not in the schema")
    for s in doc.stance:
        for m in s.mentions:
            if not (0 <= m.start < m.end <= len(text)):
                raise GoldError(f"{source}: mention [{m.start}, {m.end}) of actor {s.actor!r} is out of range")
