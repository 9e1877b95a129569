"""The results JSON written by ``warta bench score``: schema ``warta.results.v1``.

One object per (system, task, split)::

    {
      "schema": "warta.results.v1",
      "system": "lead-3",                      # or null when scored anonymously
      "task": "summarization",                 # ner | stance | summarization
      "split": "test",
      "n_documents": 120,                      # scored articles (the unit of intervals and tests)
      "signature": "task:summarization|metric:rougeL.f|tok:indonesian|stem:none|refs:max|boot:1000@seed12345|warta:1.0.0|data:1.0.0@abcdef123456",
      "signature_fields": {"task": "summarization", "metric": "rougeL.f", ...},
      "primary_metric": "rougeL.f",
      "interval": {"method": "bootstrap-percentile", "confidence": 0.95, "resamples": 1000,
                   "seed": 12345, "unit": "articles", "min_documents": 10, "min_distinct_values": 20},
      "metrics": {                             # every metric, with its 95% bootstrap interval
        "rougeL.f": {"value": 0.41, "ci_low": 0.38, "ci_high": 0.44,
                     "ci_informative": true, "ci_note": null},   # or false and the reason
        ...
      },
      "slices": {                              # slice -> value -> scores on that part of the data
        "outlet": {"kompas.com": {"n_documents": 60, "metrics": {...}}, ...},
        "seen_in_train": {"seen": {"n_documents": 120, "n_gold_entities": 310, "metrics": {...}}, ...}
      },
      "per_label": {                           # group -> label -> numbers (or null)
        "strict": {"PER": {"cor": 34, ..., "precision": 0.9, "recall": 0.8, "f1": 0.85}}
      },                                       # ner: per schema and IOB2 mode; stance: "stance";
                                               # summarization: "entity" (consistency) or nothing
      "confusion": {"labels": ["FAVOR", "AGAINST", "NONE"], "matrix": [[...], ...]},   # stance; else null
      "per_document": {                        # sufficient statistics, for paired significance tests
        "ids": ["a1", "a2", ...],              # article ids (stance: its rows' cells summed)
        "columns": ["strict.cor", "strict.inc", ...],
        "values": [[3, 0, ...], ...]           # one row per id, one value per column
      },
      "created_by": "warta 1.0.0"
    }

``value``, ``ci_low`` and ``ci_high`` are ``null`` when a metric is undefined (see
:mod:`warta.prf`). ``ci_informative`` is false, with the reason in ``ci_note``, when the
interval comes from too few documents or too few distinct resampled values
(:func:`warta.benchmarks.bootstrap.judge_interval`). ``interval``, ``slices`` and the two ``ci_`` keys
were added within v1 and are optional, so older results files still load.
Slices are declared in :mod:`warta.benchmarks.slices`; document slices (outlet, story, month, gold
agreement, after a training cutoff) partition the documents, so their ``n_documents`` add up to the
total (stance parts also give ``n_rows``, the stance rows of their articles); entity slices (entity
type, seen in train) partition the gold entities (``n_gold_entities``). ``per_document`` has one
row per article for every task; a stance article's row sums the one-hot confusion cells of its
stance rows (:mod:`warta.benchmarks.units`), so the articles, not the rows of one article, are
what intervals and paired tests resample. Every metric is a function of the column sums of
``per_document`` (and of the number of documents), which is what makes bootstrap intervals and
paired tests recomputable from the JSON alone. There are no timestamps: scoring the same inputs with the same
options gives the same bytes (:func:`dumps`). The JSON Schema is ``results.schema.json`` next to this
module.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from warta.errors import InputError
from warta.inputs import parse_json, read_json

SCHEMA_ID = "warta.results.v1"
SCHEMA_FILE = Path(__file__).with_name("results.schema.json")
TASKS = ("ner", "stance", "summarization")


@lru_cache(maxsize=1)
def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``warta.results.v1``."""
    return read_json(SCHEMA_FILE)


def dumps(results: dict[str, Any]) -> str:
    """Canonical JSON text of a results dict: 2-space indent, UTF-8, keys in schema order, newline."""
    _reject_non_finite(results, "results")
    return json.dumps(results, ensure_ascii=False, indent=2) + "\n"


def loads(text: str, source: str = "<results>") -> dict[str, Any]:
    """Parse and validate results JSON; :class:`InputError` names the source and the problem."""
    data = parse_json(text, source, hint=_HINT)
    validate(data, source)
    return data


def load(path: str | Path) -> dict[str, Any]:
    """A results file read with the shared JSON reader's limits, then checked by :func:`validate`."""
    p = Path(path)
    data = read_json(p, hint=_HINT)
    validate(data, str(p))
    return data


