"""Krippendorff's unitizing alpha against the hand-worked examples of Krippendorff's own texts.

* Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology, 2nd ed., p. 254:
  two observers, continuum 150-450, categories c and k; the book gives αu(c) = .7286 (D_o = .0144,
  D_e = .0532), αu(k) = 1 (D_e = .0490) and αu over both = .8591.
* Krippendorff, K. (1995). On the reliability of unitizing continuous data. Sociological
  Methodology 25, p. 57: four pairs of coders (A-D) on 24 positions; the paper works out the
  observed disagreements D_o(A) = 1/32, D_o(B) = 2.26736, D_o(C) = 1/36, D_o(D) = 0.38715. Its
  expected disagreements use a continuous approximation (positions stretched towards a
  continuum), so α is checked at a large stretch with the paper's rounding (±0.02): .553, −.926,
  .679, .066.

Plus properties: identical coders give αu = 1, a shifted span costs less the closer it is.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from warta.annotation.agreement.unitizing import (
    Section,
    merge_units,
    unitizing_alpha,
    unitizing_disagreement,
)


def _shift(units, begin):
    return [(s - begin, e - begin) for s, e in units]


def test_krippendorff_2004_page_254():
    # observer i (0) and j (1) on the continuum [150, 450)
    i = {"c": [(225, 295), (370, 400)], "k": [(180, 240), (300, 350)]}
    j = {"c": [(220, 300), (355, 375), (400, 420)], "k": [(180, 240), (300, 350)]}
    docs = [(300, [{k: _shift(v, 150) for k, v in i.items()}, {k: _shift(v, 150) for k, v in j.items()}])]
    result = unitizing_alpha(docs)
    c, k = result.categories["c"], result.categories["k"]
    assert float(c.observed) == pytest.approx(0.0144, abs=1e-4)
    assert float(c.expected) == pytest.approx(0.0532, abs=1e-4)
    assert c.alpha == pytest.approx(0.7286, abs=1e-4)
    assert k.observed == 0 and float(k.expected) == pytest.approx(0.0490, abs=1e-4) and k.alpha == 1.0
    assert result.alpha == pytest.approx(0.8591, abs=5e-4)
    # the book's distances: (225,70) vs (220,80) is 5² + 5² = 50; (370,30) vs (355,20) is 15² + 25² = 850;
    # j's (400,20) inside i's gap [400, 450) is 20² = 400; in all 1300 over the pair
    assert c.observed == Fraction(2 * 1300, 2 * 1 * 300 * 300)


def _example_1995(stretch: int):
    s = stretch
    coders = {
        "A": ([(2, 8), (14, 6)], [(4, 4), (15, 2)]),
        "B": ([(0, 18)], [(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)]),
        "C": ([(2, 6), (10, 2), (14, 4), (20, 2)], [(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)]),
        "D": ([(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)], [(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)]),
    }
    return {
        name: [Section(24 * s, [[(b * s, (b + n) * s) for b, n in units] for units in pair])]
        for name, pair in coders.items()
    }


def test_krippendorff_1995_page_57_observed_disagreement():
    example = _example_1995(1)
    observed = {name: float(unitizing_disagreement(sections, 2).observed) for name, sections in example.items()}
    assert observed["A"] == pytest.approx(0.03125, abs=1e-5)
    assert observed["B"] == pytest.approx(2.26736, abs=1e-5)
    assert observed["C"] == pytest.approx(0.02777, abs=1e-5)
    assert observed["D"] == pytest.approx(0.38715, abs=1e-5)


def test_krippendorff_1995_alpha_towards_the_continuum():
    example = _example_1995(1000)
    alpha = {name: unitizing_disagreement(sections, 2).alpha for name, sections in example.items()}
    assert alpha["A"] == pytest.approx(0.553, abs=0.02)
    assert alpha["B"] == pytest.approx(-0.926, abs=0.02)
    assert alpha["C"] == pytest.approx(0.679, abs=0.02)
    assert alpha["D"] == pytest.approx(0.066, abs=0.02)
    # observed disagreement does not depend on the stretch
    assert float(unitizing_disagreement(example["C"], 2).observed) == pytest.approx(0.02777, abs=1e-5)


def test_identical_coders_agree_perfectly_and_near_misses_cost_less():
    rng = random.Random(11)
    for _ in range(50):
        length = rng.randint(20, 200)
        units = merge_units(sorted((a, a + rng.randint(1, 8)) for a in rng.sample(range(length - 10), 4)))
        docs = [(length, [{"X": units}, {"X": units}, {"X": units}])]
        assert unitizing_alpha(docs).alpha == 1.0
    base = [(40, 50)]
    near = unitizing_alpha([(200, [{"X": base}, {"X": [(41, 50)]}])]).alpha
    far = unitizing_alpha([(200, [{"X": base}, {"X": [(45, 50)]}])]).alpha
    missing = unitizing_alpha([(200, [{"X": base}, {"X": []}])]).alpha
    assert 1.0 > near > far > missing


def test_undefined_without_units_and_overlaps_merged():
    assert unitizing_alpha([(10, [{}, {}])]).alpha is None
    assert unitizing_alpha([]) is None
    assert merge_units([(5, 9), (0, 3), (2, 4), (9, 10)]) == [(0, 4), (5, 9), (9, 10)]
    with pytest.raises(ValueError):
        unitizing_disagreement([Section(5, [[(0, 9)], []])], 2)
