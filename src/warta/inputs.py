"""The one way warta reads what users give it: bytes, UTF-8 text, JSON, JSONL, YAML and Parquet.

Every command reads its inputs through these functions, so a limit or a check added here holds
everywhere. Each failure is a :class:`~warta.errors.WartaError` that names the file (and line or
byte offset) and says what to do; no decoder exception, recursion error or memory blow-up gets
through:

- sizes are capped before a file is read (:data:`LIMITS`);
- UTF-8 is decoded strictly, naming line and byte offset of the first bad byte;
- JSON has a nesting-depth limit, an integer-digit limit (Python's own 4,300-digit guard raises a
  bare ``ValueError`` deep inside the decoder), finite numbers only (no ``NaN``/``Infinity``, no
  ``1e999``) and no lone surrogates (``"\\ud800"`` decodes, then fails when written);
- YAML is safe-loaded (no Python tags) with a cap on the number of nodes after alias expansion, so a
  billion-laughs file is refused after composing a few hundred nodes, not after 5 GB;
- Parquet decode failures (a flipped byte in a page) become "corrupt file", exit 3.

The error class is a parameter because the same syntax error means different things: bad input
(exit 2) in a submission, a damaged release (exit 3) in a manifest.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warta.errors import InputError, ReleaseError, SchemaError, WartaError

ErrorType = type[WartaError]


@dataclass(frozen=True)
class Limits:
    """What a single input may hold. Generous for real data, far below what hurts."""

    max_file_bytes: int = 2 << 30  # one JSON/YAML/text file
    max_config_bytes: int = 8 << 20  # a settings, schema, meta or card file
    max_depth: int = 64  # JSON/YAML nesting
    max_int_digits: int = 40  # JSON integers (offsets and counts have < 20)
    max_yaml_nodes: int = 200_000  # after alias expansion


LIMITS = Limits()

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _where(source: str | os.PathLike[str], line: int | None = None) -> str:
    return f"{source}" if line is None else f"{source}, line {line}"


# --------------------------------------------------------------------------------------------- bytes


def read_bytes(
    path: str | os.PathLike[str],
    *,
    max_bytes: int | None = None,
    error: ErrorType = InputError,
    what: str = "file",
) -> bytes:
    """The bytes of a regular file, refusing folders, devices and files over ``max_bytes``."""
    target = path if isinstance(path, Path) else Path(path)
    limit = LIMITS.max_file_bytes if max_bytes is None else max_bytes
    try:
        with open(target, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not _is_regular(info.st_mode):
                raise error(f"{target}: not a regular {what}", hint=f"give the path of a {what}")
            if info.st_size > limit:
                raise error(
                    f"{target}: {info.st_size:,} bytes, more than the {limit:,} a {what} may have",
                    hint="split it into smaller files",
                )
            # Read what fstat announced (a read of ``limit + 1`` would allocate that much up
            # front), then the rest if the file grew meanwhile, never past the limit.
            want = min(info.st_size, limit) + 1
            data = handle.read(want)
            if len(data) == want and want <= limit:
                data += handle.read(limit + 1 - want)
    except IsADirectoryError:
        raise error(f"{target}: is a folder, not a {what}", hint=f"give the path of a {what}") from None
    except FileNotFoundError:
        raise error(f"{target}: no such {what}") from None
    except OSError as exc:
        raise error(f"{target}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise error(f"{target}: more than the {limit:,} bytes a {what} may have", hint="split it into smaller files")
    return data


def _is_regular(mode: int) -> bool:
    return stat.S_ISREG(mode)


#: How much of each file :func:`will_read` asks the kernel to fetch ahead (the rest of a longer
#: file is read ahead as usual once its reading starts).
WILL_READ_BYTES = 1 << 20


def will_read(paths: Iterable[str | os.PathLike[str]]) -> None:
    """Tell the kernel that these files are about to be read (``posix_fadvise(WILLNEED)`` on the
    first :data:`WILL_READ_BYTES` of each), so that files not in the page cache are fetched in
    merged, asynchronous requests instead of one synchronous request per file as each is opened.

    A hint and nothing more: no byte reaches this process, and a path that is missing, not a
    regular file or a symlink is passed over, for its real read to report. Give only paths that
    :func:`~warta.paths.require_inside` accepted. Measured on 14,000 raw files of the benchmark's
    scrapes, not in the page cache: 0.70-0.76 s of CPU and 1.3 s of wall time to read them one by
    one, 0.18-0.21 s and 0.2-0.25 s announced first; ~1.5 µs more a file when they are cached."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:  # not on macOS or Windows: the reads are simply not announced
        return
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_NOCTTY
    for path in paths:
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue  # opening a device or a FIFO may block or act
            fd = os.open(path, flags)
        except (OSError, ValueError):
            continue
        try:
            advise(fd, 0, WILL_READ_BYTES, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)


