"""Read a folder of raw scrapes into :class:`RawDocument` s, one file (or JSONL line) at a time.

Supported inputs, chosen by extension:

``.txt``
    One article, UTF-8 with or without BOM, LF or CRLF. ``raw`` is the file decoded with nothing
    stripped, so ``raw.encode("utf-8")`` is the file's bytes.
``.jsonl``
    One article per line: ``text`` (required), optional ``title``, ``url``, ``published``,
    ``author``, ``source`` (the outlet) and ``id``; other keys are ignored. ``raw`` is the ``text``
    value (the string that is cleaned, so removed-span offsets index it); the line itself is
    covered by the file checksum and ``source_line`` (1-based). The id is the ``id`` value when
    given (``[A-Za-z0-9._-]``, 1-64 chars), else the first 16 hex digits of the SHA-256 of the line's
    bytes (without its line terminator).
``.html`` / ``.htm``
    The main text extracted by trafilatura (the ``html`` extra); ``raw`` is that text. The page's
    publication time is kept (a page giving only a day gives a date); its site name is a hint.

Ids: a file named ``NNN_<16 hex>.<ext>`` keeps ``<16 hex>``; other files get the first 16 hex digits
of the SHA-256 of their bytes. Both are stable as long as the file is. Hidden files (``.name``) are
ignored; any other extension is an error.

Only what is inside the raw folder is read: a symlink (to a file or a folder) whose target leaves
it is refused, a symlink loop or a folder reached twice is reported and never followed, and a file
name holding a control character (a newline would inject lines into the card) is bad input. A NUL
byte anywhere in a file is bad input, as is a string that is not valid Unicode (lone surrogates).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from warta.errors import InputError
from warta.inputs import parse_json, read_bytes, will_read
from warta.paths import real_folder, require_inside

SUPPORTED = (".txt", ".jsonl", ".html", ".htm")
_ID_NAME = re.compile(r"\d+_(?P<id>[0-9a-f]{16})\.(?:txt|html?)")
_JSON_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_JSONL_FIELDS = ("title", "url", "published", "author", "source", "id")


@dataclass(frozen=True)
class RawDocument:
    id: str
    source_file: str
    raw: str
    kind: str
    source_line: int | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None
    #: An HTML page's site name as trafilatura reads it (``og:site_name``, a title suffix): a hint
    #: (``nasional``, ``detikjateng``), not a recorded outlet; ingest maps it to one.
    site_name: str | None = None


@dataclass(frozen=True)
class Problem:
    """An input that could not be read: file (relative to the raw folder), line if known, and why."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


OnProblem = Callable[[Problem, InputError], None]


def _problem(path: str, line: int | None, message: str, hint: str) -> tuple[Problem, InputError]:
    where = path if line is None else f"{path}, line {line}"
    return Problem(path, line, message), InputError(f"{where}: {message}", hint=hint)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _raise(problem: Problem, error: InputError) -> None:
    raise error


