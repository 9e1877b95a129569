"""Score a task: gold rows of a release + validated predictions -> a ``warta.results.v1`` dict.

This is the pure core behind ``warta bench score``, ``compare`` and the leaderboard: no files, no
printing. Inputs are the rows of the release's labeled config with labels decoded to names
(:meth:`warta.release.Release.read` with ``schema=``) and the predictions of a validated submission.

Primary metrics (the leaderboard's sort key):

* ``ner``: ``strict.micro.f1`` — nervaluate's strict schema on character spans, micro-averaged;
* ``stance``: ``f_avg`` — SemEval-2016 Task 6, mean of F1(FAVOR) and F1(AGAINST);
* ``summarization``: ``rougeL.f`` — ROUGE-L F1, best reference per document, mean over documents.

Metric names (every one carries a 95% bootstrap interval over documents):

* ``ner``: ``{strict,exact,partial,type}.{micro,macro}.{precision,recall,f1}`` on spans
  (:mod:`.metrics.ner_spans`), ``iob.{default,strict}.{micro,macro}.{precision,recall,f1}`` on the
  release's tokens (:mod:`.metrics.iob`; predicted spans are projected onto the gold tokens);
* ``stance``: ``f_avg``, ``macro_f1``, ``accuracy``, ``f1.<LABEL>``, and ``<level>.f_avg`` /
  ``<level>.macro_f1`` per row level (``document``, ``actor``) present (:mod:`.metrics.stance`);
* ``summarization``: ``rouge{1,2,L,Lsum}.{p,r,f}`` (:mod:`.metrics.rouge`) and, when the source's gold
  entities are given, ``entity.{precision_source,precision_reference,recall_reference,f1_reference}``
  (:mod:`.metrics.consistency`).

Every metric is a function of the column sums of ``per_document`` (see :func:`metric_functions`), so
:func:`compare_results` recomputes paired tests from two results files alone. ``per_document`` has
one row per article for every task: a stance article's row is the sum of the confusion cells of its
stance rows (:mod:`warta.benchmarks.units`), so intervals and tests resample articles, never rows of
one article independently, and the scores are those of the row-level computation.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from warta.benchmarks import bootstrap, significance, units
from warta.benchmarks import slices as slice_defs
from warta.benchmarks.metrics import consistency as consistency_metrics
from warta.benchmarks.metrics import iob as iob_metrics
from warta.benchmarks.metrics import ner_spans
from warta.benchmarks.metrics import stance as stance_metrics
from warta.benchmarks.metrics.rouge import ROUGE_TYPES, RougeScorer
from warta.benchmarks.results import SCHEMA_ID, TASKS
from warta.benchmarks.signature import make_signature
from warta.errors import GoldError, InputError
from warta.spans import EntitySpan

PRIMARY = {"ner": "strict.micro.f1", "stance": "f_avg", "summarization": "rougeL.f"}
PRF_NAMES = ("precision", "recall", "f1")
CONSISTENCY_NAMES = {
    "prec_source": "entity.precision_source",
    "precision_ref": "entity.precision_reference",
    "recall_ref": "entity.recall_reference",
    "f1_ref": "entity.f1_reference",
}
STANCE_LEVELS = ("document", "actor")
MetricFn = bootstrap.MetricFn


@dataclass(frozen=True)
class ScoreOptions:
    """Everything besides the inputs that changes the numbers; all of it goes into the signature.

    ``schemes`` and ``iob_modes`` choose the NER views reported; ``tokenizer`` (``indonesian`` or
    ``rouge_score``) and ``stemmer`` the ROUGE tokenization; ``resamples``, ``seed`` and ``alpha`` the
    bootstrap intervals (``alpha=0.05``: 95% intervals).
    """

    schemes: tuple[str, ...] = ner_spans.SCHEMAS
    iob_modes: tuple[str, ...] = iob_metrics.MODES
    tokenizer: str = "indonesian"
    stemmer: bool = False
    resamples: int = bootstrap.DEFAULT_RESAMPLES
    seed: int = bootstrap.DEFAULT_SEED
    alpha: float = bootstrap.DEFAULT_ALPHA

    def __post_init__(self) -> None:
        unknown = [s for s in self.schemes if s not in ner_spans.SCHEMAS]
        if unknown or not self.schemes:
            raise InputError(f"unknown NER scheme(s) {unknown}; choose from {', '.join(ner_spans.SCHEMAS)}")
        unknown = [m for m in self.iob_modes if m not in iob_metrics.MODES]
        if unknown:
            raise InputError(f"unknown IOB2 mode(s) {unknown}; choose from {', '.join(iob_metrics.MODES)}")
        if self.tokenizer not in ("indonesian", "rouge_score"):
            raise InputError(f"unknown ROUGE tokenizer {self.tokenizer!r}; choose indonesian or rouge_score")
        if self.resamples < 0:
            raise InputError("resamples must be >= 0")
        if not 0 < self.alpha < 1:
            raise InputError("alpha must be between 0 and 1")


# ----------------------------------------------------------------------------- metric functions


def _cols(columns: Sequence[str], prefix: str) -> list[int]:
    return [i for i, c in enumerate(columns) if c.startswith(prefix)]


def _labels_after(columns: Sequence[str], prefix: str) -> list[str]:
    return [c[len(prefix) :] for c in columns if c.startswith(prefix)]


def _last_call_cache(fn: Callable[[np.ndarray], tuple[np.ndarray, ...]]) -> Callable[[np.ndarray], tuple[np.ndarray, ...]]:
    """``fn(sums)`` remembered for the most recent ``sums`` array, so that precision, recall and F1
    (three metrics) share one computation when they are evaluated on the same resamples or swaps.

    The array is held by a weak reference and compared by identity: a new array is a new call.
    """
    state: dict[str, Any] = {}

    def cached(sums: np.ndarray) -> tuple[np.ndarray, ...]:
        ref = state.get("ref")
        if ref is not None and ref() is sums:
            return state["value"]
        value = fn(sums)
        try:
            state["ref"], state["value"] = weakref.ref(sums), value
        except TypeError:  # not weak-referenceable: do not cache
            state.clear()
        return value

    return cached


def _ner_functions(columns: Sequence[str]) -> dict[str, MetricFn]:
    out: dict[str, MetricFn] = {}
    labels = _labels_after(columns, "span.g.")
    span_idx = _cols(columns, "span.")
    n_labels = len(labels)
    order = sorted(range(n_labels), key=labels.__getitem__)
    if span_idx:
        for schema in ner_spans.SCHEMAS:
            micro_all = _last_call_cache(
                lambda sums, schema=schema: ner_spans.prf_arrays(ner_spans.schema_counts(sums[..., span_idx], n_labels, schema))
            )
            macro_all = _last_call_cache(
                lambda sums, schema=schema: ner_spans.macro_arrays(sums[..., span_idx], n_labels, schema, order)
            )
            for part_i, part in enumerate(PRF_NAMES):

                def micro(sums: np.ndarray, n: np.ndarray, k: int = part_i, every: Callable = micro_all) -> np.ndarray:
                    return every(sums)[k]

                def macro_fn(sums: np.ndarray, n: np.ndarray, k: int = part_i, every: Callable = macro_all) -> np.ndarray:
                    return every(sums)[k]

                out[f"{schema}.micro.{part}"] = micro
                out[f"{schema}.macro.{part}"] = macro_fn
    for mode in iob_metrics.MODES:
        prefix = f"iob.{mode}."
        idx = _cols(columns, prefix)
        if not idx:
            continue
        n_types = len(idx) // 3
        types = _labels_after(columns, f"{prefix}tp.")
        type_order = sorted(range(n_types), key=types.__getitem__)

        def arrays(sums: np.ndarray, idx: list[int] = idx, n_types: int = n_types) -> tuple[np.ndarray, ...]:
            block = sums[..., idx].reshape(sums.shape[:-1] + (n_types, 3))
            tp, pred, gold = block[..., 0], block[..., 1], block[..., 2]
            return tp, pred, gold

        def prf(tp: np.ndarray, pred: np.ndarray, gold: np.ndarray) -> tuple[np.ndarray, ...]:
            counts = {"cor": tp, "inc": np.zeros_like(tp), "par": np.zeros_like(tp), "mis": gold - tp, "spu": pred - tp}
            return ner_spans.prf_arrays(counts)

        for part_i, part in enumerate(PRF_NAMES):

            def iob_micro(sums: np.ndarray, n: np.ndarray, k: int = part_i, arrays: Callable = arrays) -> np.ndarray:
                tp, pred, gold = arrays(sums)
                return prf(tp.sum(-1), pred.sum(-1), gold.sum(-1))[k]

            def iob_macro(
                sums: np.ndarray, n: np.ndarray, k: int = part_i, arrays: Callable = arrays, type_order: list[int] = type_order
            ) -> np.ndarray:
                tp, pred, gold = arrays(sums)
                values = np.nan_to_num(prf(tp, pred, gold)[k])
                present = (pred + gold) > 0
                count = present.sum(-1)
                total = np.zeros(count.shape)
                for i in type_order:  # sorted by type name, like seqeval
                    total = total + np.where(present[..., i], values[..., i], 0.0)
                with np.errstate(invalid="ignore", divide="ignore"):
                    return np.where(count > 0, total / np.where(count > 0, count, 1), np.nan)

            out[f"iob.{mode}.micro.{part}"] = iob_micro
            out[f"iob.{mode}.macro.{part}"] = iob_macro
    return out


def _stance_functions(columns: Sequence[str]) -> dict[str, MetricFn]:
    labels = [c[: -len(">-")] for c in columns if c.endswith(">-") and "." not in c]
    out: dict[str, MetricFn] = {}
    groups = [("", [i for i, c in enumerate(columns) if "." not in c])]
    for level in STANCE_LEVELS:
        idx = _cols(columns, f"{level}.")
        if idx:
            groups.append((f"{level}.", idx))
    for prefix, idx in groups:
        names = ["f_avg", "macro_f1", "accuracy"] + ([f"f1.{label}" for label in labels] if not prefix else [])
        for name in names:

            def fn(sums: np.ndarray, n: np.ndarray, idx: list[int] = idx, name: str = name) -> np.ndarray:
                return stance_metrics.scores_from_sums(sums[..., idx], labels)[name]

            out[f"{prefix}{name}"] = fn
    return out


def _summarization_functions(columns: Sequence[str]) -> dict[str, MetricFn]:
    out: dict[str, MetricFn] = {}
    for i, column in enumerate(columns):
        if column.startswith("rouge"):

            def mean(sums: np.ndarray, n: np.ndarray, i: int = i) -> np.ndarray:
                with np.errstate(invalid="ignore", divide="ignore"):
                    return np.where(n > 0, sums[..., i] / np.where(n > 0, n, 1), np.nan)

            out[column] = mean
    idx = _cols(columns, "entity.")
    if idx:
        for measure, name in CONSISTENCY_NAMES.items():

            def fn(sums: np.ndarray, n: np.ndarray, measure: str = measure, idx: list[int] = idx) -> np.ndarray:
                return consistency_metrics.mean_from_sums(sums[..., idx], measure)

            out[name] = fn
    return out


def metric_functions(task: str, columns: Sequence[str]) -> dict[str, MetricFn]:
    """Every metric of ``task`` as a function of column sums of per-document statistics ``columns``."""
    if task == "ner":
        return _ner_functions(columns)
    if task == "stance":
        return _stance_functions(columns)
    if task == "summarization":
        return _summarization_functions(columns)
    raise InputError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")


# ----------------------------------------------------------------------------- scoring


def _clean(value: Any) -> Any:
    """JSON-ready: numpy scalars to Python, NaN to None."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else float(value)
    return value


