"""Span scoring against nervaluate 1.2.1, and the matching rule where nervaluate is order dependent."""

from __future__ import annotations

import random

import numpy as np
import pytest

from warta.benchmarks.metrics.ner_spans import (
    SCHEMAS,
    SchemaCounts,
    score_spans,
    score_spans_reference,
)
from warta.spans import EntitySpan

nervaluate = pytest.importorskip("nervaluate")

LABELS = ["PER", "ORG", "GPE", "LOC", "DATE"]
NV_SCHEMA = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}


def _nervaluate(gold, pred, labels=LABELS):
    def conv(docs):  # nervaluate's ends are inclusive
        return [[{"label": e.label, "start": e.start, "end": e.end - 1} for e in doc] for doc in docs]

    return nervaluate.Evaluator(conv(gold), conv(pred), tags=list(labels), loader="dict").evaluate()


def _counts(result) -> tuple[int, int, int, int, int]:
    return (result.correct, result.incorrect, result.partial, result.missed, result.spurious)


def _mine(c: SchemaCounts) -> tuple[int, int, int, int, int]:
    return (c.cor, c.inc, c.par, c.mis, c.spu)


def _overlap(a: EntitySpan, b: EntitySpan) -> bool:
    return min(a.end, b.end) > max(a.start, b.start)


def _one_to_one(gold, pred) -> bool:
    """No prediction overlaps two gold entities and no gold entity two predictions."""
    return all(sum(_overlap(g, p) for p in pred) <= 1 for g in gold) and all(
        sum(_overlap(g, p) for g in gold) <= 1 for p in pred
    )


def _random_doc(rng: random.Random, length: int = 60, max_entities: int = 5) -> list[EntitySpan]:
    out = []
    for _ in range(rng.randint(0, max_entities)):
        start = rng.randrange(length)
        out.append(EntitySpan(start, min(length, start + rng.randint(1, 12)), rng.choice(LABELS)))
    return out


def _noisy_copy(rng: random.Random, gold: list[EntitySpan], length: int = 60) -> list[EntitySpan]:
    """A plausible prediction: keep, shift a boundary, relabel, drop, or add an entity."""
    out = []
    for e in gold:
        r = rng.random()
        if r < 0.5:
            out.append(e)
        elif r < 0.65:
            out.append(EntitySpan(e.start, max(e.start + 1, e.end + rng.choice([-2, -1, 1, 2])), e.label))
        elif r < 0.75:
            out.append(EntitySpan(min(e.end - 1, max(0, e.start + rng.choice([-2, -1, 1]))), e.end, e.label))
        elif r < 0.9:
            out.append(EntitySpan(e.start, e.end, rng.choice(LABELS)))
    if rng.random() < 0.3:
        start = rng.randrange(length)
        out.append(EntitySpan(start, start + rng.randint(1, 6), rng.choice(LABELS)))
    rng.shuffle(out)
    return out


def _random_corpus(seed: int, n_docs: int, one_to_one: bool, noisy: bool):
    rng = random.Random(seed)
    gold, pred = [], []
    while len(gold) < n_docs:
        g = _random_doc(rng)
        p = _noisy_copy(rng, g) if noisy else _random_doc(rng)
        if one_to_one and not _one_to_one(g, p):
            continue
        gold.append(g)
        pred.append(p)
    return gold, pred


def _assert_equal_to_nervaluate(gold, pred) -> None:
    ours = score_spans(gold, pred, labels=LABELS)
    theirs = _nervaluate(gold, pred)
    for schema in SCHEMAS:
        expected = theirs["overall"][NV_SCHEMA[schema]]
        got = ours.counts(schema)
        assert _mine(got) == _counts(expected), schema
        assert (got.possible, got.actual) == (expected.possible, expected.actual)
        # nervaluate reports 0 where a value is undefined; the formulas are the same, so bit-equal
        assert (got.precision or 0) == expected.precision
        assert (got.recall or 0) == expected.recall
        assert (got.f1 or 0) == expected.f1
        for label in LABELS:
            if label not in theirs["entities"]:  # nervaluate lists only types that occur
                assert ours.counts(schema, label).possible == ours.counts(schema, label).actual == 0
                continue
            expected = theirs["entities"][label][NV_SCHEMA[schema]]
            got = ours.counts(schema, label)
            assert _mine(got) == _counts(expected), (schema, label)
            assert (got.f1 or 0) == expected.f1


