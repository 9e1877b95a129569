"""Extractive summarization baselines: lead-k, TextRank, and a greedy ROUGE oracle (an upper bound).

All three pick whole sentences of the article body (the headline is left out when the release says
what it is) with the splitter of :mod:`.sentences`, and write them one per line, in document order.

* **lead-k**: the first ``k`` sentences, the strong baseline of news summarization.
* **TextRank** (Mihalcea & Tarau 2004) over TF-IDF sentence similarity: sentences are nodes, edge
  weights are cosine similarities of their TF-IDF vectors (fitted on the article's own sentences),
  scores are PageRank by power iteration (damping 0.85, uniform start, stop when the L1 change is
  below 1e-12 or after 1000 steps); the ``k`` best sentences win, ties going to the earlier one.
  No randomness anywhere, so the output is a function of the text.
* **oracle**: the subset of at most ``k`` body sentences with the highest ROUGE-1 F + ROUGE-2 F
  against the references (each the best over the references; the scorer's Indonesian tokenizer).
  Every subset is tried when there are at most :data:`EXHAUSTIVE_LIMIT` of them (about 30 sentences
  for k = 3), so it is an exact upper bound for extractive summaries of that length; longer
  articles fall back to the greedy search with which Nallapati et al. (2017) and Liu & Lapata
  (2019) build extractive labels. Greedy alone is not an upper bound: with several references it
  stops early and loses to TextRank on articles of the test fixtures. The oracle reads the gold
  references, so it is a ceiling for extractive systems, not a system.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from warta.article import TITLE_BODY_SEPARATOR
from warta.benchmarks.baselines.sentences import split_sentences

DAMPING = 0.85
TOLERANCE = 1e-12
MAX_ITERATIONS = 1000
#: The oracle tries every subset of at most k sentences when there are at most this many.
EXHAUSTIVE_LIMIT = 5000
#: ``rouge(candidate, references) -> score``: what the oracle maximises.
RougeObjective = Callable[[str, Sequence[str]], float]


def body_of(document: str, title: str | None) -> str:
    """The document without its headline (when the headline is known and leads the document)."""
    prefix = f"{title}{TITLE_BODY_SEPARATOR}" if title else None
    return document[len(prefix) :] if prefix and document.startswith(prefix) else document


def join(sentences: Sequence[str]) -> str:
    return "\n".join(sentences)


def lead_k(document: str, k: int, title: str | None = None) -> str:
    return join(split_sentences(body_of(document, title))[:k])


def textrank_scores(sentences: Sequence[str]) -> list[float]:
    """PageRank scores of ``sentences`` over their TF-IDF cosine-similarity graph."""
    import numpy as np

    n = len(sentences)
    if n == 0:
        return []
    if n == 1:
        return [1.0]
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        vectors = TfidfVectorizer(lowercase=True, token_pattern=r"(?u)\b\w[\w-]*\b").fit_transform(sentences)
        similarity = (vectors @ vectors.T).toarray()
    except ValueError:  # no word in any sentence
        similarity = np.zeros((n, n))
    np.fill_diagonal(similarity, 0.0)
    sums = similarity.sum(axis=1)
    transition = np.empty_like(similarity)
    for i in range(n):
        if sums[i] > 0:
            transition[i] = similarity[i] / sums[i]
        else:  # a sentence sharing no word with any other links to all others equally
            transition[i] = 1.0 / (n - 1)
            transition[i, i] = 0.0
    scores = np.full(n, 1.0 / n)
    for _ in range(MAX_ITERATIONS):
        updated = (1.0 - DAMPING) / n + DAMPING * (transition.T @ scores)
        change = float(np.abs(updated - scores).sum())
        scores = updated
        if change < TOLERANCE:
            break
    return [float(s) for s in scores]


def textrank(document: str, k: int, title: str | None = None) -> str:
    sentences = split_sentences(body_of(document, title))
    scores = textrank_scores(sentences)
    # round away the last bits so that ties between equal-scoring sentences go to the earlier one
    ranked = sorted(range(len(sentences)), key=lambda i: (-round(scores[i], 12), i))
    return join([sentences[i] for i in sorted(ranked[:k])])


def default_objective(tokenizer: str = "indonesian") -> RougeObjective:
    """ROUGE-1 F + ROUGE-2 F, each the best over the references, with the scorer's tokenizer."""
    from warta.benchmarks.metrics.rouge import RougeScorer

    scorer = RougeScorer(("rouge1", "rouge2"), tokenizer=tokenizer)

    def objective(candidate: str, references: Sequence[str]) -> float:
        scores = scorer.score_multi(references, candidate)
        return scores["rouge1"].fmeasure + scores["rouge2"].fmeasure

    return objective


