"""Stance is resampled and permuted by article: an article's rows are one unit, never independent.

The references here are computed independently of warta's statistics: scikit-learn's F1 on the
rows themselves, and an explicit loop over every article-level swap or bootstrap draw.
"""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from warta.benchmarks import results as results_io
from warta.benchmarks.bootstrap import percentile_interval
from warta.benchmarks.scoring import ScoreOptions, compare_results, score_task

SHA = "abcdef123456" + "0" * 52
LABELS = ["FAVOR", "AGAINST", "NONE"]


def _f_avg(gold: list[str], pred: list[str | None]) -> float:
    """SemEval-2016 F_avg with scikit-learn; a missing prediction is a wrong one of no class."""
    pred = [p if p is not None else "MISSING" for p in pred]
    f = f1_score(gold, pred, labels=LABELS, average=None, zero_division=0)
    return float((f[0] + f[1]) / 2)


def _rows(articles: dict[str, int], seed: int) -> list[dict]:
    """Stance rows of ``articles`` (id -> row count), interleaved so an article's rows are not adjacent."""
    rng = random.Random(seed)
    rows = []
    for article, count in articles.items():
        rows.append({"id": f"{article}:t", "article_id": article, "target": "t", "level": "document",
                     "label": rng.choice(LABELS)})
        for k in range(count - 1):
            rows.append({"id": f"{article}:t:actor-{k}", "article_id": article, "target": "t", "level": "actor",
                         "label": rng.choice(LABELS)})
    order = rows[::2] + rows[1::2]
    return order


def _predict(rows: list[dict], seed: int, right: float) -> dict[str, str]:
    rng = random.Random(seed)
    return {r["id"]: (r["label"] if rng.random() < right else rng.choice(LABELS)) for r in rows}


def _score(rows: list[dict], predictions: dict, resamples: int = 200) -> dict:
    return score_task("stance", rows, predictions, options=ScoreOptions(resamples=resamples),
                      dataset_version="1.0.0", manifest_sha256=SHA)


def _brute_force_p(rows: list[dict], a: dict, b: dict, unit: str) -> float:
    """Two-sided sign-flip p over every swap of ``unit`` ("article" or "row"), with scikit-learn F_avg."""
    gold = [r["label"] for r in rows]
    keys = [r["article_id"] if unit == "article" else r["id"] for r in rows]
    units = list(dict.fromkeys(keys))
    observed = abs(_f_avg(gold, [a[r["id"]] for r in rows]) - _f_avg(gold, [b[r["id"]] for r in rows]))
    hits = 0
    for flips in itertools.product((False, True), repeat=len(units)):
        swapped = {u for u, f in zip(units, flips) if f}
        pa = [b[r["id"]] if k in swapped else a[r["id"]] for r, k in zip(rows, keys)]
        pb = [a[r["id"]] if k in swapped else b[r["id"]] for r, k in zip(rows, keys)]
        if abs(_f_avg(gold, pa) - _f_avg(gold, pb)) >= observed - 1e-12:
            hits += 1
    return hits / 2 ** len(units)


def test_per_document_statistics_are_the_rows_of_each_article_summed() -> None:
    rows = _rows({"art-b": 3, "art-a": 2, "art-c": 2}, seed=1)  # 3 articles, 7 rows
    assert len(rows) == 7
    preds = _predict(rows, seed=2, right=0.5)
    res = _score(rows, preds)
    results_io.validate(res)
    assert res["n_documents"] == 3 and res["interval"]["unit"] == "articles"
    # articles in order of their first row
    assert res["per_document"]["ids"] == list(dict.fromkeys(r["article_id"] for r in rows))
    columns = res["per_document"]["columns"]
    for article, values in zip(res["per_document"]["ids"], res["per_document"]["values"]):
        mine = [r for r in rows if r["article_id"] == article]
        expected = dict.fromkeys(columns, 0)
        for r in mine:
            expected[f"{r['label']}>{preds[r['id']]}"] += 1
            expected[f"{r['level']}.{r['label']}>{preds[r['id']]}"] += 1
        assert dict(zip(columns, values)) == expected
    # point estimates are exactly those of the row-level computation
    gold = [r["label"] for r in rows]
    pred = [preds[r["id"]] for r in rows]
    assert res["metrics"]["f_avg"]["value"] == _f_avg(gold, pred)
    assert res["metrics"]["accuracy"]["value"] == accuracy_score(gold, pred)
    assert res["metrics"]["macro_f1"]["value"] == f1_score(gold, pred, labels=LABELS, average="macro", zero_division=0)
    assert res["metrics"]["f_avg"]["ci_note"].startswith("only 3 documents")


