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


def _outcome(call):  # noqa: ANN001, ANN202
    try:
        return ("ok", call())
    except InputError as error:
        return ("error", error.message, error.hint)


def test_resolving_below_the_real_root_gives_what_resolving_from_the_top_gives(tmp_path: Path) -> None:
    """The per-component walk (``relative``) against a full ``realpath``, on links in and out of
    the root, a linked folder, a link to a link, a loop, a missing file and an unusual name."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("s", encoding="utf-8")
    real = tmp_path / "real"
    (real / "sub" / "deeper").mkdir(parents=True)
    for name in ("a.txt", "sub/b.txt", "sub/deeper/c.txt", "sub/-odd name.txt"):
        (real / name).write_text("x", encoding="utf-8")
    (real / "in.txt").symlink_to(real / "a.txt")
    (real / "chain.txt").symlink_to(real / "in.txt")
    (real / "rel.txt").symlink_to("sub/b.txt")
    (real / "linked").symlink_to(real / "sub")
    (real / "away").symlink_to(outside)
    (real / "out.txt").symlink_to(outside / "secret.txt")
    (real / "loop.txt").symlink_to(real / "loop.txt")
    (real / "sub" / "up.txt").symlink_to("../a.txt")
    root = tmp_path / "root-link"  # the folder the user gave is itself a link
    root.symlink_to(real)
    real_root = os.path.realpath(root)
    relatives = [
        "a.txt", "sub/b.txt", "sub/deeper/c.txt", "sub/-odd name.txt", "in.txt", "chain.txt", "rel.txt",
        "linked/b.txt", "linked/deeper/c.txt", "away/secret.txt", "out.txt", "loop.txt", "sub/up.txt", "missing.txt",
        "sub/missing/c.txt",
    ]
    outcomes = set()
    for rel in relatives:
        walked = _outcome(lambda: require_inside(root, root / rel, what="raw file", real_root=real_root, relative=rel))
        resolved = _outcome(lambda: require_inside(root, root / rel, what="raw file", real_root=real_root))
        assert walked == resolved, rel
        outcomes.add(walked[0] if walked[0] == "ok" else walked[1].split(": ")[-1].split(" (")[0])
    assert "ok" in outcomes and "symlink loop" in outcomes and any("leads outside" in o for o in outcomes)


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
