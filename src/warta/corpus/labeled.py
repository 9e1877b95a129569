"""Gold annotations -> rows of the labeled configs (``ner``, ``stance``, ``summarization``).

Every row is anchored to the article's annotated text (headline, blank line, body), the string the
gold offsets index. Gold is checked against that text first (:func:`warta.gold.check_against_text`):
a gold file made on another version of the text is a :class:`~warta.errors.GoldError` naming the
file, and nothing is built. Rows come out in a fixed order (article id, then schema target order,
then actor slug), so rebuilding gives the same files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warta.article import Article
from warta.errors import GoldError
from warta.fsutil import sha256_file
from warta.gold import GoldDocument, check_against_text, gold_path, read_gold_dir
from warta.schema import LabelSchema
from warta.spans import EntitySpan
from warta.tokenize import entity_token_spans, iob2_tags

_SLUG = re.compile(r"[^0-9a-z]+")


def actor_slug(actor: str) -> str:
    """``"Jens Stoltenberg"`` -> ``"jens-stoltenberg"``: the actor part of a stance row id."""
    return _SLUG.sub("-", actor.lower()).strip("-") or "actor"


@dataclass
class Gold:
    """The gold of a build: documents by article id, and the files they came from (for the manifest)."""

    documents: dict[str, GoldDocument]
    files: dict[str, str]  # file name -> sha256
    folder: Path | None = None

    @classmethod
    def load(cls, folder: str | Path) -> Gold:
        path = Path(folder)
        documents = read_gold_dir(path)
        files = {f"{aid}.json": sha256_file(gold_path(path, aid)) for aid in sorted(documents)}
        return cls(documents, files, path)

    def source(self, article_id: str) -> str:
        return str(gold_path(self.folder, article_id)) if self.folder else f"gold for {article_id}"


def check_gold(gold: Gold, articles: Iterable[Article], schema: LabelSchema) -> None:
    """Every gold document must belong to an article and fit its annotated text exactly."""
    by_id = {a.id: a for a in articles}
    for article_id, doc in sorted(gold.documents.items()):
        source = gold.source(article_id)
        article = by_id.get(article_id)
        if article is None:
            raise GoldError(
                f"{source}: no article {article_id} in the corpus",
                hint="remove the gold file or add the article's raw file",
            )
        check_against_text(doc, article.annotated_text, schema, source)
        slugs: dict[tuple[str, str], str] = {}
        for stance in doc.stance:
            key = (stance.target, actor_slug(stance.actor))
            if key in slugs:
                raise GoldError(
                    f"{source}: actors {slugs[key]!r} and {stance.actor!r} both have target "
                    f"{stance.target!r} (same row id {article_id}:{key[0]}:{key[1]})",
                    hint="merge the two stance records into one actor",
                )
            slugs[key] = stance.actor
        seen_targets: set[str] = set()
        for doc_stance in doc.document_stance:
            if doc_stance.target in seen_targets:
                raise GoldError(f"{source}: two document stances for target {doc_stance.target!r}")
            seen_targets.add(doc_stance.target)


def ner_row(article: Article, doc: GoldDocument) -> dict[str, Any]:
    text = article.annotated_text
    spans = sorted(EntitySpan(e.start, e.end, e.label) for e in doc.entities)
    entities = sorted(doc.entities, key=lambda e: (e.start, e.end, e.label))
    tokens = entity_token_spans(text, spans)
    return {
        "id": article.id,
        "title": article.title,
        "text": text,
        "entities": [{"start": e.start, "end": e.end, "label": e.label, "text": e.text} for e in entities],
        "tokens": [text[s:e] for s, e in tokens],
        "ner_tags": iob2_tags(tokens, spans),
    }


def stance_rows(article: Article, doc: GoldDocument, schema: LabelSchema) -> list[dict[str, Any]]:
    """Per target (schema order): the document row, then one row per actor (by slug)."""
    text = article.annotated_text
    rows: list[dict[str, Any]] = []
    for target in schema.target_ids:
        for d in doc.document_stance:
            if d.target == target:
                rows.append(
                    {
                        "id": f"{article.id}:{target}",
                        "article_id": article.id,
                        "target": target,
                        "level": "document",
                        "actor": None,
                        "mentions": [],
                        "text": text,
                        "label": d.label,
                    }
                )
        actors = sorted((s for s in doc.stance if s.target == target), key=lambda s: actor_slug(s.actor))
        for s in actors:
            rows.append(
                {
                    "id": f"{article.id}:{target}:{actor_slug(s.actor)}",
                    "article_id": article.id,
                    "target": target,
                    "level": "actor",
                    "actor": s.actor,
                    "mentions": [{"start": m.start, "end": m.end} for m in sorted(s.mentions, key=lambda m: (m.start, m.end))],
                    "text": text,
                    "label": s.label,
                }
            )
    return rows


def summarization_row(article: Article, doc: GoldDocument) -> dict[str, Any] | None:
    if not doc.summaries:
        return None
    return {
        "id": article.id,
        "article_id": article.id,
        "document": article.annotated_text,
        "summary": doc.summaries[0],
        "references": list(doc.summaries),
    }


def labeled_rows(
    articles: list[Article], gold: Gold, schema: LabelSchema
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """``{config: {split: rows}}`` for the labeled configs; only articles with gold get rows."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {"ner": {}, "stance": {}, "summarization": {}}
    for article in articles:
        doc = gold.documents.get(article.id)
        if doc is None:
            continue
        split = str(article.split)
        out["ner"].setdefault(split, []).append(ner_row(article, doc))
        stance = stance_rows(article, doc, schema)
        if stance:
            out["stance"].setdefault(split, []).extend(stance)
        summary = summarization_row(article, doc)
        if summary is not None:
            out["summarization"].setdefault(split, []).append(summary)
    return {config: splits for config, splits in out.items() if splits}
