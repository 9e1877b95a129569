"""The one guard between names and paths, and between commands and releases.

Every id or name that becomes part of a path (article ids, submission folders, system names, task
names, manifest entries) goes through :func:`check_name` or :func:`check_relative`; every input read
from a folder the user gave goes through :func:`require_inside`; every destination goes through
:func:`refuse_release_destination`. A check added here holds for every command.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path, PurePosixPath

from warta.errors import InputError, OutputExistsError, ReleaseError, WartaError

MAX_NAME = 128
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MANIFEST = "manifest.json"


def describe(value: object) -> str:
    """A printable, quoted form of an untrusted value (control characters escaped, length capped)."""
    text = value if isinstance(value, str) else repr(value)
    shown = text.encode("unicode_escape").decode("ascii") if _CONTROL.search(text) or not text.isprintable() else text
    return repr(shown[:80] + ("…" if len(shown) > 80 else ""))


def check_name(value: object, *, what: str, error: type[WartaError] = InputError) -> str:
    """``value`` if it is safe as one path component, else an error naming it and ``what`` it is.

    Safe: 1-128 characters of ASCII letters, digits, ``.``, ``_`` and ``-``, starting with a letter or
    digit, and no ``..``. That excludes separators, control characters, hidden names and anything
    a file system or a shell could read as more than a name.
    """
    if not isinstance(value, str):
        raise error(f"{what} must be a string, got {type(value).__name__}")
    if not value or len(value) > MAX_NAME or not _NAME.fullmatch(value) or ".." in value:
        raise error(
            f"{what} {describe(value)} cannot be used as a file name",
            hint=f"use 1-{MAX_NAME} letters, digits, '.', '_' or '-', starting with a letter or digit, without '..'",
        )
    return value


def child(root: str | os.PathLike[str], name: object, *, what: str, suffix: str = "", error: type[WartaError] = InputError) -> Path:
    """``root / (name + suffix)`` once ``name`` passed :func:`check_name`."""
    return Path(root) / f"{check_name(name, what=what, error=error)}{suffix}"


def check_relative(value: object, *, what: str, error: type[WartaError] = ReleaseError) -> str:
    """A relative, normalised, ``/``-separated path whose every component is printable and not ``.``/``..``."""
    if not isinstance(value, str) or not value:
        raise error(f"{what} must be a non-empty string, got {describe(value)}")
    path = PurePosixPath(value)
    parts = value.split("/")
    if (
        path.is_absolute()
        or "\\" in value
        or _CONTROL.search(value)
        or any(part in ("", ".", "..") for part in parts)
        or str(path) != value
    ):
        raise error(f"{what} {describe(value)} is not a plain relative path inside the folder")
    return value


def is_inside(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> bool:
    """Whether ``path``, with every symlink resolved, is ``root`` or below it."""
    try:
        real_root = Path(root).resolve(strict=True)
        real = Path(path).resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return real == real_root or real_root in real.parents


def real_folder(root: str | os.PathLike[str]) -> str:
    """The real path of ``root`` (every symlink resolved), for :func:`require_inside`'s
    ``real_root`` when many paths are checked against one folder."""
    return os.path.realpath(root, strict=True)


def require_inside(
    root: str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    what: str,
    error: type[WartaError] = InputError,
    real_root: str | None = None,
    relative: str | None = None,
) -> Path:
    """``path`` if it resolves inside ``root``; a symlink out of ``root`` or a loop is refused.

    ``real_root`` is ``real_folder(root)`` when the caller already has it. With ``relative`` too
    (``path`` is ``root / relative``), ``path`` is resolved from ``real_root`` a component at a
    time: one ``lstat`` each when none is a symlink, the same real path as resolving it from ``/``.
    Read what this returns, not ``path``: it is what was checked."""
    try:
        real_root = real_root or os.path.realpath(root, strict=True)
        if relative is not None:
            real = _resolve_below(real_root, relative)
        else:
            real = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise error(f"{what} {Path(path)}: symlink loop", hint="remove the link") from None
        raise error(f"{what} {Path(path)}: {exc.strerror or exc}") from None
    if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
        raise error(
            f"{what} {Path(path)} leads outside {root} (to {real})",
            hint=f"copy the file into {root} instead of linking to it",
        )
    return Path(real)


def _resolve_below(real_root: str, relative: str) -> str:
    """``os.path.realpath(os.path.join(real_root, relative), strict=True)`` for a real folder
    ``real_root``, without resolving ``real_root`` again when nothing below it is a link."""
    whole = os.path.join(real_root, relative)
    parts = relative.split(os.sep)
    if os.path.isabs(relative) or any(part in ("", ".", "..") for part in parts):
        return os.path.realpath(whole, strict=True)
    current = real_root
    for part in parts:
        current = os.path.join(current, part)
        if stat.S_ISLNK(os.lstat(current).st_mode):
            return os.path.realpath(whole, strict=True)
    return current


def enclosing_release(path: str | os.PathLike[str]) -> Path | None:
    """The release folder that ``path`` is, or lies inside, if any (symlinks resolved)."""
    current = Path(path).absolute()
    try:
        current = current.resolve()
    except (OSError, RuntimeError):
        pass
    for folder in (current, *current.parents):
        if _is_release(folder):
            return folder
    return None


def _is_release(folder: Path) -> bool:
    manifest = folder / MANIFEST
    try:
        if not manifest.is_file():
            return False
        with open(manifest, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    # A warta manifest is a JSON object whose first keys (sorted) include "files": recognised cheaply,
    # without parsing a manifest that may itself be hostile.
    return head.lstrip().startswith(b"{") and b'"files"' in head


def contained_release(path: str | os.PathLike[str], *, limit: int = 100_000) -> Path | None:
    """A release folder somewhere below ``path`` (for destinations that would be replaced whole)."""
    root = Path(path)
    if not root.is_dir():
        return None
    seen = 0
    for folder, dirs, files in os.walk(root):
        if MANIFEST in files and _is_release(Path(folder)):
            return Path(folder)
        seen += len(files) + len(dirs)
        if seen > limit:
            return None
    return None


def refuse_release_destination(
    path: str | os.PathLike[str], *, command: str, replaces: bool = False
) -> None:
    """Exit 4 if writing to ``path`` would change a release: releases belong to ``corpus build`` alone.

    ``replaces`` says the destination folder is replaced whole, so a release below it counts too.
    """
    release = enclosing_release(path)
    if release is None and replaces:
        release = contained_release(path)
    if release is not None:
        raise OutputExistsError(
            f"{command}: refusing to write to {path}: it is, or is inside or holds, the release folder {release}",
            hint="releases are read-only to every command but `warta corpus build`; choose another destination",
        )
