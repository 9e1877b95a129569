"""The leaderboard: rescore every submission, rank, test against the best, render four views.

``warta bench leaderboard`` writes, into one folder that appears complete or not at all::

    LEADERBOARD.md                 one table per task (GitHub renders it)
    leaderboard.csv                long format: one row per task x system x metric
    leaderboard.html               static page: sortable tables, CI whiskers, no external assets
    results/<system>/<task>.json   the full results of each entry (``warta.results.v1``)

Ranking is by the task's primary metric (higher is better; an undefined score ranks last, ties
by system id). The best ranked system is compared with every other one by the paired permutation
test of :mod:`warta.benchmarks.significance` on the primary metric (exact up to 20 documents,
approximate randomisation above), and the p-values of these comparisons are adjusted together by
Holm–Bonferroni: a system whose adjusted p is at most ``alpha`` is ``worse`` than the best, the
others are ``tied`` (≈ best). When even the most extreme outcome could not reach ``alpha`` (with
``n`` documents and ``m`` comparisons the smallest adjusted p is ``min(1, m * 2 / 2^n)``; 5
documents or fewer never separate two systems at 0.05), no system is called best or worse: every
ranked system is ``inseparable`` and the views say "n = 2 documents cannot separate systems at
α = 0.05" (also when the systems tie, since with two systems or more there is at least one
comparison to make). ``n`` counts articles for every task: a stance article's rows are resampled
and swapped together (:mod:`warta.benchmarks.units`). Systems whose predictions are identical are
detected and said to be so. Oracle systems (their ``meta.yaml`` says ``oracle: true``) are shown,
marked, and neither ranked nor tested. A
system whose ``meta.yaml`` gives a ``training_data_cutoff`` is also scored on the articles
published after it (slice ``after_training_cutoff``), so a model that may have read the test
articles is visible.

Rendering is deterministic: no timestamps, sorted inputs, fixed number formats, so the same
release and submissions give byte-identical files. The HTML is rendered by Jinja2 with
autoescaping on, so any text from a submission (a system called ``<script>alert(1)</script>``)
is shown as text, and its Content-Security-Policy allows only the page's own sorting script.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warta import __version__
from warta.benchmarks import slices as slice_defs
from warta.benchmarks.evaluate import load_task_gold, score_file
from warta.benchmarks.significance import holm, smallest_p
from warta.benchmarks.submissions import TASKS, SystemFolder, discover_systems
from warta.benchmarks.units import stance_rows
from warta.errors import InputError, OutputExistsError
from warta.release import Release
from warta.schema import LabelSchema, load_schema

TEMPLATES = Path(__file__).with_name("templates")
ALPHA = 0.05

TASK_TITLES = {
    "ner": "Named entities",
    "stance": "Stance towards NATO enlargement",
    "summarization": "Summarization",
}
TASK_ABOUT = {
    "ner": "Character-span entities (PER, ORG, GPE, LOC, DATE) in the headline and body, "
    "scored with the SemEval-2013 schemas as nervaluate defines them, micro-averaged over types.",
    "stance": "Stance (FAVOR, AGAINST, NONE) of each article and of each actor in it towards the "
    "target, scored as in SemEval-2016 Task 6.",
    "summarization": "Abstractive or extractive summaries of each article, scored with ROUGE "
    "(F-measure, best over the references) with the Indonesian-aware tokenizer.",
}
#: What ``n`` counts: articles for every task (a stance article's rows are tested together, see
#: :mod:`warta.benchmarks.units`).
TASK_UNITS = {"ner": "articles", "stance": "articles", "summarization": "articles"}
#: The unit in the sentence "n = 2 documents cannot separate systems".
TASK_UNIT_SENTENCE = {"ner": "documents", "stance": "documents", "summarization": "documents"}
#: Slices shown on the page and in LEADERBOARD.md (all of them are in the results JSON).
SLICE_TITLES = {
    "outlet": "Outlet",
    "story": "Story",
    "publication_month": "Publication month",
    "gold_agreement": "Gold agreement",
    "entity_type": "Entity type",
    "seen_in_train": "Entity seen in train",
}
CUTOFF_SLICE = "after_training_cutoff"

#: Columns shown per task, in order, when the results have them (the primary metric comes first).
#: Every other metric is in leaderboard.csv and the results JSON.
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "ner": (
        ("strict.micro.f1", "F1 strict"),
        ("strict.micro.precision", "P strict"),
        ("strict.micro.recall", "R strict"),
        ("exact.micro.f1", "F1 exact"),
        ("partial.micro.f1", "F1 partial"),
        ("type.micro.f1", "F1 type"),
        ("iob.default.micro.f1", "IOB2 F1 (conlleval)"),
    ),
    "stance": (
        ("f_avg", "F_avg"),
        ("macro_f1", "Macro-F1"),
        ("accuracy", "Accuracy"),
        ("f1.FAVOR", "F1 FAVOR"),
        ("f1.AGAINST", "F1 AGAINST"),
        ("f1.NONE", "F1 NONE"),
    ),
    "summarization": (
        ("rouge1.f", "ROUGE-1"),
        ("rouge2.f", "ROUGE-2"),
        ("rougeL.f", "ROUGE-L"),
        ("rougeLsum.f", "ROUGE-Lsum"),
        ("entity.precision_source", "Entity prec. (source)"),
        ("entity.f1_reference", "Entity F1 (refs)"),
    ),
}
WHISKER_WIDTH = 96
#: Forest plot geometry (SVG user units).
FOREST_LABEL = 190
FOREST_AXIS = 420
FOREST_ROW = 22


@dataclass(frozen=True)
class Cell:
    text: str
    sort_value: str
    ci_text: str = ""
    whisker: dict[str, Any] | None = None
    informative: bool = True
    ci_note: str | None = None


@dataclass
class Entry:
    """One system on one task."""

    system_id: str
    name: str
    authors: str
    url: str | None
    date: str
    description: str
    oracle: bool
    results: dict[str, Any]
    rank: int | None = None
    status: str = "worse"  # best | tied | worse | inseparable | oracle
    #: Holm-adjusted p-value of the comparison with the best system (``p_raw``: unadjusted).
    p_value: float | None = None
    p_raw: float | None = None
    exact: bool | None = None
    cells: list[Cell] = field(default_factory=list)
    #: Other systems of the task with exactly the same predictions.
    identical_to: list[str] = field(default_factory=list)
    training_data_cutoff: str | None = None
    #: What the ``after_training_cutoff`` slice shows, in words (empty without a cutoff).
    cutoff_text: str = ""
    predictions: Any = None

    @property
    def p_value_text(self) -> str:
        return "n/a" if self.p_value is None else f"{self.p_value:.3f}"

    @property
    def note(self) -> str:
        """Why two rows look the same: identical predictions."""
        if not self.identical_to:
            return ""
        return "identical predictions to " + ", ".join(self.identical_to)


@dataclass
class TaskBoard:
    task: str
    title: str
    about: str
    unit: str
    #: "2 articles", with the stance rows behind them for stance ("2 articles (9 stance rows)").
    size: str
    primary_metric: str
    primary_label: str
    signature: str
    n_documents: int
    columns: list[dict[str, str]]
    entries: list[Entry]
    #: "n = 2 documents cannot separate systems at α = 0.05" when no test could; else "".
    inseparable: str = ""
    #: Holm family size (comparisons with the best) and whether every p-value was exact.
    comparisons: int = 0
    exact: bool = True
    forest: dict[str, Any] | None = None
    #: slice title -> rows of {value, n, cells: [text per entry]} (primary metric per slice value).
    slices: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Leaderboard:
    release_version: str
    manifest_sha256: str
    split: str
    seed: int
    resamples: int
    alpha: float
    n_systems: int
    tasks: list[TaskBoard]
    warta_version: str = __version__


def _metric(results: dict[str, Any], name: str) -> dict[str, Any] | None:
    return results.get("metrics", {}).get(name)


def _value(results: dict[str, Any], name: str) -> float | None:
    metric = _metric(results, name)
    return None if metric is None else metric.get("value")


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _sort_value(value: float | None) -> str:
    return "" if value is None else repr(round(float(value), 12))


def _whisker(metric: dict[str, Any]) -> dict[str, Any] | None:
    value, low, high = metric.get("value"), metric.get("ci_low"), metric.get("ci_high")
    if value is None or low is None or high is None:
        return None

    def x(v: float) -> str:
        return f"{max(0.0, min(1.0, v)) * WHISKER_WIDTH:.1f}"

    return {"width": WHISKER_WIDTH, "low": x(low), "high": x(high), "value": x(value)}


def _columns(task: str, results: Sequence[dict[str, Any]], primary: str) -> list[tuple[str, str]]:
    present = set().union(*(r.get("metrics", {}).keys() for r in results)) if results else set()
    labels = dict(COLUMNS.get(task, ()))
    chosen = [(primary, labels.get(primary, primary))]
    chosen += [(k, label) for k, label in COLUMNS.get(task, ()) if k != primary and k in present]
    return chosen


def p_value_of(comparison: dict[str, Any], metric: str) -> float | None:
    """The paired-permutation p-value of ``metric`` in a :func:`compare_results` answer."""
    metrics = comparison.get("metrics", comparison)
    entry = metrics.get(metric) if isinstance(metrics, dict) else None
    if not isinstance(entry, dict):
        return None
    for key in ("p_permutation", "p_value"):
        if key in entry and entry[key] is not None:
            return float(entry[key])
    return None


def inseparable_sentence(n_documents: int, unit: str, alpha: float) -> str:
    noun = unit if n_documents != 1 else unit.rstrip("s")
    return f"n = {n_documents} {noun} cannot separate systems at α = {alpha:g}"


def separable(n_documents: int | None, comparisons: int, alpha: float) -> bool:
    """Whether the smallest Holm-adjusted p over ``comparisons`` tests can reach ``alpha``."""
    if n_documents is None or comparisons == 0:
        return True
    return min(1.0, comparisons * smallest_p(n_documents)) <= alpha


def rank_task(
    task: str,
    entries: list[Entry],
    *,
    compare: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]],
    alpha: float = ALPHA,
) -> list[Entry]:
    """Sort, rank and mark ``entries`` of one task (in place), oracles last among equals."""
    if not entries:
        return entries
    primary = entries[0].results["primary_metric"]

    def key(e: Entry) -> tuple[Any, ...]:
        v = _value(e.results, primary)
        return (v is None, -(v if v is not None else 0.0), e.system_id)

    ranked = sorted((e for e in entries if not e.oracle), key=key)
    oracles = sorted((e for e in entries if e.oracle), key=key)
    rank = 0
    previous: float | None = None
    for position, entry in enumerate(ranked, start=1):
        value = _value(entry.results, primary)
        if position == 1 or value != previous:
            rank = position
        previous = value
        entry.rank = rank
    best = ranked[0] if ranked and _value(ranked[0].results, primary) is not None else None
    tested: list[Entry] = []
    for entry in ranked:
        if best is None:
            entry.status = "worse"
        elif entry is best or _value(entry.results, primary) == _value(best.results, primary):
            entry.status = "best"
        else:
            comparison = compare(best.results, entry.results)
            entry.p_raw = p_value_of(comparison, primary)
            detail = comparison.get("metrics", {}).get(primary, {})
            entry.exact = detail.get("exact") if isinstance(detail, dict) else None
            tested.append(entry)
    with_p = [e for e in tested if e.p_raw is not None]
    for entry, adjusted in zip(with_p, holm([e.p_raw for e in with_p])):
        entry.p_value = adjusted
    for entry in tested:
        entry.status = "worse" if entry.p_value is not None and entry.p_value <= alpha else "tied"
    n_documents = best.results.get("n_documents") if best is not None else None
    # systems tied with the best are not tested, but on too few documents they could not be told
    # apart from it either: with two or more ranked systems the family has at least one comparison
    family = max(len(tested), 1 if len(ranked) > 1 else 0)
    if best is not None and not separable(n_documents, family, alpha):
        for entry in ranked:
            entry.status = "inseparable"
    for entry in oracles:
        entry.status = "oracle"
    return ranked + oracles


def build_leaderboard(
    release: str | Path,
    submissions: str | Path,
    *,
    split: str = "test",
    options: Any = None,
    alpha: float = ALPHA,
    schema: LabelSchema | None = None,
    progress: Callable[[str], None] | None = None,
    gold_dir: str | Path | None = None,
) -> Leaderboard:
    """Rescore every system folder under ``submissions`` against ``release`` (nothing is written).

    ``gold_dir`` (the gold folder the release was built from) adds the gold agreement slice.
    """
    from warta.benchmarks.scoring import ScoreOptions, compare_results

    options = options if options is not None else ScoreOptions()
    schema = schema or load_schema()
    opened = Release.open(release)
    opened.check_files()  # a tampered release is refused before any system is scored
    systems = discover_systems(submissions)
    if not systems:
        raise InputError(f"{submissions}: no system folders", hint="write the baselines with `warta bench baselines`")
    step = progress or (lambda _: None)
    boards: list[TaskBoard] = []
    for task in TASKS:
        entrants = [s for s in systems if task in s.files]
        if task not in opened.configs() or split not in opened.splits(task):
            if entrants:
                raise InputError(
                    f"{entrants[0].files[task]}: release {opened.version} has no {task!r} gold for split {split!r}"
                )
            continue
        if not entrants:
            continue
        gold = load_task_gold(opened, task, split, schema, gold_dir=gold_dir)
        entries: list[Entry] = []
        for system in entrants:
            step(f"{task}: {system.id}")
            results, submission = score_file(gold, system.files[task], options=options, system=system.id)
            entry = _entry(system, results)
            entry.predictions = submission.predictions
            if entry.training_data_cutoff is not None:
                _add_cutoff_slice(entry, gold.context, options, TASK_UNITS[task])
            entries.append(entry)
        _mark_identical(entries)

        def compare(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
            primary = a["primary_metric"]
            return compare_results(a, b, seed=options.seed, metrics=[primary], bootstrap_test=False)

        ranked = rank_task(task, entries, compare=compare, alpha=alpha)
        boards.append(_task_board(task, gold, ranked, alpha))
    return Leaderboard(
        release_version=opened.version,
        manifest_sha256=opened.manifest_sha256,
        split=split,
        seed=options.seed,
        resamples=options.resamples,
        alpha=alpha,
        n_systems=len(systems),
        tasks=boards,
    )


def _entry(system: SystemFolder, results: dict[str, Any]) -> Entry:
    meta = system.meta
    return Entry(
        system_id=system.id,
        name=meta.name,
        authors=", ".join(meta.authors),
        url=meta.url,
        date=meta.date,
        description=meta.description,
        oracle=meta.oracle,
        results=results,
        training_data_cutoff=meta.training_data_cutoff,
    )


def _mark_identical(entries: list[Entry]) -> None:
    """Tell each entry which other systems made exactly the same predictions."""
    for entry in entries:
        entry.identical_to = [
            other.system_id
            for other in entries
            if other is not entry and other.predictions is not None and other.predictions == entry.predictions
        ]


def _add_cutoff_slice(entry: Entry, context: slice_defs.SliceContext, options: Any, unit: str) -> None:
    """Score ``entry`` on the articles published after its training data cutoff (slice in its results)."""
    from warta.benchmarks.scoring import results_document_slice

    cutoff = entry.training_data_cutoff
    assert cutoff is not None
    sliced = results_document_slice(entry.results, slice_defs.after_cutoff(cutoff), context, options)
    entry.results = {**entry.results, "slices": {**entry.results.get("slices", {}), CUTOFF_SLICE: sliced}}
    after = sliced.get(slice_defs.AFTER)
    unknown = sliced.get(slice_defs.UNKNOWN_DATE, {}).get("n_documents", 0)
    total = entry.results["n_documents"]
    unknown_text = f"; {unknown} of {total} {unit} have no publication date" if unknown else ""
    if after is None:
        entry.cutoff_text = f"training data up to {cutoff}: none of the {unit} was published later{unknown_text}"
        return
    primary = entry.results["primary_metric"]
    value = after["metrics"][primary]["value"]
    entry.cutoff_text = (
        f"training data up to {cutoff}: {_percent(value)} on the {after['n_documents']} of {total} {unit} "
        f"published later{unknown_text}"
    )


def _cell(metric: dict[str, Any], primary: bool) -> Cell:
    value = metric.get("value")
    ci = ""
    if primary and metric.get("ci_low") is not None and metric.get("ci_high") is not None:
        ci = f"[{_percent(metric['ci_low'])}, {_percent(metric['ci_high'])}]"
    informative = bool(metric.get("ci_informative", True))
    return Cell(
        _percent(value),
        _sort_value(value),
        ci,
        _whisker(metric) if primary else None,
        informative,
        None if informative else metric.get("ci_note"),
    )


def _forest(entries: list[Entry], primary: str) -> dict[str, Any] | None:
    """Geometry of the forest plot of the primary metric: one row per entry, a 0–100 axis."""
    rows = []
    for i, entry in enumerate(entries):
        metric = _metric(entry.results, primary) or {}
        value, low, high = metric.get("value"), metric.get("ci_low"), metric.get("ci_high")

        def x(v: float) -> str:
            return f"{FOREST_LABEL + max(0.0, min(1.0, v)) * FOREST_AXIS:.1f}"

        rows.append({
            "y": f"{14 + i * FOREST_ROW + FOREST_ROW / 2:.1f}",
            "label": entry.name if len(entry.name) <= 28 else entry.name[:27] + "…",
            "status": entry.status,
            "value": None if value is None else x(value),
            "low": None if low is None else x(low),
            "high": None if high is None else x(high),
            "text": _percent(value) + ("" if low is None else f" [{_percent(low)}, {_percent(high)}]"),
            "informative": bool(metric.get("ci_informative", True)),
        })
    if not rows:
        return None
    height = 14 + len(rows) * FOREST_ROW + 24
    ticks = [
        {"x": f"{FOREST_LABEL + t / 100 * FOREST_AXIS:.1f}", "label": str(t)} for t in range(0, 101, 20)
    ]
    return {
        "width": FOREST_LABEL + FOREST_AXIS + 20,
        "height": height,
        "axis_y": f"{height - 20:.1f}",
        "tick_label_y": f"{height - 6:.1f}",
        "top": "6",
        "rows": rows,
        "ticks": ticks,
        "x0": str(FOREST_LABEL),
        "x1": str(FOREST_LABEL + FOREST_AXIS),
    }


def _slice_rows(entries: list[Entry], primary: str) -> list[dict[str, Any]]:
    """Per slice: the primary metric of every entry on every value, with the value's count."""
    out = []
    names = [n for n in SLICE_TITLES if any(n in e.results.get("slices", {}) for e in entries)]
    for name in names:
        values: list[str] = []
        for e in entries:
            for v in e.results.get("slices", {}).get(name, {}):
                if v not in values:
                    values.append(v)
        rows = []
        for v in values:
            parts = [e.results.get("slices", {}).get(name, {}).get(v) for e in entries]
            first = next(p for p in parts if p is not None)
            count = f"{first['n_documents']}"
            if "n_gold_entities" in first:
                count = f"{first['n_gold_entities']} gold entities"
            cells = [_cell(p["metrics"].get(primary, {}), False) if p is not None else Cell("–", "") for p in parts]
            rows.append({"value": v, "count": count, "cells": cells})
        out.append({"name": name, "title": SLICE_TITLES[name], "rows": rows})
    return out