def list_raw_files(raw_dir: Path, *, on_problem: OnProblem | None = None) -> list[str]:
    """Paths (relative to ``raw_dir``, ``/``-separated, sorted) of every non-hidden file below it.

    Plain strings, not ``Path`` objects: the list of a large corpus stays small. Entries that cannot
    be read safely (a link out of the folder, a loop, a control character in the name) raise
    :class:`InputError`, or go to ``on_problem`` and are left out."""
    raw_dir = Path(raw_dir)
    report = on_problem or _raise
    if not raw_dir.exists():
        raise InputError(f"{raw_dir}: raw folder not found", hint="pass the folder holding the raw scrapes (--raw)")
    if not raw_dir.is_dir():
        raise InputError(f"{raw_dir}: not a folder", hint="pass the folder holding the raw scrapes (--raw)")
    root = raw_dir.resolve()
    found: list[str] = []
    seen_dirs = {_dir_key(root)}
    pending = [""]
    while pending:
        prefix = pending.pop()
        try:
            entries = sorted(os.scandir(raw_dir / prefix if prefix else raw_dir), key=lambda e: e.name)
        except OSError as error:
            report(*_problem(prefix or ".", None, f"folder cannot be read ({error.strerror or error})", "check its permissions"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = f"{prefix}/{entry.name}" if prefix else entry.name
            if _CONTROL.search(entry.name) or not _encodable(entry.name):
                report(*_problem(_shown(rel), None, "file name holds a control character or bytes that are not UTF-8", "rename the file (letters, digits, '.', '_', '-')"))
                continue
            is_link = entry.is_symlink()
            if is_link:
                try:
                    real = require_inside(root, raw_dir / rel, what="symlink")
                except InputError as error:
                    why = _link_problem(error.message, root)
                    report(*_problem(rel, None, why, "copy the file into the raw folder instead of linking to it"))
                    continue
                is_dir = real.is_dir()
            else:
                is_dir = entry.is_dir(follow_symlinks=False)
            if is_dir:
                key = _dir_key(raw_dir / rel)
                if key in seen_dirs:
                    report(*_problem(rel, None, "symlink loop: the folder is already being read", "remove the link"))
                    continue
                seen_dirs.add(key)
                pending.append(rel)
            elif is_link or entry.is_file(follow_symlinks=False):
                found.append(rel)
            else:
                report(*_problem(rel, None, "not a regular file", "keep only .txt, .jsonl and .html scrapes in the raw folder"))
    found.sort()
    return found


def _shown(name: str) -> str:
    """A file name with its control characters and undecodable bytes written as escapes."""
    safe = name.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), safe)


def _encodable(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes arrive as lone surrogates (surrogateescape)
        return False
    return True


def _link_problem(message: str, root: Path) -> str:
    if "symlink loop" in message:
        return "symlink loop"
    if " leads outside " in message:
        target = message.rsplit(" (to ", 1)[-1].rstrip(")") if " (to " in message else None
        return f"symlink leads outside the raw folder {root}" + (f" (to {target})" if target else "")
    return "broken symlink (" + message.rsplit(": ", 1)[-1] + ")"


def _dir_key(path: Path) -> tuple[int, int]:
    info = os.stat(path)
    return (info.st_dev, info.st_ino)


def file_id(name: str, data: bytes) -> str:
    match = _ID_NAME.fullmatch(name)
    return match["id"] if match else hashlib.sha256(data).hexdigest()[:16]


def _decode(data: bytes, rel: str, line_offset: int = 0) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = line_offset + data.count(b"\n", 0, error.start) + 1
        problem, exc = _problem(
            rel,
            line,
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at byte offset {error.start})",
            "re-encode the file as UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8",
        )
        raise _Bad(problem, exc) from None


class _Bad(Exception):
    def __init__(self, problem: Problem, error: InputError) -> None:
        super().__init__(str(problem))
        self.problem = problem
        self.error = error


