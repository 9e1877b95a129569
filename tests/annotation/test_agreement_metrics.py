"""Kappa and alpha against their references (scikit-learn, statsmodels, krippendorff) on thousands of
random inputs, degenerate ones included, plus cases worked out by hand."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from warta.annotation.agreement.alpha import krippendorff_alpha_nominal
from warta.annotation.agreement.kappa import cohen_kappa, fleiss_kappa

CASES = 3000


def _same(ours: float | None, reference: float | None) -> bool:
    if ours is None or reference is None or math.isnan(reference):
        return ours is None and (reference is None or math.isnan(reference))
    return math.isclose(ours, reference, rel_tol=1e-12, abs_tol=1e-12)


def _random_ratings(
    rng: np.random.Generator, n: int, categories: int, agreement: float
) -> tuple[list[str], list[str]]:
    a = [f"c{x}" for x in rng.integers(0, categories, n)]
    b = [x if rng.random() < agreement else f"c{rng.integers(0, categories)}" for x in a]
    return a, b


def test_cohen_kappa_by_hand() -> None:
    # n = 6; agreements (P,P) once and (O,O) three times: p_o = 4/6.
    # a has P 2, O 4; b has P 2, O 4: p_e = (2·2 + 4·4)/36 = 20/36.
    # κ = (24/36 − 20/36) / (16/36) = 4/16 = 0.25.
    assert cohen_kappa(list("PPOOOO"), list("POOOOP")) == 0.25
    # Perfect agreement over two categories: κ = 1. Complete disagreement with p_e = 1/2: κ = −1.
    assert cohen_kappa(list("ABAB"), list("ABAB")) == 1.0
    assert cohen_kappa(list("ABAB"), list("BABA")) == -1.0


def test_cohen_kappa_undefined_cases_and_what_the_reference_does() -> None:
    from sklearn.metrics import cohen_kappa_score

    # One category used by both: p_e = 1, κ = 0/0. sklearn returns nan (with a warning); we return None.
    assert cohen_kappa(["O", "O"], ["O", "O"]) is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert math.isnan(cohen_kappa_score(["O", "O"], ["O", "O"]))
    # No items: sklearn raises; we return None.
    assert cohen_kappa([], []) is None
    with pytest.raises(ValueError):
        cohen_kappa_score([], [])
    # A single item in different categories is defined (p_e = 0): κ = 0 for both.
    assert cohen_kappa(["A"], ["B"]) == 0.0 == cohen_kappa_score(["A"], ["B"])
    with pytest.raises(ValueError):
        cohen_kappa(["A"], [])


def test_cohen_kappa_equals_sklearn_on_random_inputs() -> None:
    import sklearn
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(20240501)
    undefined = 0
    for _ in range(2000):  # scikit-learn takes ~3 ms a call
        n = int(rng.integers(1, 40))
        a, b = _random_ratings(
            rng, n, int(rng.integers(1, 5)), float(rng.choice([0.0, 0.5, 0.9, 1.0]))
        )
        with warnings.catch_warnings(), sklearn.config_context(skip_parameter_validation=True):
            warnings.simplefilter("ignore")
            reference = float(cohen_kappa_score(a, b))
        ours = cohen_kappa(a, b)
        assert _same(ours, reference), (a, b, ours, reference)
        undefined += ours is None
    assert 0 < undefined < 2000  # the degenerate branch was exercised, and not only it


def test_fleiss_kappa_by_hand() -> None:
    # 3 items × 3 raters: [A,A,A], [A,A,B], [B,B,B].
    # P_i = (Σ n_ij² − 3)/6: 1, 1/3, 1; P̄ = 7/9. p_A = 5/9, p_B = 4/9: P̄_e = 41/81.
    # κ = (63/81 − 41/81)/(40/81) = 22/40 = 0.55.
    assert fleiss_kappa([list("AAA"), list("AAB"), list("BBB")]) == pytest.approx(0.55, abs=1e-15)


def _fleiss_table(items: list[list[str]]) -> np.ndarray:
    categories = sorted({x for item in items for x in item})
    return np.array([[item.count(c) for c in categories] for item in items], dtype=float)


def test_fleiss_kappa_equals_statsmodels_on_random_inputs() -> None:
    fleiss_reference = pytest.importorskip("statsmodels.stats.inter_rater").fleiss_kappa
    rng = np.random.default_rng(7)
    undefined = 0
    for _ in range(CASES):
        raters = int(rng.integers(2, 6))
        categories = int(rng.integers(1, 5))
        agreement = float(rng.choice([0.0, 0.6, 1.0]))
        items = []
        for _ in range(int(rng.integers(1, 25))):
            first = f"c{rng.integers(0, categories)}"
            items.append(
                [
                    first if rng.random() < agreement else f"c{rng.integers(0, categories)}"
                    for _ in range(raters)
                ]
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reference = float(fleiss_reference(_fleiss_table(items), method="fleiss"))
        ours = fleiss_kappa(items)
        assert _same(ours, reference), (items, ours, reference)
        undefined += ours is None
    assert 0 < undefined < CASES


def test_fleiss_kappa_undefined_cases() -> None:
    fleiss_reference = pytest.importorskip("statsmodels.stats.inter_rater").fleiss_kappa
    # Every rating in one category: P̄_e = 1. statsmodels: nan; ours: None.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert math.isnan(fleiss_reference(np.array([[3.0], [3.0]]), method="fleiss"))
    assert fleiss_kappa([list("AAA"), list("AAA")]) is None
    # No items: statsmodels raises; ours: None.
    with pytest.raises(ValueError):
        fleiss_reference(np.zeros((0, 2)), method="fleiss")
    assert fleiss_kappa([]) is None
    # Unequal numbers of ratings are refused, not silently averaged.
    with pytest.raises(ValueError):
        fleiss_kappa([list("AAA"), list("AA")])


def test_alpha_by_hand() -> None:
    # Two raters, units (a,a), (a,b), (b,b), (b,b). Coincidences: o_aa = 2, o_ab = o_ba = 1, o_bb = 4.
    # n_a = 3, n_b = 5, n = 8. α = 1 − (n − 1)·Σ_{c≠k} o_ck / (n² − Σ n_c²) = 1 − 7·2/(64 − 9 − 25) = 16/30.
    value = krippendorff_alpha_nominal([("a", "a"), ("a", "b"), ("b", "b"), ("b", "b")])
    assert value == pytest.approx(16 / 30, abs=1e-15)
    # Krippendorff's own example (3 coders, missing values), nominal α = 0.691358 to 6 places.
    n = None
    data = [
        [n, n, n, n, n, 3, 4, 1, 2, 1, 1, 3, 3, n, 3],
        [1, n, 2, 1, 3, 3, 4, 3, n, n, n, n, n, n, n],
        [n, n, 2, 1, 3, 4, 4, n, 2, 1, 1, 3, 3, n, 4],
    ]
    assert round(krippendorff_alpha_nominal(list(zip(*data))), 6) == 0.691358


def _reference_alpha(matrix: list[list[str | None]]) -> float | None:
    """The krippendorff package on the same data (values coded as numbers, missing as nan)."""
    import krippendorff

    codes = {
        v: i for i, v in enumerate(sorted({v for row in matrix for v in row if v is not None}))
    }
    data = np.array(
        [[np.nan if v is None else codes[v] for v in row] for row in matrix], dtype=float
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    except ValueError:  # "more than one value in the domain" / "at least one unit with two values"
        return None


def test_alpha_equals_krippendorff_on_random_inputs() -> None:
    pytest.importorskip("krippendorff")
    rng = np.random.default_rng(11)
    undefined = 0
    for _ in range(CASES):
        raters = int(rng.integers(2, 6))
        units = int(rng.integers(1, 20))
        categories = int(rng.integers(1, 5))
        missing = float(rng.choice([0.0, 0.3, 0.8]))
        agreement = float(rng.choice([0.0, 0.7, 1.0]))
        truth = [f"c{x}" for x in rng.integers(0, categories, units)]
        matrix = [
            [
                None
                if rng.random() < missing
                else (t if rng.random() < agreement else f"c{rng.integers(0, categories)}")
                for t in truth
            ]
            for _ in range(raters)
        ]
        ours = krippendorff_alpha_nominal(list(zip(*matrix)))
        reference = _reference_alpha(matrix)
        assert _same(ours, reference), (matrix, ours, reference)
        undefined += ours is None
    assert 0 < undefined < CASES


def test_alpha_undefined_cases() -> None:
    # No unit rated twice: the reference raises; ours is None.
    assert krippendorff_alpha_nominal([("a", None), (None, "b")]) is None
    assert _reference_alpha([["a", None], [None, "b"]]) is None
    # All pairable values in one category (a lone "b" is not pairable): the reference gives nan.
    assert krippendorff_alpha_nominal([("a", "a"), ("b", None)]) is None
    assert math.isnan(_reference_alpha([["a", "b"], ["a", None]]))
    assert krippendorff_alpha_nominal([]) is None
