"""`warta annotate ...` commands: Label Studio config, push, pull and status (plus agreement and
adjudication over pulled records)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from warta.cli.help import Group
from warta.cli.output import print_table

app = typer.Typer(
    cls=Group,
    help="Annotate in Label Studio: labeling config, push tasks, pull annotations, status.",
    no_args_is_help=True,
)

_URL = typer.Option(None, "--url", help="Label Studio URL \\[default: $LABEL_STUDIO_URL].", show_default=False)
_API_KEY = typer.Option(
    None,
    "--api-key",
    help="Label Studio access token \\[default: $LABEL_STUDIO_API_KEY]. Prefer the variable: flags end up in shell history.",
    show_default=False,
)
_TIMEOUT = typer.Option(300.0, "--timeout", min=1.0, help="Seconds to wait for one server request.")
_SCHEMA = typer.Option(None, "--schema", help="Label schema YAML \\[default: the packaged annotation/schema.yaml].")
_KEY_FILE = typer.Option(
    None,
    "--key-file",
    help="Pseudonym key file \\[default: $WARTA_PSEUDONYM_KEY_FILE or ~/.config/warta/pseudonym.key; created if absent].",
    show_default=False,
)


def _schema(path: Optional[Path]):  # noqa: ANN202
    from warta.schema import load_schema

    return load_schema(path)


def _pseudonymizer(key_file: Optional[Path]):  # noqa: ANN202
    from warta.annotation.pseudonyms import Pseudonymizer, load_or_create_key

    return Pseudonymizer(load_or_create_key(key_file))


@app.command("config")
def config_command(
    schema: Optional[Path] = _SCHEMA,
    review: bool = typer.Option(False, "--review", help="The config of a review project (with the conflicts panel)."),
) -> None:
    """Print the Label Studio labeling config generated from the label schema."""
    from warta.annotation.labelconfig import build_label_config

    typer.echo(build_label_config(_schema(schema), review=review), nl=False)


@app.command("push")
def push_command(
    release: Path = typer.Option(..., "--release", help="Release folder whose `documents` become tasks."),
    project: str = typer.Option(..., "--project", help="Project title (created if absent, else reused and updated)."),
    batch_size: int = typer.Option(500, "--batch-size", min=1, help="Tasks per import request."),
    no_predictions: bool = typer.Option(False, "--no-predictions", help="Import without the tagger's pre-annotations."),
    maximum_annotations: int = typer.Option(
        2,
        "--overlap",
        min=1,
        help="Annotators each task of the overlap cohort is served to (for agreement).",
    ),
    legacy_maximum: Optional[int] = typer.Option(
        None, "--maximum-annotations", min=1, hidden=True, help="Former name of --overlap."
    ),
    overlap_share: Optional[int] = typer.Option(
        None,
        "--overlap-share",
        min=0,
        max=100,
        help="Percent of the tasks (chosen by article id) served to --overlap annotators; the rest to one "
        "\\[default: the project's setting; 100 for a new project].",
        show_default=False,
    ),
    schema: Optional[Path] = _SCHEMA,
    url: Optional[str] = _URL,
    api_key: Optional[str] = _API_KEY,
    timeout: float = _TIMEOUT,
) -> None:
    """Import a release's articles as tasks, once each (keyed by article id); safe to re-run.

    Exits 1 when an article's text changed since its task was created (reported, left as is), so a
    script notices that those tasks' annotations index an older text.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from warta.annotation.connection import resolve
    from warta.annotation.push import push_release

    connection = resolve(url, api_key, timeout)
    console = Console(stderr=True)
    with Progress(
        TextColumn("importing tasks"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True
    ) as progress:
        bar = progress.add_task("push", total=None)

        def on_batch(done: int, total: int) -> None:
            progress.update(bar, completed=done, total=total)

        report = push_release(
            connection,
            release,
            project,
            batch_size=batch_size,
            predictions=not no_predictions,
            maximum_annotations=legacy_maximum if legacy_maximum is not None else maximum_annotations,
            schema=_schema(schema),
            on_batch=on_batch,
            overlap_share=overlap_share,
        )
    verb = "created" if report.project_created else "updated"
    typer.echo(f"project {report.project_title!r} (id {report.project_id}) {verb}")
    typer.echo(
        f"{report.articles} articles: {report.created} tasks imported in {report.batches} batches, "
        f"{report.skipped} already there, {len(report.changed)} changed ({report.seconds:.1f} s)"
    )
    if report.model_version:
        typer.echo(f"pre-annotations: {report.predictions} from {report.model_version}")
    if report.overlap_tasks is not None:
        typer.echo(
            f"overlap: {report.overlap_tasks} tasks served to {report.maximum_annotations} annotators "
            f"({report.overlap_share}% share), the others to one; {report.overlap_updated} tasks' overlap set"
        )
    for changed in report.changed:
        typer.secho(
            f"warning: article {changed.article_id}: text changed since task {changed.task_id} was created "
            "(left as is; annotations there index the old text)",
            err=True,
            fg="yellow",
        )
    for article_id in report.duplicated_in_project:
        typer.secho(f"warning: article {article_id} has several tasks in the project", err=True, fg="yellow")
    if report.changed:
        raise typer.Exit(1)


@app.command("pull")
def pull_command(
    project: str = typer.Option(..., "--project", help="Project title."),
    out: Path = typer.Option(..., "--out", help="JSONL file of annotation records to write."),
    release: Optional[Path] = typer.Option(None, "--release", help="Check every task's article and text against this release."),
    force: bool = typer.Option(False, "--force", help="Replace --out if it exists."),
    review_project: Optional[str] = typer.Option(
        None, "--review-project", help="Title of the review project \\[default: 'TITLE (review)', pulled when it exists].", show_default=False
    ),
    key_file: Optional[Path] = _KEY_FILE,
    schema: Optional[Path] = _SCHEMA,
    url: Optional[str] = _URL,
    api_key: Optional[str] = _API_KEY,
    timeout: float = _TIMEOUT,
) -> None:
    """Export every submitted annotation of a project into warta annotation records (JSONL)."""
    from warta.annotation.connection import resolve
    from warta.annotation.pull import pull

    report = pull(
        resolve(url, api_key, timeout),
        project,
        out,
        pseudonymize=_pseudonymizer(key_file),
        release_dir=release,
        force=force,
        schema=_schema(schema),
        review_project=review_project,
    )
    typer.echo(
        f"{report.records} records from {report.tasks} tasks written to {report.out} "
        f"({report.tasks_without_annotations} tasks without annotations)"
    )
    if report.review_project is not None:
        typer.echo(f"review project {report.review_project!r}: {report.review_records} curator annotations (ground truth)")
    if report.cancelled or report.drafts:
        typer.echo(f"left out: {report.cancelled} cancelled (skipped) annotations, {report.drafts} drafts")
    for pseudonym, count in report.annotators.items():
        typer.echo(f"  {pseudonym}: {count}")
    for line in report.dropped_stances:
        typer.secho(f"warning: {line}", err=True, fg="yellow")


@app.command("status")
def status_command(
    project: str = typer.Option(..., "--project", help="Project title."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    key_file: Optional[Path] = _KEY_FILE,
    url: Optional[str] = _URL,
    api_key: Optional[str] = _API_KEY,
    timeout: float = _TIMEOUT,
) -> None:
    """Tasks, annotations per task, annotators (pseudonyms) and completion of a project."""
    from warta.annotation.connection import resolve
    from warta.annotation.status import project_status

    status = project_status(resolve(url, api_key, timeout), project, pseudonymize=_pseudonymizer(key_file))
    if as_json:
        typer.echo(json.dumps(status.to_dict(), indent=2, sort_keys=True))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()

    def share(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1%}"

    completion = share(status.completion)
    console.print(
        f"project [bold]{status.project_title}[/] (id {status.project_id}): {status.tasks} tasks, "
        f"{status.tasks_with_predictions} with pre-annotations, {status.annotations} annotations "
        f"({status.cancelled} cancelled), complete {status.complete_tasks}/{status.tasks} = {completion} "
        f"at {status.maximum_annotations} per task ({status.overlap_share}% of tasks)"
    )
    cohorts = Table("served to", "tasks", "annotations", "complete", "completion", title="completion per cohort")
    for overlap, cohort in status.cohorts.items():
        cohorts.add_row(
            f"{overlap} annotator{'s' if overlap > 1 else ''}",
            str(cohort.tasks),
            str(cohort.annotations),
            f"{cohort.complete_tasks}/{cohort.tasks}",
            share(cohort.completion),
        )
    console.print(cohorts)
    console.print(f"articles with 2 or more annotations (enough for agreement): {status.agreement_ready}")
    histogram = Table("annotations", "tasks", title="annotations per task")
    for count, tasks in status.annotations_per_task.items():
        histogram.add_row(str(count), str(tasks))
    print_table(console, histogram)
    annotators = Table("annotator", "annotations", title="annotators")
    for pseudonym, count in status.annotators.items():
        annotators.add_row(pseudonym, str(count))
    print_table(console, annotators)
    for article_id in status.duplicated_articles:
        console.print(f"[yellow]warning:[/] article {article_id} has several tasks")


def _annotation_records(file: Path):  # noqa: ANN202
    from warta.annotation.pull import read_pull_summary
    from warta.annotation.records import read_records
    from warta.errors import InputError

    records = read_records(file)
    if not records:
        summary = read_pull_summary(file)
        if summary is not None and summary.get("project"):
            raise InputError(
                f"{file}: no annotations submitted yet in project {summary['project']!r} "
                f"({summary.get('tasks', 0)} tasks pulled)",
                hint="wait for annotators to submit, then pull again with `warta annotate pull --force`",
            )
        raise InputError(f"{file}: no annotation records", hint="pull annotations first with `warta annotate pull`")
    return records


@app.command("agreement")
def agreement_command(
    file: Path = typer.Argument(..., help="JSONL annotation records (from `warta annotate pull`)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON for scripts (format warta.agreement.v1)."),
    seed: int = typer.Option(0, "--seed", min=0, help="Seed of the bootstrap over documents (same seed, same digits)."),
    resamples: int = typer.Option(1000, "--resamples", min=0, help="Bootstrap resamples for the 95% intervals (0: none)."),
    html: Optional[Path] = typer.Option(
        None, "--html", help="Also write a self-contained HTML page (heatmaps, per label, per document, confusion)."
    ),
    gold: Optional[Path] = typer.Option(
        None, "--gold", help="Gold folder (e.g. annotation/gold): each annotator's precision and recall against it."
    ),
) -> None:
    """Inter-annotator agreement: entity span F1 (strict, overlap), token Cohen's/Fleiss' kappa, stance alpha and kappa."""
    from warta.annotation.agreement import compute_agreement
    from warta.annotation.agreement.units import group_by_article

    records = _annotation_records(file)
    gold_documents = None
    if gold is not None:
        from warta.errors import InputError
        from warta.gold import read_gold_dir

        if not gold.is_dir():
            raise InputError(f"{gold}: no such gold folder", hint="pass the folder adjudicate wrote, e.g. annotation/gold")
        gold_documents = read_gold_dir(gold)
    report = compute_agreement(records, seed=seed, resamples=resamples, gold=gold_documents)
    if html is not None:
        from warta.annotation.agreement.html import agreement_page
        from warta.fsutil import write_text_atomic
        from warta.paths import refuse_release_destination

        refuse_release_destination(html, command="annotate agreement --html")

        documents = {key: doc for key, doc in group_by_article(records).items() if doc.records}
        write_text_atomic(html, agreement_page(report, documents, source=file.name), overwrite=True)
        typer.echo(f"agreement page written to {html}", err=as_json)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2, sort_keys=True, ensure_ascii=False))
        return
    from rich.console import Console

    from warta.annotation.agreement.render import agreement_tables

    console = Console()
    console.print(
        f"{report.annotations} annotations of {report.documents} documents by {len(report.annotators)} annotators "
        f"({', '.join(report.annotators)})"
    )
    console.print(agreement_tables(report))
    if report.detail is not None and report.detail.unitizing is not None:
        u = report.detail.unitizing
        value = "undefined" if u.alpha is None else f"{u.alpha:.3f}"
        console.print(f"Krippendorff's unitizing alpha over entity spans: {value} ({u.raters} annotators, {u.documents} documents)")
    if report.detail is not None and report.detail.gold is not None:
        for g in report.detail.gold:
            p = "n/a" if g.precision is None else f"{g.precision:.3f}"
            r = "n/a" if g.recall is None else f"{g.recall:.3f}"
            console.print(f"against gold: {g.annotator}: precision {p}, recall {r} ({g.documents} documents)")