def _task_board(task: str, gold: Any, entries: list[Entry], alpha: float = ALPHA) -> TaskBoard:
    results = [e.results for e in entries]
    primary = results[0]["primary_metric"]
    columns = _columns(task, results, primary)
    for entry in entries:
        entry.cells = []
        for i, (name, _) in enumerate(columns):
            metric = _metric(entry.results, name) or {"value": None, "ci_low": None, "ci_high": None}
            entry.cells.append(_cell(metric, i == 0))
    signatures = sorted({r["signature"] for r in results})
    signature = signatures[0] if len(signatures) == 1 else " / ".join(signatures)
    n_documents = results[0]["n_documents"]
    tested = [e for e in entries if e.p_raw is not None]
    inseparable = ""
    if any(e.status == "inseparable" for e in entries):
        inseparable = inseparable_sentence(n_documents, TASK_UNIT_SENTENCE[task], alpha)
    size = f"{n_documents} {TASK_UNITS[task] if n_documents != 1 else TASK_UNITS[task].rstrip('s')}"
    if task == "stance":
        rows = stance_rows(results[0]["per_document"]["columns"], results[0]["per_document"]["values"])
        size += f" ({rows} stance row{'' if rows == 1 else 's'})"
    return TaskBoard(
        task=task,
        title=TASK_TITLES[task],
        about=TASK_ABOUT[task],
        unit=TASK_UNITS[task],
        size=size,
        primary_metric=primary,
        primary_label=dict(columns)[primary],
        signature=signature,
        n_documents=n_documents,
        columns=[{"key": k, "label": label} for k, label in columns],
        entries=entries,
        inseparable=inseparable,
        comparisons=len(tested),
        exact=all(e.exact is not False for e in tested),
        forest=_forest(entries, primary),
        slices=_slice_rows(entries, primary),
    )


