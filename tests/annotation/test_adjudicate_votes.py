"""Adjudication decisions: majority, ties, ground truth, summaries, provenance, conflicts report."""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import pytest

from warta import __version__
from warta.annotation.adjudicate import GROUND_TRUTH, MAJORITY, adjudicate, check_gold
from warta.annotation.conflicts import conflicts_markdown, conflicts_to_dict
from warta.annotation.records import AnnotationRecord
from warta.fsutil import sha256_text
from warta.gold import GoldDocument, GoldEntity
from warta.schema import load_schema

sys.path.insert(0, str(Path(__file__).parent))
from record_factory import annotation_record  # noqa: E402

TARGET = "nato_enlargement"
TEXT = (
    "Rusia menolak NATO.\n\nPutin bertemu Biden di Jenewa pada 16 Juni 2021. Rusia tetap menolak."
)
_ids = itertools.count(100)


def record(
    annotator: str,
    entities=(),
    *,
    document=(),
    summary=None,
    ground_truth=False,
    text=TEXT,
    article="a1",
    task=7,
) -> AnnotationRecord:
    return annotation_record(
        annotator, text, entities, annotation_id=next(_ids), article=article, task=task,
        document=document, summary=summary, ground_truth=ground_truth,
    )


def entities(doc: GoldDocument) -> list[tuple[str, str]]:
    return [(e.text, e.label) for e in doc.entities]


def test_majority_of_three_decides_spans_and_stance() -> None:
    records = [
        record(
            "ann-1",
            [
                ("Rusia", "GPE", "AGAINST"),
                ("NATO", "ORG"),
                ("Putin", "PER"),
                ("16 Juni 2021", "DATE"),
            ],
            document=["NONE"],
            summary="Rusia menolak.",
        ),
        record(
            "ann-2",
            [("Rusia", "GPE", "AGAINST"), ("NATO", "ORG"), ("Putin", "PER"), ("Jenewa", "GPE")],
            document=["NONE"],
            summary="Putin bertemu Biden.",
        ),
        record(
            "ann-3",
            [
                ("Rusia", "GPE", "FAVOR"),
                ("NATO", "GPE"),
                ("Biden", "PER"),
                ("16 Juni 2021", "DATE"),
            ],
            document=["AGAINST"],
            summary=" Rusia menolak. ",
        ),
    ]
    result = adjudicate(records)
    assert result.unresolved == [] and len(result.gold) == 1
    gold = result.gold[0]
    # 2 of 3: Rusia, NATO as ORG, Putin, the date; 1 of 3 (Biden, Jenewa, NATO as GPE): left out
    assert entities(gold) == [
        ("Rusia", "GPE"),
        ("NATO", "ORG"),
        ("Putin", "PER"),
        ("16 Juni 2021", "DATE"),
    ]
    assert [(s.actor, s.label, [(m.start, m.end) for m in s.mentions]) for s in gold.stance] == [
        ("Rusia", "AGAINST", [(0, 5)])
    ]
    assert [(d.target, d.label) for d in gold.document_stance] == [(TARGET, "NONE")]
    # every summary kept (stripped, identical texts once), with who wrote it
    assert gold.summaries == ["Rusia menolak.", "Putin bertemu Biden."]
    assert gold.provenance["summary_annotators"] == [["ann-1", "ann-3"], ["ann-2"]]
    # provenance
    p = gold.provenance
    assert (
        p["method"] == MAJORITY
        and p["annotators"] == ["ann-1", "ann-2", "ann-3"]
        and p["annotations"] == 3
    )
    assert p["task_ids"] == [7] and p["ground_truth"] is None and p["warta_version"] == __version__
    assert len(p["annotation_ids"]) == 3 and p["min_votes"] == 2
    assert {tuple(x["annotators"]) for x in p["agreement"]["entities"]} == {
        ("ann-1", "ann-2"),
        ("ann-1", "ann-3"),
        ("ann-2", "ann-3"),
    }
    assert p["agreement"]["fleiss_kappa"] is not None
    assert gold.text_sha256 == sha256_text(TEXT) and gold.article_id == "a1"
    check_gold(result, load_schema())
    # the non-unanimous decisions are listed for review, none blocks
    kinds = sorted(c.kind for c in result.conflicts)
    # entity runs: NATO (ORG 2, GPE 1), Putin, Jenewa, Biden, the date
    assert kinds == ["actor_stance", "document_stance", *["entity"] * 5]
    assert all(c.status == "majority" for c in result.conflicts)


