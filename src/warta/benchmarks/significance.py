"""Paired significance tests between two systems scored on the same documents.

All of them work on per-document sufficient statistics, so any corpus metric (micro F1 from summed
counts, mean ROUGE) is recomputed exactly on every trial. A document is an article for every task
(a stance article's rows are summed into one row, :mod:`warta.benchmarks.units`), so ``n`` below is
the number of articles and an article's rows are always swapped together:

* **paired permutation (sign-flip) test**, the leaderboard's test (:func:`paired_permutation_all`):
  under the null hypothesis the two systems are exchangeable on every document, so swapping their
  statistics on any subset of the documents is as likely as the observation. With ``n <=``
  :data:`EXACT_MAX_DOCUMENTS` documents all ``2^n`` swaps are enumerated and
  ``p = #{|metric_A' - metric_B'| >= |Δ|} / 2^n`` is exact (it equals
  ``scipy.stats.permutation_test(..., permutation_type="samples", n_resamples=np.inf)`` with the
  signed difference as statistic); above that it falls back to approximate randomisation (below)
  and says so (``exact=False``). The swap of all documents mirrors the observation, so the smallest
  attainable p is ``2 / 2^n``: with 5 documents or fewer no outcome reaches ``p < 0.05``
  (:func:`smallest_p`). Holm–Bonferroni (:func:`holm`) adjusts a family of such p-values.

The other two follow sacreBLEU's ``significance.py``:

* **paired bootstrap** (Koehn 2004; sacreBLEU ``--paired-bs``): the same resampled documents for both
  systems; ``d_r = |metric_A(r) - metric_B(r)|``; under the null hypothesis the differences are
  centred, ``s_r = d_r - mean(d)``; ``p = (#{s_r >= |Δ|} + 1) / (R + 1)`` with ``Δ`` the observed
  difference. Default 1000 resamples.
* **approximate randomisation** (Riezler and Maxwell 2005; sacreBLEU ``--paired-ar``): each trial swaps
  the two systems' statistics on a random half of the documents;
  ``p = (#{|metric_A' - metric_B'| >= |Δ|} + 1) / (T + 1)``. Default 10000 trials.

**The paired bootstrap fails at small n.** Its null distribution is the bootstrap distribution of
``|Δ|`` shifted to mean 0, and with few documents it has only a handful of distinct values: over
2 documents whose per-document differences are -0.105 and +0.0009 the centred resampled values are
{-0.0523, -0.0011, +0.0520} for an observed |Δ| = 0.0521, so no resample reaches the observation and
p sits at its floor ``1 / (R + 1)`` (0.001 with 1000 resamples), although one system wins one
article and the other the other. It stays available in ``warta bench compare`` for large test
sets, where it agrees with the permutation test; the leaderboard never uses it.

One deliberate difference from sacreBLEU: a trial counts when it is *at least* as extreme as the
observation (``>=``), where sacreBLEU uses ``>``. With ``>``, two identical systems get the smallest
possible p-value, ``1 / (T + 1)``, i.e. "significantly different"; with ``>=`` they get ``p = 1``. For
real differences the two agree except on exact ties. Comparisons use a relative tolerance of 1e-12
so that floating-point noise in recomputed scores is not taken for a difference. An undefined metric
value (NaN) counts as 0 in the tests. Seeds make every p-value reproducible; p is always in (0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from warta.benchmarks.bootstrap import DEFAULT_SEED, MetricFn, resample_weights

DEFAULT_BOOTSTRAP_RESAMPLES = 1000
DEFAULT_AR_TRIALS = 10000
#: Up to this many documents the permutation test enumerates every swap (2^20 ~ 1 million).
EXACT_MAX_DOCUMENTS = 20
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


@dataclass(frozen=True)
class PermutationResult:
    """A paired permutation test: scores, ``A - B``, the two-sided p-value, and how it was obtained.

    ``exact`` is true when every one of the ``2^n`` swaps was enumerated; ``permutations`` is the
    number of swaps evaluated (``2^n``, or the randomisation trials); ``smallest_p`` is the smallest
    p-value the test could have given on these ``n`` documents.
    """

    score_a: float | None
    score_b: float | None
    delta: float | None
    p_value: float
    exact: bool
    permutations: int
    smallest_p: float

    def as_dict(self) -> dict[str, float | int | bool | None]:
        return {
            "a": self.score_a,
            "b": self.score_b,
            "delta": self.delta,
            "p_value": self.p_value,
            "exact": self.exact,
            "permutations": self.permutations,
            "smallest_p": self.smallest_p,
        }


def smallest_p(n_documents: int, *, trials: int | None = None) -> float:
    """The smallest two-sided p a paired permutation test can give on ``n_documents`` documents.

    Exact: ``2 / 2^n`` (the observation and its mirror image, all documents swapped, are always
    at least as extreme); with ``trials`` randomisation trials it cannot go below ``1 / (trials + 1)``.
    """
    if n_documents <= 0:
        return 1.0
    exact = min(1.0, math.ldexp(1.0, 1 - n_documents))  # 2 / 2^n, 0.0 once it underflows
    if trials is None or n_documents <= EXACT_MAX_DOCUMENTS:
        return exact
    return max(exact, 1.0 / (trials + 1))


def _enumerated_masks(n: int) -> Iterator[np.ndarray]:
    """Blocks of every swap pattern of ``n`` documents whose last document is *not* swapped.

    The other half are their complements, which give the same ``|Δ|`` with the sign flipped
    (``A'`` of a swap set is ``B'`` of its complement), so counting this half twice is exact.
    """
    half = 1 << (n - 1)
    bits = np.arange(n - 1, dtype=np.int64)
    block = max(1, min(half, _BLOCK_ELEMENTS // max(n, 1)))
    for start in range(0, half, block):
        codes = np.arange(start, min(half, start + block), dtype=np.int64)
        masks = np.zeros((codes.size, n), dtype=np.float64)
        masks[:, : n - 1] = (codes[:, None] >> bits) & 1
        yield masks


def paired_permutation(
    stats_a: np.ndarray,
    stats_b: np.ndarray,
    metric: MetricFn,
    *,
    trials: int = DEFAULT_AR_TRIALS,
    seed: int = DEFAULT_SEED,
    exact_max: int = EXACT_MAX_DOCUMENTS,
) -> PermutationResult:
    """Paired permutation test of ``metric`` between A and B: exact up to ``exact_max`` documents."""
    return paired_permutation_all(
        stats_a, stats_b, {"metric": metric}, trials=trials, seed=seed, exact_max=exact_max
    )["metric"]


def paired_permutation_all(
    stats_a: np.ndarray,
    stats_b: np.ndarray,
    metrics: dict[str, MetricFn],
    *,
    trials: int = DEFAULT_AR_TRIALS,
    seed: int = DEFAULT_SEED,
    exact_max: int = EXACT_MAX_DOCUMENTS,
) -> dict[str, PermutationResult]:
    """:func:`paired_permutation` of several metrics on the same swaps (each as if run alone).

    With more than ``exact_max`` documents this is :func:`approximate_randomization_all` with
    ``trials`` trials and ``seed`` (``exact=False``).
    """
    a, b = _check(stats_a, stats_b)
    n = a.shape[0]
    if n > exact_max:
        ar = approximate_randomization_all(a, b, metrics, trials=trials, seed=seed)
        floor = smallest_p(n, trials=trials)
        return {
            name: PermutationResult(r.score_a, r.score_b, r.delta, r.p_value, False, trials, floor)
            for name, r in ar.items()
        }
    observed = {name: _observed(fn, a, b) for name, fn in metrics.items()}
    counts = dict.fromkeys(metrics, 0)
    if n:
        total_a, total_b = a.sum(0), b.sum(0)
        diff_ab = a - b
        for masks in _enumerated_masks(n):
            moved = masks @ diff_ab
            k = np.full(masks.shape[0], float(n))
            shuf_a, shuf_b = total_a[None, :] - moved, total_b[None, :] + moved
            for name, fn in metrics.items():
                gap = np.abs(np.nan_to_num(fn(shuf_a, k)) - np.nan_to_num(fn(shuf_b, k)))
                counts[name] += 2 * _at_least(gap, observed[name][2])
    total = 1 << n
    out = {}
    for name, (sa, sb, _) in observed.items():
        delta = None if sa is None or sb is None else sa - sb
        p = 1.0 if not n else min(1.0, counts[name] / total)
        out[name] = PermutationResult(sa, sb, delta, p, True, total, smallest_p(n))
    return out


def holm(p_values: list[float] | np.ndarray) -> list[float]:
    """Holm–Bonferroni adjusted p-values, in input order (``statsmodels`` ``multipletests(method="holm")``).

    Sorted ascending, ``p_(i)`` becomes ``max_{j <= i} min(1, (m - j + 1) * p_(j))``; a hypothesis is
    rejected at level alpha when its adjusted p is at most alpha (strong control of the
    family-wise error rate, no assumption on how the tests depend on each other).
    """
    p = np.asarray(p_values, dtype=np.float64)
    m = p.size
    if m == 0:
        return []
    order = np.argsort(p, kind="stable")
    scaled = np.minimum(1.0, (m - np.arange(m)) * p[order])
    adjusted = np.empty(m)
    adjusted[order] = np.maximum.accumulate(scaled)
    return [float(x) for x in adjusted]
