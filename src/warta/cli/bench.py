"""`warta bench ...` commands: validate and score submissions, compare systems, baselines, leaderboard.

Each command parses its options, calls one function of :mod:`warta.benchmarks` and renders the
answer. An invalid submission lists every problem with its line on stderr, then fails with one
``error:`` line and exit code 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from warta.cli.help import Group
from warta.cli.output import print_table

app = typer.Typer(
    cls=Group,
    help="Score systems on a labeled release: validate, score, compare, baselines, leaderboard.",
    no_args_is_help=True,
)

_TASK_HELP = "Task: ner, stance or summarization."
_MAX_BYTES_HELP = "Refuse a submission file larger than this many bytes."


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _options(seed: int, resamples: int, tokenizer: str, stemmer: bool) -> Any:
    from warta.benchmarks.scoring import ScoreOptions

    if tokenizer not in ("indonesian", "rouge_score"):
        from warta.errors import InputError

        raise InputError(f"unknown tokenizer {tokenizer!r}", hint="use indonesian or rouge_score")
    if resamples < 0:
        from warta.errors import InputError

        raise InputError("--resamples must be 0 or more")
    return ScoreOptions(tokenizer=tokenizer, stemmer=stemmer, resamples=resamples, seed=seed)


def _print_problems(error: Any) -> None:
    typer.echo(f"{error.source}: {len(error.problems)} problem(s) in the {error.task} submission:", err=True)
    for problem in error.problems:
        typer.echo(f"  {problem}", err=True)


def _fmt(value: Any) -> str:
    return "–" if value is None else f"{value:.4f}"


def _size(results: dict[str, Any]) -> str:
    """``2 articles``, for stance with the rows behind them: ``2 articles, 9 stance rows``."""
    from warta.benchmarks.units import stance_rows

    n = results["n_documents"]
    text = f"{n} article{'' if n == 1 else 's'}"
    if results["task"] == "stance":
        per_doc = results["per_document"]
        rows = stance_rows(per_doc["columns"], per_doc["values"])
        text += f", {rows} stance row{'' if rows == 1 else 's'}"
    return text


def _results_table(results: dict[str, Any]) -> Any:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=escape(f"{results['task']} · {results.get('system') or 'submission'} · {results['split']} ({_size(results)})"))
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("95% CI", justify="right")
    primary = results["primary_metric"]
    for name in [primary, *sorted(m for m in results["metrics"] if m != primary)]:
        m = results["metrics"][name]
        ci = "" if m["ci_low"] is None else f"[{_fmt(m['ci_low'])}, {_fmt(m['ci_high'])}]"
        table.add_row(escape(f"{name} (primary)" if name == primary else name), _fmt(m["value"]), ci)
    table.caption = escape(results["signature"])
    note = results["metrics"][primary].get("ci_note")
    if note:
        table.caption += escape(f"\n{primary} interval: {note}")
    return table


@app.command()
def validate(
    predictions: Path = typer.Argument(..., help="Submission file (JSONL)."),
    task: str = typer.Option(..., "--task", help=_TASK_HELP),
    gold: Path = typer.Option(..., "--gold", help="Labeled release folder."),
    split: str = typer.Option("test", "--split", help="Split the ids refer to."),
    allow_missing: bool = typer.Option(False, "--allow-missing", help="Accept missing ids (scored as empty predictions)."),
    max_bytes: int = typer.Option(50 * 1024 * 1024, "--max-bytes", min=1, help=_MAX_BYTES_HELP),
) -> None:
    """Check a submission file against a release; list every problem with its line."""
    from warta.benchmarks.evaluate import load_task_gold
    from warta.benchmarks.submissions import (
        InvalidSubmissionError,
        check_submission_file,
        check_task,
    )

    gold_rows = load_task_gold(gold, check_task(task), split)
    submission, problems = check_submission_file(
        predictions, task, gold_rows.index, gold_rows.schema, allow_missing=allow_missing, max_bytes=max_bytes
    )
    if submission is None:
        error = InvalidSubmissionError(str(predictions), task, problems)
        _print_problems(error)
        raise error
    filled = f", {len(submission.filled)} missing ids scored as empty" if submission.filled else ""
    typer.echo(f"ok: {predictions} is a valid {task} submission for {gold_rows.index.description} ({len(submission.predictions)} ids{filled})")


@app.command()
def score(
    task: str = typer.Option(..., "--task", help=_TASK_HELP),
    gold: Path = typer.Option(..., "--gold", help="Labeled release folder."),
    predictions: Path = typer.Option(..., "--predictions", help="Submission file (JSONL)."),
    split: str = typer.Option("test", "--split", help="Split to score."),
    out: Path | None = typer.Option(None, "--out", help="Write the results JSON (warta.results.v1) here."),
    replace: bool = typer.Option(False, "--replace", help="Overwrite an existing --out file."),
    allow_missing: bool = typer.Option(False, "--allow-missing", help="Score missing ids as empty predictions instead of failing."),
    seed: int = typer.Option(12345, "--seed", help="Seed of the bootstrap."),
    resamples: int = typer.Option(1000, "--resamples", help="Bootstrap resamples for the 95% intervals (0: none)."),
    tokenizer: str = typer.Option("indonesian", "--tokenizer", help="ROUGE tokenizer: indonesian or rouge_score."),
    stemmer: bool = typer.Option(False, "--stemmer/--no-stemmer", help="Stem ROUGE tokens (Sastrawi; Porter in rouge_score mode)."),
    system: str | None = typer.Option(None, "--system", help="System name written into the results."),
    max_bytes: int = typer.Option(50 * 1024 * 1024, "--max-bytes", min=1, help=_MAX_BYTES_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the results JSON instead of a table."),
    gold_dir: Path | None = typer.Option(None, "--gold-dir", help="Gold folder the release was built from (e.g. annotation/gold): adds the gold agreement slice."),
) -> None:
    """Score a submission against a labeled release; print a table and write results JSON."""
    from warta.benchmarks.evaluate import load_task_gold, score_file
    from warta.benchmarks.results import dumps
    from warta.benchmarks.submissions import InvalidSubmissionError, check_task
    from warta.fsutil import write_text_atomic
    from warta.paths import refuse_release_destination

    if out is not None:
        refuse_release_destination(out, command="bench score")
        if out.is_dir():
            from warta.errors import InputError

            raise InputError(f"{out}: is a folder", hint="--out names the results file to write, e.g. results.json")
    options = _options(seed, resamples, tokenizer, stemmer)
    task_gold = load_task_gold(gold, check_task(task), split, gold_dir=gold_dir)
    try:
        results, submission = score_file(
            task_gold, predictions, options=options, system=system, allow_missing=allow_missing, max_bytes=max_bytes
        )
    except InvalidSubmissionError as error:
        _print_problems(error)
        raise
    text = dumps(results)
    if out is not None:
        write_text_atomic(out, text, overwrite=replace)
    if as_json:
        typer.echo(text, nl=False)
        return
    print_table(_console(), _results_table(results))
    if submission.filled:
        typer.echo(f"{len(submission.filled)} missing ids were scored as empty predictions (--allow-missing)")
    if out is not None:
        typer.echo(f"results -> {out}")


@app.command()
def compare(
    a: Path = typer.Argument(..., help="Results JSON of system A."),
    b: Path = typer.Argument(..., help="Results JSON of system B (same task, split and gold)."),
    seed: int = typer.Option(12345, "--seed", help="Seed of the resampling."),
    trials: int = typer.Option(10000, "--trials", min=1, help="Approximate-randomisation trials."),
    resamples: int = typer.Option(1000, "--resamples", min=1, help="Paired bootstrap resamples."),
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON."),
) -> None:
    """Paired significance of the difference between two systems, per metric.

    Both files are checked against results.schema.json and for ranges (finite numbers, proportions
    in [0, 1]) first: an edited results file is bad input (exit 2), naming the file and field.

    p_permutation is the paired permutation test (exact, all 2^n swaps, up to 20 documents;
    approximate randomisation above: see the "exact" column). p_bootstrap is the paired bootstrap
    (sacreBLEU's): it is unreliable on small test sets, where its centred resamples cannot reach
    the observed difference and p falls to its floor 1/(resamples+1) whatever the data.
    """
    from warta.benchmarks import results as results_io
    from warta.benchmarks.scoring import compare_results

    ra, rb = results_io.load(a), results_io.load(b)
    names = (ra.get("system") or a.name, rb.get("system") or b.name)
    comparison = compare_results(ra, rb, seed=seed, trials=trials, resamples=resamples, names=names)
    if as_json:
        typer.echo(json.dumps(comparison, ensure_ascii=False, indent=2))
        return
    console = _console()
    console.width = max(console.width, 120)  # seven numeric columns
    print_table(console, _comparison_table(comparison, names[0], names[1]))
    if comparison["identical_statistics"]:
        typer.echo(f"{names[0]} and {names[1]} have identical per-document statistics: every difference is 0.")
    floor = comparison["smallest_p"]
    if floor > 0.05:
        typer.echo(
            f"n = {comparison['n_documents']} documents cannot separate systems at α = 0.05 "
            f"(the smallest possible p is {floor:.3g})."
        )


def _comparison_table(comparison: dict[str, Any], a: str, b: str) -> Any:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=escape(f"A = {a}   B = {b}"))
    metrics = comparison.get("metrics", {})
    columns: list[str] = []
    for entry in metrics.values():
        for key in entry:
            if key not in columns:
                columns.append(key)
    table.add_column("metric")
    for key in columns:
        table.add_column(key, justify="right")
    for name, entry in metrics.items():
        cells = []
        for key in columns:
            value = entry.get(key)
            if isinstance(value, bool):
                cells.append("yes" if value else "no")
            else:
                cells.append(_fmt(value) if isinstance(value, float) else ("–" if value is None else escape(str(value))))
        table.add_row(escape(name), *cells)
    extra = {k: v for k, v in comparison.items() if k != "metrics" and not isinstance(v, (dict, list))}
    if extra:
        table.caption = escape("  ".join(f"{k}: {v}" for k, v in extra.items()))
    return table


@app.command()
def baselines(
    release: Path = typer.Option(..., "--release", help="Labeled release folder."),
    out: Path = typer.Option(Path("benchmarks/submissions"), "--out", help="Submissions folder to write the baseline systems into."),
    split: str = typer.Option("test", "--split", help="Split to predict."),
    k: int = typer.Option(3, "--k", min=1, help="Sentences per extractive summary."),
    replace: bool = typer.Option(False, "--replace", help="Rewrite baseline folders that already exist."),
) -> None:
    """Run the offline baselines and write them as ordinary submissions."""
    from warta.benchmarks.baselines import build_baselines, write_baselines
    from warta.paths import refuse_release_destination

    refuse_release_destination(out, command="bench baselines", replaces=replace)
    console = _console(stderr=True)
    with console.status("running baselines") as status:
        built = build_baselines(release, split, k=k, progress=lambda step: status.update(f"baseline {step}"))
    written = write_baselines(built, out, replace=replace)
    for baseline, path in zip(built, written):
        tasks = ", ".join(baseline.predictions)
        flag = " (oracle: upper bound, reads the gold)" if baseline.meta.oracle else ""
        typer.echo(f"{baseline.id:<18} {tasks:<14} -> {path}{flag}")


@app.command()
def leaderboard(
    release: Path = typer.Option(..., "--release", help="Labeled release folder (the gold)."),
    submissions: Path = typer.Option(Path("benchmarks/submissions"), "--submissions", help="Folder of system folders."),
    out: Path = typer.Option(Path("benchmarks/leaderboard"), "--out", help="Leaderboard folder to write (absent or empty unless --replace)."),
    split: str = typer.Option("test", "--split", help="Split to score."),
    replace: bool = typer.Option(False, "--replace", help="Replace an existing leaderboard folder (swapped in atomically)."),
    seed: int = typer.Option(12345, "--seed", help="Seed of bootstrap intervals and paired tests."),
    resamples: int = typer.Option(1000, "--resamples", min=1, help="Bootstrap resamples."),
    alpha: float = typer.Option(0.05, "--alpha", min=0.0, max=1.0, help="Significance level for 'not different from the best'."),
    tokenizer: str = typer.Option("indonesian", "--tokenizer", help="ROUGE tokenizer: indonesian or rouge_score."),
    gold_dir: Path | None = typer.Option(None, "--gold-dir", help="Gold folder the release was built from (e.g. annotation/gold): adds the gold agreement slice."),
) -> None:
    """Rescore every submission; write LEADERBOARD.md, leaderboard.csv, leaderboard.html, results/.

    The release's files are checked against its manifest first (a tampered release is exit 3), and
    --out may not be, be inside or (with --replace) hold a release folder (exit 4).
    """
    from warta.benchmarks.leaderboard import build_leaderboard, write_leaderboard
    from warta.paths import refuse_release_destination

    refuse_release_destination(out, command="bench leaderboard", replaces=replace)
    options = _options(seed, resamples, tokenizer, False)
    console = _console(stderr=True)
    with console.status("scoring submissions") as status:
        board = build_leaderboard(
            release, submissions, split=split, options=options, alpha=alpha, gold_dir=gold_dir,
            progress=lambda step: status.update(f"scoring {step}"),
        )
    path = write_leaderboard(board, out, replace=replace)
    print_leaderboard(board)
    typer.echo(f"leaderboard -> {path}/ (LEADERBOARD.md, leaderboard.csv, leaderboard.html, results/)")


def print_leaderboard(board: Any) -> None:
    """One rich table per task (also used by ``warta demo``)."""
    from rich.markup import escape
    from rich.table import Table

    console = _console()
    for t in board.tasks:
        table = Table(title=escape(f"{t.title} · ranked by {t.primary_label} · release {board.release_version} {board.split}"))
        table.add_column("#", justify="right")
        table.add_column("system")
        for c in t.columns:
            table.add_column(escape(c["label"]), justify="right")
        table.add_column("")
        for e in t.entries:
            mark = {
                "best": "best", "tied": f"≈ best (p={e.p_value_text})", "oracle": "oracle", "worse": "",
                "inseparable": "inseparable",
            }[e.status]
            if e.note:
                mark = f"{mark} ({e.note})".strip()
            cells = [escape(c.text + (f" {c.ci_text}" if c.ci_text else "")) for c in e.cells]
            table.add_row("–" if e.rank is None else str(e.rank), escape(e.name), *cells, escape(mark))
        table.caption = escape(t.signature)
        print_table(console, table)
        if t.inseparable:
            console.print(escape(t.inseparable))