# ---------------------------------------------------------------------------------------------- text


def decode_utf8(
    data: bytes, source: str | os.PathLike[str], *, first_line: int = 1, error: ErrorType = InputError
) -> str:
    """Strict UTF-8; the error names the line and byte offset of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + data.count(b"\n", 0, exc.start)
        raise error(
            f"{_where(source, line)}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at byte offset {exc.start})",
            hint="re-encode the file as UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8",
        ) from None


def read_text(
    path: str | os.PathLike[str],
    *,
    max_bytes: int | None = None,
    error: ErrorType = InputError,
    what: str = "file",
) -> str:
    """A UTF-8 text file (a leading BOM is kept: callers that care strip it)."""
    return decode_utf8(read_bytes(path, max_bytes=max_bytes, error=error, what=what), path, error=error)


def check_text(value: str, source: str, *, error: ErrorType = InputError) -> str:
    """Refuse strings that cannot be written as UTF-8 (lone surrogates) or hold NUL."""
    if "\x00" in value:
        raise error(f"{source}: contains a NUL character", hint="remove it; text may not contain NUL")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise error(
            f"{source}: contains a lone surrogate (U+{ord(value[exc.start]):04X}) at character {exc.start}",
            hint="it is not a character; remove it or fix the escape that produced it",
        ) from None
    return value


# ---------------------------------------------------------------------------------------------- JSON


def _json_int(limit: int) -> Any:
    def parse(digits: str) -> int:
        if len(digits.lstrip("-")) > limit:
            raise _JsonLimit(f"an integer of {len(digits.lstrip('-')):,} digits (the limit is {limit})")
        return int(digits)

    return parse


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _JsonLimit(f"the number {text[:30]} is out of range")
    return value


def _json_constant(name: str) -> float:
    raise _JsonLimit(f"{name} is not a number JSON allows")


class _JsonLimit(ValueError):
    pass


def _check_depth(value: Any, limit: int) -> None:
    """Iterative, so a value deep enough to matter cannot overflow the stack while we check it."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            raise _JsonLimit(f"nested more than {limit} levels deep")
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


