"""PRF counts: sums, undefined values and the F1 formula."""

from __future__ import annotations

import random

from warta.prf import PRF, f1_from, macro


def test_counts_add_up_and_micro_is_a_sum() -> None:
    rng = random.Random(0)
    parts = [PRF(rng.randint(0, 9), rng.randint(0, 9), rng.randint(0, 9)) for _ in range(50)]
    total = PRF.total(parts)
    assert (total.tp, total.fp, total.fn) == tuple(sum(getattr(p, k) for p in parts) for k in ("tp", "fp", "fn"))
    assert total == sum(parts, PRF())
    a = PRF(1, 2, 3)
    a += PRF(1, 1, 1)
    assert a == PRF(2, 3, 4)


def test_undefined_values_are_none_with_the_documented_f1_choice() -> None:
    assert PRF().as_dict() == {"tp": 0, "fp": 0, "fn": 0, "precision": None, "recall": None, "f1": None}
    nothing_predicted = PRF(0, 0, 4)
    assert nothing_predicted.precision is None and nothing_predicted.recall == 0.0 and nothing_predicted.f1 == 0.0
    nothing_to_find = PRF(0, 3, 0)
    assert nothing_to_find.recall is None and nothing_to_find.f1 == 0.0
    assert PRF(3, 1, 2).f1 == 2 * 0.75 * 0.6 / (0.75 + 0.6)
    assert f1_from(None, None) is None and f1_from(0.0, 0.0) == 0.0


def test_macro_counts_undefined_as_zero() -> None:
    assert macro([1.0, None, 0.5]) == 0.5
    assert macro([]) is None
