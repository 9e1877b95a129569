"""The seed gold in annotation/gold/ against the text the corpus ingest produces today.

If a change of cleaning moves a single character of an annotated text, the hash test fails (and
``warta corpus build --gold`` refuses to build): re-anchor as described in annotation/README.md.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from warta.article import Article
from warta.corpus.ingest import ingest
from warta.errors import GoldError
from warta.fsutil import sha256_text
from warta.gold import GoldDocument, check_against_text, read_gold_dir
from warta.schema import LabelSchema, load_schema

SEED_IDS = ("e868b1205f427ac5", "cb33607aa2409de9")

#: Golden snapshot of the entity counts per type (guidelines 1.0). A change here is a change of
#: the gold and must come with a reason (a guidelines decision or a re-annotation).
ENTITY_COUNTS = {
    "e868b1205f427ac5": {"PER": 7, "ORG": 15, "GPE": 53, "LOC": 2, "DATE": 4},
    "cb33607aa2409de9": {"PER": 1, "ORG": 16, "GPE": 24, "LOC": 0, "DATE": 5},
}
#: Golden snapshot of the actor stances toward nato_enlargement (guidelines section 10).
ACTOR_STANCES = {
    "e868b1205f427ac5": {"Rusia": "AGAINST", "Jen Psaki": "FAVOR", "Wendy Sherman": "FAVOR", "Amerika Serikat": "FAVOR"},
    "cb33607aa2409de9": {"Rusia": "AGAINST", "NATO": "FAVOR", "Julianne Smith": "FAVOR"},
}
#: Names whose every whole-word occurrence must be (inside) an entity: the exhaustiveness check.
ALWAYS_ENTITIES = ("NATO", "Rusia", "AS", "Amerika Serikat", "Ukraina", "Moskow", "Washington", "Jenewa", "Gedung Putih")
#: Hyphenated names that are one body (guidelines section 5, exception): not split.
HYPHENATED_NAMES = {"Dewan NATO-Rusia"}
#: Characters that never sit at the edge of a span (guidelines section 2).
EDGE_PUNCTUATION = set(" \n\t.,;:!?'\"“”‘’()[]—–-")


@pytest.fixture(scope="module")
def schema(repo: Path) -> LabelSchema:
    return load_schema(repo / "annotation" / "schema.yaml")


@pytest.fixture(scope="module")
def articles(raw_dir: Path) -> dict[str, Article]:
    return {a.id: a for a in ingest(raw_dir).articles}


@pytest.fixture(scope="module")
def gold(repo: Path) -> dict[str, GoldDocument]:
    return read_gold_dir(repo / "annotation" / "gold")


@pytest.fixture(scope="module")
def anchor(repo: Path) -> ModuleType:
    path = repo / "annotation" / "tools" / "anchor_gold.py"
    spec = importlib.util.spec_from_file_location("warta_anchor_gold", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file executes
    spec.loader.exec_module(module)
    return module


def test_every_seed_article_has_gold(articles: dict[str, Article], gold: dict[str, GoldDocument]) -> None:
    assert set(SEED_IDS) <= set(articles)
    assert set(gold) == set(SEED_IDS)


@pytest.mark.parametrize("article_id", SEED_IDS)
def test_gold_is_anchored_to_todays_annotated_text(
    article_id: str, articles: dict[str, Article], gold: dict[str, GoldDocument], schema: LabelSchema
) -> None:
    text = articles[article_id].annotated_text
    doc = gold[article_id]
    assert doc.text_sha256 == sha256_text(text), "cleaning moved the text: re-anchor the gold (annotation/README.md)"
    check_against_text(doc, text, schema, f"annotation/gold/{article_id}.json")


@pytest.mark.parametrize("article_id", SEED_IDS)
def test_entities_reproduce_their_text_with_clean_edges_and_no_overlap(
    article_id: str, articles: dict[str, Article], gold: dict[str, GoldDocument], schema: LabelSchema
) -> None:
    text = articles[article_id].annotated_text
    entities = sorted(gold[article_id].entities, key=lambda e: (e.start, e.end))
    assert entities
    for e in entities:
        assert text[e.start : e.end] == e.text
        assert e.label in schema.entity_labels
        assert e.text[0] not in EDGE_PUNCTUATION and e.text[-1] not in EDGE_PUNCTUATION, e
        # whole words only: a span never starts or ends inside a word
        assert e.start == 0 or not text[e.start - 1].isalnum(), e
        assert e.end == len(text) or not text[e.end].isalnum(), e
    for left, right in zip(entities, entities[1:]):
        assert left.end <= right.start, f"{left} overlaps {right}"


@pytest.mark.parametrize("article_id", SEED_IDS)
def test_entity_counts_per_type_match_the_snapshot(article_id: str, gold: dict[str, GoldDocument]) -> None:
    counts = Counter(e.label for e in gold[article_id].entities)
    assert {label: counts.get(label, 0) for label in ENTITY_COUNTS[article_id]} == ENTITY_COUNTS[article_id]
    assert sum(counts.values()) == sum(ENTITY_COUNTS[article_id].values())


@pytest.mark.parametrize("article_id", SEED_IDS)
def test_annotation_is_exhaustive_for_the_main_names(
    article_id: str, articles: dict[str, Article], gold: dict[str, GoldDocument]
) -> None:
    text = articles[article_id].annotated_text
    spans = [(e.start, e.end) for e in gold[article_id].entities]
    for name in ALWAYS_ENTITIES:
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            assert any(s <= m.start() and m.end() <= e for s, e in spans), f"{name!r} at {m.start()} is not annotated"


@pytest.mark.parametrize("article_id", SEED_IDS)
def test_hyphenated_pairs_are_split_with_the_hyphen_outside(
    article_id: str, articles: dict[str, Article], gold: dict[str, GoldDocument]
) -> None:
    text = articles[article_id].annotated_text
    entities = gold[article_id].entities
    ends = {e.end for e in entities}
    starts = {e.start for e in entities}
    pairs = 0
    for m in re.finditer(r"(?<=\w)-(?=[A-Z])", text):  # NATO-Rusia, AS-Rusia, Serikat-Rusia
        hyphen = m.start()
        inside = [e for e in entities if e.start < hyphen < e.end]
        if inside:
            assert [e.text for e in inside] == [e.text for e in inside if e.text in HYPHENATED_NAMES], inside
            continue
        assert hyphen in ends and hyphen + 1 in starts, f"pair at {hyphen}: {text[hyphen - 15 : hyphen + 10]!r} not split"
        pairs += 1
    assert pairs >= 1
    for e in entities:
        assert "-" not in e.text or e.text in HYPHENATED_NAMES, e


@pytest.mark.parametrize("article_id", SEED_IDS)
def test_stance_rows_reference_actor_mentions(
    article_id: str, articles: dict[str, Article], gold: dict[str, GoldDocument], schema: LabelSchema
) -> None:
    doc = gold[article_id]
    by_span = {(e.start, e.end): e for e in doc.entities}
    actors = [(s.target, s.actor) for s in doc.stance]
    assert len(actors) == len(set(actors)), "one row per actor and target"
    for s in doc.stance:
        assert s.target in schema.target_ids and s.label in schema.stance_label_names
        assert s.mentions, s.actor
        for m in s.mentions:
            entity = by_span.get((m.start, m.end))
            assert entity is not None, f"{s.actor}: mention [{m.start}, {m.end}) is not an entity"
            assert entity.label in schema.actor_types
    assert {s.actor: s.label for s in doc.stance} == ACTOR_STANCES[article_id]
    assert [(d.target, d.label) for d in doc.document_stance] == [(t, "NONE") for t in schema.target_ids]


@pytest.mark.parametrize("article_id", SEED_IDS)
def test_one_summary_of_two_to_four_sentences_in_the_articles_words(
    article_id: str, articles: dict[str, Article], gold: dict[str, GoldDocument], schema: LabelSchema
) -> None:
    text = articles[article_id].annotated_text
    summaries = gold[article_id].summaries
    assert len(summaries) == 1
    summary = summaries[0]
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", summary.strip()) if s]
    assert schema.summary.min_sentences <= len(sentences) <= schema.summary.max_sentences
    assert all(s.endswith(".") for s in sentences)
    # names as written, nothing from outside the annotated text (captions, metadata, knowledge)
    for name in re.findall(r"\b[A-Z][\w-]*", summary):
        assert re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE), f"{name!r} is not in the article"


@pytest.mark.parametrize("article_id", SEED_IDS)
def test_provenance_says_how_the_gold_was_made(article_id: str, gold: dict[str, GoldDocument]) -> None:
    provenance = gold[article_id].provenance
    assert provenance["annotators"] == ["maintainer-1"]
    assert provenance["agreement"] is None and "one annotator" in provenance["agreement_note"]
    assert provenance["pre_annotations"].startswith("none")
    assert "@" not in repr(provenance)


def test_specs_regenerate_the_committed_gold_exactly(
    anchor: ModuleType, raw_dir: Path, schema: LabelSchema, gold: dict[str, GoldDocument]
) -> None:
    rebuilt = {doc.article_id: doc for doc in anchor.build_all(raw_dir, anchor.SPEC_DIR, schema)}
    assert rebuilt == gold


def test_a_moved_text_is_detected_not_silently_used(
    anchor: ModuleType, articles: dict[str, Article], gold: dict[str, GoldDocument], schema: LabelSchema
) -> None:
    article = articles[SEED_IDS[0]]
    moved = article.annotated_text.replace("\n\n", "\n\nX ", 1)  # a cleaning change adding 2 characters
    with pytest.raises(GoldError, match="different text"):
        check_against_text(gold[article.id], moved, schema)
    spec = anchor.Spec.read(anchor.SPEC_DIR / f"{article.id}.yaml")
    reanchored = anchor.build_gold(spec, moved, schema)
    changes = anchor.describe_changes(gold[article.id], reanchored)
    assert any("text_sha256" in c for c in changes)
    assert "entity offsets shifted (same mentions in the same order)" in changes
    shifted = [(e.start, e.end) for e in reanchored.entities]
    assert shifted[4:] == [(e.start + 2, e.end + 2) for e in gold[article.id].entities[4:]]


def test_spec_must_account_for_every_occurrence(anchor: ModuleType, tmp_path: Path, schema: LabelSchema) -> None:
    text = "Rusia dan NATO\n\nHari ini Rusia bertemu NATO di Dewan NATO-Rusia."
    path = tmp_path / "abc.yaml"

    def build(entities: str, extra: str = "") -> GoldDocument:
        path.write_text(
            f"article_id: abc\nannotator: maintainer-1\nannotated_on: '2026-01-01'\nentities: {entities}\n{extra}",
            encoding="utf-8",
        )
        return anchor.build_gold(anchor.Spec.read(path), text, schema)

    doc = build("[[Dewan NATO-Rusia, ORG], [NATO, ORG], [Rusia, GPE]]", "not_entities: [{text: Hari ini, why: deictic}]")
    assert [e.text for e in doc.entities] == ["Rusia", "NATO", "Rusia", "NATO", "Dewan NATO-Rusia"]
    with pytest.raises(GoldError, match="neither annotated"):
        build("[[Dewan NATO-Rusia, ORG], [NATO, ORG], [Rusia, GPE, [0]]]")
    with pytest.raises(GoldError, match="overlaps"):
        build("[[Dewan NATO-Rusia, ORG], [NATO, ORG, [0, 1, 2]], [Rusia, GPE]]")
    with pytest.raises(GoldError, match="not in the schema"):
        build("[[NATO, NORP]]")


def test_a_new_mention_before_a_stance_mention_is_reported(
    anchor: ModuleType, articles: dict[str, Article], gold: dict[str, GoldDocument], schema: LabelSchema
) -> None:
    """Occurrence indices count from the start: an extra "Rusia" earlier shifts which one a stance
    row points at. The migration check must say so instead of accepting the same surface string."""
    article = articles[SEED_IDS[0]]
    moved = article.annotated_text.replace("\n\n", "\n\nRusia. ", 1)
    spec = anchor.Spec.read(anchor.SPEC_DIR / f"{article.id}.yaml")
    changes = anchor.describe_changes(gold[article.id], anchor.build_gold(spec, moved, schema))
    assert any(c.startswith("entities: +Rusia") for c in changes)
    assert any(c.startswith("stance differs") for c in changes)
