"""The paired permutation (sign-flip) test and Holm–Bonferroni, against scipy and statsmodels."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats
from statsmodels.stats.multitest import multipletests

from warta.benchmarks.significance import (
    EXACT_MAX_DOCUMENTS,
    approximate_randomization,
    holm,
    paired_bootstrap,
    paired_permutation,
    paired_permutation_all,
    smallest_p,
)


def mean_of_first(sums: np.ndarray, n: np.ndarray) -> np.ndarray:
    return sums[..., 0] / n


def micro_f1(sums: np.ndarray, n: np.ndarray) -> np.ndarray:
    tp, fp, fn = sums[..., 0], sums[..., 1], sums[..., 2]
    denom = 2 * tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, 2 * tp / np.where(denom > 0, denom, 1), np.nan)


def _column(values: list[float]) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)[:, None]


@pytest.mark.parametrize(
    ("a", "b", "p"),
    [
        ([1.0], [0.0], 1.0),  # n = 1: the swap mirrors the observation, 2 of 2
        ([1.0, 1.0], [0.0, 0.0], 0.5),  # n = 2: mean differences {1, 0, 0, -1}, |d| >= 1 in 2 of 4
        ([1.0, 0.0], [0.0, 1.0], 1.0),  # one win each: observed 0
        ([1.0, 1.0, 1.0], [0.0, 0.0, 0.0], 0.25),  # n = 3: the floor 2 / 2^3
        ([3.0, 1.0, 1.0], [0.0, 0.0, 0.0], 0.25),  # sums ±3±1±1: |s| >= 5 in 2 of 8
        ([3.0, 1.0, 0.0], [0.0, 0.0, 1.0], 0.75),  # d = (3, 1, -1): |s| >= 3 in 6 of 8
    ],
)
def test_hand_cases(a: list[float], b: list[float], p: float) -> None:
    result = paired_permutation(_column(a), _column(b), mean_of_first)
    assert result.exact and result.p_value == pytest.approx(p, abs=1e-15)
    assert result.permutations == 2 ** len(a)
    assert result.smallest_p == smallest_p(len(a)) == min(1.0, 2 / 2 ** len(a))


def test_smallest_p_at_any_n() -> None:
    assert [smallest_p(n) for n in (0, 1, 2, 5, 6)] == [1.0, 1.0, 0.5, 0.0625, 0.03125]
    assert smallest_p(10_000) == 0.0  # far below any alpha, no overflow
    assert smallest_p(10_000, trials=9_999) == 1 / 10_000
    assert smallest_p(EXACT_MAX_DOCUMENTS, trials=10) == 2 / 2**EXACT_MAX_DOCUMENTS


def test_identical_systems_get_p_one_and_empty_input_too() -> None:
    stats = np.random.default_rng(3).integers(0, 5, (7, 3))
    assert paired_permutation(stats, stats.copy(), micro_f1).p_value == 1.0
    empty = paired_permutation(np.zeros((0, 3)), np.zeros((0, 3)), micro_f1)
    assert empty.p_value == 1.0 and empty.smallest_p == 1.0


def test_seed_leaderboard_case_cannot_be_significant_but_bootstrap_claims_it() -> None:
    """The committed ROUGE-L pair: per-document differences -0.105 and +0.0009 over 2 articles."""
    a = _column([0.2598, 0.2890])
    b = _column([0.3648, 0.2881])
    assert paired_permutation(a, b, mean_of_first).p_value == 1.0
    assert approximate_randomization(a, b, mean_of_first, trials=2000).p_value == 1.0
    # the centred bootstrap never reaches the observation: p is stuck at its floor
    assert paired_bootstrap(a, b, mean_of_first, resamples=999).p_value == pytest.approx(1 / 1000)


def _scipy_p(a: np.ndarray, b: np.ndarray, fn) -> float:
    def statistic(x: np.ndarray, y: np.ndarray, axis: int) -> np.ndarray:
        return np.nan_to_num(fn(x.sum(axis=-1), None)) - np.nan_to_num(fn(y.sum(axis=-1), None))

    return scipy.stats.permutation_test(
        (a.T, b.T), statistic, permutation_type="samples", n_resamples=np.inf, vectorized=True, axis=-1
    ).pvalue


@pytest.mark.parametrize("seed", range(60))
def test_exact_test_equals_scipy_permutation_test(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 13))
    a = rng.integers(0, 5, (n, 3)).astype(np.float64)
    b = rng.integers(0, 5, (n, 3)).astype(np.float64)
    if seed % 3 == 0:  # systems that differ a lot, so small p-values are exercised too
        b[:, 0] = np.maximum(0, b[:, 0] - 3)
    both = paired_permutation_all(a, b, {"f1": micro_f1, "mean": mean_of_first})
    assert both["f1"].exact and both["f1"].permutations == 2**n
    assert both["f1"].p_value == pytest.approx(_scipy_p(a, b, micro_f1), rel=1e-12)
    real_a, real_b = rng.random((n, 1)), rng.random((n, 1))
    mean = paired_permutation(real_a, real_b, mean_of_first)
    assert mean.p_value == pytest.approx(_scipy_p(real_a, real_b, lambda s, _: s[..., 0] / n), rel=1e-12)


def test_above_the_exact_limit_it_is_randomisation_and_says_so() -> None:
    rng = np.random.default_rng(5)
    n = EXACT_MAX_DOCUMENTS + 1
    a, b = rng.integers(0, 5, (n, 3)), rng.integers(0, 5, (n, 3))
    result = paired_permutation(a, b, micro_f1, trials=999, seed=9)
    assert not result.exact and result.permutations == 999
    assert result.p_value == approximate_randomization(a, b, micro_f1, trials=999, seed=9).p_value
    assert result.smallest_p == 1 / 1000
    # forcing randomisation at small n gives a p close to the exact one
    a, b = rng.integers(0, 5, (12, 3)), rng.integers(0, 3, (12, 3))
    exact = paired_permutation(a, b, micro_f1)
    approx = paired_permutation(a, b, micro_f1, exact_max=5, trials=20000)
    assert not approx.exact and abs(approx.p_value - exact.p_value) < 0.02


@pytest.mark.parametrize("seed", range(40))
def test_holm_equals_statsmodels(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 12))
    p = rng.random(m) ** 3
    if seed % 4 == 0:
        p[: m // 2] = p[0]  # ties
    reject, adjusted, _, _ = multipletests(p, alpha=0.05, method="holm")
    ours = holm(p)
    assert ours == pytest.approx(list(adjusted), rel=1e-12, abs=0)
    assert [x <= 0.05 for x in ours] == list(reject)
    assert holm([]) == []
