"""The unit of resampling and of paired tests: the article, for every task.

NER and summarization score one row per article. Stance scores several rows per article (the
article's own stance towards the target and the stance of each actor in it), and rows of one article
are not independent: they share the text, the annotator and the system's reading of it. Resampling
or swapping them one by one treats 9 rows of 2 articles like 9 articles, so intervals come out too
narrow and permutation p-values too small (2 articles could look separable).

So the per-document statistics of stance are the sums, over each article's rows, of their one-hot
confusion cells (:func:`sum_by_article`). Every stance metric is a function of summed confusion
cells, so the point estimates are exactly those of the row-level computation, while bootstrap
intervals, ``n_documents``, the exact sign-flip test (2^n swaps over n articles), the
``inseparable`` status and the Holm adjustment work over articles. Articles keep the order of their
first row among the gold rows (the release's row order).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from warta.benchmarks.slices import article_of

#: What ``n_documents`` counts, for every task.
UNIT = "articles"
UNITS = {"ner": UNIT, "stance": UNIT, "summarization": UNIT}


def article_of_row(task: str, row: Mapping[str, Any]) -> str:
    """The article a gold row belongs to: its ``article_id`` (stance), else what its id says."""
    if task == "stance" and row.get("article_id"):
        return str(row["article_id"])
    return article_of(task, str(row["id"]))


def sum_by_article(articles: Sequence[str], statistics: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Rows of ``statistics`` summed per article (``articles[i]`` is row ``i``'s), first-appearance order."""
    stats = np.asarray(statistics)
    if len(articles) != stats.shape[0]:
        raise ValueError(f"{len(articles)} article ids for {stats.shape[0]} rows of statistics")
    order: dict[str, int] = {}
    index = np.fromiter((order.setdefault(a, len(order)) for a in articles), dtype=np.int64, count=len(articles))
    summed = np.zeros((len(order),) + stats.shape[1:], dtype=stats.dtype)
    np.add.at(summed, index, stats)
    return list(order), summed


def document_statistics(task: str, ids: Sequence[str], statistics: np.ndarray) -> tuple[list[str], np.ndarray]:
    """``(ids, statistics)`` of a results file with one row per article.

    Results written before stance was grouped by article keep one row per stance row (ids
    ``<article>:<target>[:<actor>]``); their rows are summed per article here, so old and new files
    are tested over the same unit. Files with one row per article are returned as they are.
    """
    if task != "stance" or not any(":" in i for i in ids):
        return list(ids), np.asarray(statistics)
    return sum_by_article([article_of(task, i) for i in ids], statistics)


def rows_per_article(columns: Sequence[str], statistics: np.ndarray) -> np.ndarray:
    """Stance rows behind each row of per-article statistics (every stance row is one confusion cell)."""
    base = [i for i, c in enumerate(columns) if "." not in c]
    stats = np.asarray(statistics, dtype=np.float64).reshape(-1, len(columns))
    return stats[:, base].sum(1)


def stance_rows(columns: Sequence[str], statistics: np.ndarray) -> int:
    """How many stance rows per-article statistics cover in all."""
    return int(round(float(rows_per_article(columns, statistics).sum())))