def _check_surrogates(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise _JsonLimit(f"a lone surrogate (\\u{ord(item[_first_surrogate(item)]):04x}) in a string") from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _first_surrogate(text: str) -> int:
    return next(i for i, ch in enumerate(text) if 0xD800 <= ord(ch) <= 0xDFFF)


def parse_json(
    text: str | bytes,
    source: str | os.PathLike[str],
    *,
    line: int | None = None,
    error: ErrorType = InputError,
    hint: str | None = None,
) -> Any:
    """One JSON value with warta's limits. ``line`` is the 1-based line of a JSONL record."""
    if isinstance(text, bytes):
        text = decode_utf8(text, source, first_line=line or 1, error=error)
    try:
        value = json.loads(
            text, parse_int=_json_int(LIMITS.max_int_digits), parse_float=_json_float, parse_constant=_json_constant
        )
    except json.JSONDecodeError as exc:
        at = f"line {exc.lineno} column {exc.colno}" if line is None else f"column {exc.colno}"
        raise error(f"{_where(source, line)}: not valid JSON ({exc.msg} at {at})", hint=hint) from None
    except _JsonLimit as exc:
        raise error(f"{_where(source, line)}: refused JSON: {exc}", hint=hint) from None
    except RecursionError:
        raise error(f"{_where(source, line)}: refused JSON: nested more than {LIMITS.max_depth} levels deep", hint=hint) from None
    try:
        _check_depth(value, LIMITS.max_depth)
        if _SURROGATE_ESCAPE.search(text):
            _check_surrogates(value)
    except _JsonLimit as exc:
        raise error(f"{_where(source, line)}: refused JSON: {exc}", hint=hint) from None
    return value


def read_json(
    path: str | os.PathLike[str],
    *,
    error: ErrorType = InputError,
    max_bytes: int | None = None,
    hint: str | None = None,
) -> Any:
    """A whole JSON file."""
    data = read_bytes(path, max_bytes=max_bytes, error=error, what="JSON file")
    return parse_json(decode_utf8(data, path, error=error), path, error=error, hint=hint)


def iter_jsonl(
    path: str | os.PathLike[str],
    *,
    error: ErrorType = InputError,
    hint: str | None = None,
) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` for every non-blank line of a JSONL file, streamed.

    Lines end with LF (a CR before it is dropped). A bad line raises with its number; callers that
    collect problems instead catch the error per line via :func:`parse_json` on their own loop.
    """
    target = Path(path)
    try:
        handle = open(target, "rb")
    except IsADirectoryError:
        raise error(f"{target}: is a folder, not a JSONL file") from None
    except FileNotFoundError:
        raise error(f"{target}: no such JSONL file") from None
    except OSError as exc:
        raise error(f"{target}: cannot be read ({exc.strerror or exc})") from None
    with handle:
        if not _is_regular(os.fstat(handle.fileno()).st_mode):
            raise error(f"{target}: not a regular JSONL file")
        for number, raw in enumerate(_lines(handle, target, error), start=1):
            raw = raw[:-1] if raw.endswith(b"\n") else raw
            raw = raw[:-1] if raw.endswith(b"\r") else raw
            if not raw.strip():
                continue
            yield number, parse_json(decode_utf8(raw, target, first_line=number, error=error), target, line=number, error=error, hint=hint)


def _lines(handle: Any, path: Path, error: ErrorType) -> Iterator[bytes]:
    limit = LIMITS.max_file_bytes
    read = 0
    try:
        for raw in handle:
            read += len(raw)
            if read > limit:
                raise error(f"{path}: more than the {limit:,} bytes a JSONL file may have", hint="split it into smaller files")
            yield raw
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror or exc})") from None


# ---------------------------------------------------------------------------------------------- YAML


def _safe_loader() -> type:
    import yaml

    return yaml.SafeLoader


def _check_nodes(root: Any, source: str, error: ErrorType) -> None:
    """Count nodes as if every alias were expanded; refuse recursion, depth and size over the limits."""
    import yaml

    sizes: dict[int, int] = {}
    limit, depth_limit = LIMITS.max_yaml_nodes, LIMITS.max_depth

    def children(node: Any) -> list[Any]:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if isinstance(node, yaml.MappingNode):
            return [part for pair in node.value for part in pair]
        return []

    # Post-order over the node graph (a DAG unless an alias is recursive), memoised by identity:
    # the expanded size of a node is 1 + the expanded sizes of its children.
    stack: list[tuple[Any, int, bool]] = [(root, 1, False)]
    open_nodes: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            total = 1 + sum(sizes[id(child)] for child in children(node))
            if total > limit:
                raise error(
                    f"{source}: refused YAML: more than {limit:,} values once aliases are expanded",
                    hint="write the values out; warta does not expand large alias trees",
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise error(f"{source}: refused YAML: an alias refers to a value that contains it", hint="remove the recursive alias")
        if depth > depth_limit:
            raise error(f"{source}: refused YAML: nested more than {depth_limit} levels deep")
        open_nodes.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children(node) if id(child) not in sizes)


def compose_yaml(
    text: str,
    source: str | os.PathLike[str],
    *,
    loader: type | None = None,
    error: ErrorType = SchemaError,
) -> tuple[Any, Any]:
    """``(value, node)``: the value, and its composed node tree for callers that report line numbers.

    ``loader`` must be a subclass of ``yaml.SafeLoader`` (e.g. one that keeps dates as strings).
    """
    import yaml

    cls = loader or _safe_loader()
    if not issubclass(cls, yaml.SafeLoader):
        raise TypeError("YAML loaders must be safe loaders")
    if len(text) > LIMITS.max_config_bytes:
        raise error(f"{source}: more than {LIMITS.max_config_bytes:,} characters of YAML", hint="split it or shorten it")
    try:
        instance = cls(text)
    except yaml.YAMLError as exc:  # the reader refuses control characters up front
        raise error(f"{source}: not valid YAML ({getattr(exc, 'reason', None) or str(exc).splitlines()[0]})") from None
    try:
        try:
            node = instance.get_single_node()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = _where(source, mark.line + 1 if mark is not None else None)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise error(f"{where}: not valid YAML ({problem})") from None
        except RecursionError:
            raise error(f"{source}: refused YAML: nested too deep") from None
        if node is None:
            return None, None
        _check_nodes(node, str(source), error)
        try:
            value = instance.construct_document(node)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = _where(source, mark.line + 1 if mark is not None else None)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise error(f"{where}: refused YAML ({problem})", hint="only plain YAML values are allowed; no tags") from None
        except (ValueError, OverflowError, RecursionError) as exc:
            raise error(f"{source}: refused YAML ({type(exc).__name__}: {str(exc)[:120]})") from None
        return value, node
    finally:
        instance.dispose()


def parse_yaml(
    text: str,
    source: str | os.PathLike[str],
    *,
    loader: type | None = None,
    error: ErrorType = SchemaError,
) -> Any:
    """One safe YAML document, with warta's limits."""
    return compose_yaml(text, source, loader=loader, error=error)[0]


def read_yaml(
    path: str | os.PathLike[str],
    *,
    loader: type | None = None,
    error: ErrorType = SchemaError,
) -> Any:
    """A whole YAML file (settings, schema, meta, sources)."""
    text = read_text(path, max_bytes=LIMITS.max_config_bytes, error=error, what="YAML file")
    return parse_yaml(text, path, loader=loader, error=error)


# ------------------------------------------------------------------------------------------- Parquet


def _reason(exc: BaseException) -> str:
    """The first line of an exception's message (its class name when it has none), for an error."""
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def _corrupt(path: Any, exc: BaseException) -> ReleaseError:
    return ReleaseError(
        f"corrupt file {path}: {_reason(exc)}",
        hint="the file does not decode; restore it from the published release or rebuild it",
    )


def _parquet_errors() -> tuple[type[BaseException], ...]:
    import pyarrow as pa

    return (OSError, pa.ArrowException, ValueError, IndexError, KeyError, TypeError, OverflowError, MemoryError)


def open_parquet(path: str | os.PathLike[str]) -> Any:
    """A ``pyarrow.parquet.ParquetFile``; a file that is not Parquet is "corrupt file"."""
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except FileNotFoundError:
        raise ReleaseError(f"{path}: missing", hint="restore it from the published release or rebuild it") from None
    except _parquet_errors() as exc:
        raise _corrupt(path, exc) from None


def read_parquet(path: str | os.PathLike[str], *, columns: list[str] | None = None) -> Any:
    """A whole Parquet file as a ``pyarrow.Table``."""
    parquet = open_parquet(path)
    try:
        return parquet.read(columns=columns)
    except _parquet_errors() as exc:
        raise _corrupt(path, exc) from None


def iter_parquet_batches(
    path: str | os.PathLike[str], *, columns: list[str] | None = None, batch_size: int = 1_000
) -> Iterator[Any]:
    """``pyarrow.RecordBatch`` es of a Parquet file, streamed; decode failures name the file."""
    parquet = open_parquet(path)
    batches = parquet.iter_batches(batch_size=batch_size, columns=columns)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except _parquet_errors() as exc:
            raise _corrupt(path, exc) from None
        yield batch


def read_parquet_metadata(path: str | os.PathLike[str]) -> Any:
    """The footer metadata (row count, schema) of a Parquet file."""
    return open_parquet(path).metadata


# ---------------------------------------------------------------------------------------- Arrow IPC


def _unreadable(path: Any, what: str, exc: BaseException) -> str:
    return f"{path}: not a readable {what} ({_reason(exc)})"


def open_arrow_file(path: str | os.PathLike[str], *, hint: str | None = None, error: ErrorType = InputError) -> Any:
    """A ``pyarrow.ipc.RecordBatchFileReader`` over an Arrow IPC file, read with plain file reads:
    never memory-mapped, so the pages read do not stay in the process's memory."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    try:
        return ipc.open_file(pa.OSFile(os.fspath(path)))
    except FileNotFoundError:
        raise error(f"{path}: missing", hint=hint) from None
    except _parquet_errors() as exc:
        raise error(_unreadable(path, "Arrow file", exc), hint=hint) from None


def read_arrow_batch(reader: Any, index: int, path: str | os.PathLike[str], *, hint: str | None = None, error: ErrorType = InputError) -> Any:
    """Record batch ``index`` of an open Arrow IPC file; a damaged or missing batch names the file."""
    try:
        return reader.get_batch(index)
    except _parquet_errors() as exc:
        raise error(_unreadable(path, f"Arrow record batch {index}", exc), hint=hint) from None


# -------------------------------------------------------------------------------------------- NumPy


def read_npy(path: str | os.PathLike[str], *, mmap: bool = False, hint: str | None = None, error: ErrorType = InputError) -> Any:
    """A ``.npy`` array (never a pickle), memory-mapped with ``mmap``; a damaged file is named."""
    import numpy as np

    try:
        return np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
    except FileNotFoundError:
        raise error(f"{path}: missing", hint=hint) from None
    except (OSError, ValueError, EOFError) as exc:
        raise error(_unreadable(path, "array", exc), hint=hint) from None


# -------------------------------------------------------------------------------------------- shapes


def expect(value: Any, kind: type | tuple[type, ...], source: str, what: str, *, error: ErrorType = InputError) -> Any:
    """``value`` if it is of ``kind`` (bool is never an int here), else an error naming ``what``."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
    if not ok:
        names = " or ".join(_type_name(k) for k in kinds)
        raise error(f"{source}: {what} must be {names}, got {_type_name(type(value))}")
    return value


def _type_name(kind: type) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        type(None): "null",
    }.get(kind, kind.__name__)