def _check_bytes(data: bytes, rel: str) -> None:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _Bad(*_problem(rel, None, "UTF-16 text, not UTF-8", "re-encode the file as UTF-8, e.g. iconv -f UTF-16 -t UTF-8"))
    if not data or data.isspace():  # what ``not data.strip()`` says, without the copy
        raise _Bad(*_problem(rel, None, "empty file", "remove it or re-download the article"))
    nul = data.find(b"\x00")
    if data[:4] in (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\x1f\x8b\x08\x00") or 0 <= nul < 65536:
        raise _Bad(*_problem(rel, None, "binary file, not text", "keep only .txt, .jsonl and .html scrapes in the raw folder"))
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise _Bad(*_problem(rel, line, f"a NUL byte at byte offset {nul}: not a text file", "remove the NUL bytes (e.g. tr -d '\\000') or re-download the article"))


def _read_txt(path: Path, rel: str, data: bytes) -> Iterator[RawDocument]:
    _check_bytes(data, rel)
    raw = _decode(data, rel)
    if not raw.lstrip("\ufeff").strip():
        raise _Bad(*_problem(rel, None, "empty file (only whitespace)", "remove it or re-download the article"))
    yield RawDocument(id=file_id(path.name, data), source_file=rel, raw=raw, kind="txt")


def _read_html(path: Path, rel: str, data: bytes) -> Iterator[RawDocument]:
    _check_bytes(data, rel)
    html = _decode(data, rel)
    try:
        import trafilatura
    except ImportError:
        raise InputError(
            f"{rel}: reading HTML needs trafilatura, which is not installed",
            hint="pip install 'warta[html]'",
        ) from None
    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False,
        date_extraction_params={"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True},
    )
    extracted = document.as_dict() if document is not None and hasattr(document, "as_dict") else (document or {})
    text = extracted.get("text") or ""
    if not text.strip():
        raise _Bad(*_problem(rel, None, "no article text found in the HTML", "check that the page holds the article, not a consent or error page"))
    date = extracted.get("date")
    if date and date.endswith("T00:00:00"):  # htmldate's filler when the page gives only a day
        date = date[:10]
    yield RawDocument(
        id=file_id(path.name, data),
        source_file=rel,
        raw=text,
        kind="html",
        title=(extracted.get("title") or None),
        author=(extracted.get("author") or None),
        published=date or None,
        url=(extracted.get("url") or None),
        site_name=(extracted.get("sitename") or None),
    )


def _read_jsonl(rel: str, data: bytes, on_problem: OnProblem | None) -> Iterator[RawDocument]:
    _check_bytes(data, rel)
    hint = 'each line must be a JSON object with a "text" string'
    for number, line in enumerate(data.split(b"\n"), start=1):
        line = line[:-1] if line.endswith(b"\r") else line
        if not line.strip():
            continue
        try:
            text = _decode(line, rel, number - 1)
            try:
                record = parse_json(text, rel, line=number, hint=hint)
            except InputError as error:
                message = error.message.removeprefix(f"{rel}, line {number}: ")
                raise _Bad(*_problem(rel, number, message, hint)) from None
            if not isinstance(record, dict):
                raise _Bad(*_problem(rel, number, f"expected a JSON object, got {type(record).__name__}", hint))
            body = record.get("text")
            if not isinstance(body, str) or not body.strip():
                what = "has no \"text\"" if body is None else "has an empty or non-string \"text\""
                raise _Bad(*_problem(rel, number, what, hint))
            for key in _JSONL_FIELDS:
                value = record.get(key)
                if value is not None and not isinstance(value, str):
                    raise _Bad(*_problem(rel, number, f'"{key}" must be a string or null, got {json.dumps(value)[:40]}', hint))
            for key in ("text", *_JSONL_FIELDS):
                if isinstance(record.get(key), str) and "\x00" in record[key]:
                    raise _Bad(*_problem(rel, number, f'"{key}" contains a NUL character', "remove it; text may not contain NUL"))
            given_id = record.get("id")
            if given_id is not None and not _JSON_ID.fullmatch(given_id):
                raise _Bad(*_problem(rel, number, f'"id" {given_id!r} is not 1-64 letters, digits, ".", "_" or "-"', "fix or drop the id; without one it is derived from the line"))
        except _Bad as bad:
            if on_problem is None:
                raise bad.error from None
            on_problem(bad.problem, bad.error)
            continue
        yield RawDocument(
            id=given_id or hashlib.sha256(line).hexdigest()[:16],
            source_file=rel,
            raw=body,
            kind="jsonl",
            source_line=number,
            title=(record.get("title") or "").strip() or None,
            author=(record.get("author") or "").strip() or None,
            published=(record.get("published") or "").strip() or None,
            url=(record.get("url") or "").strip() or None,
            outlet=(record.get("source") or "").strip() or None,
        )


def _name_refused(rel: str, suffix: str) -> tuple[Problem, InputError] | None:
    """Why a file is not read for its name alone (``suffix`` its extension, lower-cased), if it is not."""
    if _CONTROL.search(rel) or not _encodable(rel):
        return _problem(_shown(rel), None, "file name holds a control character or bytes that are not UTF-8", "rename the file (letters, digits, '.', '_', '-')")
    if suffix not in SUPPORTED:
        return _problem(rel, None, f"unsupported file type {suffix or '(no extension)'!r}", f"raw files must be one of {', '.join(SUPPORTED)}")
    return None


def read_file(
    path: Path,
    rel: str,
    *,
    on_problem: OnProblem | None = None,
    root: Path | None = None,
    real_root: str | None = None,
) -> Iterator[RawDocument]:
    """The documents in one raw file. Problems raise :class:`InputError`, or go to ``on_problem``.

    With ``root`` (the raw folder, and ``path`` is ``root / rel``), a file that resolves outside it
    is refused, and the checked real path is what is read; ``real_root`` is
    :func:`~warta.paths.real_folder` of it, when the caller reads many files."""
    suffix = path.suffix.lower()
    try:
        refused = _name_refused(rel, suffix)
        if refused is not None:
            raise _Bad(*refused)
        if root is not None:
            try:
                real = require_inside(root, path, what="raw file", real_root=real_root, relative=rel)
            except InputError as error:
                raise _Bad(*_problem(rel, None, _link_problem(error.message, Path(root).resolve()), "copy the file into the raw folder instead of linking to it")) from None
        try:
            data = read_bytes(real if root is not None else path, what="raw file")
        except InputError as error:
            raise _Bad(*_problem(rel, None, error.message.split(": ", 1)[-1], "check the file's permissions")) from None
        if suffix == ".jsonl":
            yield from _read_jsonl(rel, data, on_problem)
        elif suffix == ".txt":
            yield from _read_txt(path, rel, data)
        else:
            yield from _read_html(path, rel, data)
    except _Bad as bad:
        if on_problem is None:
            raise bad.error from None
        on_problem(bad.problem, bad.error)


def raw_root(raw_dir: Path) -> str:
    """The real path of the raw folder, which every raw file must resolve inside."""
    try:
        return real_folder(raw_dir)
    except OSError as exc:
        raise InputError(f"{raw_dir}: raw folder cannot be read ({exc.strerror or exc})") from None


def iter_raw(
    raw_dir: Path,
    *,
    on_problem: OnProblem | None = None,
    files: list[str] | None = None,
    real_root: str | None = None,
) -> Iterator[RawDocument]:
    """Stream every document of ``raw_dir`` in file order (and line order within JSONL).

    ``real_root`` is :func:`raw_root` of ``raw_dir``, when the caller already has it."""
    raw_dir = Path(raw_dir)
    names = files if files is not None else list_raw_files(raw_dir, on_problem=on_problem)
    real_root = real_root or raw_root(raw_dir)
    for rel in read_ahead(raw_dir, names, real_root):
        yield from read_file(raw_dir / rel, rel, on_problem=on_problem, root=raw_dir, real_root=real_root)


#: Files announced to the kernel ahead of the one being read (:func:`read_ahead`).
READ_AHEAD_FILES = 128


def read_ahead(raw_dir: Path, names: Iterable[str], real_root: str, *, files: int = READ_AHEAD_FILES) -> Iterator[str]:
    """``names`` in order; the files of the next ``files`` names are announced to the kernel
    (:func:`warta.inputs.will_read`) before those of the current ones are read, so that a corpus
    of many small files that is not in the page cache is fetched while the build works, in merged
    requests. Only names that :func:`read_file` would read are announced, by the real path that
    :func:`~warta.paths.require_inside` accepts; the others are yielded all the same, for
    :func:`read_file` to report."""
    pending = iter(names)
    window = _announced(raw_dir, pending, real_root, files)
    while window:
        following = _announced(raw_dir, pending, real_root, files)
        yield from window
        window = following


def _announced(raw_dir: Path, names: Iterator[str], real_root: str, count: int) -> list[str]:
    """The next ``count`` of ``names``, after announcing the files among them that may be read."""
    window: list[str] = []
    checked: list[Path] = []
    for rel in names:
        window.append(rel)
        path = raw_dir / rel
        if _name_refused(rel, path.suffix.lower()) is None:
            # Checked again by read_file just before the read: that check, not this one, guards it.
            try:
                checked.append(require_inside(raw_dir, path, what="raw file", real_root=real_root, relative=rel))
            except InputError:
                pass  # read_file refuses it, with the reason
        if len(window) == count:
            break
    will_read(checked)
    return window
