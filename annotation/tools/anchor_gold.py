"""Anchor the hand-made gold to the current annotated text: annotation spec -> ``annotation/gold/``.

The seed gold is written by a person as a *spec* (``annotation/tools/seed/<article_id>.yaml``): each
entity is a surface string and a label, each stance mention a surface string and its occurrence
index. Offsets are never typed by hand; this script finds them by exact, whole-word string search in
the annotated text the corpus ingest produces (headline, blank line, body), checks every one
(``text[start:end]``, no overlaps, every occurrence of every listed surface accounted for, labels in
the schema, summary length), and writes :class:`warta.gold.GoldDocument` files anchored to the text's
SHA-256.

Spec rules (see annotation/README.md):

- ``entities: [[surface, label], ...]`` annotates every whole-word occurrence of ``surface`` that is
  not inside a longer listed entity (longer surfaces are placed first, so ``Dewan NATO-Rusia`` wins
  over the ``NATO`` inside it); ``[surface, label, [k, ...]]`` annotates only the k-th occurrences
  (0-based, counting every whole-word occurrence of ``surface`` in the text).
- ``not_entities: [{text, why, occurrences?}]``: occurrences deliberately left unannotated. Any
  occurrence of a listed surface that is neither annotated, inside an annotated entity, nor listed
  here is an error: a spec can only be exhaustive or fail.
- ``stance: [{target, actor, label, mentions: [[surface, k], ...]}]``: each mention must be exactly
  an annotated entity of an actor type.

Usage::

    python annotation/tools/anchor_gold.py write --out annotation/gold     # refuses to overwrite
    python annotation/tools/anchor_gold.py check --gold annotation/gold    # exit 1 if gold drifted
    python annotation/tools/anchor_gold.py show e868b1205f427ac5 Rusia    # occurrences + context
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from warta.errors import GoldError, WartaError
from warta.fsutil import sha256_file, sha256_text
from warta.gold import (
    ActorStance,
    DocumentStance,
    GoldDocument,
    GoldEntity,
    Mention,
    check_against_text,
    gold_path,
    read_gold_file,
    write_gold_file,
)
from warta.schema import LabelSchema, load_schema

REPO = Path(__file__).resolve().parents[2]
SPEC_DIR = Path(__file__).resolve().parent / "seed"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    """Every whole-word occurrence of ``surface`` (not preceded or followed by a word character)."""
    pattern = re.compile(rf"(?<!\w){re.escape(surface)}(?!\w)")
    return [m.span() for m in pattern.finditer(text)]


def sentences(summary: str) -> list[str]:
    return [s for s in SENTENCE_END.split(summary.strip()) if s]


@dataclass(frozen=True)
class Spec:
    path: Path
    data: dict[str, Any]

    @property
    def article_id(self) -> str:
        return str(self.data["article_id"])

    @classmethod
    def read(cls, path: Path) -> Spec:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        known = {"article_id", "annotated_on", "annotator", "entities", "not_entities", "stance", "document_stance", "summaries", "notes"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise GoldError(f"{path}: unknown key(s) {', '.join(unknown)}")
        return cls(path, data)


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def place_entities(spec: Spec, text: str, labels: set[str]) -> list[GoldEntity]:
    """Resolve the spec's entity entries to spans; fail on any overlap or unaccounted occurrence."""
    where = _rel(spec.path)
    entries: list[tuple[str, str, list[int] | None]] = []
    for item in spec.data["entities"]:
        surface, label, *rest = item
        if label not in labels:
            raise GoldError(f"{where}: {surface!r} has label {label!r}, not in the schema ({', '.join(sorted(labels))})")
        entries.append((str(surface), str(label), list(rest[0]) if rest else None))
    surfaces = [e[0] for e in entries]
    if len(set(surfaces)) != len(surfaces):
        raise GoldError(f"{where}: a surface is listed twice in entities; give one entry with indices instead")

    placed: dict[tuple[int, int], GoldEntity] = {}

    def inside(span: tuple[int, int]) -> bool:
        return any(s <= span[0] and span[1] <= e and (s, e) != span for s, e in placed)

    def overlapping(span: tuple[int, int]) -> tuple[int, int] | None:
        for s, e in placed:
            if s < span[1] and span[0] < e and not (s <= span[0] and span[1] <= e):
                return (s, e)
        return None

    for surface, label, indices in sorted(entries, key=lambda e: -len(e[0])):
        found = occurrences(text, surface)
        if not found:
            raise GoldError(f"{where}: {surface!r} does not occur in the text of {spec.article_id}")
        if indices is None:
            chosen = [span for span in found if not inside(span)]
        else:
            bad = [k for k in indices if not 0 <= k < len(found)]
            if bad:
                raise GoldError(f"{where}: {surface!r} occurs {len(found)} times; no occurrence {bad}")
            chosen = [found[k] for k in indices]
        for span in chosen:
            clash = overlapping(span) or (span if span in placed else None)
            if clash is not None or inside(span):
                other = text[clash[0] : clash[1]] if clash else "a longer entity"
                raise GoldError(f"{where}: {surface!r} at [{span[0]}, {span[1]}) overlaps {other!r}")
            placed[span] = GoldEntity(span[0], span[1], label, text[span[0] : span[1]])

    not_entities = spec.data.get("not_entities") or []
    skipped: set[tuple[int, int]] = set()
    for item in not_entities:
        found = occurrences(text, item["text"])
        if not found:
            raise GoldError(f"{where}: not_entities {item['text']!r} does not occur in the text")
        ks = item.get("occurrences")
        skipped.update(found if ks is None else [found[k] for k in ks])
    for surface in {*surfaces, *(str(i["text"]) for i in not_entities)}:
        for span in occurrences(text, surface):
            if span in placed or inside(span) or span in skipped:
                continue
            start = max(0, span[0] - 30)
            raise GoldError(
                f"{where}: occurrence of {surface!r} at [{span[0]}, {span[1]}) is neither annotated nor listed "
                f"in not_entities: …{text[start:span[1] + 30]!r}…"
            )
    return sorted(placed.values(), key=lambda e: (e.start, e.end))


