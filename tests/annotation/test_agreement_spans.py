"""Strict and overlap span matching: hand-worked cases, and the one-to-one overlap matching checked
against a brute-force maximum matching on random span sets."""

from __future__ import annotations

import numpy as np
import pytest

from warta.annotation.agreement.spans import SpanCounts, maximum_overlap_matching, span_counts
from warta.spans import EntitySpan as S


def test_strict_and_overlap_by_hand() -> None:
    a = [S(0, 5, "PER"), S(10, 20, "ORG")]
    b = [S(0, 4, "PER"), S(12, 15, "ORG"), S(16, 20, "ORG")]
    strict = span_counts(a, b, "strict")
    assert strict == {"ORG": SpanCounts(0, 1, 2), "PER": SpanCounts(0, 1, 1)}
    overlap = span_counts(a, b, "overlap")
    # PER: [0,5) ~ [0,4). ORG: [10,20) overlaps both of b's ORG spans but matches only one.
    assert overlap == {"ORG": SpanCounts(1, 1, 2), "PER": SpanCounts(1, 1, 1)}
    total = sum(overlap.values(), SpanCounts())
    # F1 = 2·2/(2 + 3) = 0.8
    assert total.f1 == pytest.approx(0.8)


def test_overlap_needs_the_same_label_and_a_shared_character() -> None:
    assert span_counts([S(0, 5, "PER")], [S(0, 5, "ORG")], "overlap")["PER"] == SpanCounts(0, 1, 0)
    # Touching ranges share no character.
    assert span_counts([S(0, 5, "PER")], [S(5, 9, "PER")], "overlap")["PER"] == SpanCounts(0, 1, 1)


def test_overlap_matching_is_maximum_not_greedy() -> None:
    # Greedy in a's order would give a[0] -> b[0] and leave a[1] unmatched (1 match);
    # the maximum matching is a[0] -> b[1], a[1] -> b[0] (2 matches).
    a = [S(0, 10, "X"), S(0, 3, "X")]
    b = [S(2, 5, "X"), S(6, 9, "X")]
    assert len(maximum_overlap_matching(sorted(a), sorted(b))) == 2
    assert span_counts(a, b, "overlap")["X"].matched == 2
    assert span_counts(list(reversed(a)), list(reversed(b)), "overlap")["X"].matched == 2


def test_duplicates_count_once_and_f1_is_undefined_without_spans() -> None:
    assert span_counts([S(0, 5, "PER"), S(0, 5, "PER")], [S(0, 5, "PER")], "strict")[
        "PER"
    ] == SpanCounts(1, 1, 1)
    assert span_counts([], [], "strict") == {}
    assert SpanCounts().f1 is None
    assert SpanCounts(0, 1, 0).f1 == 0.0
    with pytest.raises(ValueError):
        span_counts([], [], "partial")


def _brute_force(a: list[S], b: list[S]) -> int:
    def best(i: int, used: frozenset[int]) -> int:
        if i == len(a):
            return 0
        result = best(i + 1, used)
        for j, y in enumerate(b):
            if j not in used and a[i].start < y.end and y.start < a[i].end:
                result = max(result, 1 + best(i + 1, used | {j}))
        return result

    return best(0, frozenset())


def _random_spans(rng: np.random.Generator, count: int, labels: str) -> list[S]:
    spans = []
    for _ in range(count):
        start = int(rng.integers(0, 30))
        spans.append(S(start, start + int(rng.integers(1, 8)), str(rng.choice(list(labels)))))
    return spans


def test_overlap_matching_equals_brute_force_on_random_sets() -> None:
    rng = np.random.default_rng(3)
    for _ in range(1500):
        a = _random_spans(rng, int(rng.integers(0, 7)), "X")
        b = _random_spans(rng, int(rng.integers(0, 7)), "X")
        xs, ys = sorted(set(a)), sorted(set(b))
        matching = maximum_overlap_matching(xs, ys)
        assert len(matching) == _brute_force(xs, ys)
        # a matching: one to one, and only overlapping pairs
        assert len({i for i, _ in matching}) == len({j for _, j in matching}) == len(matching)
        assert all(xs[i].start < ys[j].end and ys[j].start < xs[i].end for i, j in matching)


def test_counts_add_up_and_are_symmetric() -> None:
    rng = np.random.default_rng(5)
    for _ in range(500):
        a = _random_spans(rng, int(rng.integers(0, 8)), "XYZ")
        b = _random_spans(rng, int(rng.integers(0, 8)), "XYZ")
        for mode in ("strict", "overlap"):
            forward, backward = span_counts(a, b, mode), span_counts(b, a, mode)
            assert {k: (c.matched, c.a, c.b) for k, c in forward.items()} == {
                k: (c.matched, c.b, c.a) for k, c in backward.items()
            }
            total = sum(forward.values(), SpanCounts())
            assert total.a == len(set(a)) and total.b == len(set(b))
        # strict matches are overlap matches
        strict, overlap = span_counts(a, b, "strict"), span_counts(a, b, "overlap")
        assert all(strict[k].matched <= overlap[k].matched for k in strict)
        # an annotator agrees fully with itself
        if a:
            assert sum(span_counts(a, a, "overlap").values(), SpanCounts()).f1 == 1.0