def _per_document_values(statistics: np.ndarray) -> list[list[int | float]]:
    if np.issubdtype(statistics.dtype, np.integer):
        return statistics.tolist()
    return [[int(v) if float(v).is_integer() else float(v) for v in row] for row in statistics.tolist()]


def _check_ids(task: str, gold_rows: list[dict[str, Any]], predictions: dict[str, object]) -> list[str]:
    ids = [row["id"] for row in gold_rows]
    if len(set(ids)) != len(ids):
        raise GoldError(f"{task}: duplicate ids in the gold rows")
    known = set(ids)
    extra = [i for i in predictions if i not in known]
    if extra:
        raise InputError(
            f"{task}: {len(extra)} predicted id(s) are not in the gold split, e.g. {extra[0]!r}",
            hint="validate the submission against the same release and split",
        )
    return ids


def _score_ner(
    gold_rows: list[dict[str, Any]], predictions: dict[str, object], options: ScoreOptions, labels: Sequence[str]
) -> tuple[np.ndarray, list[str], dict[str, Any]]:
    from warta.tokenize import entity_token_spans, iob2_tags

    gold_spans, pred_spans, gold_tags, pred_tags = [], [], [], []
    for row in gold_rows:
        gold = [EntitySpan(int(e["start"]), int(e["end"]), e["label"]) for e in row.get("entities") or []]
        pred = list(predictions.get(row["id"]) or [])
        gold_spans.append(gold)
        pred_spans.append(pred)
        tokens = entity_token_spans(row["text"], gold)
        if row.get("tokens") is not None and len(row["tokens"]) != len(tokens):
            raise GoldError(
                f"ner row {row['id']!r}: {len(row['tokens'])} tokens in the release but the tokenizer gives "
                f"{len(tokens)}; the release was built with another tokenizer",
                hint="rebuild the release with this version of warta",
            )
        tags = row.get("ner_tags")
        if tags is None or any(not isinstance(t, str) for t in tags):
            tags = iob2_tags(tokens, gold)
        gold_tags.append(list(tags))
        pred_tags.append(iob2_tags(tokens, pred))
    try:
        span_eval = ner_spans.score_spans(gold_spans, pred_spans, labels=labels)
    except ValueError as exc:
        raise InputError(f"ner: {exc}", hint="validate the submission with `warta bench validate`") from None
    blocks = [span_eval.statistics]
    columns = [f"span.{c}" for c in span_eval.columns]
    per_label: dict[str, Any] = {}
    for schema in options.schemes:
        per_label[schema] = {label: span_eval.counts(schema, label).as_dict() for label in labels}
    for mode in options.iob_modes:
        ev = iob_metrics.score_iob(gold_tags, pred_tags, mode=mode, labels=labels)
        blocks.append(ev.statistics)
        columns += [f"iob.{mode}.{c}" for c in ev.columns]
        per_label[f"iob.{mode}"] = {
            label: {**c.as_dict(), "support": c.n_gold} for label, c in ev.per_type().items()
        }
    return np.concatenate(blocks, axis=1), columns, {"per_label": per_label, "confusion": None}