def build_gold(spec: Spec, text: str, schema: LabelSchema) -> GoldDocument:
    """The gold document the spec describes on ``text``, fully checked."""
    where = _rel(spec.path)
    entities = place_entities(spec, text, set(schema.entity_labels))
    by_span = {(e.start, e.end): e for e in entities}
    stance: list[ActorStance] = []
    for row in spec.data.get("stance") or []:
        mentions = []
        for surface, k in row["mentions"]:
            found = occurrences(text, surface)
            if not 0 <= k < len(found):
                raise GoldError(f"{where}: stance of {row['actor']!r}: {surface!r} has no occurrence {k} ({len(found)} found)")
            entity = by_span.get(found[k])
            if entity is None or entity.label not in schema.actor_types:
                raise GoldError(
                    f"{where}: stance of {row['actor']!r}: occurrence {k} of {surface!r} is not an annotated "
                    f"{'/'.join(schema.actor_types)} entity"
                )
            mentions.append(Mention(*found[k]))
        stance.append(ActorStance(str(row["target"]), str(row["actor"]), tuple(sorted(mentions, key=lambda m: m.start)), str(row["label"])))
    document_stance = [DocumentStance(str(t), str(label)) for t, label in (spec.data.get("document_stance") or {}).items()]
    summaries = [" ".join(str(s).split()) for s in spec.data.get("summaries") or []]
    lo, hi = schema.summary.min_sentences, schema.summary.max_sentences
    for summary in summaries:
        n = len(sentences(summary))
        if not lo <= n <= hi:
            raise GoldError(f"{where}: a summary has {n} sentences, the schema asks for {lo}–{hi}")
    doc = GoldDocument(
        article_id=spec.article_id,
        text_sha256=sha256_text(text),
        entities=entities,
        stance=stance,
        document_stance=document_stance,
        summaries=summaries,
        provenance=provenance(spec, schema),
    )
    check_against_text(doc, text, schema, where)
    return doc


def provenance(spec: Spec, schema: LabelSchema) -> dict[str, Any]:
    return {
        "method": (
            "single-annotator manual annotation following annotation/guidelines.md (one pass, then a "
            "read-through of the rendered spans by the same annotator); "
            "offsets located by exact whole-word string search (surface, occurrence index) with "
            "annotation/tools/anchor_gold.py and checked against the annotated text"
        ),
        "annotators": [str(spec.data["annotator"])],
        "annotated_on": str(spec.data["annotated_on"]),
        "guidelines": "annotation/guidelines.md",
        "guidelines_version": "1.0",
        "schema_version": schema.version,
        "spec": _rel(spec.path),
        "spec_sha256": sha256_file(spec.path),
        "agreement": None,
        "agreement_note": "not available: one annotator, so no inter-annotator agreement can be computed",
        "pre_annotations": "none (no model output was shown to the annotator)",
        "adjudication": "none (single annotator)",
        "uncertain_decisions": "annotation/guidelines.md section 14 and annotation/README.md",
    }


def annotated_texts(raw_dir: Path) -> dict[str, str]:
    """Article id -> annotated text, exactly as the corpus ingest produces it."""
    from warta.corpus.ingest import ingest

    result = ingest(raw_dir)
    articles: Iterable[Any] = getattr(result, "articles", result)
    return {a.id: a.annotated_text for a in articles}