@app.command("adjudicate")
def adjudicate_command(
    file: Path = typer.Argument(..., help="JSONL annotation records (from `warta annotate pull`)."),
    out: Path = typer.Option(..., "--out", help="Gold folder, e.g. annotation/gold/ (one <article_id>.json each)."),
    release: Optional[Path] = typer.Option(None, "--release", help="Check every annotated text against this release's documents."),
    min_votes: int = typer.Option(2, "--min-votes", min=1, help="Votes a majority decision needs at least."),
    conflicts: Optional[Path] = typer.Option(
        None, "--conflicts", help="Conflicts report (JSON; a .md twin is written beside it) \\[default: <out>/../conflicts.json].", show_default=False
    ),
    replace: bool = typer.Option(False, "--replace", help="Replace gold that differs (the previous file is kept in <out>/history/)."),
    schema: Optional[Path] = _SCHEMA,
) -> int:
    """Majority-vote gold (ground truth wins) and a conflicts report. Exit 1 if unresolved conflicts remain.

    Gold is written only for articles without unresolved conflicts; existing gold is never changed
    in place. Everything is checked before anything is written.
    """
    from rich.console import Console
    from rich.table import Table

    from warta.annotation.adjudicate import adjudicate, check_gold, check_release, plan_gold_writes, write_gold
    from warta.annotation.conflicts import conflicts_markdown, conflicts_to_dict
    from warta.fsutil import write_text_atomic

    result = adjudicate(_annotation_records(file), min_votes=min_votes)
    check_gold(result, _schema(schema))
    if release is not None:
        check_release(result, release)
    plan = plan_gold_writes(result.gold, out, replace=replace)
    report_json = conflicts or out.resolve().parent / "conflicts.json"
    report_md = report_json.with_suffix(".md")
    write_gold(plan)
    write_text_atomic(report_json, json.dumps(conflicts_to_dict(result), indent=2, sort_keys=True, ensure_ascii=False) + "\n", overwrite=True)
    write_text_atomic(report_md, conflicts_markdown(result), overwrite=True)

    console = Console()
    table = Table("article", "method", "entities", "actor stances", "summaries", "gold file", title=f"gold in {out}")
    actions = {item.article_id: item.action for item in plan}
    for doc in result.gold:
        table.add_row(
            doc.article_id, doc.provenance["method"], str(len(doc.entities)), str(len(doc.stance)), str(len(doc.summaries)), actions[doc.article_id]
        )
    for article_id in result.blocked:
        table.add_row(article_id, "[red]blocked[/]", "", "", "", "not written")
    print_table(console, table)
    counts = {action: sum(1 for item in plan if item.action == action) for action in ("create", "replace", "unchanged")}
    console.print(
        f"{len(result.gold)} gold documents ({counts['create']} created, {counts['replace']} replaced, "
        f"{counts['unchanged']} unchanged); {len(result.blocked)} blocked by {len(result.unresolved)} unresolved "
        f"conflicts; conflicts report: {report_json} and {report_md}"
    )
    return 1 if result.unresolved else 0