def _score_stance(
    gold_rows: list[dict[str, Any]], predictions: dict[str, object], labels: Sequence[str]
) -> tuple[np.ndarray, list[str], dict[str, Any]]:
    gold = [row["label"] for row in gold_rows]
    if any(not isinstance(g, str) for g in gold):
        raise GoldError("stance rows must have label names; read the release with schema=")
    pred = [predictions.get(row["id"]) for row in gold_rows]
    try:
        ev = stance_metrics.score_stance(gold, pred, labels=labels)
    except ValueError as exc:
        raise InputError(f"stance: {exc}") from None
    blocks, columns = [ev.statistics], list(ev.columns)
    levels = [row.get("level") for row in gold_rows]
    for level in STANCE_LEVELS:
        if level in levels:
            mask = np.array([lv == level for lv in levels], dtype=np.int64)[:, None]
            blocks.append(ev.statistics * mask)
            columns += [f"{level}.{c}" for c in ev.columns]
    per_class = ev.per_class()
    per_label = {
        "stance": {
            label: {**c.as_dict(), "f1": stance_metrics.f1_sklearn(c.tp, c.fp, c.fn), "support": c.n_gold}
            for label, c in per_class.items()
        }
    }
    confusion = {"labels": list(labels), "matrix": ev.confusion.tolist()}
    return np.concatenate(blocks, axis=1), columns, {"per_label": per_label, "confusion": confusion}