def read_specs(spec_dir: Path) -> list[Spec]:
    specs = [Spec.read(p) for p in sorted(spec_dir.glob("*.yaml"))]
    if not specs:
        raise GoldError(f"{spec_dir}: no *.yaml annotation specs")
    for spec in specs:
        if spec.path.stem != spec.article_id:
            raise GoldError(f"{spec.path}: file name does not match article_id {spec.article_id!r}")
    return specs


def build_all(raw_dir: Path, spec_dir: Path, schema: LabelSchema) -> list[GoldDocument]:
    texts = annotated_texts(raw_dir)
    docs = []
    for spec in read_specs(spec_dir):
        if spec.article_id not in texts:
            raise GoldError(f"{spec.path}: no article {spec.article_id} in {raw_dir}")
        docs.append(build_gold(spec, texts[spec.article_id], schema))
    return docs


def describe_changes(old: GoldDocument, new: GoldDocument) -> list[str]:
    """What a re-anchoring would change, beyond shifting offsets (which is expected)."""
    changes = []
    if old.text_sha256 != new.text_sha256:
        changes.append(f"text_sha256 {old.text_sha256[:12]}… -> {new.text_sha256[:12]}…")
    old_seq = [(e.text, e.label) for e in old.entities]
    new_seq = [(e.text, e.label) for e in new.entities]
    if old_seq != new_seq:
        import difflib

        for line in difflib.unified_diff([f"{t}\t{lab}" for t, lab in old_seq], [f"{t}\t{lab}" for t, lab in new_seq], "gold", "spec", lineterm="", n=1):
            changes.append(f"entities: {line}")
    elif [(e.start, e.end) for e in old.entities] != [(e.start, e.end) for e in new.entities]:
        changes.append("entity offsets shifted (same mentions in the same order)")
    # Stance mentions are compared by the ordinal of their entity, so "the same surface, another
    # occurrence" (text inserted before a mention) is reported, not silently accepted.
    if _stance_view(old) != _stance_view(new):
        changes.append("stance differs (actor, label or which mentions carry it): review the stance rows")
    for name in ("document_stance", "summaries"):
        if getattr(old, name) != getattr(new, name):
            changes.append(f"{name} differs")
    return changes


def _stance_view(doc: GoldDocument) -> list[tuple[str, str, str, list[tuple[int, str]]]]:
    ordinal = {(e.start, e.end): i for i, e in enumerate(doc.entities)}
    return [
        (s.target, s.actor, s.label, [(ordinal.get((m.start, m.end), -1), doc_text(doc, m)) for m in s.mentions])
        for s in doc.stance
    ]


def doc_text(doc: GoldDocument, mention: Mention) -> str:
    for e in doc.entities:
        if (e.start, e.end) == (mention.start, mention.end):
            return e.text
    return f"[{mention.start},{mention.end})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, default=REPO / "corpus" / "raw", help="raw articles folder")
    parser.add_argument("--specs", type=Path, default=SPEC_DIR, help="annotation spec folder")
    parser.add_argument("--schema", type=Path, default=REPO / "annotation" / "schema.yaml")
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write", help="write gold files into a folder (never over existing files)")
    w.add_argument("--out", type=Path, required=True)
    c = sub.add_parser("check", help="exit 1 unless the gold folder equals what the specs give on today's text")
    c.add_argument("--gold", type=Path, default=REPO / "annotation" / "gold")
    s = sub.add_parser("show", help="list the whole-word occurrences of a string with their index")
    s.add_argument("article_id")
    s.add_argument("surface")
    args = parser.parse_args(argv)
    try:
        schema = load_schema(args.schema)
        if args.command == "show":
            text = annotated_texts(args.raw)[args.article_id]
            for k, (start, end) in enumerate(occurrences(text, args.surface)):
                context = text[max(0, start - 40) : end + 40].replace("\n", "⏎")
                print(f"{k:3d} [{start:5d}, {end:5d})  {context}")
            return 0
        docs = build_all(args.raw, args.specs, schema)
        if args.command == "write":
            for doc in docs:
                path = write_gold_file(args.out, doc)
                print(f"wrote {path} ({len(doc.entities)} entities, {len(doc.stance)} actor stances)")
            return 0
        drift = 0
        for doc in docs:
            path = gold_path(args.gold, doc.article_id)
            if not path.exists():
                print(f"{path}: missing")
                drift += 1
                continue
            old = read_gold_file(path)
            changes = describe_changes(old, doc) if old != doc else []
            if old != doc and not changes:
                changes = ["provenance differs (spec edited?)"]
            for change in changes:
                print(f"{path}: {change}")
            drift += bool(changes)
        print("gold matches the specs and the current text" if not drift else f"{drift} gold file(s) out of date")
        return 1 if drift else 0
    except WartaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
