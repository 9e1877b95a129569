"""The shared readers: every failure is a WartaError naming the file, never another exception."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warta.errors import InputError, ReleaseError, SchemaError, WartaError
from warta.inputs import (
    LIMITS,
    check_text,
    iter_jsonl,
    iter_parquet_batches,
    parse_json,
    parse_yaml,
    read_bytes,
    read_json,
    read_npy,
    read_parquet,
    read_text,
    read_yaml,
)


def test_deep_json_is_refused_with_the_file_named() -> None:
    for depth in (LIMITS.max_depth + 1, 100_000):
        with pytest.raises(InputError, match=r"deep.json: refused JSON: nested more than"):
            parse_json("[" * depth + "]" * depth, "deep.json")
    assert parse_json("[" * LIMITS.max_depth + "]" * LIMITS.max_depth, "ok.json") is not None


def test_huge_integers_infinities_and_constants_are_refused() -> None:
    with pytest.raises(InputError, match="integer of 5,000 digits"):
        parse_json("9" * 5000, "n.json")
    with pytest.raises(InputError, match="out of range"):
        parse_json('{"f": 1e999}', "f.json")
    with pytest.raises(InputError, match="NaN is not a number JSON allows"):
        parse_json("[NaN]", "c.json")
    assert parse_json("[-12, 3.5]", "ok.json") == [-12, 3.5]


def test_lone_surrogates_are_refused_but_pairs_kept() -> None:
    with pytest.raises(InputError, match="lone surrogate"):
        parse_json('{"text": "a\\ud800b"}', "s.json")
    assert parse_json('"\\ud83d\\ude00"', "pair.json") == "\U0001F600"


def test_error_class_is_the_callers(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(b'{"a": \xff}')
    with pytest.raises(ReleaseError, match=r"manifest.json, line 1: not valid UTF-8 \(byte 0xff at byte offset 6\)"):
        read_json(path, error=ReleaseError)


def test_read_bytes_refuses_folders_missing_and_oversized(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        read_bytes(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        read_bytes(tmp_path / "absent")
    big = tmp_path / "big"
    big.write_bytes(b"x" * 100)
    with pytest.raises(InputError, match="100 bytes, more than the 10 a file may have"):
        read_bytes(big, max_bytes=10)


def test_jsonl_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'{"a": 1}\r\n\n{"a": \n')
    lines = iter_jsonl(path)
    assert next(lines) == (1, {"a": 1})
    with pytest.raises(InputError, match=r"p.jsonl, line 3: not valid JSON"):
        next(lines)
    path.write_bytes(b'{"a": 1}\n\xc3\x28\n')
    with pytest.raises(InputError, match=r"line 2: not valid UTF-8"):
        list(iter_jsonl(path))


def test_billion_laughs_is_refused_quickly() -> None:
    bomb = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    started = time.perf_counter()
    with pytest.raises(SchemaError, match="once aliases are expanded"):
        parse_yaml(bomb, "meta.yaml")
    assert time.perf_counter() - started < 5  # refused while counting, not after expanding 10^9 values


def test_yaml_refuses_python_tags_and_recursive_aliases() -> None:
    with pytest.raises(SchemaError, match="refused YAML"):
        parse_yaml("!!python/object/apply:os.system ['true']", "x.yaml")
    with pytest.raises(SchemaError, match="contains it"):
        parse_yaml("&a [*a]", "r.yaml")
    assert parse_yaml("a: &x [1, 2]\nb: *x\n", "ok.yaml") == {"a": [1, 2], "b": [1, 2]}


def test_yaml_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("a: 1\nb: [\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"s.yaml, line 3: not valid YAML"):
        read_yaml(path)
    path.write_bytes(b"a: \xff\n")
    with pytest.raises(SchemaError, match="not valid UTF-8"):
        read_yaml(path)


def test_check_text_refuses_nul_and_surrogates() -> None:
    with pytest.raises(InputError, match="NUL"):
        check_text("a\x00b", "--system")
    with pytest.raises(InputError, match="lone surrogate"):
        check_text("a\ud800", "--system")
    assert check_text("Señor 😀", "ok") == "Señor 😀"


def _parquet(tmp_path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "t.parquet"
    table = pa.table({"text": [f"row {i} " * 50 for i in range(2_000)]})
    pq.write_table(table, path, compression="zstd", row_group_size=500)
    return path


def test_npy_arrays_are_read_and_damage_or_pickles_are_named(tmp_path: Path) -> None:
    import numpy as np

    good = tmp_path / "good.npy"
    np.save(good, np.arange(5, dtype=np.int64))
    assert read_npy(good).tolist() == [0, 1, 2, 3, 4]
    assert read_npy(good, mmap=True)[3] == 3
    truncated = tmp_path / "truncated.npy"
    truncated.write_bytes(good.read_bytes()[:-9])
    pickled = tmp_path / "pickled.npy"
    np.save(pickled, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    for path in (truncated, pickled, tmp_path / "missing.npy", tmp_path):
        with pytest.raises(InputError, match=str(path.name)) as info:
            read_npy(path, hint="rebuild it")
        assert info.value.hint == "rebuild it"


def test_corrupt_parquet_is_a_release_error(tmp_path: Path) -> None:
    path = _parquet(tmp_path)
    assert read_parquet(path).num_rows == 2_000
    data = bytearray(path.read_bytes())
    for offset in range(len(data) // 3, len(data) // 3 + 64):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ReleaseError, match=r"corrupt file .*t.parquet"):
        for _ in iter_parquet_batches(path):
            pass
    path.write_bytes(b"not parquet at all")
    with pytest.raises(ReleaseError, match="corrupt file"):
        read_parquet(path)


# --- property: any bytes, any structure -> a value or a WartaError ---------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_any_bytes_give_a_value_or_a_warta_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "f"
    path.write_bytes(data)
    for reader in (read_json, read_yaml, read_text, lambda p: list(iter_jsonl(p))):
        try:
            reader(path)
        except WartaError:
            pass


@settings(max_examples=300, deadline=None)
@given(value=json_values)
def test_any_json_structure_round_trips_or_is_refused(value: object) -> None:
    text = json.dumps(value)
    try:
        assert parse_json(text, "v.json") == json.loads(text)
    except WartaError:
        pass
    try:
        parse_yaml(text, "v.yaml")  # JSON is YAML 1.2; PyYAML (1.1) may read some of it differently
    except WartaError:
        pass
