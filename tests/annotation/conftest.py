"""Fixtures of the Label Studio tests: one real server per session, the seed release, an annotated project.

See ``ls_helpers.py`` for how the server is found and started. Missing, the tests skip on a
developer machine and fail under ``CI=true``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from ls_helpers import AnnotatedProject, LabelStudioServer, annotate_seed_project, find_label_studio  # noqa: E402


@pytest.fixture(scope="session")
def label_studio(
    repo: Path,
    require_or_skip: Callable[[bool, str], None],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LabelStudioServer]:
    binary = find_label_studio(repo)
    require_or_skip(binary is not None, "label-studio server")
    assert binary is not None
    home = tmp_path_factory.mktemp("label-studio")
    server = LabelStudioServer(binary=binary, data_dir=home / "data", log=home / "label-studio.log")
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def restart_label_studio(label_studio: LabelStudioServer) -> Callable[[], None]:
    """Restart the session's server on the same data directory (its URL may change: read ``.url`` after)."""
    return label_studio.restart


@pytest.fixture(scope="session")
def seed_release(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release of the seed articles, built from ``corpus/raw`` with the corpus library."""
    from warta.corpus.build import build_from_raw

    out = tmp_path_factory.mktemp("seed") / "release"
    build_from_raw(repo / "corpus" / "raw", out, version="1.0.0")
    return out


@pytest.fixture
def unique_title(request: pytest.FixtureRequest) -> str:
    """A project title no other test uses."""
    return f"{request.node.name[5:37]} {time.monotonic_ns() % 1_000_000:06d}"  # Label Studio allows 3-50 characters


@pytest.fixture(scope="session")
def annotated_project(label_studio: LabelStudioServer, seed_release: Path) -> AnnotatedProject:
    """The seed release pushed, then annotated by two users, each with their own token."""
    return annotate_seed_project(label_studio, seed_release, "warta seed annotated")