def validate(data: Any, source: str = "<results>") -> None:
    """Check ``data`` against ``warta.results.v1``; raise :class:`InputError` on the first problem.

    Runs the structural checks that a JSON Schema cannot express (one row of
    ``per_document.values`` per id, one value per column), ``results.schema.json`` itself (with
    ``jsonschema``, a runtime dependency), and the ranges of :func:`range_problems`.
    """
    problems = _hand_validate(data)
    if not problems:
        problems = range_problems(data)
    if not problems:  # results.schema.json is the published contract: always checked
        import jsonschema

        validator = jsonschema.Draft202012Validator(json_schema())
        for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
            problems.append(f"{where}: {error.message[:200]}")
            break
    if problems:
        raise InputError(
            f"{source}: not a {SCHEMA_ID} results file: {problems[0]}",
            hint=_HINT,
        )


_HINT = "results files are written by `warta bench score`; rescore instead of editing one"
#: per_label fields that are proportions; the others (counts) only have to be non-negative.
_PROPORTIONS = frozenset({"precision", "recall", "f1", "value"})
#: Larger counts than this are not counts of a corpus (and stop being exact as floats).
_MAX_COUNT = 2**53


def range_problems(data: dict[str, Any]) -> list[str]:
    """Values the schema's types allow but no scoring can produce.

    Every metric (value and interval) is a proportion in [0, 1]; per-label proportions too, and
    per-label counts are non-negative; per-document statistics are non-negative, at most 1 for
    summarization (per-document ROUGE and entity scores) and whole numbers for ner and stance
    (counts). ROUGE-L F = -2.37 or 1e308 is refused here, naming the field.
    """

    def outside(value: Any) -> bool:
        return value is not None and not 0.0 <= value <= 1.0

    for name, metric in data["metrics"].items():
        for key in ("value", "ci_low", "ci_high"):
            if outside(metric[key]):
                return [f"metrics.{name}.{key}: {metric[key]!r} is outside [0, 1]"]
    for group, labels in data["per_label"].items():
        for label, fields in labels.items():
            for key, value in fields.items():
                where = f"per_label.{group}.{label}.{key}"
                if not _is_number_or_null(value):
                    return [f"{where}: must be a finite number or null"]
                if key in _PROPORTIONS and outside(value):
                    return [f"{where}: {value!r} is outside [0, 1]"]
                if value is not None and not 0 <= value <= _MAX_COUNT:
                    return [f"{where}: {value!r} is not a count"]
    counts = data["task"] != "summarization"
    columns = data["per_document"]["columns"]
    for i, row in enumerate(data["per_document"]["values"]):
        for column, value in zip(columns, row):
            where = f"per_document.values[{i}] ({column})"
            if counts and (not 0 <= value <= _MAX_COUNT or not float(value).is_integer()):
                return [f"{where}: {value!r} is not a count"]
            if not counts and outside(value):
                return [f"{where}: {value!r} is outside [0, 1]"]
    if data["confusion"] is not None:
        for row in data["confusion"]["matrix"]:
            if any(not 0 <= cell <= _MAX_COUNT for cell in row):
                return ["confusion.matrix: counts must be non-negative"]
    return []


