"""Building blocks of the corpus hostile cases: a private raw folder, gold, releases, commands.

Every case builds its own inputs under ``tmp_path`` (never the repository's), so a command that
misbehaves can only damage a copy, and the tree hash proves it did not.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from tests.hostile.harness import REPO, SEED_RELEASE, Case, copy_release

RAW = REPO / "corpus" / "raw"
GOLD = REPO / "annotation" / "gold"
MEDCOM = "000_e868b1205f427ac5.txt"
PROSE = (
    "Presiden meresmikan jembatan baru di Kalimantan Timur pada Senin pagi bersama gubernur, "
    "yang menyebut jembatan itu akan mempersingkat perjalanan warga antarkabupaten."
)
GOOD_LINE = json.dumps({"title": "Jembatan baru diresmikan", "text": PROSE})

CaseFactory = Callable[[Path], Case]


def seed_raw(tmp: Path, name: str = "raw") -> Path:
    """A copy of the two seed articles."""
    raw = tmp / name
    raw.mkdir(parents=True)
    for path in sorted(RAW.iterdir()):
        shutil.copy(path, raw / path.name)
    return raw


def seed_gold(tmp: Path) -> Path:
    gold = tmp / "gold"
    shutil.copytree(GOLD, gold)
    return gold


def build_args(raw: Path, out: Path, *extra: str | Path) -> list[str]:
    return ["corpus", "build", "--raw", str(raw), "--out", str(out), "--version", "1.0.0", "--no-progress", *map(str, extra)]


def release_copy(tmp: Path, name: str = "release") -> Path:
    return copy_release(tmp / name)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def set_manifest(release: Path, edit: Callable[[dict], object]) -> None:
    """Edit the parsed manifest and write it back (the manifest is not listed in itself)."""
    path = release / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    result = edit(data)
    path.write_text(json.dumps(data if result is None else result, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def flip_middle_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def counted(classes: dict[str, list[tuple[str, CaseFactory]]]) -> list[tuple[str, str, CaseFactory]]:
    """Flatten ``{class: [(command/variant id, factory)]}`` into pytest parameters ``(class, id, factory)``."""
    return [(cls, f"{cls}:{case_id}", factory) for cls, cases in classes.items() for case_id, factory in cases]


__all__ = [
    "GOOD_LINE", "MEDCOM", "PROSE", "SEED_RELEASE", "Case", "build_args", "counted", "flip_middle_byte",
    "release_copy", "seed_gold", "seed_raw", "set_manifest", "sha256",
]
