"""The story links of a date window: the compiled loop gives the Python loop's links, on random inputs."""

from __future__ import annotations

import numpy as np
import pytest

from warta.corpus import stories
from warta.corpus.stories import MAX_POSTINGS, _window_links_python, window_links

pytestmark = pytest.mark.skipif(stories._links is None, reason="warta.corpus._links was not built (no C compiler)")


def _articles(rng: np.random.Generator, n: int, days: int, vocabulary: int, common: int) -> tuple[np.ndarray, ...]:
    """``n`` articles in processing order (day, then rank), each with 1-30 term hashes drawn from a
    small vocabulary (so that sets overlap), some repeated, and ``common`` terms in nearly every
    article (so that their postings pass :data:`MAX_POSTINGS`). The flat term array is shuffled
    article by article, not in article order."""
    day = rng.integers(1000, 1000 + days, size=n).astype(np.int32)
    rank = rng.permutation(n).astype(np.int64)
    order = np.lexsort((rank, day))
    day, rank = day[order], rank[order]
    hashes = rng.integers(0, 2**64, size=vocabulary + common, dtype=np.uint64)
    sets = []
    for _ in range(n):
        size = int(rng.integers(1, 31))
        terms = hashes[rng.integers(0, vocabulary, size=size)]
        if common and rng.random() < 0.95:
            terms = np.concatenate([terms, hashes[vocabulary:]])
        sets.append(rng.permutation(terms))
    placement = rng.permutation(n)  # where each article's slice sits in the flat array
    lengths = np.array([len(s) for s in sets], dtype=np.int64)
    flat_starts = np.zeros(n, dtype=np.int64)
    flat_starts[placement] = np.concatenate(([0], np.cumsum(lengths[placement])[:-1]))
    values = np.empty(int(lengths.sum()), dtype=np.uint64)
    for k, s in enumerate(sets):
        values[flat_starts[k] : flat_starts[k] + len(s)] = s
    return day, rank, flat_starts, lengths, values


def _both(day, rank, starts, lengths, values, **params) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
    expected = _window_links_python(day, rank, starts, lengths, values.copy(), **params)
    found = window_links(day, rank, starts, lengths, values.copy(), **params)
    return found, expected


def _sorted(edges: np.ndarray) -> list[tuple[int, int]]:
    return sorted(map(tuple, edges.tolist()))


def test_compiled_links_equal_the_python_loop_on_random_articles() -> None:
    rng = np.random.default_rng(20261203)
    linked = 0
    for case in range(150):
        n = int(rng.integers(0, 120))
        day, rank, starts, lengths, values = _articles(rng, n, days=int(rng.integers(1, 12)), vocabulary=int(rng.integers(5, 80)), common=0)
        first_day = int(day[len(day) // 3]) if n else 1000
        params = dict(
            first_day=first_day,
            window=int(rng.integers(0, 4)),
            similarity=float(rng.choice([0.05, 0.25, 0.5, 1.0])),
            min_shared_terms=int(rng.integers(1, 6)),
        )
        found, expected = _both(day, rank, starts, lengths, values, **params)
        assert found.dtype == np.int64 and found.shape[1:] == (2,), case
        assert len(found) == len(expected), (case, params)
        assert _sorted(found) == _sorted(expected), (case, params)
        linked += len(found)
    assert linked > 1000  # the cases link articles, not only leave them apart


def test_compiled_links_skip_terms_whose_postings_pass_the_limit() -> None:
    rng = np.random.default_rng(7)
    day, rank, starts, lengths, values = _articles(rng, 900, days=3, vocabulary=400, common=3)
    params = dict(first_day=int(day[0]), window=2, similarity=0.2, min_shared_terms=2)
    found, expected = _both(day, rank, starts, lengths, values, **params)
    assert _sorted(found) == _sorted(expected) and len(found) > 0
    # The common terms, in every window past MAX_POSTINGS articles, would link far more pairs:
    # with a limit above them, the Python loop finds more links.
    assert 900 > MAX_POSTINGS
    wider = stories.MAX_POSTINGS
    try:
        stories.MAX_POSTINGS = 10**6
        everything = _window_links_python(day, rank, starts, lengths, values.copy(), **params)
    finally:
        stories.MAX_POSTINGS = wider
    assert len(everything) > len(found)


def test_terms_are_sorted_in_place_and_repeats_count_once() -> None:
    day = np.array([5, 5], dtype=np.int32)
    rank = np.array([0, 1], dtype=np.int64)
    values = np.array([9, 3, 3, 7, 3, 9, 7, 7], dtype=np.uint64)  # {3, 7, 9} twice, with repeats
    starts, lengths = np.array([0, 4], dtype=np.int64), np.array([4, 4], dtype=np.int64)
    edges = window_links(day, rank, starts, lengths, values, first_day=5, window=0, similarity=1.0, min_shared_terms=3)
    assert edges.tolist() == [[1, 0]]  # three shared of three and three: similarity 1
    assert values[:3].tolist() == [3, 7, 9]
    assert _window_links_python(day, rank, starts, lengths, np.array([9, 3, 3, 7, 3, 9, 7, 7], dtype=np.uint64), 5, 0, 1.0, 3).tolist() == [[1, 0]]


def test_a_read_only_term_array_takes_the_python_loop() -> None:
    rng = np.random.default_rng(3)
    day, rank, starts, lengths, values = _articles(rng, 80, days=4, vocabulary=30, common=0)
    params = dict(first_day=int(day[0]), window=1, similarity=0.25, min_shared_terms=2)
    frozen = values.copy()
    frozen.flags.writeable = False
    found = window_links(day, rank, starts, lengths, frozen, **params)
    assert np.array_equal(frozen, values)  # not sorted in place
    assert _sorted(found) == _sorted(_window_links_python(day, rank, starts, lengths, values.copy(), **params))


@pytest.mark.parametrize(
    ("day", "starts", "lengths", "problem"),
    [
        ([6, 5], [0, 1], [1, 1], "not in order"),
        ([5, 6], [0, 1], [1, 5], "outside values"),
        ([5, 6], [-1, 1], [1, 1], "outside values"),
    ],
)
def test_the_compiled_loop_refuses_inconsistent_arrays(day: list[int], starts: list[int], lengths: list[int], problem: str) -> None:
    values = np.array([1, 2], dtype=np.uint64)
    with pytest.raises(ValueError, match=problem):
        stories._links.window_links(
            np.array(day, dtype=np.int32), np.array([0, 1], dtype=np.int64), np.array(starts, dtype=np.int64),
            np.array(lengths, dtype=np.int64), values, 5, 1, 0.5, 1, MAX_POSTINGS,
        )
