"""Running a command on hostile input and checking that trust held.

A hostile case is a command line plus a tree of files the command may read. It passes when the
command exits with the expected code, its stderr names the culprit, no traceback was printed, and
nothing in the watched folders changed (hashes before and after) unless the case says what may.
Commands run in-process through :func:`warta.cli.main`, so hundreds of cases stay fast.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from warta.cli import main

REPO = Path(__file__).resolve().parents[2]
SEED_RELEASE = REPO / "corpus" / "releases" / "1.0.0"
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\s+File \".*\", line \d+", re.M)


def tree_hash(*roots: Path) -> dict[str, str]:
    """Path -> SHA-256 (or the link target, or 'dir') of everything under ``roots``, links not followed."""
    state: dict[str, str] = {}
    for root in roots:
        if not os.path.lexists(root):
            state[str(root)] = "absent"
            continue
        if root.is_file() and not root.is_symlink():
            state[str(root)] = hashlib.sha256(root.read_bytes()).hexdigest()
            continue
        for folder, dirs, files in os.walk(root):
            for name in dirs + files:
                path = Path(folder) / name
                if path.is_symlink():
                    state[str(path)] = "link:" + os.readlink(path)
                elif path.is_dir():
                    state[str(path)] = "dir"
                else:
                    try:
                        state[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
                    except OSError as exc:
                        state[str(path)] = f"unreadable:{exc.errno}"
    return state


@dataclass
class Outcome:
    code: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], *args: str | os.PathLike[str]) -> Outcome:
    capsys.readouterr()
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


@dataclass
class Case:
    """One hostile input for one command."""

    id: str
    args: list[str]
    code: int
    culprit: str  # a regex the error output must match (the file, line, id or value to blame)
    watch: list[Path] = field(default_factory=list)  # folders and files that must not change

    def check(self, capsys: pytest.CaptureFixture[str]) -> Outcome:
        before = tree_hash(*self.watch)
        outcome = run(capsys, *self.args)
        after = tree_hash(*self.watch)
        text = outcome.err + outcome.out
        assert not TRACEBACK.search(text), f"{self.id}: traceback printed:\n{text}"
        assert "internal error" not in outcome.err, f"{self.id}: fell through to the safety net:\n{outcome.err}"
        assert outcome.code == self.code, f"{self.id}: exit {outcome.code}, expected {self.code}:\n{text}"
        assert re.search(self.culprit, text), f"{self.id}: output does not name {self.culprit!r}:\n{text}"
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        assert not changed, f"{self.id}: changed {changed[:5]}"
        return outcome


def copy_release(destination: Path, source: Path = SEED_RELEASE) -> Path:
    """A private copy of the seed release to damage."""
    import shutil

    shutil.copytree(source, destination)
    return destination


#: The ways :func:`tamper` damages a file of a release.
TAMPERING = ("flipped-byte", "missing-file", "appended", "replaced-by-folder")


def tamper(path: Path, how: str) -> None:
    """Damage one file of a release copy the way ``how`` (one of :data:`TAMPERING`) says."""
    if how == "flipped-byte":
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    elif how == "missing-file":
        path.unlink()
    elif how == "appended":
        path.write_bytes(path.read_bytes() + b"\0")
    elif how == "replaced-by-folder":
        path.unlink()
        path.mkdir()
    else:
        raise ValueError(how)


def refresh_manifest_entry(release: Path, relative: str) -> None:
    """Fix a file's SHA-256 and size in the manifest after changing it: the lie verify must catch."""
    import json

    manifest_path = release / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    data = (release / relative).read_bytes()
    for entry in manifest["files"]:
        if entry["path"] == relative:
            entry["sha256"] = hashlib.sha256(data).hexdigest()
            entry["bytes"] = len(data)
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


# Hostile JSON/YAML payloads shared by every reader-facing case.
DEEP_JSON = "[" * 100_000 + "]" * 100_000
HUGE_INT = "9" * 5_000
LONE_SURROGATE = '"\\ud800"'
BAD_UTF8 = b"\xff\xfe\xc3\x28"
YAML_BOMB = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{c}: &{c} [" + ",".join([f"*{chr(ord(c) - 1)}"] * 9) + "]\n" for c in "bcdefghi"
)
