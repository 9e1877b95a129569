"""Paired significance tests between two systems scored on the same documents.

Both follow sacreBLEU's ``significance.py`` and work on per-document sufficient statistics, so any
corpus metric (micro F1 from summed counts, mean ROUGE) is recomputed exactly on every trial:

* **paired bootstrap** (Koehn 2004; sacreBLEU ``--paired-bs``): the same resampled documents for both
  systems; ``d_r = |metric_A(r) - metric_B(r)|``; under the null hypothesis the differences are
  centred, ``s_r = d_r - mean(d)``; ``p = (#{s_r >= |Δ|} + 1) / (R + 1)`` with ``Δ`` the observed
  difference. Default 1000 resamples.
* **approximate randomisation** (Riezler and Maxwell 2005; sacreBLEU ``--paired-ar``): each trial swaps
  the two systems' statistics on a random half of the documents;
  ``p = (#{|metric_A' - metric_B'| >= |Δ|} + 1) / (T + 1)``. Default 10000 trials.

One deliberate difference from sacreBLEU: a trial counts when it is *at least* as extreme as the
observation (``>=``), where sacreBLEU uses ``>``. With ``>``, two identical systems get the smallest
possible p-value, ``1 / (T + 1)``, i.e. "significantly different"; with ``>=`` they get ``p = 1``. For
real differences the two agree except on exact ties. Comparisons use a relative tolerance of 1e-12
so that floating-point noise in recomputed scores is not taken for a difference. An undefined metric
value (NaN) counts as 0 in the tests. Seeds make every p-value reproducible; p is always in (0, 1].
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from warta.benchmarks.bootstrap import DEFAULT_SEED, MetricFn, resample_weights

DEFAULT_BOOTSTRAP_RESAMPLES = 1000
DEFAULT_AR_TRIALS = 10000
_TOLERANCE = 1e-12
_BLOCK_ELEMENTS = 4_000_000


@dataclass(frozen=True)
class PairedResult:
    """Observed scores of A and B, their difference ``A - B``, and the two-sided p-value."""

    score_a: float | None
    score_b: float | None
    delta: float | None
    p_value: float

    def as_dict(self) -> dict[str, float | None]:
        return {"a": self.score_a, "b": self.score_b, "delta": self.delta, "p_value": self.p_value}


def _check(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"paired tests need statistics of the same shape, got {a.shape} and {b.shape}")
    return a, b


def _observed(fn: MetricFn, a: np.ndarray, b: np.ndarray) -> tuple[float | None, float | None, float]:
    n = np.array([float(a.shape[0])])
    sa = float(fn(a.sum(0)[None, :], n)[0])
    sb = float(fn(b.sum(0)[None, :], n)[0])
    diff = abs(np.nan_to_num(sa) - np.nan_to_num(sb))
    return (None if np.isnan(sa) else sa), (None if np.isnan(sb) else sb), diff


def _at_least(values: np.ndarray, observed: float) -> int:
    return int(np.count_nonzero(values >= observed - _TOLERANCE * max(1.0, observed)))


def paired_bootstrap(
    stats_a: np.ndarray,
    stats_b: np.ndarray,
    metric: MetricFn,
    *,
    resamples: int = DEFAULT_BOOTSTRAP_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> PairedResult:
    """Paired bootstrap resampling test of ``metric`` between systems A and B (see module docstring)."""
    return paired_bootstrap_all(stats_a, stats_b, {"metric": metric}, resamples=resamples, seed=seed)["metric"]


def paired_bootstrap_all(
    stats_a: np.ndarray,
    stats_b: np.ndarray,
    metrics: dict[str, MetricFn],
    *,
    resamples: int = DEFAULT_BOOTSTRAP_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> dict[str, PairedResult]:
    """:func:`paired_bootstrap` of several metrics on the same resamples (each as if run alone)."""
    a, b = _check(stats_a, stats_b)
    observed = {name: _observed(fn, a, b) for name, fn in metrics.items()}
    n = a.shape[0]
    diffs: dict[str, list[np.ndarray]] = {name: [] for name in metrics}
    if n:
        for w in resample_weights(n, resamples, seed):
            w = w.astype(np.float64)
            k = np.full(w.shape[0], float(n))
            sums_a, sums_b = w @ a, w @ b
            for name, fn in metrics.items():
                diffs[name].append(np.abs(np.nan_to_num(fn(sums_a, k)) - np.nan_to_num(fn(sums_b, k))))
    out = {}
    for name, (sa, sb, diff) in observed.items():
        delta = None if sa is None or sb is None else sa - sb
        if not n:
            out[name] = PairedResult(sa, sb, delta, 1.0)
            continue
        d = np.concatenate(diffs[name])
        c = _at_least(d - d.mean(), diff)
        out[name] = PairedResult(sa, sb, delta, (c + 1) / (resamples + 1))
    return out


def _swap_masks(n: int, trials: int, seed: int) -> Iterator[np.ndarray]:
    rng = np.random.default_rng(seed)
    block = max(1, _BLOCK_ELEMENTS // max(n, 1))
    done = 0
    while done < trials:
        rows = min(block, trials - done)
        yield rng.integers(2, size=(rows, n), dtype=bool)
        done += rows


def approximate_randomization(
    stats_a: np.ndarray,
    stats_b: np.ndarray,
    metric: MetricFn,
    *,
    trials: int = DEFAULT_AR_TRIALS,
    seed: int = DEFAULT_SEED,
) -> PairedResult:
    """Paired approximate randomisation test of ``metric`` between systems A and B."""
    return approximate_randomization_all(stats_a, stats_b, {"metric": metric}, trials=trials, seed=seed)["metric"]


def approximate_randomization_all(
    stats_a: np.ndarray,
    stats_b: np.ndarray,
    metrics: dict[str, MetricFn],
    *,
    trials: int = DEFAULT_AR_TRIALS,
    seed: int = DEFAULT_SEED,
) -> dict[str, PairedResult]:
    """:func:`approximate_randomization` of several metrics on the same trials (each as if run alone)."""
    a, b = _check(stats_a, stats_b)
    observed = {name: _observed(fn, a, b) for name, fn in metrics.items()}
    n = a.shape[0]
    counts = dict.fromkeys(metrics, 0)
    if n:
        total_a, total_b = a.sum(0), b.sum(0)
        diff_ab = a - b
        for swap in _swap_masks(n, trials, seed):
            # shuffled A' = A + swap @ (B - A); B' = B + swap @ (A - B)
            moved = swap.astype(np.float64) @ diff_ab
            k = np.full(swap.shape[0], float(n))
            shuf_a, shuf_b = total_a[None, :] - moved, total_b[None, :] + moved
            for name, fn in metrics.items():
                gap = np.abs(np.nan_to_num(fn(shuf_a, k)) - np.nan_to_num(fn(shuf_b, k)))
                counts[name] += _at_least(gap, observed[name][2])
    out = {}
    for name, (sa, sb, _) in observed.items():
        delta = None if sa is None or sb is None else sa - sb
        out[name] = PairedResult(sa, sb, delta, 1.0 if not n else (counts[name] + 1) / (trials + 1))
    return out
