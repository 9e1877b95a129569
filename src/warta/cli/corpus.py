"""`warta corpus ...` commands.

Everything these commands print that comes from users (paths, article ids, texts, file names) is
escaped for rich (``[/red]`` in an article prints as is) and for the terminal (control characters
are shown as escapes).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from warta.cli.help import Group
from warta.cli.output import print_table

app = typer.Typer(cls=Group, help="Build the corpus from raw scrapes and manage its releases: build, inspect, verify, diff, publish.", no_args_is_help=True)


def _safe(value: object) -> str:
    """``value`` for a rich markup string: control characters escaped, then rich markup escaped."""
    from rich.markup import escape

    return escape(_plain(value))


def _plain(value: object) -> str:
    """``value`` for plain terminal output: control characters and lone surrogates escaped."""
    from warta.cli import _printable

    return _printable(str(value))


def _name_destination(error: OSError, out: Path) -> OSError:
    """An OS error without a file name (a full disk, a write refused mid-file) names the destination."""
    if error.filename is None:
        return OSError(error.errno, error.strerror or str(error), str(out))
    return error


_CARD_REPO = "warta-nlp/warta"


def _sources_default(raw: Path) -> Optional[Path]:
    candidate = raw.parent / "sources.yaml"
    return candidate if candidate.is_file() else None


@app.command()
def build(
    raw: Path = typer.Option(Path("corpus/raw"), "--raw", help="Folder of raw articles (.txt, .jsonl, .html)."),
    out: Path = typer.Option(..., "--out", help="Release folder to create (must be absent or empty)."),
    version: str = typer.Option(..., "--version", help="Semantic version of the release, e.g. 1.0.0."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Gold folder (annotation/gold): adds the ner, stance and summarization configs."),
    settings: Optional[Path] = typer.Option(None, "--settings", help="Corpus settings YAML (corpus/config.yaml); defaults otherwise."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="Source notes YAML (default: sources.yaml next to --raw, if present)."),
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Skip unreadable inputs (listed in the report) instead of stopping."),
    hide_labels: list[str] = typer.Option([], "--hide-labels", help="Withhold the labels of this split (repeatable); needs --private-out."),
    private_out: Optional[Path] = typer.Option(None, "--private-out", help="Private folder for the withheld labels (never published)."),
    changelog_from: Optional[Path] = typer.Option(None, "--changelog-from", help="Previous release: the CHANGELOG entry lists what changed since."),
    repo_id: str = typer.Option(_CARD_REPO, "--repo-id", help="Hub repo id used in the card's load_dataset examples."),
    local_path: Optional[str] = typer.Option(None, "--local-path", help="Release path used in the card's local load_dataset examples (default: corpus/releases/VERSION, relative to the repository root)."),
    licence: Optional[Path] = typer.Option(None, "--licence", help="Data licence file copied into the release (default: the repository's LICENSE-DATA)."),
    shard_rows: int = typer.Option(50_000, "--shard-rows", min=1, help="Rows per Parquet shard at most."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show progress."),
    engine: str = typer.Option("local", "--engine", help="How the steps run: local (this process, streaming) or dask (dask.distributed; needs warta[dask])."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="With --engine dask: start a local cluster of N worker processes (default 2)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="With --engine dask: address of a running scheduler (tcp://HOST:8786); raw folder and output must be on storage the workers share."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted build of --out from its last completed stage (same inputs and options)."),
) -> None:
    """Build a release folder (Parquet per config and split, card, manifest, changelog, croissant).

    The build streams: articles are spilled to the work folder .<OUT>.partial next to OUT, the global
    steps (duplicates, stories, splits) see compact fingerprints only, and OUT appears complete, by
    one rename. The release is byte-identical whatever the engine and the number of workers."""
    from rich.console import Console
    from rich.table import Table

    from warta.corpus.build import build_from_raw

    try:
        report, skipped = build_from_raw(
            raw,
            out,
            version=version,
            settings_path=settings,
            sources_path=sources if sources is not None else _sources_default(raw),
            skip_bad=skip_bad,
            progress=progress,
            gold=gold,
            hide_labels=hide_labels,
            private_out=private_out,
            changelog_from=changelog_from,
            repo_id=repo_id,
            local_path=local_path,
            licence_file=licence,
            max_rows=shard_rows,
            engine=engine,
            workers=workers,
            scheduler=scheduler,
            resume=resume,
        )
    except OSError as error:
        raise _name_destination(error, out) from error
    console = Console(highlight=False)
    table = Table(title=f"release {_safe(report.version)} -> {_safe(report.out)}")
    table.add_column("config")
    table.add_column("split")
    table.add_column("rows", justify="right")
    for config, splits in report.counts.items():
        for split, rows in splits.items():
            table.add_row(_safe(config), _safe(split), str(rows))
    print_table(console, table)
    if report.private_out is not None:
        console.print(f"withheld labels of {_safe(', '.join(hide_labels))} -> {_safe(report.private_out)} (private: never publish)")
    for problem in skipped:
        console.print(f"[yellow]skipped[/yellow] {_safe(problem)}")


@app.command()
def verify(
    path: Path = typer.Argument(..., help="Release folder."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    engine: str = typer.Option("local", "--engine", help="local, or dask to check the shards on dask.distributed workers."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="With --engine dask: start a local cluster of N workers."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="With --engine dask: address of a running scheduler."),
) -> None:
    """Re-check checksums and re-derive everything derivable (tokens, tags, paragraphs, ids).

    Row counts, ids, offsets, tokens and IOB2 tags, body paragraphs and removed spans in raw,
    labeled rows against documents. Exit 3 if anything is off (a corrupt Parquet file is one of
    the problems listed). The shards are checked as tasks of the chosen engine."""
    from warta.corpus.engines import open_engine
    from warta.corpus.verify import verify_release

    runner = open_engine(engine, workers=workers, scheduler=scheduler, progress=not as_json)
    try:
        report = verify_release(path, engine=runner)
    finally:
        runner.close()
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=True, indent=2, sort_keys=True))
    else:
        for problem in report.problems:
            typer.secho(f"problem: {_plain(problem)}", err=True, fg="red")
        if report.ok:
            typer.echo(f"ok: release {_plain(report.version)} at {_plain(path)}: {report.files_checked} files, {report.rows_checked} rows verified" + (" (private labels folder)" if report.private else ""))
        else:
            typer.secho(f"{len(report.problems)} problem(s) in release {_plain(report.version)} at {_plain(path)}", err=True, fg="red")
    if not report.ok:
        raise typer.Exit(3)


@app.command()
def diff(
    old: Path = typer.Argument(..., help="Older release folder."),
    new: Path = typer.Argument(..., help="Newer release folder."),
    as_json: bool = typer.Option(False, "--json", help="Print the differences as JSON."),
) -> None:
    """List added, removed and changed articles and label rows between two releases.

    Both releases must match their manifests (sizes and SHA-256): exit 3 otherwise."""
    from rich.console import Console

    from warta.corpus.diff import diff_releases, to_json

    result = diff_releases(old, new)
    if as_json:
        typer.echo(to_json(result))
        return
    console = Console(highlight=False)
    console.print(f"[bold]{_safe(result['old_version'])} -> {_safe(result['new_version'])}[/bold]" + ("  [red]schema changed[/red]" if result["schema_changed"] else ""))
    console.print(f"articles: {len(result['added'])} added, {len(result['removed'])} removed, {len(result['changed'])} changed")
    for article_id in result["added"]:
        console.print(f"  [green]+ {_safe(article_id)}[/green]")
    for article_id in result["removed"]:
        console.print(f"  [red]- {_safe(article_id)}[/red]")
    for change in result["changed"]:
        console.print(f"  [yellow]~ {_safe(change['id'])}[/yellow]: {_safe(', '.join(change['fields']))}")
        for key in ("title_diff", "text_diff"):
            if change.get(key):
                for line in change[key].splitlines():
                    style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
                    console.print(f"      [{style}]{_safe(line)}[/{style}]", markup=True, soft_wrap=True)
    for config, labels in result["labels"].items():
        console.print(
            f"{_safe(config)}: {len(labels['added'])} rows added, {len(labels['removed'])} removed, {len(labels['changed'])} changed"
        )
        for change in labels["changed"]:
            console.print(f"  [yellow]~ {_safe(change['id'])}[/yellow]: {_safe(', '.join(change['fields']))}")


@app.command()
def publish(
    path: Path = typer.Argument(..., help="Release folder (public; it must verify)."),
    repo_id: str = typer.Option(..., "--repo-id", help="Hub dataset repo, ORG/NAME."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would be uploaded and tagged; no network, no token."),
    private: bool = typer.Option(False, "--private", help="Create the Hub repo as private if it does not exist."),
) -> None:
    """Upload a verified release to the Hugging Face Hub and tag it v<version> (token from HF_TOKEN).

    Exactly the files the verified manifest lists (and the manifest) are uploaded; a release that
    does not match its manifest or does not verify is refused (exit 3), a malformed repo id is exit 2."""
    from warta.corpus.publish import publish_release

    plan = publish_release(path, repo_id, dry_run=dry_run, private=private)
    head = "would upload" if plan.dry_run else "uploaded"
    typer.echo(f"{head} {len(plan.files)} files ({plan.total_bytes} bytes) to datasets/{plan.repo_id}" + (" (private)" if plan.private else ""))
    for f in plan.files:
        typer.echo(f"  {_plain(f['path'])}  {f['bytes']}  sha256:{f['sha256']}")
    typer.echo(f"{'would tag' if plan.dry_run else 'tagged'} {plan.tag}" + (f" on commit {plan.commit}" if plan.commit else ""))


@app.command()
def inspect(
    file: Path = typer.Argument(..., help="One raw file (.txt, .jsonl, .html)."),
    as_json: bool = typer.Option(False, "--json", help="Print every line's decision as JSON."),
    settings: Optional[Path] = typer.Option(None, "--settings", help="Corpus settings YAML (corpus/config.yaml); defaults otherwise."),
) -> None:
    """Show each raw line as kept, removed (with the reason) or metadata (with the field).

    An article left without body text is shown too, with a warning: `corpus build` refuses it."""
    from warta.corpus.inspect import inspect_file
    from warta.corpus.settings import load_settings

    articles = inspect_file(file, load_settings(settings))
    if as_json:
        typer.echo(json.dumps([a.to_dict() for a in articles], ensure_ascii=False, indent=2))
    else:
        from rich.console import Console

        from warta.corpus.inspect import render

        console = Console(highlight=False)
        for article in articles:
            for part in render(article):
                print_table(console, part)
    for article in articles:
        if not article.cleaned.text.strip():
            where = article.source_file + (f", line {article.source_line}" if article.source_line else "")
            typer.secho(
                f"warning: {_plain(where)}: no body text: every line was removed or read as metadata; `warta corpus build` refuses it",
                err=True,
                fg="yellow",
            )
