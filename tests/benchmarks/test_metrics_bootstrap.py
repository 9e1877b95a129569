"""Seeded bootstrap intervals and paired significance tests over per-document statistics."""

from __future__ import annotations

import numpy as np
import pytest

from warta.benchmarks import bootstrap
from warta.benchmarks.bootstrap import bootstrap_intervals, resample_weights, resampled_sums
from warta.benchmarks.significance import approximate_randomization, paired_bootstrap


def micro_f1(sums: np.ndarray, n: np.ndarray) -> np.ndarray:
    tp, fp, fn = sums[..., 0], sums[..., 1], sums[..., 2]
    denom = 2 * tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, 2 * tp / np.where(denom > 0, denom, 1), np.nan)


def mean_of_first(sums: np.ndarray, n: np.ndarray) -> np.ndarray:
    return sums[..., 0] / n


def _system(seed: int, n: int = 300, skill: float = 0.7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    gold = rng.integers(0, 6, n)
    tp = rng.binomial(gold, skill)
    fp = rng.integers(0, 3, n)
    return np.stack([tp, fp, gold - tp], axis=1)


def test_same_seed_same_digits_other_seed_other_digits() -> None:
    stats = _system(0)
    a = bootstrap_intervals(stats, {"f1": micro_f1}, resamples=500, seed=7)
    b = bootstrap_intervals(stats, {"f1": micro_f1}, resamples=500, seed=7)
    c = bootstrap_intervals(stats, {"f1": micro_f1}, resamples=500, seed=8)
    assert a == b
    assert a["f1"].value == c["f1"].value and (a["f1"].low, a["f1"].high) != (c["f1"].low, c["f1"].high)


def test_interval_contains_the_point_estimate_and_shrinks_with_more_data() -> None:
    small = bootstrap_intervals(_system(1, n=50), {"f1": micro_f1}, seed=3)["f1"]
    large = bootstrap_intervals(_system(1, n=2000), {"f1": micro_f1}, seed=3)["f1"]
    for interval in (small, large):
        assert interval.low < interval.value < interval.high
    assert large.high - large.low < small.high - small.low


def test_resampled_sums_equal_an_explicit_loop_over_drawn_documents() -> None:
    stats = _system(2, n=37)
    sums = resampled_sums(stats, resamples=25, seed=11)
    rng = np.random.default_rng(11)
    idx = rng.integers(0, 37, size=(25, 37))  # the documented stream (sacreBLEU's rng.choice)
    assert np.array_equal(sums, stats[idx].sum(axis=1).astype(np.float64))


def test_blocks_of_resamples_give_the_same_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = np.concatenate(list(resample_weights(50, 40, seed=5)))
    monkeypatch.setattr(bootstrap, "_BLOCK_ELEMENTS", 120)  # blocks of 2 rows
    blocks = list(resample_weights(50, 40, seed=5))
    assert len(blocks) == 20 and np.array_equal(np.concatenate(blocks), whole)
    assert (whole.sum(axis=1) == 50).all()


def test_undefined_resamples_are_left_out_and_all_undefined_is_none() -> None:
    stats = np.array([[0, 0, 0]] * 5)
    interval = bootstrap_intervals(stats, {"f1": micro_f1}, resamples=50)["f1"]
    assert (interval.value, interval.low, interval.high) == (None, None, None)
    assert not interval.informative and interval.why == "undefined on every resample"


def test_intervals_say_when_they_are_not_informative() -> None:
    """Too few documents, or too few distinct resampled values, flag the interval."""
    two = _system(0, n=2)
    small = bootstrap_intervals(two, {"f1": micro_f1}, resamples=1000)["f1"]
    assert small.low is not None and not small.informative
    assert small.distinct <= 3 and "only 2 documents" in small.why
    # enough documents, but a metric with only a few possible values
    coarse = np.zeros((40, 1))
    coarse[0, 0] = 1.0
    few = bootstrap_intervals(coarse, {"mean": mean_of_first}, resamples=1000)["mean"]
    assert few.distinct < bootstrap.MIN_DISTINCT_VALUES and not few.informative
    assert "distinct resampled values" in few.why
    many = bootstrap_intervals(_system(0, n=300), {"f1": micro_f1}, resamples=1000)["f1"]
    assert many.informative and many.why is None and many.distinct >= bootstrap.MIN_DISTINCT_VALUES
    none = bootstrap_intervals(_system(0, n=300), {"f1": micro_f1}, resamples=0)["f1"]
    assert not none.informative and none.low is None
    assert bootstrap.judge_interval(bootstrap.MIN_DOCUMENTS, bootstrap.MIN_DISTINCT_VALUES, 10) == (True, None)
    assert not bootstrap.judge_interval(bootstrap.MIN_DOCUMENTS - 1, 500, 1000)[0]


def test_identical_systems_have_p_one() -> None:
    stats = _system(3)
    assert paired_bootstrap(stats, stats, micro_f1, seed=1).p_value == 1.0
    assert approximate_randomization(stats, stats, micro_f1, trials=2000, seed=1).p_value == 1.0
    floats = np.random.default_rng(0).random((100, 1))
    assert approximate_randomization(floats, floats.copy(), mean_of_first, trials=500).p_value == 1.0


def test_clearly_different_systems_have_small_p_and_similar_ones_do_not() -> None:
    good, bad = _system(4, skill=0.9), _system(4, skill=0.5)
    boot = paired_bootstrap(good, bad, micro_f1, resamples=1000, seed=2)
    ar = approximate_randomization(good, bad, micro_f1, trials=2000, seed=2)
    assert boot.delta > 0 and boot.p_value == pytest.approx(1 / 1001)
    assert ar.p_value == pytest.approx(1 / 2001)
    a, b = _system(5, skill=0.7), _system(6, skill=0.7)
    # same skill, different noise: not significant at 0.05 with these seeds
    assert approximate_randomization(a, b, micro_f1, trials=2000, seed=3).p_value > 0.05
    for result in (boot, ar):
        assert 0 < result.p_value <= 1


def test_p_values_are_reproducible_and_symmetric() -> None:
    a, b = _system(7, skill=0.75), _system(8, skill=0.7)
    first = approximate_randomization(a, b, micro_f1, trials=3000, seed=9)
    assert first == approximate_randomization(a, b, micro_f1, trials=3000, seed=9)
    swapped = approximate_randomization(b, a, micro_f1, trials=3000, seed=9)
    assert swapped.p_value == first.p_value and swapped.delta == pytest.approx(-first.delta)
    assert paired_bootstrap(a, b, micro_f1, seed=4) == paired_bootstrap(a, b, micro_f1, seed=4)


def test_approximate_randomization_equals_sacrebleu_style_explicit_shuffles() -> None:
    a, b = _system(10, n=40, skill=0.8), _system(11, n=40, skill=0.6)
    trials, seed = 300, 12
    rng = np.random.default_rng(seed)
    swap = rng.integers(2, size=(trials, 40), dtype=bool)
    shuf_a = (~swap) @ a + swap @ b
    shuf_b = swap @ a + (~swap) @ b
    n = np.full(trials, 40.0)
    observed = abs(micro_f1(a.sum(0), 40) - micro_f1(b.sum(0), 40))
    c = int(np.sum(np.abs(micro_f1(shuf_a, n) - micro_f1(shuf_b, n)) >= observed - 1e-12))
    assert approximate_randomization(a, b, micro_f1, trials=trials, seed=seed).p_value == (c + 1) / (trials + 1)


def test_several_metrics_at_once_equal_each_alone() -> None:
    from warta.benchmarks.significance import approximate_randomization_all, paired_bootstrap_all

    a, b = _system(12, skill=0.8), _system(13, skill=0.7)
    metrics = {"f1": micro_f1, "tp_mean": mean_of_first}
    boot = paired_bootstrap_all(a, b, metrics, resamples=400, seed=3)
    ar = approximate_randomization_all(a, b, metrics, trials=800, seed=3)
    for name, fn in metrics.items():
        assert boot[name] == paired_bootstrap(a, b, fn, resamples=400, seed=3)
        assert ar[name] == approximate_randomization(a, b, fn, trials=800, seed=3)