def test_stance_mentions_are_the_regions_that_carried_the_winning_label() -> None:
    records = [
        record("a", [("Rusia", "GPE", "AGAINST"), ("Rusia", "GPE", "AGAINST", 1)]),
        record("b", [("Rusia", "GPE", "AGAINST", 1)]),
    ]
    assert adjudicate(records).gold == []  # the first Rusia span is a 1–1 tie: blocked
    result = adjudicate(
        records + [record("c", [("Rusia", "GPE", "AGAINST"), ("Rusia", "GPE", "AGAINST", 1)])]
    )
    (doc,) = result.gold
    second = TEXT.index("Rusia", 1)
    assert [(m.start, m.end) for m in doc.stance[0].mentions] == [(0, 5), (second, second + 5)]


def test_a_tie_is_a_conflict_and_blocks_the_article() -> None:
    a = record("ann-1", [("Rusia", "GPE"), ("NATO", "ORG")], document=["AGAINST"])
    b = record("ann-2", [("Rusia", "GPE"), ("NATO", "GPE")], document=["NONE"])
    result = adjudicate([a, b])
    assert result.gold == [] and result.blocked == ["a1"]
    unresolved = {c.kind: c for c in result.unresolved}
    assert set(unresolved) == {"entity", "document_stance"}
    entity = unresolved["entity"]
    assert entity.item == {"start": 14, "end": 18, "text": "NATO"} and entity.task_ids == (7,)
    assert entity.reason.startswith("tie")
    options = {json.dumps(o.choice, sort_keys=True): o.annotators for o in entity.options}
    assert options == {
        json.dumps({"start": 14, "end": 18, "label": "GPE", "text": "NATO"}, sort_keys=True): (
            "ann-2",
        ),
        json.dumps({"start": 14, "end": 18, "label": "ORG", "text": "NATO"}, sort_keys=True): (
            "ann-1",
        ),
    }
    report = conflicts_to_dict(result)
    assert report["articles"] == {"adjudicated": [], "blocked": ["a1"]}
    assert json.loads(json.dumps(report))["conflicts"][0]["options"][0]["votes"] == 1
    markdown = conflicts_markdown(result)
    assert (
        "## Article a1 (task 7; blocked)" in markdown
        and "ann-1" in markdown
        and "`NATO` [14, 18) ORG" in markdown
    )


def test_no_majority_among_three_is_a_conflict() -> None:
    records = [record("a", [("NATO", "ORG")]), record("b", [("NATO", "GPE")]), record("c")]
    result = adjudicate(records)
    (conflict,) = result.unresolved
    assert conflict.reason == "no option has a majority of 3 annotators"
    assert [o.annotators for o in conflict.options] == [("b",), ("a",), ("c",)]
    assert conflict.options[-1].choice is None


def test_ground_truth_wins_over_the_vote() -> None:
    records = [
        record("ann-1", [("NATO", "GPE", "FAVOR")], document=["FAVOR"], summary="S1."),
        record("ann-2", [("NATO", "GPE", "FAVOR")], document=["FAVOR"], summary="S2."),
        record(
            "curator",
            [("Rusia", "GPE", "AGAINST"), ("NATO", "ORG")],
            document=["NONE"],
            summary="S3.",
            ground_truth=True,
        ),
    ]
    result = adjudicate(records)
    (gold,) = result.gold
    assert entities(gold) == [("Rusia", "GPE"), ("NATO", "ORG")]
    assert [(s.actor, s.label) for s in gold.stance] == [("Rusia", "AGAINST")]
    assert [d.label for d in gold.document_stance] == ["NONE"]
    assert gold.summaries == ["S3.", "S1.", "S2."]  # every summary kept, the curator's first
    assert gold.provenance["method"] == GROUND_TRUTH
    assert gold.provenance["ground_truth"] == {
        "annotation_id": records[2].annotation_id,
        "annotator": "curator",
        "source": "annotation",
    }
    assert result.conflicts == []
    # ground truth also settles an article a tie would block, and one with a single annotation
    tie = [record("x", [("NATO", "ORG")]), record("y", [("NATO", "GPE")], ground_truth=True)]
    assert entities(adjudicate(tie).gold[0]) == [("NATO", "GPE")]
    assert entities(adjudicate([record("z", [("Putin", "PER")], ground_truth=True)]).gold[0]) == [
        ("Putin", "PER")
    ]