def _score_summarization(
    gold_rows: list[dict[str, Any]],
    predictions: dict[str, object],
    options: ScoreOptions,
    source_entities: dict[str, list[EntitySpan]] | None,
    tagger: consistency_metrics.Tagger | None,
) -> tuple[np.ndarray, list[str], dict[str, Any]]:
    references = []
    for row in gold_rows:
        refs = [r for r in (row.get("references") or []) if r]
        if not refs and row.get("summary"):
            refs = [row["summary"]]
        if not refs:
            raise GoldError(f"summarization row {row['id']!r} has no reference summary")
        references.append(refs)
    summaries = [predictions.get(row["id"]) or "" for row in gold_rows]
    scorer = RougeScorer(ROUGE_TYPES, tokenizer=options.tokenizer, stemmer=options.stemmer)
    ev = scorer.score_corpus(references, summaries)
    blocks, columns = [ev.statistics], list(ev.columns)
    per_label: dict[str, Any] = {}
    if source_entities is not None or tagger is not None:
        entities = [
            (source_entities or {}).get(row.get("article_id") or row["id"], []) for row in gold_rows
        ]
        cons = consistency_metrics.score_consistency(
            [row["document"] for row in gold_rows], entities, summaries, references, tagger=tagger
        )
        blocks.append(cons.statistics)
        columns += [f"entity.{c}" for c in consistency_metrics.statistic_columns()]
        per_label["entity"] = {
            CONSISTENCY_NAMES[m]: {"value": cons.mean(m), "n_defined": cons.n_defined(m)}
            for m in consistency_metrics.MEASURES
        }
    return np.concatenate(blocks, axis=1), columns, {"per_label": per_label, "confusion": None}