@pytest.mark.parametrize("seed", range(4))
def test_equals_nervaluate_on_random_one_to_one_inputs(seed: int) -> None:
    gold, pred = _random_corpus(seed, 400, one_to_one=True, noisy=False)
    _assert_equal_to_nervaluate(gold, pred)


@pytest.mark.parametrize("seed", range(4))
def test_equals_nervaluate_on_noisy_predictions(seed: int) -> None:
    gold, pred = _random_corpus(100 + seed, 400, one_to_one=True, noisy=True)
    assert sum(map(len, gold)) > 500  # the generator makes real work
    _assert_equal_to_nervaluate(gold, pred)


def test_overlap_threshold_follows_nervaluate() -> None:
    # a 1-character overlap with a 150-character gold entity is < 1 % of it: spurious, not partial
    gold = [[EntitySpan(0, 150, "ORG")], [EntitySpan(0, 90, "ORG")]]
    pred = [[EntitySpan(149, 155, "ORG")], [EntitySpan(89, 95, "ORG")]]
    ours = score_spans(gold, pred, labels=LABELS)
    theirs = _nervaluate(gold, pred)
    assert _mine(ours.counts("partial")) == _counts(theirs["overall"]["partial"]) == (0, 0, 1, 1, 1)


@pytest.mark.parametrize("seed", range(3))
def test_vectorised_equals_plain_python_rule_on_any_input(seed: int) -> None:
    # overlapping and duplicate entities included: the vectorised scorer must follow the stated rule
    gold, pred = _random_corpus(200 + seed, 1500, one_to_one=False, noisy=seed % 2 == 0)
    fast = score_spans(gold, pred, labels=LABELS).statistics
    slow = score_spans_reference(gold, pred, labels=LABELS)
    assert np.array_equal(fast, slow)


@pytest.mark.parametrize("seed", range(3))
def test_counts_do_not_depend_on_list_order(seed: int) -> None:
    rng = random.Random(seed)
    gold, pred = _random_corpus(300 + seed, 500, one_to_one=False, noisy=False)
    shuffled_gold = [rng.sample(doc, len(doc)) for doc in gold]
    shuffled_pred = [rng.sample(doc, len(doc)) for doc in pred]
    a = score_spans(gold, pred, labels=LABELS).statistics
    b = score_spans(shuffled_gold, shuffled_pred, labels=LABELS).statistics
    assert np.array_equal(a, b)


def test_nervaluate_is_order_dependent_and_we_are_not() -> None:
    """nervaluate #40: one prediction overlapping two gold entities takes the first in list order."""
    gold_a = [EntitySpan(0, 10, "PER"), EntitySpan(11, 20, "PER")]
    pred = [EntitySpan(5, 15, "PER"), EntitySpan(11, 20, "PER")]
    gold_b = list(reversed(gold_a))
    nv_a = _nervaluate([gold_a], [pred])["overall"]["strict"]
    nv_b = _nervaluate([gold_b], [pred])["overall"]["strict"]
    # nervaluate: order A lets the exact match happen (COR 1, INC 1); order B loses it to the
    # overlapping prediction, which takes the second gold entity first (COR 0, INC 1, SPU 1)
    assert _counts(nv_a) != _counts(nv_b)
    ours_a = score_spans([gold_a], [pred], labels=LABELS).counts("strict")
    ours_b = score_spans([gold_b], [pred], labels=LABELS).counts("strict")
    assert _mine(ours_a) == _mine(ours_b) == (1, 1, 0, 0, 0)


