"""IOB2 chunk scoring against seqeval 1.2.2 (default = conlleval, and strict IOB2)."""

from __future__ import annotations

import math
import random
import warnings

import pytest

from warta.benchmarks.metrics.iob import chunks, score_iob, spans_to_iob2
from warta.spans import EntitySpan
from warta.tokenize import entity_token_spans

seqeval_metrics = pytest.importorskip("seqeval.metrics")
from seqeval.metrics import sequence_labeling, v1
from seqeval.scheme import IOB2

TYPES = ["PER", "ORG", "GPE", "LOC", "DATE"]
TAGS = ["O"] + [f"{p}-{t}" for t in TYPES for p in "BI"]


def _reference(gold, pred, mode: str, average: str | None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if mode == "default":
            return sequence_labeling.precision_recall_fscore_support(gold, pred, average=average)
        return v1.precision_recall_fscore_support(gold, pred, average=average, scheme=IOB2)


def _same(ours: float | None, theirs: float) -> bool:
    if ours is None:
        return theirs == 0 or math.isnan(theirs)
    return ours == theirs


def _random_sequences(rng: random.Random, n: int, weights: list[float]):
    gold, pred = [], []
    for _ in range(n):
        length = rng.randint(0, 25)
        g = rng.choices(TAGS, weights, k=length)
        p = [t if rng.random() < 0.7 else rng.choices(TAGS, weights)[0] for t in g]
        gold.append(g)
        pred.append(p)
    return gold, pred


@pytest.mark.parametrize("mode", ["default", "strict"])
@pytest.mark.parametrize("seed", range(3))
def test_equals_seqeval_on_random_sequences(mode: str, seed: int) -> None:
    rng = random.Random(seed)
    weights = [6.0] + [1.0] * (len(TAGS) - 1)
    for _ in range(8):
        gold, pred = _random_sequences(rng, 150, weights)
        ours = score_iob(gold, pred, mode=mode, labels=TYPES if seed % 2 else None)
        micro = ours.micro()
        p, r, f, _ = _reference(gold, pred, mode, "micro")
        assert _same(micro.precision, p) and _same(micro.recall, r) and _same(micro.f1, f)
        p, r, f, _ = _reference(gold, pred, mode, "macro")
        mp, mr, mf = ours.macro()
        assert _same(mp, p) and _same(mr, r) and _same(mf, f)
        ps, rs, fs, support = _reference(gold, pred, mode, None)
        per = ours.per_type()
        present = sorted(ours.present_labels())  # seqeval's target names are sorted
        for i, label in enumerate(present):
            assert _same(per[label].precision, ps[i]) and _same(per[label].recall, rs[i])
            assert _same(per[label].f1, fs[i]) and per[label].n_gold == support[i]


def test_default_and_strict_differ_as_documented() -> None:
    gold, pred = [["B-PER", "I-PER"]], [["I-PER", "I-PER"]]
    assert score_iob(gold, pred, mode="default").micro().f1 == 1.0
    assert score_iob(gold, pred, mode="strict").micro().f1 == 0.0
    assert chunks(["O", "I-PER", "I-PER", "B-ORG", "I-GPE"]) == [("PER", 1, 3), ("ORG", 3, 4), ("GPE", 4, 5)]
    assert chunks(["O", "I-PER", "I-PER", "B-ORG", "I-GPE"], mode="strict") == [("ORG", 3, 4)]
    assert chunks(["B-PER", "I-ORG", "I-ORG"]) == [("PER", 0, 1), ("ORG", 1, 3)]


def test_chunks_do_not_cross_sentences_and_empty_sentences_are_fine() -> None:
    gold = [["B-PER"], [], ["I-PER", "O"]]
    pred = [["B-PER"], [], ["B-PER", "O"]]
    # an I- at a sentence start opens a chunk in default mode and none in strict mode
    assert score_iob(gold, pred).statistics.tolist() == [[1, 1, 1], [0, 0, 0], [1, 1, 1]]
    assert score_iob(gold, pred, mode="strict").statistics.tolist() == [[1, 1, 1], [0, 0, 0], [0, 1, 0]]
    # a chunk running to the end of a sentence stops there
    assert score_iob([["B-PER"], ["I-PER"]], [["B-PER"], ["I-PER"]]).micro().tp == 2
    with pytest.raises(ValueError, match="sequence 1"):
        score_iob([["O"], ["O"]], [["O"], []])
    with pytest.raises(ValueError, match="IOB2"):
        score_iob([["E-PER"]], [["O"]])


def test_fixed_labels_keep_schema_order() -> None:
    ev = score_iob([["B-ORG", "B-PER"]], [["B-ORG", "O"]], labels=TYPES)
    assert ev.labels == tuple(TYPES)
    assert ev.per_type()["PER"].fn == 1 and ev.per_type()["ORG"].tp == 1
    with pytest.raises(ValueError, match="MISC"):
        score_iob([["B-MISC"]], [["O"]], labels=TYPES)


def test_spans_to_iob2_round_trips_through_chunks() -> None:
    text = "Menteri Luar Negeri Rusia Sergey Lavrov bertemu NATO-Rusia di Brussel, 12 Januari 2022."
    entities = [
        EntitySpan(20, 25, "GPE"),
        EntitySpan(26, 39, "PER"),
        EntitySpan(48, 52, "ORG"),
        EntitySpan(53, 58, "GPE"),
        EntitySpan(62, 69, "GPE"),
        EntitySpan(71, 86, "DATE"),
    ]
    tokens, tags = spans_to_iob2(text, entities)
    assert tokens == entity_token_spans(text, entities)
    back = [(label, tokens[s][0], tokens[e - 1][1]) for label, s, e in chunks(tags, mode="strict")]
    assert back == [(e.label, e.start, e.end) for e in entities]
    # predicted spans projected onto the gold tokens
    _, predicted = spans_to_iob2(text, [EntitySpan(27, 39, "PER")], tokens=tokens)
    assert [t for t in predicted if t != "O"] == ["B-PER", "I-PER"]