def _signature_fields(
    task: str, options: ScoreOptions, dataset_version: str, manifest_sha256: str, consistency: str | None
) -> dict[str, str]:
    from warta import __version__

    common: dict[str, Any] = {
        "task": task,
        "metric": PRIMARY[task],
        "warta_version": __version__,
        "dataset_version": dataset_version,
        "manifest_sha256": manifest_sha256,
        "resamples": options.resamples,
        "seed": options.seed,
    }
    if task == "ner":
        sig = make_signature(scheme="strict", avg="micro", **common)
    elif task == "stance":
        sig = make_signature(avg="favor+against", **common)
    else:
        stem = "none"
        if options.stemmer:
            stem = "porter" if options.tokenizer == "rouge_score" else "sastrawi"
        sig = make_signature(tokenizer=options.tokenizer, stemmer=stem, references="max", entities=consistency, **common)
    return sig.as_dict()


def score_task(
    task: str,
    gold_rows: list[dict[str, Any]],
    predictions: dict[str, object],
    *,
    options: ScoreOptions = ScoreOptions(),
    dataset_version: str,
    manifest_sha256: str,
    system: str | None = None,
    split: str = "test",
    source_entities: dict[str, list[EntitySpan]] | None = None,
    tagger: consistency_metrics.Tagger | None = None,
    labels: Sequence[str] | None = None,
    context: slice_defs.SliceContext | None = None,
) -> dict[str, Any]:
    """Score validated ``predictions`` against ``gold_rows`` of one split; a ``warta.results.v1`` dict.

    ``predictions`` maps every gold id to a ``list[EntitySpan]`` (ner), a label name or ``None`` for a
    missing one (stance), or a summary string (summarization); an absent id counts as an empty
    prediction. ``source_entities`` (article id -> gold spans into the source text, from the ``ner``
    config) and an optional ``tagger`` enable the entity-consistency metrics of summarization.
    ``split`` names the release split the rows come from (it is written into the results and checked
    by :func:`compare_results`).
    ``labels`` defaults to the packaged schema's entity (ner) or stance labels, in schema order.
    ``context`` (article metadata, gold provenance, train entities) enables the slices of
    :mod:`warta.benchmarks.slices`; without it ``slices`` is empty.
    ``n_documents`` and ``per_document`` count articles: stance rows are summed per ``article_id``
    (:mod:`warta.benchmarks.units`), articles in the order of their first row.
    """
    if task not in TASKS:
        raise InputError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")
    ids = _check_ids(task, gold_rows, predictions)
    if labels is None and task != "summarization":
        from warta.schema import load_schema

        schema = load_schema()
        labels = schema.entity_labels if task == "ner" else schema.stance_label_names
    consistency = None
    if task == "ner":
        stats, columns, extra = _score_ner(gold_rows, predictions, options, labels)
        wanted = [f"{s}.{a}.{p}" for s in options.schemes for a in ("micro", "macro") for p in PRF_NAMES]
        wanted += [f"iob.{m}.{a}.{p}" for m in options.iob_modes for a in ("micro", "macro") for p in PRF_NAMES]
    elif task == "stance":
        stats, columns, extra = _score_stance(gold_rows, predictions, labels)
        # one row of statistics per article, not per stance row (see warta.benchmarks.units)
        ids, stats = units.sum_by_article([units.article_of_row(task, r) for r in gold_rows], stats)
        wanted = None
    else:
        stats, columns, extra = _score_summarization(gold_rows, predictions, options, source_entities, tagger)
        wanted = None
        if source_entities is not None or tagger is not None:
            consistency = "gold" + ("+tagger" if tagger is not None else "")
    functions = metric_functions(task, columns)
    if wanted is not None:
        functions = {name: functions[name] for name in wanted}
    primary = PRIMARY[task]
    functions = {primary: functions[primary], **{k: v for k, v in functions.items() if k != primary}}
    intervals = bootstrap.bootstrap_intervals(
        stats, functions, resamples=options.resamples, seed=options.seed, alpha=options.alpha
    )
    fields = _signature_fields(task, options, dataset_version, manifest_sha256, consistency)
    slices: dict[str, Any] = {}
    if context is not None:
        articles = [slice_defs.article_of(task, i) for i in ids]
        rows = _rows_per_document(task, columns, stats)
        for name, fn in slice_defs.DOCUMENT_SLICES.items():
            if slice_defs.document_slice_available(name, context):
                values = slice_defs.row_values(fn, articles, context)
                slices[name] = document_slice_scores(stats, values, functions, options, rows=rows)
        if task == "ner":
            for name, entity_fn in slice_defs.ENTITY_SLICES.items():
                if slice_defs.entity_slice_available(name, context):
                    slices[name] = _entity_slice_scores(
                        gold_rows, predictions, options, labels, functions, entity_fn, context
                    )
    from warta import __version__

    return _clean(
        {
            "schema": SCHEMA_ID,
            "system": system,
            "task": task,
            "split": split,
            "n_documents": len(ids),
            "signature": "|".join(f"{k}:{v}" for k, v in fields.items()),
            "signature_fields": fields,
            "interval": interval_info(task, options),
            "metrics": {name: interval.as_dict() for name, interval in intervals.items()},
            "slices": slices,
            "per_label": extra["per_label"],
            "confusion": extra["confusion"],
            "primary_metric": primary,
            "per_document": {"ids": ids, "columns": columns, "values": _per_document_values(stats)},
            "created_by": f"warta {__version__}",
        }
    )


