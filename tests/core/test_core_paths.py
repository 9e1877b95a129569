"""The path guard: names, relative paths, containment and the release guard."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from warta.errors import InputError, OutputExistsError, ReleaseError
from warta.paths import check_name, check_relative, child, refuse_release_destination, require_inside

BAD_NAMES = ["", ".", "..", "../escaped", "a/b", "a\\b", "sys\n", ".hidden", "a..b", "x" * 129, "ümlaut", "a b", "\x00", 5, None]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_names_are_refused_and_named(name: object) -> None:
    with pytest.raises(InputError, match="article id|must be a string"):
        check_name(name, what="article id")


@pytest.mark.parametrize("name", ["e868b1205f427ac5", "lead-3", "sys.v2_final", "A" * 128])
def test_good_names_pass(name: str, tmp_path: Path) -> None:
    assert child(tmp_path, name, what="system", suffix=".json") == tmp_path / f"{name}.json"


@pytest.mark.parametrize("rel", ["../../../../etc/passwd", "/etc/passwd", "a/../b", "./a", "a//b", "a\\b", "a/", "x\ny"])
def test_manifest_paths_must_be_plain_relative(rel: str) -> None:
    with pytest.raises(ReleaseError, match="not a plain relative path"):
        check_relative(rel, what="files[0].path")
    assert check_relative("ner/test-00000-of-00001.parquet", what="p") == "ner/test-00000-of-00001.parquet"


def test_symlinks_out_of_the_root_and_loops_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "raw"
    root.mkdir()
    (root / "ok.txt").write_text("x", encoding="utf-8")
    (root / "p.txt").symlink_to("/etc/passwd")
    (root / "inner.txt").symlink_to(root / "ok.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    assert require_inside(root, root / "inner.txt", what="raw file") == (root / "ok.txt").resolve()
    with pytest.raises(InputError, match="leads outside"):
        require_inside(root, root / "p.txt", what="raw file")
    with pytest.raises(InputError, match="symlink loop"):
        require_inside(root, root / "loop.txt", what="raw file")


def test_release_destinations_are_refused(tmp_path: Path, repo: Path) -> None:
    release = repo / "corpus" / "releases" / "1.0.0"
    for target in (release, release / "manifest.json", release / "ner" / "new.json"):
        with pytest.raises(OutputExistsError, match="read-only|release folder"):
            refuse_release_destination(target, command="test")
    with pytest.raises(OutputExistsError):
        refuse_release_destination(repo / "corpus", command="test", replaces=True)
    refuse_release_destination(repo / "corpus", command="test")  # writing beside releases is fine
    refuse_release_destination(tmp_path / "out", command="test", replaces=True)
    link = tmp_path / "alias"
    os.symlink(release, link)
    with pytest.raises(OutputExistsError):
        refuse_release_destination(link / "x.json", command="test")
