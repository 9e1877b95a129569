"""Stance baselines: the majority class, and TF-IDF features with logistic regression.

Both are evaluated honestly: a row's label is never predicted by a model that saw it.

* When the release has a ``train`` split (and the scored split is another one), they are trained on
  the ``train`` split.
* Otherwise (the seed corpus has only ``test``) they use **leave-one-article-out** cross-validation
  over the scored split: the rows of each article are predicted by a model fitted on the rows of
  all *other* articles. This is the closest honest estimate without a training split; it is said
  in the systems' ``meta.yaml`` and on the leaderboard.

Input of the classifier: the row's level and actor, plus the sentences that mention the actor
(actor rows) or the whole article (document rows), as TF-IDF unigrams and bigrams (lower-cased,
sublinear tf). scikit-learn's ``LogisticRegression`` (lbfgs, C=1) is deterministic for fixed data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from warta.benchmarks.baselines.sentences import sentence_spans

Row = Mapping[str, Any]
#: ``fit_predict(train_rows, test_rows) -> labels of test_rows``
FitPredict = Callable[[Sequence[Row], Sequence[Row]], list[str]]


def row_features_text(row: Row) -> str:
    """What the classifier reads for one stance row."""
    text = row["text"]
    level = row.get("level") or "document"
    actor = row.get("actor") or ""
    mentions = row.get("mentions") or []
    if level == "document" or not mentions:
        context = text
    else:
        chosen = []
        for start, end in sentence_spans(text):
            if any(m["start"] < end and m["end"] > start for m in mentions):
                chosen.append(text[start:end])
        context = " ".join(chosen) or text
    return f"level_{level} {actor} \n {context}"


def majority_label(labels: Sequence[str], label_order: Sequence[str]) -> str:
    """The most frequent label; ties go to the label listed first in the schema."""
    if not labels:
        return label_order[-1]
    counts = Counter(labels)
    return max(label_order, key=lambda name: (counts[name], -label_order.index(name)))


def majority_fit_predict(label_order: Sequence[str]) -> FitPredict:
    def fit_predict(train: Sequence[Row], test: Sequence[Row]) -> list[str]:
        label = majority_label([r["label"] for r in train], label_order)
        return [label] * len(test)

    return fit_predict


def tfidf_lr_fit_predict(label_order: Sequence[str]) -> FitPredict:
    def fit_predict(train: Sequence[Row], test: Sequence[Row]) -> list[str]:
        if not test:
            return []
        labels = [r["label"] for r in train]
        if len(set(labels)) < 2:  # one class (or none) to learn from: predict it
            return [majority_label(labels, label_order)] * len(test)
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vectorizer = TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w[\w-]*\b")
        x_train = vectorizer.fit_transform([row_features_text(r) for r in train])
        model = LogisticRegression(C=1.0, max_iter=1000, solver="lbfgs")
        model.fit(x_train, labels)
        return [str(label) for label in model.predict(vectorizer.transform([row_features_text(r) for r in test]))]

    return fit_predict


def leave_one_article_out(rows: Sequence[Row]) -> list[tuple[str, list[int], list[int]]]:
    """``(article id, train indices, test indices)`` per article, in order of first appearance."""
    articles: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        articles.setdefault(str(row["article_id"]), []).append(i)
    return [
        (article, [i for i in range(len(rows)) if str(rows[i]["article_id"]) != article], held_out)
        for article, held_out in articles.items()
    ]


def predict_leave_one_article_out(rows: Sequence[Row], fit_predict: FitPredict) -> dict[str, str]:
    predictions: dict[str, str] = {}
    for _, train, test in leave_one_article_out(rows):
        labels = fit_predict([rows[i] for i in train], [rows[i] for i in test])
        predictions.update({str(rows[i]["id"]): label for i, label in zip(test, labels)})
    return {str(row["id"]): predictions[str(row["id"])] for row in rows}


@dataclass(frozen=True)
class StanceRun:
    """Predictions of one stance baseline, and what it was trained on (for meta.yaml)."""

    predictions: dict[str, str]
    training: str


def run_stance_baseline(
    fit_predict: FitPredict,
    rows: Sequence[Row],
    train_rows: Sequence[Row] | None,
    *,
    split: str,
) -> StanceRun:
    """Train on ``train_rows`` when given, else leave-one-article-out over ``rows``."""
    if train_rows:
        labels = fit_predict(train_rows, rows)
        predictions = {str(r["id"]): label for r, label in zip(rows, labels)}
        n_articles = len({r["article_id"] for r in train_rows})
        training = f"trained on the train split ({len(train_rows)} rows from {n_articles} articles)"
    else:
        predictions = predict_leave_one_article_out(rows, fit_predict)
        n_articles = len({r["article_id"] for r in rows})
        training = (
            f"no train split: leave-one-article-out cross-validation over the {split} split "
            f"({n_articles} articles); each article's rows are predicted by a model fitted on the "
            "other articles only"
        )
    return StanceRun(predictions, training)