def _subsets(n: int, k: int) -> int:
    return sum(math.comb(n, j) for j in range(1, min(k, n) + 1))


def rouge_oracle(
    document: str,
    references: Sequence[str],
    k: int,
    title: str | None = None,
    objective: RougeObjective | None = None,
    *,
    exhaustive_limit: int = EXHAUSTIVE_LIMIT,
) -> str:
    """The body sentences (at most ``k``) that maximise ``objective`` against ``references``.

    Every subset is tried when there are at most ``exhaustive_limit`` of them (an exact upper
    bound for extractive summaries of up to ``k`` sentences); beyond that, greedy selection.
    Ties go to fewer sentences, then to earlier ones.
    """
    objective = objective or default_objective()
    sentences = split_sentences(body_of(document, title))
    if not sentences or not references:
        return ""
    if _subsets(len(sentences), k) <= exhaustive_limit:
        chosen = _exhaustive(sentences, references, k, objective)
    else:
        chosen = _greedy(sentences, references, k, objective)
    return join([sentences[i] for i in chosen])


def _exhaustive(
    sentences: Sequence[str], references: Sequence[str], k: int, objective: RougeObjective
) -> tuple[int, ...]:
    best: tuple[int, ...] = ()
    best_score = -1.0
    for size in range(1, min(k, len(sentences)) + 1):
        for subset in itertools.combinations(range(len(sentences)), size):
            score = objective(join([sentences[i] for i in subset]), references)
            if score > best_score:  # strict: ties keep the smaller, earlier subset
                best, best_score = subset, score
    return best


def _greedy(
    sentences: Sequence[str], references: Sequence[str], k: int, objective: RougeObjective
) -> tuple[int, ...]:
    """Add the sentence that helps most, ``k`` times; return the best prefix of that path."""
    chosen: list[int] = []
    best: tuple[int, ...] = ()
    best_score = -1.0
    while len(chosen) < min(k, len(sentences)):
        step_best: tuple[float, int] | None = None
        for i in range(len(sentences)):
            if i in chosen:
                continue
            score = objective(join([sentences[j] for j in sorted([*chosen, i])]), references)
            if step_best is None or score > step_best[0]:
                step_best = (score, i)
        assert step_best is not None
        chosen.append(step_best[1])
        if step_best[0] > best_score:
            best, best_score = tuple(sorted(chosen)), step_best[0]
    return best


def summarization_predictions(
    rows: Sequence[Mapping[str, Any]],
    method: str,
    k: int,
    titles: Mapping[str, str] | None = None,
    objective: RougeObjective | None = None,
) -> dict[str, str]:
    """``{row id: summary}`` with ``method`` in ``lead``, ``textrank``, ``oracle``."""
    titles = titles or {}
    out: dict[str, str] = {}
    if method == "oracle":
        objective = objective or default_objective()
    for row in rows:
        title = titles.get(str(row.get("article_id") or row["id"]))
        if method == "lead":
            out[str(row["id"])] = lead_k(row["document"], k, title)
        elif method == "textrank":
            out[str(row["id"])] = textrank(row["document"], k, title)
        elif method == "oracle":
            out[str(row["id"])] = rouge_oracle(row["document"], row["references"], k, title, objective)
        else:
            raise ValueError(f"unknown summarization baseline {method!r}")
    return out