# ----------------------------------------------------------------------------- slices


UNITS = units.UNITS


def _rows_per_document(task: str, columns: Sequence[str], stats: np.ndarray) -> np.ndarray | None:
    """Stance rows of each article (slices report them next to the article count); ``None`` otherwise."""
    return units.rows_per_article(columns, stats) if task == "stance" else None


def interval_info(task: str, options: ScoreOptions) -> dict[str, Any]:
    """How the intervals of a result were made, and when they count as informative."""
    return {
        "method": bootstrap.INTERVAL_METHOD,
        "confidence": round(1 - options.alpha, 10),
        "resamples": options.resamples,
        "seed": options.seed,
        "unit": UNITS[task],
        "min_documents": bootstrap.MIN_DOCUMENTS,
        "min_distinct_values": bootstrap.MIN_DISTINCT_VALUES,
    }


def _sorted_values(values: set[str]) -> list[str]:
    """Slice values in a stable order, the catch-all ``unknown`` values last."""
    catch_all = {slice_defs.UNKNOWN, slice_defs.UNKNOWN_DATE}
    return sorted(values, key=lambda v: (v in catch_all, v))


def document_slice_scores(
    stats: np.ndarray,
    values: Sequence[str],
    functions: dict[str, MetricFn],
    options: ScoreOptions,
    *,
    rows: np.ndarray | None = None,
) -> dict[str, Any]:
    """Scores on the documents of each slice value (``values[i]`` is document ``i``'s); counts add up.

    ``rows`` (stance: the stance rows of each article) adds ``n_rows`` to every part.
    """
    stats = np.asarray(stats)
    labels = np.asarray(list(values), dtype=object)
    out: dict[str, Any] = {}
    for value in _sorted_values(set(values)):
        chosen = labels == value
        part = stats[chosen]
        intervals = bootstrap.bootstrap_intervals(
            part, functions, resamples=options.resamples, seed=options.seed, alpha=options.alpha
        )
        out[value] = {"n_documents": int(part.shape[0])}
        if rows is not None:
            out[value]["n_rows"] = int(round(float(np.asarray(rows)[chosen].sum())))
        out[value]["metrics"] = {name: interval.as_dict() for name, interval in intervals.items()}
    return out