def test_exact_match_is_never_lost_to_an_earlier_overlap() -> None:
    """The prediction order nervaluate walks must not matter (its #84, overlapping predictions)."""
    gold = [EntitySpan(0, 10, "ORG")]
    preds = [EntitySpan(0, 4, "ORG"), EntitySpan(0, 10, "ORG")]
    nv = _nervaluate([gold], [preds])["overall"]["strict"]
    assert _counts(nv) == (0, 1, 0, 0, 1)  # the overlap came first and took the gold entity
    ours = score_spans([gold], [preds], labels=LABELS)
    assert _mine(ours.counts("strict")) == (1, 0, 0, 0, 1)
    assert _mine(ours.counts("partial")) == (1, 0, 0, 0, 1)
    assert _mine(ours.counts("type")) == (1, 0, 0, 0, 1)


def test_each_entity_is_counted_once() -> None:
    """No double counting (nervaluate PR #85): possible = gold count, actual = predicted count."""
    gold, pred = _random_corpus(7, 800, one_to_one=False, noisy=False)
    ev = score_spans(gold, pred, labels=LABELS)
    n_gold, n_pred = sum(map(len, gold)), sum(map(len, pred))
    for schema in SCHEMAS:
        c = ev.counts(schema)
        assert (c.possible, c.actual) == (n_gold, n_pred)
        for label in LABELS:
            c = ev.counts(schema, label)
            assert c.possible == sum(e.label == label for doc in gold for e in doc)
            assert c.actual == sum(e.label == label for doc in pred for e in doc)


def test_semeval_schema_table_by_hand() -> None:
    """The SemEval-2013 9.1 example table (Batista's write-up of the schemas)."""
    gold = [
        [
            EntitySpan(0, 5, "ORG"),  # exact span, wrong type
            EntitySpan(10, 20, "PER"),  # overlapping, same type
            EntitySpan(30, 35, "LOC"),  # overlapping, other type
            EntitySpan(40, 45, "GPE"),  # missed
            EntitySpan(50, 55, "DATE"),  # correct
        ]
    ]
    pred = [
        [
            EntitySpan(0, 5, "PER"),
            EntitySpan(12, 20, "PER"),
            EntitySpan(28, 33, "ORG"),
            EntitySpan(50, 55, "DATE"),
            EntitySpan(60, 65, "ORG"),  # spurious
        ]
    ]
    ev = score_spans(gold, pred, labels=LABELS)
    assert _mine(ev.counts("strict")) == (1, 3, 0, 1, 1)
    assert _mine(ev.counts("exact")) == (2, 2, 0, 1, 1)
    assert _mine(ev.counts("partial")) == (2, 0, 2, 1, 1)
    assert _mine(ev.counts("type")) == (2, 2, 0, 1, 1)
    partial = ev.counts("partial")
    assert partial.precision == pytest.approx(3 / 5) and partial.recall == pytest.approx(3 / 5)
    # per type PER: the wrong-type prediction at 0..5 is spurious for PER, the overlap is INC/PAR/COR
    assert _mine(ev.counts("strict", "PER")) == (0, 1, 0, 0, 1)
    assert _mine(ev.counts("type", "PER")) == (1, 0, 0, 0, 1)
    _assert_equal_to_nervaluate(gold, pred)


def test_undefined_is_none_and_macro_covers_present_types() -> None:
    ev = score_spans([[], []], [[], []], labels=LABELS)
    assert ev.counts("strict").f1 is None and ev.macro("strict") == (None, None, None)
    gold = [[EntitySpan(0, 3, "PER"), EntitySpan(5, 8, "ORG")]]
    pred = [[EntitySpan(0, 3, "PER")]]
    ev = score_spans(gold, pred, labels=LABELS)
    assert ev.present_labels() == ["PER", "ORG"]
    assert ev.counts("strict", "ORG").precision is None and ev.counts("strict", "ORG").f1 == 0.0
    assert ev.macro("strict") == (0.5, 0.5, 0.5)  # PER 1.0, ORG 0.0 (undefined precision as 0)


def test_unknown_label_and_empty_span_are_errors() -> None:
    with pytest.raises(ValueError, match="MISC"):
        score_spans([[EntitySpan(0, 2, "MISC")]], [[]], labels=LABELS)
    with pytest.raises(ValueError, match="empty"):
        score_spans([[]], [[EntitySpan(4, 4, "PER")]], labels=LABELS)
