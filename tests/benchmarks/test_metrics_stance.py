"""Stance scores against scikit-learn, and SemEval-2016's F_avg."""

from __future__ import annotations

import random
import warnings

import numpy as np
import pytest
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from warta.benchmarks.metrics.stance import score_stance, scores_from_sums

LABELS = ["FAVOR", "AGAINST", "NONE"]


@pytest.mark.parametrize("seed", range(4))
def test_equals_scikit_learn_on_random_labels(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(60):
        n = rng.randint(1, 40)
        weights = [rng.random() for _ in LABELS]
        gold = rng.choices(LABELS, weights, k=n)
        pred = [g if rng.random() < 0.5 else rng.choice(LABELS) for g in gold]
        ev = score_stance(gold, pred, labels=LABELS)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p, r, f, support = precision_recall_fscore_support(gold, pred, labels=LABELS, zero_division=0)
            macro = f1_score(gold, pred, labels=LABELS, average="macro", zero_division=0)
        assert np.array_equal(ev.confusion, confusion_matrix(gold, pred, labels=LABELS))
        assert ev.accuracy == accuracy_score(gold, pred)
        assert ev.macro_f1 == macro
        per = ev.per_class()
        for i, label in enumerate(LABELS):
            assert (per[label].precision or 0.0) == p[i]
            assert (per[label].recall or 0.0) == r[i]
            assert ev.f1(label) == f[i]
            assert per[label].n_gold == support[i]
        assert ev.f_avg == (f[0] + f[1]) / 2
        vectorised = scores_from_sums(ev.statistics.sum(0), LABELS)
        assert vectorised["macro_f1"] == macro and vectorised["f_avg"] == ev.f_avg
        assert vectorised["accuracy"] == ev.accuracy


def test_f_avg_ignores_none_class_but_none_errors_count() -> None:
    gold = ["FAVOR", "AGAINST", "NONE", "NONE"]
    perfect_on_none = score_stance(gold, ["FAVOR", "AGAINST", "NONE", "NONE"], labels=LABELS)
    assert perfect_on_none.f_avg == 1.0
    none_as_favor = score_stance(gold, ["FAVOR", "AGAINST", "NONE", "FAVOR"], labels=LABELS)
    # F1(FAVOR) = 2*1 / (2*1 + 1 + 0) = 2/3; F1(AGAINST) = 1
    assert none_as_favor.f_avg == pytest.approx((2 / 3 + 1) / 2)
    assert none_as_favor.f1("NONE") == pytest.approx(2 / 3)


def test_missing_predictions_are_wrong_but_no_false_positive() -> None:
    gold = ["FAVOR", "AGAINST", "NONE"]
    ev = score_stance(gold, ["FAVOR", None, "NONE"], labels=LABELS)
    assert ev.accuracy == pytest.approx(2 / 3)
    assert ev.per_class()["AGAINST"].fn == 1 and ev.per_class()["AGAINST"].fp == 0
    assert ev.confusion.sum() == 2 and ev.missing.tolist() == [0, 1, 0]
    assert ev.f_avg == pytest.approx(0.5)


def test_unknown_label_is_an_error() -> None:
    with pytest.raises(ValueError, match="NEUTRAL"):
        score_stance(["FAVOR"], ["NEUTRAL"], labels=LABELS)
