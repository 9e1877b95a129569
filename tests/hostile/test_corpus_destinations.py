"""Where `corpus build` and `demo` may write, what they accept as a version, and OS errors.

Releases are read-only to every command but the `corpus build` that made them: a new build is
never placed inside one, and `demo` never writes into one (exit 4). Versions are semver in full.
A read-only or full destination, or a file where a folder is expected, is one line naming the path
with nothing half-written left behind.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.corpus_cases import Case, build_args, counted, release_copy, seed_gold, seed_raw
from tests.hostile.harness import REPO, TRACEBACK, tree_hash


def _build_into(where: str) -> object:
    def make(tmp: Path) -> Case:
        raw = seed_raw(tmp)
        release = release_copy(tmp)
        out = {"inside": release / "sub", "deep-inside": release / "ner" / "more", "itself": release}[where]
        code = 4
        return Case("", build_args(raw, out), code, r"(refusing to write to .*release|exists and is not empty)", [raw, release])

    return make


def _private_into(tmp: Path) -> Case:
    raw = seed_raw(tmp)
    release = release_copy(tmp)
    gold = seed_gold(tmp)
    out = tmp / "out"
    args = [*build_args(raw, out), "--gold", str(gold), "--hide-labels", "test", "--private-out", str(release / "private")]
    return Case("", args, 4, r"refusing to write to .*release", [raw, release, gold, out])


def _demo_into(where: str) -> object:
    def make(tmp: Path) -> Case:
        release = release_copy(tmp)
        holder = tmp / "holder"
        if where == "holds":
            release_copy(holder, "r")
        out = {"inside": release / "demo", "itself": release, "holds": holder}[where]
        return Case("", ["demo", "--out", str(out), "--resamples", "10"], 4, r"demo: refusing to write to .*(release|holder)", [release, holder])

    return make


BAD_VERSIONS = {
    "trailing-newline": "1.0.0\n",
    "two-parts": "1.0",
    "v-prefix": "v1.0.0",
    "build-metadata": "1.0.0+build.1",
    "leading-zero": "01.0.0",
    "trailing-space": "1.0.0 ",
    "arabic-digits": "\u0661.\u0660.\u0660",
    "lone-surrogate": "1.0.0-\udcff",
    "empty": "",
    "too-long": "1.0.0-" + "a" * 100,
}


def _version_case(version: str) -> object:
    def make(tmp: Path) -> Case:
        raw = seed_raw(tmp)
        out = tmp / "out"
        args = build_args(raw, out)
        args[args.index("--version") + 1] = version
        return Case("", args, 2, r"release version .* is not a semantic version", [raw, out])

    return make


def _option_case(option: str, value: str, culprit: str) -> object:
    def make(tmp: Path) -> Case:
        raw = seed_raw(tmp)
        out = tmp / "out"
        return Case("", [*build_args(raw, out), option, value], 2, culprit, [raw, out])

    return make


def _changelog_from_bad_release(tmp: Path) -> Case:
    """--changelog-from reads a release: a tampered one is refused before anything is written."""
    raw = seed_raw(tmp)
    old = release_copy(tmp, "old")
    (old / "CHANGELOG.md").write_text("edited\n")
    out = tmp / "out"
    args = build_args(raw, out)
    args[args.index("--version") + 1] = "1.0.1"
    return Case("", [*args, "--changelog-from", str(old)], 3, r"CHANGELOG\.md has \d+ bytes, the manifest says", [raw, old, out])


def _file_as_parent(tmp: Path) -> Case:
    raw = seed_raw(tmp)
    blocker = tmp / "a-file"
    blocker.write_text("not a folder\n")
    return Case("", build_args(raw, blocker / "out"), 1, r"error: .*a-file.*: (Not a directory|File exists)", [raw, blocker])


CLASSES = {
    "release-destination-build": [(w, _build_into(w)) for w in ("inside", "deep-inside", "itself")] + [("private-out-inside", _private_into)],
    "release-destination-demo": [(w, _demo_into(w)) for w in ("inside", "itself", "holds")],
    **{f"version-{k}": [("build", _version_case(v))] for k, v in BAD_VERSIONS.items()},
    "repo-id": [
        ("build-dot-dot", _option_case("--repo-id", "../x", r"--repo-id '\.\./x' is not a Hub repo id")),
        ("build-newline", _option_case("--repo-id", "org/name\n", r"--repo-id .* is not a Hub repo id")),
    ],
    "local-path": [
        ("newline", _option_case("--local-path", "corpus/x\n# heading", r"--local-path .* control character")),
        ("quote", _option_case("--local-path", 'x", "evil', r"--local-path .* quote")),
        ("lone-surrogate", _option_case("--local-path", "x\udcff", r"--local-path .* not valid Unicode")),
    ],
    "hide-labels": [("not-a-split", _option_case("--hide-labels", "test\n", r"--hide-labels: 'test\\n' is not a split name"))],
    "changelog-from-tampered": [("build", _changelog_from_bad_release)],
    "os-file-where-folder-expected": [("build", _file_as_parent)],
}
CASES = counted(CLASSES)


@pytest.mark.parametrize(("cls", "case_id", "factory"), CASES, ids=[c[1] for c in CASES])
def test_hostile_destination(tmp_path: Path, capsys: pytest.CaptureFixture[str], cls: str, case_id: str, factory) -> None:  # noqa: ANN001
    case = factory(tmp_path)
    case.id = case_id
    case.check(capsys)


def _make_read_only(folder: Path) -> None:
    """chmod for ordinary users; root ignores permissions, so it gets the immutable attribute."""
    folder.chmod(0o555)
    probe = folder / ".probe"
    try:
        probe.write_text("x")
    except OSError:
        return
    probe.unlink()
    folder.chmod(0o755)
    result = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    if result.returncode != 0:
        pytest.skip("cannot make a folder read-only here (root without chattr)")


def _make_writable(folder: Path) -> None:
    subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    folder.chmod(0o755)


def test_read_only_destination_is_one_line_and_leaves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = seed_raw(tmp_path)
    parent = tmp_path / "ro"
    parent.mkdir()
    _make_read_only(parent)
    try:
        outcome = Case("ro", build_args(raw, parent / "out"), 1, r"error: .*ro.*(Permission denied|Operation not permitted)", [raw, parent]).check(capsys)
    finally:
        _make_writable(parent)
    assert len(outcome.err.strip().splitlines()) == 2  # error, hint
    assert list(parent.iterdir()) == []


def test_full_destination_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    """A file-size limit makes every write past 8 KB fail as on a full disk (EFBIG, like ENOSPC)."""
    raw = seed_raw(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    before = tree_hash(raw)

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (8_000, 8_000))

    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "warta", *build_args(raw, Path("out"))],
        cwd=work, env=env, preexec_fn=limit, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert not TRACEBACK.search(result.stderr) and "internal error" not in result.stderr
    assert result.stderr.startswith("error: out: ") and "File too large" in result.stderr, result.stderr
    assert list(work.iterdir()) == []  # no OUT, no staging folder, no temporary file
    assert tree_hash(raw) == before
