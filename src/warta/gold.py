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
    def from_dict(cls, data: dict[str, Any], source: str = "<gold>") -> GoldDocument:
        try:
            return cls(
                article_id=str(data["article_id"]),
                text_sha256=str(data["text_sha256"]),
                entities=[GoldEntity(int(e["start"]), int(e["end"]), str(e["label"]), str(e["text"])) for e in data.get("entities", [])],
                stance=[
                    ActorStance(
                        target=str(s["target"]),
                        actor=str(s["actor"]),
                        mentions=tuple(Mention(int(m["start"]), int(m["end"])) for m in s["mentions"]),
                        label=str(s["label"]),
                    )
                    for s in data.get("stance", [])
                ],
                document_stance=[DocumentStance(str(d["target"]), str(d["label"])) for d in data.get("document_stance", [])],
                summaries=[str(x) for x in data.get("summaries", [])],
                provenance=dict(data.get("provenance", {})),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise GoldError(f"{source}: malformed gold record ({type(exc).__name__}: {exc})") from None


def gold_path(gold_dir: str | Path, article_id: str) -> Path:
    return Path(gold_dir) / f"{article_id}.json"


def read_gold_file(path: str | Path) -> GoldDocument:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    return GoldDocument.from_dict(data, str(path))


def read_gold_dir(gold_dir: str | Path) -> dict[str, GoldDocument]:
    """All gold documents in a folder, keyed by article id (files not named ``*.json`` are ignored)."""
    folder = Path(gold_dir)
    if not folder.is_dir():
        raise GoldError(f"{folder}: no such gold folder")
    docs: dict[str, GoldDocument] = {}
    for path in sorted(folder.glob("*.json")):
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
