"""Property tests: every corpus reader, fed random bytes or random JSON/YAML structures, either
succeeds or raises a :class:`~warta.errors.WartaError`; never another exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warta.corpus.card import read_header
from warta.corpus.clean import clean, split_lines
from warta.corpus.readers import read_file
from warta.corpus.settings import load_settings
from warta.corpus.sources import load_source_notes
from warta.errors import WartaError
from warta.gold import read_gold_file
from warta.release import validate_manifest

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
structures = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
keyed = st.dictionaries(
    st.sampled_from(["article_id", "text_sha256", "entities", "stance", "document_stance", "summaries", "provenance",
                     "text", "title", "id", "start", "end", "label", "files", "version", "path", "bytes", "sha256",
                     "timezone", "dedup", "splits", "outlet", "certainty"]),
    structures,
    max_size=6,
)


def _accepts_or_refuses(call, *args) -> None:  # noqa: ANN001
    try:
        call(*args)
    except WartaError:
        pass


def _with_file(name: str, data: bytes, call) -> None:  # noqa: ANN001
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        _accepts_or_refuses(call, path)


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["a.txt", "a.jsonl", "a.docx"]))
def test_raw_reader_on_random_bytes(data: bytes, name: str) -> None:
    _with_file(name, data, lambda p: list(read_file(p, p.name)))


@SETTINGS
@given(st.lists(keyed | structures, max_size=4))
def test_raw_jsonl_on_random_records(records: list) -> None:
    data = "\n".join(json.dumps(r) for r in records).encode()
    _with_file("feed.jsonl", data, lambda p: list(read_file(p, p.name)))


@SETTINGS
@given(st.binary(max_size=300) | (keyed | structures).map(lambda v: yaml.safe_dump(v).encode()))
def test_settings_and_sources_on_random_input(data: bytes) -> None:
    _with_file("config.yaml", data, load_settings)
    _with_file("sources.yaml", data, load_source_notes)


@SETTINGS
@given(st.binary(max_size=300) | (keyed | structures).map(lambda v: json.dumps(v).encode()))
def test_gold_on_random_input(data: bytes) -> None:
    _with_file("e868b1205f427ac5.json", data, read_gold_file)


@SETTINGS
@given(keyed | structures)
def test_manifest_shape_on_random_structures(value: object) -> None:
    _accepts_or_refuses(validate_manifest, value, Path("manifest.json"))


@SETTINGS
@given(st.text(max_size=300) | (keyed | structures).map(lambda v: "---\n" + yaml.safe_dump(v) + "---\n"))
def test_card_header_on_random_input(text: str) -> None:
    _accepts_or_refuses(read_header, text)


@SETTINGS
@given(st.lists(st.sampled_from(["a", "b", " ", "\n", "\r", "\r\n", "\ufeff", "\xa0", ".", "Kata panjang"]), max_size=80).map("".join))
def test_lines_index_raw_for_any_line_endings(raw: str) -> None:
    """Every line is ``raw[start:end]``, holds no line break, and lines tile raw with their breaks."""
    lines = split_lines(raw)
    for line in lines:
        assert raw[line.start : line.end] == line.text
        assert "\n" not in line.text and "\r" not in line.text
    for before, after in zip(lines, lines[1:]):
        assert raw[before.end : after.start] in ("\n", "\r", "\r\n")
    cleaned = clean(raw)
    for span in cleaned.removed:
        assert raw[span.start : span.end] == span.text
    assert "\r" not in cleaned.text
