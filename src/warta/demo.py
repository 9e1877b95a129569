"""The main job: raw articles -> labeled release -> verified -> baselines -> scores -> leaderboard.

This is the one place that ties the three stages together (they never import each other), so it
sits at the package root. Everything runs offline; the output folder appears complete or not at
all (built aside, then renamed).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import warta
from warta.errors import InputError, ReleaseError
from warta.fsutil import atomic_directory, ensure_absent_or_empty
from warta.paths import refuse_release_destination

DEMO_VERSION = "1.0.0"


def repository_path(relative: str) -> Path:
    """``relative`` under the current folder if it exists there, else under the source checkout."""
    here = Path(relative)
    if here.exists():
        return here
    checkout = Path(warta.__file__).resolve().parents[2] / relative
    if checkout.exists():
        return checkout
    raise InputError(
        f"{relative}: not found in the current folder or the warta checkout",
        hint="run `warta demo` from the root of a warta checkout, or pass --raw and --gold",
    )


@dataclass
class DemoResult:
    out: Path
    release: Path
    submissions: Path
    leaderboard: Path
    board: Any
    timings: dict[str, float] = field(default_factory=dict)


def run_demo(
    out: str | Path,
    *,
    raw: str | Path | None = None,
    gold: str | Path | None = None,
    version: str = DEMO_VERSION,
    resamples: int = 1000,
    seed: int = 12345,
    step: Callable[[str], None] | None = None,
) -> DemoResult:
    """Run the whole chain into ``out`` (absent or empty); returns where everything is."""
    from warta.benchmarks.baselines import build_baselines, write_baselines
    from warta.benchmarks.leaderboard import build_leaderboard, write_leaderboard
    from warta.benchmarks.scoring import ScoreOptions
    from warta.corpus.build import build_from_raw
    from warta.corpus.verify import verify_release

    say = step or (lambda _: None)
    refuse_release_destination(out, command="demo", replaces=True)
    target = ensure_absent_or_empty(out, hint="the demo never writes over a folder: pass a new or empty one with --out")
    raw_dir = Path(raw) if raw is not None else repository_path("corpus/raw")
    gold_dir = Path(gold) if gold is not None else repository_path("annotation/gold")
    sources = raw_dir.parent / "sources.yaml"
    settings = raw_dir.parent / "config.yaml"
    timings: dict[str, float] = {}

    def timed(name: str, message: str, fn: Callable[[], Any]) -> Any:
        say(message)
        started = time.perf_counter()
        value = fn()
        timings[name] = time.perf_counter() - started
        return value

    with atomic_directory(target) as staging:
        release = staging / "release" / version
        timed(
            "build",
            f"ingest and clean {raw_dir}, build labeled release {version} with gold from {gold_dir}",
            lambda: build_from_raw(
                raw_dir, release, version=version, gold=gold_dir,
                settings_path=settings if settings.is_file() else None,
                sources_path=sources if sources.is_file() else None,
            ),
        )
        report = timed("verify", f"verify release {version}", lambda: verify_release(release))
        if not report.ok:
            raise ReleaseError(f"the demo release does not verify: {report.problems[0]}")
        submissions = staging / "submissions"
        baselines = timed("baselines", "run the offline baselines", lambda: build_baselines(release))
        write_baselines(baselines, submissions)
        options = ScoreOptions(resamples=resamples, seed=seed)
        board = timed(
            "score",
            "score every submission (bootstrap intervals, paired tests)",
            lambda: build_leaderboard(release, submissions, options=options),
        )
        timed("leaderboard", "write the leaderboard", lambda: write_leaderboard(board, staging / "leaderboard"))
    return DemoResult(
        out=target,
        release=target / "release" / version,
        submissions=target / "submissions",
        leaderboard=target / "leaderboard",
        board=board,
        timings=timings,
    )
