"""What the repository ships is reproducible: release 1.0.0 from corpus/raw + annotation/gold, and the
baseline submissions from that release. A change that alters either cannot land unnoticed: it must
come with a new release version (and regenerated files)."""

from __future__ import annotations

from pathlib import Path

from warta.benchmarks.baselines import build_baselines, write_baselines
from warta.corpus.build import build_from_raw
from warta.corpus.verify import verify_release
from warta.release import Release


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_tree(fresh: Path, committed: Path) -> None:
    a, b = tree(fresh), tree(committed)
    assert sorted(a) == sorted(b)
    changed = [name for name in a if a[name] != b[name]]
    assert not changed, f"rebuilt files differ from the committed ones: {changed}"


def test_release_1_0_0_rebuilds_byte_identically(repo: Path, tmp_path: Path) -> None:
    committed = repo / "corpus" / "releases" / "1.0.0"
    assert verify_release(committed).ok
    out = tmp_path / "1.0.0"
    build_from_raw(
        repo / "corpus" / "raw", out, version="1.0.0", gold=repo / "annotation" / "gold",
        settings_path=repo / "corpus" / "config.yaml", sources_path=repo / "corpus" / "sources.yaml",
    )
    assert_same_tree(out, committed)
    assert Release.open(committed).configs() == ["documents", "ner", "stance", "summarization"]


def test_committed_baselines_are_current(repo: Path, tmp_path: Path) -> None:
    release = repo / "corpus" / "releases" / "1.0.0"
    write_baselines(build_baselines(release), tmp_path)
    committed = repo / "benchmarks" / "submissions"
    for system in tmp_path.iterdir():
        assert_same_tree(system, committed / system.name)