def _entity_slice_scores(
    gold_rows: list[dict[str, Any]],
    predictions: dict[str, object],
    options: ScoreOptions,
    labels: Sequence[str],
    functions: dict[str, MetricFn],
    entity_fn: slice_defs.EntitySlice,
    context: slice_defs.SliceContext,
) -> dict[str, Any]:
    """NER scored on the gold and predicted spans of each value of an entity slice separately."""

    def value_of(row: dict[str, Any], start: int, end: int, label: str) -> str:
        return entity_fn(row["text"][start:end], label, context)

    gold_values: dict[str, int] = {}
    pred_values: dict[str, int] = {}
    for row in gold_rows:
        for e in row.get("entities") or []:
            v = value_of(row, int(e["start"]), int(e["end"]), e["label"])
            gold_values[v] = gold_values.get(v, 0) + 1
        for span in predictions.get(row["id"]) or []:
            v = value_of(row, span.start, span.end, span.label)
            pred_values[v] = pred_values.get(v, 0) + 1
    out: dict[str, Any] = {}
    for value in _sorted_values(set(gold_values) | set(pred_values)):
        rows = []
        kept: dict[str, object] = {}
        for row in gold_rows:
            entities = [
                e for e in row.get("entities") or [] if value_of(row, int(e["start"]), int(e["end"]), e["label"]) == value
            ]
            # tokens and tags follow the gold spans, so they are recomputed from the kept ones
            rows.append({**row, "entities": entities, "tokens": None, "ner_tags": None})
            kept[row["id"]] = [
                s for s in predictions.get(row["id"]) or [] if value_of(row, s.start, s.end, s.label) == value
            ]
        stats, columns, _ = _score_ner(rows, kept, options, labels)
        sliced = {name: fn for name, fn in metric_functions("ner", columns).items() if name in functions}
        intervals = bootstrap.bootstrap_intervals(
            stats, sliced, resamples=options.resamples, seed=options.seed, alpha=options.alpha
        )
        out[value] = {
            "n_documents": len(rows),
            "n_gold_entities": gold_values.get(value, 0),
            "n_predicted_entities": pred_values.get(value, 0),
            "metrics": {name: intervals[name].as_dict() for name in functions if name in intervals},
        }
    return out


def results_document_slice(
    results: dict[str, Any],
    slice_fn: slice_defs.DocumentSlice,
    context: slice_defs.SliceContext,
    options: ScoreOptions,
) -> dict[str, Any]:
    """A document slice of an existing results dict, from its per-document statistics alone."""
    task = results["task"]
    ids, stats = _document_statistics(results)
    columns = results["per_document"]["columns"]
    functions = metric_functions(task, columns)
    functions = {name: functions[name] for name in results["metrics"] if name in functions}
    articles = [slice_defs.article_of(task, i) for i in ids]
    values = slice_defs.row_values(slice_fn, articles, context)
    rows = _rows_per_document(task, columns, stats)
    return _clean(document_slice_scores(stats, values, functions, options, rows=rows))


def _document_statistics(results: dict[str, Any]) -> tuple[list[str], np.ndarray]:
    """Ids and per-document statistics of a results dict, one row per article (:mod:`.units`)."""
    per_doc = results["per_document"]
    stats = np.asarray(per_doc["values"], dtype=np.float64).reshape(len(per_doc["ids"]), len(per_doc["columns"]))
    return units.document_statistics(results["task"], per_doc["ids"], stats)


# ----------------------------------------------------------------------------- comparison