def test_exact_permutation_p_enumerates_the_2_to_the_n_article_swaps() -> None:
    checked_difference = False
    for seed in range(12):
        rows = _rows({"x1": 3, "x2": 2, "x3": 2}, seed=seed)
        a, b = _predict(rows, seed=100 + seed, right=0.8), _predict(rows, seed=200 + seed, right=0.4)
        ra, rb = _score(rows, a, resamples=0), _score(rows, b, resamples=0)
        comparison = compare_results(ra, rb, metrics=["f_avg"], bootstrap_test=False)
        assert comparison["n_documents"] == 3 and comparison["smallest_p"] == 2 / 2**3
        detail = comparison["metrics"]["f_avg"]
        assert detail["exact"] is True
        p_articles = _brute_force_p(rows, a, b, "article")
        assert detail["p_permutation"] == pytest.approx(p_articles, abs=1e-15)
        assert detail["p_permutation"] >= 0.25  # 3 articles can never reach 0.05
        if p_articles != _brute_force_p(rows, a, b, "row"):
            checked_difference = True  # the 2^7 row-level swaps would have given another p
    assert checked_difference


def test_bootstrap_draws_articles_with_all_their_rows() -> None:
    """The interval equals percentiles of F_avg over resamples of whole articles, drawn by hand."""
    rows = _rows({f"d{i}": 1 + i % 4 for i in range(12)}, seed=5)
    preds = _predict(rows, seed=6, right=0.6)
    resamples, seed = 150, 12345
    res = score_task("stance", rows, preds, options=ScoreOptions(resamples=resamples, seed=seed),
                     dataset_version="1.0.0", manifest_sha256=SHA)
    articles = res["per_document"]["ids"]
    assert res["n_documents"] == 12 and len(rows) == sum(1 + i % 4 for i in range(12))
    draws = np.random.default_rng(seed).integers(0, len(articles), size=(resamples, len(articles)))
    values = []
    for draw in draws:
        gold, pred = [], []
        for k in draw:
            for r in rows:
                if r["article_id"] == articles[k]:
                    gold.append(r["label"])
                    pred.append(preds[r["id"]])
        values.append(_f_avg(gold, pred))
    low, high = percentile_interval(np.asarray(values))
    assert res["metrics"]["f_avg"]["ci_low"] == pytest.approx(low, abs=1e-12)
    assert res["metrics"]["f_avg"]["ci_high"] == pytest.approx(high, abs=1e-12)


def test_more_rows_within_an_article_do_not_add_documents() -> None:
    rows = _rows({"p": 2, "q": 3}, seed=7)
    preds = _predict(rows, seed=8, right=0.5)
    base = _score(rows, preds)
    extra = [dict(r, id=r["id"] + "-copy") for r in rows if r["article_id"] == "q"]
    more = rows + extra
    more_preds = {**preds, **{r["id"]: preds[r["id"][: -len("-copy")]] for r in extra}}
    grown = _score(more, more_preds)
    assert base["n_documents"] == grown["n_documents"] == 2
    assert grown["per_document"]["ids"] == base["per_document"]["ids"]
    # the copies land in their article's statistics, doubling q's row and nothing else
    q = base["per_document"]["ids"].index("q")
    assert grown["per_document"]["values"][q] == [2 * v for v in base["per_document"]["values"][q]]
    assert grown["per_document"]["values"][1 - q] == base["per_document"]["values"][1 - q]
    # still 2 articles for the test: the smallest p is 2 / 2^2, whatever the rows
    other = _predict(more, seed=9, right=0.1)
    comparison = compare_results(grown, _score(more, other), metrics=["f_avg"], bootstrap_test=False)
    assert comparison["n_documents"] == 2 and comparison["smallest_p"] == 0.5
    assert comparison["metrics"]["f_avg"]["p_permutation"] >= 0.5


def test_row_level_results_files_are_compared_by_article() -> None:
    """Results written with one row of statistics per stance row are summed per article by compare."""
    rows = _rows({"m1": 3, "m2": 2, "m3": 3}, seed=10)
    a, b = _predict(rows, seed=11, right=0.9), _predict(rows, seed=12, right=0.3)
    as_rows = [dict(r, article_id=r["id"]) for r in rows]  # every row its own "article", as before
    old_a, old_b = _score(as_rows, a, resamples=0), _score(as_rows, b, resamples=0)
    assert old_a["n_documents"] == 8
    new = compare_results(_score(rows, a, resamples=0), _score(rows, b, resamples=0), bootstrap_test=False)
    old = compare_results(old_a, old_b, bootstrap_test=False)
    assert old["n_documents"] == new["n_documents"] == 3
    assert old["metrics"] == new["metrics"]
