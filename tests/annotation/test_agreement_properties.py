"""Invariants of compute_agreement (hypothesis): an annotator agrees fully with a copy of itself,
figures do not depend on record order or on which annotator is called first."""

from __future__ import annotations

import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from warta.annotation.agreement import compute_agreement
from warta.annotation.records import AnnotationRecord, EntityAnnotation, RegionStance, TargetStance
from warta.fsutil import sha256_text
from warta.tokenize import token_spans

TEXT = "Menlu Rusia Sergei Lavrov menolak NATO-Ukraina di Moskow, Senin 3 Maret 2025, kata Kremlin."
TOKENS = token_spans(TEXT)
LABELS = ["PER", "ORG", "GPE", "LOC", "DATE"]

span = st.tuples(
    st.integers(0, len(TOKENS) - 1),
    st.integers(1, 3),
    st.sampled_from(LABELS),
    st.sampled_from([None, "FAVOR", "AGAINST", "NONE"]),
)
annotation = st.tuples(
    st.lists(span, max_size=8), st.sampled_from([None, "FAVOR", "AGAINST", "NONE"])
)


def build(name: str, spec, article: str = "a1", annotation_id: int = 1) -> AnnotationRecord:
    spans, document = spec
    entities, stance = [], []
    for i, (first, length, label, stance_label) in enumerate(spans):
        start = TOKENS[first][0]
        end = TOKENS[min(first + length, len(TOKENS)) - 1][1]
        entities.append(EntityAnnotation(f"r{i}", start, end, label, TEXT[start:end]))
        if stance_label:
            stance.append(RegionStance(f"r{i}", "nato_enlargement", stance_label))
    return AnnotationRecord(
        task_id=1,
        article_id=article,
        text=TEXT,
        text_sha256=sha256_text(TEXT),
        annotator=name,
        annotation_id=annotation_id,
        entities=entities,
        stance=stance,
        document_stance=[TargetStance("nato_enlargement", document)] if document else [],
    )


@settings(max_examples=150, deadline=None)
@given(annotation)
def test_a_copy_agrees_fully(spec) -> None:
    report = compute_agreement([build("a", spec), build("b", spec, annotation_id=2)], resamples=0)
    (pair,) = report.entity_pairs
    if spec[0]:
        assert pair.strict.f1.value == pair.overlap.f1.value == 1.0
    else:
        assert pair.strict.f1.value is None  # no span on either side: undefined, not 0 or 1
    assert pair.token_kappa.value in (1.0, None)
    for level in (report.actor_stance, report.document_stance):
        assert level.alpha.value in (1.0, None)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(annotation, annotation, annotation), min_size=1, max_size=3),
    st.randoms(use_true_random=False),
)
def test_order_and_naming_do_not_change_figures(documents, rnd: random.Random) -> None:
    records = [
        build(name, spec, f"doc{d}", 10 * d + i)
        for d, specs in enumerate(documents)
        for i, (name, spec) in enumerate(zip("abc", specs))
    ]
    report = compute_agreement(records, seed=1, resamples=20).to_dict()
    shuffled = records[:]
    rnd.shuffle(shuffled)
    assert compute_agreement(shuffled, seed=1, resamples=20).to_dict() == report
    # swap the names of a and b: pair (a, b) keeps its figures with a and b counts exchanged
    renamed = [
        build(
            {"a": "b", "b": "a"}.get(r.annotator, r.annotator), spec, r.article_id, r.annotation_id
        )
        for r, spec in zip(records, [s for specs in documents for s in specs])
    ]
    swapped = compute_agreement(renamed, resamples=0).to_dict()
    plain = compute_agreement(records, resamples=0).to_dict()
    first, second = plain["entities"]["pairs"][0], swapped["entities"]["pairs"][0]
    assert (
        first["strict"]["f1"] == second["strict"]["f1"]
        and first["token_kappa"] == second["token_kappa"]
    )
    assert (first["strict"]["a"], first["strict"]["b"]) == (
        second["strict"]["b"],
        second["strict"]["a"],
    )
    assert json.dumps(plain["stance"]["actor"]["alpha"]) == json.dumps(
        swapped["stance"]["actor"]["alpha"]
    )
    assert plain["entities"]["fleiss"] == swapped["entities"]["fleiss"]
