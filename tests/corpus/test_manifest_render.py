"""The streamed manifest has the bytes of the manifest written at once, whatever its entries hold."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from warta.corpus.manifest import dumps, render_item, write_streamed

_SCALAR = st.one_of(
    st.text(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
_FLAT = st.dictionaries(st.text(), _SCALAR, max_size=6)
_ANY = st.recursive(_SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3), max_leaves=8)


def _by_json(item: object) -> str:
    return "    " + json.dumps(item, ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n    ")


@settings(max_examples=400, deadline=None)
@given(_FLAT)
def test_a_flat_entry_renders_as_json_with_an_indent_does(item: dict) -> None:
    assert render_item(item) == _by_json(item)


@settings(max_examples=200, deadline=None)
@given(_ANY)
def test_any_other_entry_renders_as_json_does(item: object) -> None:
    assert render_item(item) == _by_json(item)


@settings(max_examples=50, deadline=None)
@given(st.lists(_FLAT | _ANY, min_size=1, max_size=5))
def test_the_streamed_file_is_the_file_written_at_once(tmp_path_factory, items: list) -> None:
    path = Path(tmp_path_factory.mktemp("m")) / "manifest.json"
    data = {"version": "1.0.0", "zeta": [1, 2], "files": {"a": "b"}}
    write_streamed(path, data, "raw_sources", iter(items))
    assert path.read_text(encoding="utf-8") == dumps({**data, "raw_sources": items})
