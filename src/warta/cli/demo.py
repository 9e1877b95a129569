"""`warta demo`: the whole chain on the embedded corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def demo(
    out: Path = typer.Option(Path("warta-demo"), "--out", help="Folder to create (must be absent or empty)."),
    raw: Optional[Path] = typer.Option(None, "--raw", help="Raw articles \\[default: corpus/raw of the checkout]."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Gold annotations \\[default: annotation/gold of the checkout]."),
    resamples: int = typer.Option(1000, "--resamples", min=1, help="Bootstrap resamples for intervals and paired tests."),
    seed: int = typer.Option(12345, "--seed", help="Seed of the bootstrap."),
) -> None:
    """Run raw articles -> labeled release -> verify -> baselines -> scores -> leaderboard, offline."""
    from rich.console import Console
    from rich.markup import escape

    from warta.cli.bench import print_leaderboard
    from warta.demo import run_demo

    console = Console(stderr=True, highlight=False)
    with console.status("warta demo") as status:

        def step(message: str) -> None:
            console.print(f"[bold cyan]•[/] {escape(message)}")
            status.update(escape(message))

        try:
            result = run_demo(out, raw=raw, gold=gold, resamples=resamples, seed=seed, step=step)
        except OSError as error:  # a full or read-only disk mid-write: name the destination
            if error.filename is None:
                raise OSError(error.errno, error.strerror or str(error), str(out)) from error
            raise
    print_leaderboard(result.board)
    total = sum(result.timings.values())
    typer.echo(
        "\n".join(
            [
                f"release      {result.release}/  (load with datasets.load_dataset(\"{result.release}\", \"ner\"))",
                f"submissions  {result.submissions}/",
                f"leaderboard  {result.leaderboard}/LEADERBOARD.md, leaderboard.html, leaderboard.csv",
                f"done in {total:.1f} s",
            ]
        )
    )