def _reject_non_finite(value: Any, where: str) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{where}: non-finite number {value!r} cannot go into results JSON")
    if isinstance(value, dict):
        for key, item in value.items():
            _reject_non_finite(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _reject_non_finite(item, f"{where}[{i}]")


_TOP = {
    "schema": str,
    "system": (str, type(None)),
    "task": str,
    "split": str,
    "n_documents": int,
    "signature": str,
    "signature_fields": dict,
    "metrics": dict,
    "per_label": dict,
    "confusion": (dict, type(None)),
    "primary_metric": str,
    "per_document": dict,
    "created_by": str,
}
#: Keys added within v1; optional so that older results files still validate.
_OPTIONAL_TOP = {"interval": dict, "slices": dict}
_METRIC_KEYS = {"value", "ci_low", "ci_high"}
_OPTIONAL_METRIC_KEYS = {"ci_informative", "ci_note"}


def _is_number_or_null(value: Any) -> bool:
    return value is None or (
        isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    )


def _check_metrics(metrics: Any, where: str) -> str | None:
    if not isinstance(metrics, dict):
        return f"{where}: expected name -> object"
    for name, metric in metrics.items():
        if (
            not isinstance(metric, dict)
            or not _METRIC_KEYS <= set(metric)
            or not set(metric) <= _METRIC_KEYS | _OPTIONAL_METRIC_KEYS
        ):
            return f"{where}.{name}: expected value, ci_low, ci_high (and optionally ci_informative, ci_note)"
        if not all(_is_number_or_null(metric[k]) for k in _METRIC_KEYS):
            return f"{where}.{name}: values must be finite numbers or null"
        if "ci_informative" in metric and not isinstance(metric["ci_informative"], bool):
            return f"{where}.{name}: ci_informative must be true or false"
        if "ci_note" in metric and not isinstance(metric["ci_note"], (str, type(None))):
            return f"{where}.{name}: ci_note must be a string or null"
    return None


def _hand_validate(data: Any) -> list[str]:
    """The checks of ``results.schema.json`` plus the cross-field ones, without dependencies."""
    if not isinstance(data, dict):
        return [f"expected a JSON object, got {type(data).__name__}"]
    problems: list[str] = []
    missing = [k for k in _TOP if k not in data]
    if missing:
        problems.append(f"missing key(s) {', '.join(missing)}")
    unknown = sorted(set(data) - set(_TOP) - set(_OPTIONAL_TOP))
    if unknown:
        problems.append(f"unknown key(s) {', '.join(unknown)}")
    if problems:
        return problems
    for key, kind in _TOP.items():
        if not isinstance(data[key], kind) or isinstance(data[key], bool):
            return [f"{key}: wrong type {type(data[key]).__name__}"]
    for key, kind in _OPTIONAL_TOP.items():
        if key in data and not isinstance(data[key], kind):
            return [f"{key}: wrong type {type(data[key]).__name__}"]
    if data["schema"] != SCHEMA_ID:
        return [f"schema: expected {SCHEMA_ID!r}, got {data['schema']!r}"]
    if data["task"] not in TASKS:
        return [f"task: {data['task']!r} is not one of {', '.join(TASKS)}"]
    if data["n_documents"] < 0:
        return ["n_documents: negative"]
    problem = _check_metrics(data["metrics"], "metrics")
    if problem:
        return [problem]
    for slice_name, values in data.get("slices", {}).items():
        if not isinstance(values, dict):
            return [f"slices.{slice_name}: expected value -> object"]
        for value, part in values.items():
            where = f"slices.{slice_name}.{value}"
            if not isinstance(part, dict) or "n_documents" not in part or "metrics" not in part:
                return [f"{where}: expected n_documents and metrics"]
            counts = {k: v for k, v in part.items() if k != "metrics"}
            if not all(k.startswith("n_") and isinstance(v, int) and not isinstance(v, bool) and v >= 0 for k, v in counts.items()):
                return [f"{where}: counts (n_...) must be non-negative integers"]
            problem = _check_metrics(part["metrics"], f"{where}.metrics")
            if problem:
                return [problem]
    if data["primary_metric"] not in data["metrics"]:
        return [f"primary_metric: {data['primary_metric']!r} is not in metrics"]
    for key, value in data["signature_fields"].items():
        if not isinstance(value, str):
            return [f"signature_fields.{key}: expected a string"]
    for group, labels in data["per_label"].items():
        if not isinstance(labels, dict) or not all(isinstance(v, dict) for v in labels.values()):
            return [f"per_label.{group}: expected label -> object"]
    confusion = data["confusion"]
    if confusion is not None:
        labels, matrix = confusion.get("labels"), confusion.get("matrix")
        if set(confusion) != {"labels", "matrix"} or not isinstance(labels, list) or not isinstance(matrix, list):
            return ["confusion: expected {labels: [...], matrix: [[...]]}"]
        if len(matrix) != len(labels) or any(
            not isinstance(row, list) or len(row) != len(labels) or not all(isinstance(c, int) for c in row)
            for row in matrix
        ):
            return ["confusion.matrix: must be a square integer matrix, one row per label"]
    per_doc = data["per_document"]
    if set(per_doc) != {"ids", "columns", "values"}:
        return ["per_document: expected exactly ids, columns, values"]
    ids, columns, values = per_doc["ids"], per_doc["columns"], per_doc["values"]
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        return ["per_document.ids: expected a list of strings"]
    if len(set(ids)) != len(ids):
        return ["per_document.ids: duplicate ids"]
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        return ["per_document.columns: expected a list of strings"]
    if not isinstance(values, list) or len(values) != len(ids):
        return [f"per_document.values: expected {len(ids)} rows, one per id"]
    for i, row in enumerate(values):
        if not isinstance(row, list) or len(row) != len(columns):
            return [f"per_document.values[{i}]: expected {len(columns)} values, one per column"]
        if not all(_is_number_or_null(v) and v is not None for v in row):
            return [f"per_document.values[{i}]: values must be finite numbers"]
    if len(ids) != data["n_documents"]:
        return [f"n_documents: {data['n_documents']} but per_document has {len(ids)} ids"]
    return []