def compare_results(
    a: dict[str, Any],
    b: dict[str, Any],
    *,
    seed: int = bootstrap.DEFAULT_SEED,
    trials: int = significance.DEFAULT_AR_TRIALS,
    resamples: int = significance.DEFAULT_BOOTSTRAP_RESAMPLES,
    metrics: Sequence[str] | None = None,
    names: tuple[str, str] | None = None,
    bootstrap_test: bool = True,
) -> dict[str, Any]:
    """Paired significance of ``A - B`` per metric, from two results dicts of the same gold.

    Both must have the same task, split and release (``data`` signature field), the same scoring
    options apart from the bootstrap, and per-document statistics for the same ids and columns.
    Returns ``{"task", "split", "a", "b", "n_documents", "identical_statistics", "signature",
    "resamples", "trials", "seed", "metrics": {name: {"a", "b", "delta", "p_permutation", "exact",
    "p_bootstrap", "p_randomization"}}}``. ``p_permutation`` is the paired permutation test
    (exact up to :data:`significance.EXACT_MAX_DOCUMENTS` documents, ``exact`` says whether it was);
    ``p_bootstrap`` (left out with ``bootstrap_test=False``) is unreliable on small test sets (see
    :mod:`warta.benchmarks.significance`). ``a`` and ``b`` name the systems: ``names``, else the
    results' ``system``.
    """
    for key in ("task", "split"):
        if a.get(key) != b.get(key):
            raise InputError(f"cannot compare results of different {key}s: {a.get(key)!r} vs {b.get(key)!r}")
    fa, fb = a.get("signature_fields", {}), b.get("signature_fields", {})
    if fa.get("data") != fb.get("data"):
        raise InputError(
            f"cannot compare results on different releases: {fa.get('data')!r} vs {fb.get('data')!r}",
            hint="rescore both systems against the same release",
        )
    differing = sorted(k for k in set(fa) | set(fb) if k not in ("boot", "warta") and fa.get(k) != fb.get(k))
    if differing:
        raise InputError(
            "cannot compare results scored with different options: "
            + ", ".join(f"{k}={fa.get(k)!r} vs {fb.get(k)!r}" for k in differing)
        )
    pa, pb = a["per_document"], b["per_document"]
    if pa["columns"] != pb["columns"]:
        raise InputError("cannot compare: the two results keep different per-document statistics")
    ids_a, stats_a = _document_statistics(a)
    ids_b, values_b = _document_statistics(b)
    if set(ids_a) != set(ids_b) or len(ids_a) != len(ids_b):
        raise InputError("cannot compare: the two results cover different documents")
    row_of_b = {doc_id: i for i, doc_id in enumerate(ids_b)}
    stats_b = values_b[[row_of_b[doc_id] for doc_id in ids_a]] if len(ids_a) else values_b
    functions = metric_functions(a["task"], pa["columns"])
    metric_names = [m for m in a["metrics"] if m in b["metrics"] and m in functions]
    if metrics is not None:
        unknown = [m for m in metrics if m not in metric_names]
        if unknown:
            raise InputError(f"cannot compare unknown metric(s) {', '.join(unknown)}")
        metric_names = list(metrics)
    chosen = {name: functions[name] for name in metric_names}
    perm = significance.paired_permutation_all(stats_a, stats_b, chosen, trials=trials, seed=seed)
    boot = (
        significance.paired_bootstrap_all(stats_a, stats_b, chosen, resamples=resamples, seed=seed)
        if bootstrap_test
        else {}
    )
    ar = (
        {k: v for k, v in perm.items()}
        if any(not r.exact for r in perm.values())
        else significance.approximate_randomization_all(stats_a, stats_b, chosen, trials=trials, seed=seed)
    )
    out: dict[str, Any] = {}
    for name in metric_names:
        entry = {
            "a": perm[name].score_a,
            "b": perm[name].score_b,
            "delta": perm[name].delta,
            "p_permutation": perm[name].p_value,
            "exact": perm[name].exact,
        }
        if bootstrap_test:
            entry["p_bootstrap"] = boot[name].p_value
        entry["p_randomization"] = ar[name].p_value
        out[name] = entry
    name_a, name_b = names if names is not None else (a.get("system"), b.get("system"))
    return _clean(
        {
            "task": a["task"],
            "split": a["split"],
            "a": name_a,
            "b": name_b,
            "n_documents": int(stats_a.shape[0]),
            "smallest_p": significance.smallest_p(int(stats_a.shape[0]), trials=trials),
            "identical_statistics": bool(np.array_equal(stats_a, stats_b)),
            "signature": a.get("signature"),
            "resamples": resamples,
            "trials": trials,
            "seed": seed,
            "metrics": out,
        }
    )