@app.command("review")
def review_command(
    project: str = typer.Option(..., "--project", help="Title of the project the annotations come from."),
    annotations: Path = typer.Option(..., "--annotations", help="JSONL annotation records (from `warta annotate pull`)."),
    review_project: Optional[str] = typer.Option(
        None, "--review-project", help="Title of the review project \\[default: 'TITLE (review)'].", show_default=False
    ),
    min_votes: int = typer.Option(2, "--min-votes", min=1, help="Votes a majority decision needs (as for adjudicate)."),
    schema: Optional[Path] = _SCHEMA,
    url: Optional[str] = _URL,
    api_key: Optional[str] = _API_KEY,
    timeout: float = _TIMEOUT,
) -> None:
    """Put the articles adjudicate leaves unresolved into a review project, every version side by side.

    Each annotator's version is a prediction named by their pseudonym (plus the majority version),
    with the conflicts shown in the task. The curator picks or edits one and submits it; `pull`
    then brings it back as ground truth. Safe to re-run: an article is imported once.
    """
    from warta.annotation.connection import resolve
    from warta.annotation.records import read_records
    from warta.annotation.review import push_review

    records = read_records(annotations)
    report = push_review(
        resolve(url, api_key, timeout), project, records, review_project=review_project, min_votes=min_votes, schema=_schema(schema)
    )
    if report.push is None:
        typer.echo(f"no unresolved articles: review project {report.review_project!r} not created")
        return
    push = report.push
    verb = "created" if push.project_created else "updated"
    typer.echo(f"review project {push.project_title!r} (id {push.project_id}) {verb}")
    typer.echo(
        f"{report.unresolved_articles} unresolved articles: {push.created} tasks imported, "
        f"{push.skipped} already there, {len(push.changed)} changed; {push.predictions} versions shown"
    )
    for changed in push.changed:
        typer.secho(
            f"warning: article {changed.article_id}: text changed since review task {changed.task_id} was created (left as is)",
            err=True,
            fg="yellow",
        )


@app.command("wait")
def wait_command(
    url: Optional[str] = _URL,
    timeout: float = typer.Option(60.0, "--timeout", min=0.0, help="Seconds to wait for the server to answer."),
) -> None:
    """Wait until the Label Studio server answers (exit 5 if it does not within --timeout)."""
    from warta.annotation.connection import wait_for_server

    seconds = wait_for_server(url, timeout=timeout)
    typer.echo(f"Label Studio is up ({seconds:.1f} s)")
