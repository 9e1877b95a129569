"""`warta demo`: the whole chain on the embedded corpus."""

from __future__ import annotations

from pathlib import Path

import typer


def demo(out: Path = typer.Option(Path("warta-demo"), "--out", help="Folder to create (must be absent or empty).")) -> None:
    """Run raw articles -> labeled release -> baselines -> scores -> leaderboard, offline."""
    raise typer.Exit(1)