def test_two_differing_ground_truths_are_a_conflict() -> None:
    records = [
        record("a", [("NATO", "ORG")], ground_truth=True),
        record("b", [("NATO", "GPE")], ground_truth=True),
    ]
    result = adjudicate(records)
    assert result.gold == [] and [c.kind for c in result.unresolved] == ["ground_truth"]
    same = [
        record("a", [("NATO", "ORG")], ground_truth=True),
        record("b", [("NATO", "ORG")], ground_truth=True),
    ]
    assert len(adjudicate(same).gold) == 1


def test_min_votes() -> None:
    single = [record("a", [("NATO", "ORG")])]
    result = adjudicate(single)  # default --min-votes 2
    assert result.gold == [] and result.unresolved[0].kind == "annotations"
    assert entities(adjudicate(single, min_votes=1).gold[0]) == [("NATO", "ORG")]
    # 3 of 5 is a majority but below --min-votes 4
    five = [record(n, [("NATO", "ORG")] if n in "abc" else []) for n in "abcde"]
    assert len(adjudicate(five).gold) == 1
    blocked = adjudicate(five, min_votes=4)
    assert blocked.gold == [] and blocked.unresolved[0].reason == "only 3 vote(s); --min-votes is 4"
    with pytest.raises(ValueError):
        adjudicate(single, min_votes=0)


def test_inconsistent_stance_counts_for_no_label() -> None:
    records = [
        record("a", [("Rusia", "GPE", "AGAINST"), ("Rusia", "GPE", "FAVOR", 1)]),
        record("b", [("Rusia", "GPE", "AGAINST"), ("Rusia", "GPE", None, 1)]),
    ]
    result = adjudicate(records)
    stance = [c for c in result.unresolved if c.kind == "actor_stance"]
    assert len(stance) == 1 and stance[0].item["actor"] == "Rusia"
    assert {"inconsistent": {"a": ["AGAINST", "FAVOR"]}} in [o.choice for o in stance[0].options]


def test_unanimous_articles_have_no_conflicts_and_gold_passes_the_checks() -> None:
    spec = [("Rusia", "GPE", "AGAINST"), ("Putin", "PER"), ("16 Juni 2021", "DATE")]
    result = adjudicate(
        [record("a", spec, document=["AGAINST"]), record("b", spec, document=["AGAINST"])]
    )
    assert result.conflicts == []
    (gold,) = result.gold
    assert gold.entities[0] == GoldEntity(0, 5, "GPE", "Rusia")
    check_gold(result, load_schema())
    assert GoldDocument.from_dict(json.loads(gold.to_json())) == gold


def test_actor_mentions_are_gold_entities() -> None:
    second = TEXT.index("Rusia", 1)
    # all three say Rusia is AGAINST; only one marks the second mention, so it is no gold entity
    records = [
        record("a", [("Rusia", "GPE", "AGAINST"), ("Rusia", "GPE", "AGAINST", 1)]),
        record("b", [("Rusia", "GPE", "AGAINST")]),
        record("c", [("Rusia", "GPE", "AGAINST")]),
    ]
    (doc,) = adjudicate(records).gold
    assert [(m.start, m.end) for m in doc.stance[0].mentions] == [(0, 5)]
    assert (second, second + 5) not in [(e.start, e.end) for e in doc.entities]
    records = [
        record("a", [("Rusia", "GPE", "AGAINST", 1)]),
        record("b", [("Rusia", "GPE"), ("Rusia", "GPE", "AGAINST", 1)]),
        record("c", [("Rusia", "GPE"), ("Rusia", "GPE", "AGAINST", 1)]),
    ]
    assert len(adjudicate(records).gold) == 1
    # a and b agree Rusia is AGAINST, on different mentions; each mention is 1 of 3, so no entity
    records = [
        record("a", [("Rusia", "GPE", "AGAINST", 1)]),
        record("b", [("Rusia", "GPE", "AGAINST")]),
        record("c"),
    ]
    result = adjudicate(records)
    assert result.gold == []
    assert any(
        "none of the actor's mentions is a gold entity" in c.reason for c in result.unresolved
    )