# --- rendering --------------------------------------------------------------------------------


def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters["md"] = markdown_text
    return env


def markdown_text(value: Any) -> str:
    """Text safe in a Markdown table cell: no raw HTML (``&``, ``<``, ``>`` as entities), Markdown
    punctuation and pipes backslash-escaped, newlines folded into spaces."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\`*_[]|":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())


def sorting_script() -> str:
    return (TEMPLATES / "leaderboard.js").read_text(encoding="utf-8")


def render_html(board: Leaderboard) -> str:
    from markupsafe import Markup

    script = sorting_script()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return _environment().get_template("leaderboard.html.j2").render(
        board=board, script=Markup(script), script_sha256=digest
    )


def render_markdown(board: Leaderboard) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_text
    text = env.get_template("leaderboard.md.j2").render(board=board)
    text = "\n".join(line.rstrip() for line in text.splitlines()).strip() + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)


CSV_COLUMNS = (
    "task", "rank", "system", "name", "oracle", "status", "p_value_vs_best", "p_unadjusted", "p_exact",
    "identical_to", "metric", "primary", "value", "ci_low", "ci_high", "ci_informative", "signature",
)


def _csv_number(value: Any) -> str:
    return "" if value is None else repr(float(value))


#: Characters that make a spreadsheet read a cell as a formula (or hide one behind a tab or CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: Any) -> str:
    """A text cell that a spreadsheet shows as text: one starting with ``=``, ``+``, ``-``, ``@``,
    tab or CR gets a leading ``'`` (OWASP's advice against CSV injection), so a system named
    ``=cmd|"/c calc"!A1`` is displayed, never run. Numbers are written by :func:`_csv_number`."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def render_csv(board: Leaderboard) -> str:
    """``leaderboard.csv``: one row per (task, system, metric); text cells pass :func:`csv_text`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for t in board.tasks:
        for e in t.entries:
            for name in sorted(e.results["metrics"]):
                m = e.results["metrics"][name]
                writer.writerow([
                    csv_text(t.task), "" if e.rank is None else e.rank, csv_text(e.system_id), csv_text(e.name),
                    str(e.oracle).lower(), csv_text(e.status), _csv_number(e.p_value), _csv_number(e.p_raw),
                    "" if e.exact is None else str(e.exact).lower(), csv_text(" ".join(e.identical_to)),
                    csv_text(name), str(name == t.primary_metric).lower(),
                    _csv_number(m["value"]), _csv_number(m["ci_low"]), _csv_number(m["ci_high"]),
                    str(bool(m.get("ci_informative", True))).lower(), csv_text(e.results["signature"]),
                ])
    return buffer.getvalue()


def render_files(board: Leaderboard) -> dict[str, str]:
    """Relative path -> file content of the whole leaderboard folder."""
    from warta.benchmarks.results import dumps

    files = {
        "LEADERBOARD.md": render_markdown(board),
        "leaderboard.csv": render_csv(board),
        "leaderboard.html": render_html(board),
    }
    for t in board.tasks:
        for e in t.entries:
            files[f"results/{e.system_id}/{t.task}.json"] = dumps(e.results)
    return dict(sorted(files.items()))


# --- writing ----------------------------------------------------------------------------------


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    import ctypes
    import ctypes.util

    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
        at_fdcwd, rename_exchange = -100, 2
        result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
        return result == 0
    return False


def write_tree(files: dict[str, str], out: str | Path, *, replace: bool = False) -> Path:
    """Write ``files`` into the folder ``out``, built aside and renamed into place.

    ``out`` must be absent or empty unless ``replace``; then the complete new folder is swapped
    with the old one in one atomic rename where the OS allows it (two renames otherwise), and the
    old folder is removed.
    """
    target = Path(out)
    occupied = target.exists() and (not target.is_dir() or any(target.iterdir()))
    if occupied and not replace:
        raise OutputExistsError(
            f"{target} exists and is not empty", hint="pass --replace to rebuild it, or choose another --out"
        )
    if target.exists() and not target.is_dir():
        raise OutputExistsError(f"{target} exists and is not a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        for relative, content in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        staging.chmod(0o755)
        if not target.exists():
            os.replace(staging, target)
        elif not any(target.iterdir()):
            target.rmdir()
            os.replace(staging, target)
        elif _exchange(staging, target):
            shutil.rmtree(staging)  # now holds the old leaderboard
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, old / target.name)
            os.replace(staging, target)
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def write_leaderboard(board: Leaderboard, out: str | Path, *, replace: bool = False) -> Path:
    return write_tree(render_files(board), out, replace=replace)
