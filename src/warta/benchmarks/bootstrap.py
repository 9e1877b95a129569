"""Seeded bootstrap confidence intervals over documents, from per-document sufficient statistics.

Corpus scores are not means of per-document scores (a corpus F1 is computed from summed tp/fp/fn),
so a resample is drawn over documents and the metric is recomputed from the resampled column sums:
``metric(W @ statistics)``, where row ``r`` of ``W`` counts how often each document was drawn in
resample ``r``. A document is an article for every task: the rows of one stance article arrive
summed into one row of statistics (:mod:`warta.benchmarks.units`), so they are drawn together.
The indices come from ``numpy.random.default_rng(seed).integers(0, n, (R, n))``, the same stream as
sacreBLEU's ``rng.choice(n, size=(R, n))``, generated in blocks of rows (which gives the same
numbers as one call) so memory stays bounded on large test sets.

The interval is the percentile interval (2.5th and 97.5th percentiles for ``alpha=0.05``, numpy's
default linear interpolation) of the resampled metric; resamples where the metric is undefined are
left out. The point estimate is the metric on the full data, not the bootstrap mean. Same inputs and
seed give the same digits: integer statistics (NER, stance) are summed exactly; float statistics
(per-document ROUGE) are summed by numpy/BLAS in a fixed order for a given installation.

:func:`rouge_score_bootstrap` reproduces ``rouge_score.scoring.BootstrapAggregator`` exactly (low and
high percentiles and the *median* of the resampled means as ``mid``) given the same legacy
``RandomState`` or seeded global numpy state; rouge_score itself draws from the unseeded global RNG,
so its intervals drift between runs.

**When an interval means little.** A percentile interval needs a bootstrap distribution with many
distinct values and enough documents for the resamples to mimic new test sets. Over ``n`` documents
there are at most ``C(2n - 1, n)`` distinct resamples (3 for ``n = 2``, 10 for ``n = 3``), so the
2.5th and 97.5th percentiles of 1000 resamples are just the extreme values and the interval looks far
more precise than it is (it also under-covers: the bootstrap variance is ``(n - 1) / n`` of the
sampling variance). Every interval therefore says whether it is *informative*: it is not when it
comes from fewer than :data:`MIN_DOCUMENTS` (10) documents, the usual rule of thumb below which
percentile intervals under-cover badly, or when the resampled metric takes fewer than
:data:`MIN_DISTINCT_VALUES` (20) distinct values, below which the 2.5th and 97.5th percentiles are
set by one or two resample values. The numbers are still reported; ``why`` says why not to trust them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 12345
DEFAULT_ALPHA = 0.05
#: Percentile intervals from fewer documents are flagged as not informative.
MIN_DOCUMENTS = 10
#: Percentile intervals from fewer distinct resampled values are flagged as not informative.
MIN_DISTINCT_VALUES = 20
#: Name of the interval method, written into results.
INTERVAL_METHOD = "bootstrap-percentile"
#: Upper bound on the elements of one block of the resample-index matrix.
_BLOCK_ELEMENTS = 4_000_000
#: Resamples gathered at once by :func:`rouge_score_bootstrap` (a (documents, rows, measures) array).
_GATHER_ROWS = 16

#: ``metric(sums, n_documents) -> values``; ``sums`` has shape (R, n_columns), values shape (R,).
MetricFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Interval:
    """A point estimate and its bootstrap percentile interval; ``None`` where undefined.

    ``informative`` is false (with the reason in ``why``) when the interval cannot be trusted (see
    the module docstring); ``distinct`` is the number of distinct defined resampled values.
    """

    value: float | None
    low: float | None
    high: float | None
    informative: bool = False
    why: str | None = None
    distinct: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "ci_low": self.low,
            "ci_high": self.high,
            "ci_informative": self.informative,
            "ci_note": self.why,
        }


def judge_interval(n_documents: int, distinct: int, resamples: int) -> tuple[bool, str | None]:
    """Whether a percentile interval over ``n_documents`` with ``distinct`` resampled values is informative."""
    if resamples <= 0:
        return False, "no bootstrap (0 resamples)"
    if n_documents < MIN_DOCUMENTS:
        noun = "document" if n_documents == 1 else "documents"
        return False, f"only {n_documents} {noun} (fewer than {MIN_DOCUMENTS}): the interval is not informative"
    if distinct < MIN_DISTINCT_VALUES:
        return False, (
            f"only {distinct} distinct resampled values (fewer than {MIN_DISTINCT_VALUES}): "
            "the interval is not informative"
        )
    return True, None


def distinct_values(values: np.ndarray) -> int:
    """Distinct defined values, equal to 12 significant digits (float noise is not a new value)."""
    defined = values[~np.isnan(values)]
    if defined.size == 0:
        return 0
    return int(np.unique(np.round(defined, 12)).size)


def _as_float(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def resample_weights(n: int, resamples: int, seed: int) -> Iterator[np.ndarray]:
    """Blocks of the (resamples, n) matrix of draw counts, in order, from one seeded generator."""
    rng = np.random.default_rng(seed)
    block = max(1, _BLOCK_ELEMENTS // max(n, 1))
    done = 0
    while done < resamples:
        rows = min(block, resamples - done)
        idx = rng.integers(0, n, size=(rows, n))
        offsets = (np.arange(rows, dtype=np.int64) * n)[:, None]
        yield np.bincount((idx + offsets).ravel(), minlength=rows * n).reshape(rows, n)
        done += rows


def resampled_sums(statistics: np.ndarray, *, resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> np.ndarray:
    """Column sums of every bootstrap resample: shape (resamples, n_columns), float64."""
    stats = np.asarray(statistics, dtype=np.float64)
    n = stats.shape[0]
    if n == 0:
        return np.zeros((resamples, stats.shape[1]))
    return np.concatenate([w.astype(np.float64) @ stats for w in resample_weights(n, resamples, seed)])


def percentile_interval(values: np.ndarray, alpha: float = DEFAULT_ALPHA) -> tuple[float | None, float | None]:
    """Percentile interval of the defined (non-NaN) values; ``(None, None)`` if none is defined."""
    defined = values[~np.isnan(values)]
    if defined.size == 0:
        return None, None
    low, high = np.percentile(defined, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(low), float(high)


def bootstrap_intervals(
    statistics: np.ndarray,
    metrics: dict[str, MetricFn],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    alpha: float = DEFAULT_ALPHA,
) -> dict[str, Interval]:
    """Point estimate and percentile interval of every metric, all from the same resamples."""
    stats = np.asarray(statistics, dtype=np.float64)
    n = stats.shape[0]
    full = stats.sum(0)[None, :]
    n_full = np.array([n], dtype=np.float64)
    out: dict[str, Interval] = {}
    if n == 0 or resamples <= 0:
        for name, fn in metrics.items():
            value = _as_float(fn(full, n_full)[0]) if n else None
            _, why = judge_interval(n, 0, resamples)
            out[name] = Interval(value, None, None, False, why, 0)
        return out
    sums = resampled_sums(stats, resamples=resamples, seed=seed)
    n_resampled = np.full(resamples, float(n))
    for name, fn in metrics.items():
        value = _as_float(fn(full, n_full)[0])
        resampled = np.asarray(fn(sums, n_resampled), dtype=np.float64)
        low, high = percentile_interval(resampled, alpha)
        distinct = distinct_values(resampled)
        informative, why = judge_interval(n, distinct, resamples)
        if low is None:
            informative, why = False, "undefined on every resample"
        out[name] = Interval(value, low, high, informative, why, distinct)
    return out


def rouge_score_bootstrap(
    matrix: np.ndarray,
    *,
    n_samples: int = 1000,
    confidence_interval: float = 0.95,
    random_state: np.random.RandomState | None = None,
) -> np.ndarray:
    """``BootstrapAggregator._bootstrap_resample``: rows (low, mid, high) x columns of ``matrix``.

    ``matrix`` is (documents, measures), e.g. precision, recall, F of one ROUGE type. Draws from
    ``random_state`` (default: numpy's global legacy RNG, as rouge_score does) exactly as
    rouge_score's ``np.random.choice(np.arange(n), size=n)`` loop, but all at once.
    """
    if not 0 <= confidence_interval <= 1:
        raise ValueError("confidence_interval must be in range [0, 1]")
    if n_samples <= 0:
        raise ValueError("n_samples must be positive")
    rs = random_state if random_state is not None else np.random.mtrand._rand
    matrix = np.ascontiguousarray(matrix, dtype=np.float64)  # gathers rows from a compact array
    n = matrix.shape[0]
    block = max(1, _BLOCK_ELEMENTS // max(n * matrix.shape[1], 1))
    sums = np.empty((n_samples, matrix.shape[1]))
    done = 0
    while done < n_samples:
        rows = min(block, n_samples - done)
        idx = rs.randint(0, n, size=(rows, n))
        # rouge_score sums each resample's rows in order (np.mean over axis 0); summing the drawn
        # rows of the (draw, resample, measure) array over axis 0 adds in the same order, so the
        # means are bit-identical. A few resamples at a time keep that array in cache.
        for start in range(0, rows, _GATHER_ROWS):
            part = idx[start : start + _GATHER_ROWS]
            sums[done + start : done + start + len(part)] = matrix.take(part.T, axis=0).sum(axis=0)
        done += rows
    sample_mean = sums / n
    delta = (1 - confidence_interval) / 2
    q = 100 * np.array([delta, 0.5, 1 - delta])
    return np.percentile(sample_mean, q, axis=0)
