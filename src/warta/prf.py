"""Counts that add up: true positives, false positives, false negatives.

In the spirit of spaCy's ``PRFScore``: micro averages, per-type scores, per-document shards and
bootstrap resamples are all sums of :class:`PRF` counts followed by one division. Benchmark scoring
and the annotators-against-gold comparison of agreement use the same counts, so their figures agree.

Undefined values are ``None``, never a silent 0:

* ``precision`` is ``None`` when nothing was predicted (``tp + fp == 0``);
* ``recall`` is ``None`` when there is nothing to find (``tp + fn == 0``);
* ``f1`` is ``None`` only when both are undefined (``tp + fp + fn == 0``). When just one of them is
  undefined, F1 is 0.0: predicting nothing where gold exists, or predicting something where there
  is nothing, is a complete failure. This equals scikit-learn's ``f1_score`` with
  ``zero_division=0`` and seqeval's default, which report 0.0 in those cases.

F1 is computed as ``2 * P * R / (P + R)``, the formula seqeval and nervaluate use, so that values
are bit-identical with theirs (scikit-learn's ``2 tp / (2 tp + fp + fn)`` can differ in the last bit;
:mod:`warta.benchmarks.metrics.stance` uses that form where it has to equal scikit-learn).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


def safe_div(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator`` or ``None`` when the denominator is 0."""
    return numerator / denominator if denominator else None


def f1_from(precision: float | None, recall: float | None) -> float | None:
    """Harmonic mean with the module's conventions (see the module docstring)."""
    if precision is None and recall is None:
        return None
    p = precision or 0.0
    r = recall or 0.0
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


@dataclass
class PRF:
    """Counts of one label (or of all labels, for micro averages)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def __iadd__(self, other: PRF) -> PRF:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @classmethod
    def total(cls, counts: Iterable[PRF]) -> PRF:
        out = cls()
        for c in counts:
            out += c
        return out

    @property
    def n_predicted(self) -> int:
        return self.tp + self.fp

    @property
    def n_gold(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float | None:
        return safe_div(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return safe_div(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        return f1_from(self.precision, self.recall)

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def macro(values: Iterable[float | None]) -> float | None:
    """Unweighted mean, counting an undefined value as 0.0 (seqeval / scikit-learn ``zero_division=0``).

    ``None`` when there is nothing to average. Summation is left to right, as numpy does for fewer
    than eight values, so results equal ``np.mean`` of the same list for typical label sets.
    """
    items = [0.0 if v is None else v for v in values]
    if not items:
        return None
    total = 0.0
    for v in items:
        total += v
    return total / len(items)


def macro_prf(scores: Sequence[Any]) -> tuple[float | None, float | None, float | None]:
    """Macro (precision, recall, F1) over per-label scores (anything with ``precision``, ``recall`` and
    ``f1``); ``(None, None, None)`` when there is no label to average."""
    if not scores:
        return None, None, None
    return (
        macro(s.precision for s in scores),
        macro(s.recall for s in scores),
        macro(s.f1 for s in scores),
    )
