"""Stance classification scores, equal to scikit-learn's and to SemEval-2016 Task 6's F_avg.

* ``accuracy`` — ``sklearn.metrics.accuracy_score``;
* per class P, R, F1 — ``precision_recall_fscore_support(y_true, y_pred, labels=LABELS,
  zero_division=0)`` with F1 computed as scikit-learn does, ``2 tp / (2 tp + fp + fn)``;
* ``macro_f1`` — ``f1_score(..., labels=LABELS, average="macro", zero_division=0)``: the mean over
  *all* schema labels, a label that is neither in gold nor predicted counting 0;
* ``f_avg`` — SemEval-2016 Task 6: ``(F1(FAVOR) + F1(AGAINST)) / 2``. NONE is not averaged, but a NONE
  item predicted as FAVOR still lowers F1(FAVOR) (and a FAVOR item predicted NONE its recall);
* the confusion matrix — ``confusion_matrix(y_true, y_pred, labels=LABELS)``: rows are gold labels,
  columns predicted labels, both in schema order.

``zero_division``: in the per-class table (:meth:`StanceEvaluation.per_class`) an undefined precision
or recall is ``None``; in ``macro_f1`` and ``f_avg`` an undefined F1 (label neither in gold nor
predicted) counts as 0, exactly like scikit-learn with ``zero_division=0``.

A missing prediction (``None``, an id a submission left out and that was allowed to be missing) is
wrong: it counts as a false negative of its gold label and in the denominator of accuracy, but as
no class's false positive, and is kept outside the square confusion matrix (``gold>-`` columns).

The per-item sufficient statistics are one-hot confusion cells (``gold>pred`` columns, then
``gold>-``). Scoring sums them per article (:mod:`warta.benchmarks.units`), and every score is a
function of summed cells, so bootstrap resamples and paired tests over articles recompute every
score from a resampled confusion matrix, and the full-data scores equal the row-level ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from warta.prf import PRF

FAVOR, AGAINST = "FAVOR", "AGAINST"


def statistic_columns(labels: Sequence[str]) -> list[str]:
    return [f"{g}>{p}" for g in labels for p in labels] + [f"{g}>-" for g in labels]


def f1_sklearn(tp: float, fp: float, fn: float) -> float:
    """scikit-learn's F1, ``2 tp / (2 tp + fp + fn)`` in its exact floating-point form; 0.0 if undefined."""
    denom = float(tp + fn) + float(tp + fp)
    return 2.0 * tp / denom if denom else 0.0


@dataclass(frozen=True)
class StanceEvaluation:
    labels: tuple[str, ...]
    statistics: np.ndarray  # (n_items, L*L + L) one-hot cells: gold x predicted (row-major), gold x missing

    @property
    def columns(self) -> list[str]:
        return statistic_columns(self.labels)

    @property
    def confusion(self) -> np.ndarray:
        n = len(self.labels)
        return self.statistics.sum(0)[: n * n].reshape(n, n)

    @property
    def missing(self) -> np.ndarray:
        n = len(self.labels)
        return self.statistics.sum(0)[n * n :]

    def per_class(self) -> dict[str, PRF]:
        cm, missing = self.confusion, self.missing
        out = {}
        for i, label in enumerate(self.labels):
            tp = int(cm[i, i])
            out[label] = PRF(tp, int(cm[:, i].sum()) - tp, int(cm[i, :].sum()) + int(missing[i]) - tp)
        return out

    def f1(self, label: str) -> float:
        c = self.per_class()[label]
        return f1_sklearn(c.tp, c.fp, c.fn)

    @property
    def accuracy(self) -> float | None:
        cm = self.confusion
        total = int(cm.sum()) + int(self.missing.sum())
        return float(np.trace(cm)) / total if total else None

    @property
    def macro_f1(self) -> float | None:
        if not self.statistics.shape[0]:
            return None
        total = 0.0
        for label in self.labels:
            total += self.f1(label)
        return total / len(self.labels)

    @property
    def f_avg(self) -> float | None:
        if not self.statistics.shape[0]:
            return None
        return (self.f1(FAVOR) + self.f1(AGAINST)) / 2


def score_stance(
    gold: Sequence[str], predicted: Sequence[str | None], *, labels: Sequence[str]
) -> StanceEvaluation:
    """Score predicted labels against gold labels (item ``i`` of each); ``labels`` in schema order.

    A ``None`` prediction is a missing one (see the module docstring).
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predicted")
    labels = tuple(labels)
    if FAVOR not in labels or AGAINST not in labels:
        raise ValueError(f"stance labels must include {FAVOR} and {AGAINST}, got {labels}")
    index = {label: i for i, label in enumerate(labels)}
    n = len(labels)
    try:
        g = np.fromiter((index[x] for x in gold), dtype=np.int64, count=len(gold))
        p = np.fromiter((-1 if x is None else index[x] for x in predicted), dtype=np.int64, count=len(predicted))
    except KeyError as exc:
        raise ValueError(f"stance label {exc.args[0]!r} is not one of {labels}") from None
    stats = np.zeros((len(gold), n * n + n), dtype=np.int64)
    stats[np.arange(len(gold)), np.where(p >= 0, g * n + p, n * n + g)] = 1
    return StanceEvaluation(labels, stats)


def scores_from_sums(sums: np.ndarray, labels: Sequence[str]) -> dict[str, np.ndarray]:
    """accuracy, macro_f1, f_avg and per-class F1 arrays from summed confusion cells (vectorised).

    Same formulas as :class:`StanceEvaluation`; NaN where nothing was scored.
    """
    n = len(labels)
    sums = np.asarray(sums, dtype=np.float64)
    cm = sums[..., : n * n].reshape(sums.shape[:-1] + (n, n))
    missing = sums[..., n * n :]
    tp = np.diagonal(cm, axis1=-2, axis2=-1)
    true_sum = cm.sum(-1) + missing
    pred_sum = cm.sum(-2)
    denom = true_sum + pred_sum
    f1 = np.where(denom > 0, 2.0 * tp / np.where(denom > 0, denom, 1), 0.0)
    total = cm.sum((-1, -2)) + missing.sum(-1)
    ok = total > 0
    out = {f"f1.{label}": np.where(ok, f1[..., i], np.nan) for i, label in enumerate(labels)}
    macro_total = np.zeros(total.shape)
    for i in range(n):
        macro_total = macro_total + f1[..., i]
    out["macro_f1"] = np.where(ok, macro_total / n, np.nan)
    fi, ai = list(labels).index(FAVOR), list(labels).index(AGAINST)
    out["f_avg"] = np.where(ok, (f1[..., fi] + f1[..., ai]) / 2, np.nan)
    out["accuracy"] = np.where(ok, tp.sum(-1) / np.where(ok, total, 1), np.nan)
    return out
