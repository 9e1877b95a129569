"""Seeded percentile bootstrap over documents.

Every figure is a function of counts that add up over documents (span counts, confusion matrices,
Fleiss and α statistics). A resample draws as many documents as there are, with replacement, adds
the drawn documents' counts and recomputes the figure, so a resample is scored like a corpus, not
as a mean of per-document scores. The interval is the ``(1 − c)/2`` and ``(1 + c)/2`` quantiles
(numpy's default linear interpolation) of the resampled figures; resamples where the figure is
undefined are left out, and the interval is ``None`` when every resample is undefined.

Draws come from ``numpy.random.default_rng([seed, crc32(scope)])``: the same seed gives the same
digits, and each scope (an annotator pair, Fleiss, a stance level) has its own stream, so adding an
annotator does not move the other pairs' intervals. All figures of one scope share the same
resampled documents (a paired bootstrap).
"""

from __future__ import annotations

import zlib

import numpy as np


class DocumentResampler:
    """The resampled document counts of one scope: a ``(resamples, documents)`` weight matrix."""

    def __init__(
        self, documents: int, *, seed: int, scope: str, resamples: int, confidence: float = 0.95
    ) -> None:
        if not 0 < confidence < 1:
            raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
        self.confidence = confidence
        self.documents = documents
        self.resamples = resamples if documents else 0
        rng = np.random.default_rng([seed, zlib.crc32(scope.encode("utf-8"))])
        draws = rng.integers(0, max(documents, 1), size=(self.resamples, documents))
        weights = np.zeros((self.resamples, documents), dtype=np.float64)
        rows = np.repeat(np.arange(self.resamples), documents)
        np.add.at(weights, (rows, draws.ravel()), 1.0)
        self.weights = weights

    def interval(self, per_document: np.ndarray, statistic) -> tuple[float, float] | None:
        """Percentile interval of ``statistic`` (rows of summed counts -> figures, ``nan`` if undefined)."""
        if self.resamples == 0:
            return None
        stats = np.asarray(per_document, dtype=np.float64).reshape(self.documents, -1)
        values = np.asarray(statistic(self.weights @ stats), dtype=np.float64)
        values = values[np.isfinite(values)]
        if values.size == 0:
            return None
        tail = (1 - self.confidence) / 2
        low, high = np.quantile(values, [tail, 1 - tail])
        return float(low), float(high)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator``, ``nan`` where the denominator is 0 (the figure is undefined)."""
    numerator, denominator = np.broadcast_arrays(
        np.asarray(numerator, dtype=np.float64), np.asarray(denominator, dtype=np.float64)
    )
    out = np.full(denominator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def f1_statistic(totals: np.ndarray) -> np.ndarray:
    """Columns ``matched, a, b`` -> ``2·matched/(a + b)``."""
    denominator = totals[:, 1] + totals[:, 2]
    return _ratio(2 * totals[:, 0], denominator)


def cohen_statistic(categories: int):
    """Columns: a flattened ``categories × categories`` confusion matrix -> Cohen's κ."""

    def statistic(totals: np.ndarray) -> np.ndarray:
        matrix = totals.reshape(-1, categories, categories)
        n = matrix.sum(axis=(1, 2))
        agree = np.trace(matrix, axis1=1, axis2=2)
        chance = (matrix.sum(axis=2) * matrix.sum(axis=1)).sum(axis=1)
        denominator = n * n - chance
        return _ratio(n * agree - chance, np.where(n == 0, 0.0, denominator))

    return statistic


def fleiss_statistic(raters: int):
    """Columns ``items, Σ n_ij², category totals...`` -> Fleiss' κ for ``raters`` ratings per item."""

    def statistic(totals: np.ndarray) -> np.ndarray:
        ratings = totals[:, 0] * raters
        squares = totals[:, 1]
        chance = (totals[:, 2:] ** 2).sum(axis=1)
        denominator = (raters - 1) * (ratings * ratings - chance)
        numerator = ratings * (squares - ratings) - chance * (raters - 1)
        return _ratio(numerator, denominator)

    return statistic


def alpha_statistic(totals: np.ndarray) -> np.ndarray:
    """Columns ``Σ_{c≠k} o_ck, n_c...`` -> nominal Krippendorff's α."""
    n = totals[:, 1:].sum(axis=1)
    expected = n * n - (totals[:, 1:] ** 2).sum(axis=1)
    return 1 - _ratio((n - 1) * totals[:, 0], expected)
