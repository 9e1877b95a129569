"""Property tests: the annotate and bench readers turn any input into a value or a WartaError.

Random bytes and random JSON/YAML structures go to the annotation-record reader, the submission
line checker, the results validator and the meta.yaml parser; anything but success or a
:class:`WartaError` (a TypeError from a shape nobody expected, a KeyError, a RecursionError) fails.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warta.annotation.records import read_records
from warta.benchmarks.results import loads as load_results
from warta.benchmarks.submissions import GoldIndex, check_lines, parse_meta
from warta.errors import WartaError
from warta.schema import load_schema

SCHEMA = load_schema()
SCALARS = st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats(allow_nan=False) | st.text(max_size=12)
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=5), max_leaves=25)
RECORD_KEYS = ["format", "task_id", "article_id", "text", "text_sha256", "annotator", "annotation_id", "ground_truth",
               "lead_time", "created_at", "entities", "stance", "document_stance", "summary"]
RECORDS = st.fixed_dictionaries({}, optional={key: JSON_VALUES for key in RECORD_KEYS}).map(
    lambda d: {**d, "format": "warta.annotation.v1"} if d.get("format") is None else d
)
ENTITY = st.fixed_dictionaries({}, optional={k: JSON_VALUES for k in ("region_id", "start", "end", "label", "text")})
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check_records(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        read_records(path, SCHEMA)
    except WartaError:
        pass


@SETTINGS
@given(data=st.binary(max_size=300))
def test_records_reader_on_random_bytes(tmp_path: Path, data: bytes) -> None:
    _check_records(tmp_path / "r.jsonl", data)


@SETTINGS
@given(value=JSON_VALUES | RECORDS | RECORDS.map(lambda r: {**r, "entities": [r.get("entities"), {}]}))
def test_records_reader_on_random_structures(tmp_path: Path, value: object) -> None:
    _check_records(tmp_path / "r.jsonl", json.dumps(value).encode("utf-8"))


@SETTINGS
@given(entities=st.lists(ENTITY, max_size=3), text=st.text(max_size=20))
def test_records_reader_on_random_entities(tmp_path: Path, entities: list[object], text: str) -> None:
    record = {"format": "warta.annotation.v1", "task_id": 1, "article_id": "a1", "text": text, "text_sha256": "x",
              "annotator": "ann-1", "annotation_id": 1, "entities": entities}
    _check_records(tmp_path / "r.jsonl", json.dumps(record).encode("utf-8"))


GOLD = GoldIndex.from_rows("ner", [{"id": "a1", "text": "Rusia dan NATO", "entities": []}], description="test gold")


@SETTINGS
@given(lines=st.lists(st.binary(max_size=80) | JSON_VALUES.map(lambda v: json.dumps(v).encode()), max_size=4))
def test_submission_lines_never_raise_anything_else(lines: list[bytes]) -> None:
    for task in ("ner", "stance", "summarization"):
        try:
            check_lines(lines, task, GOLD, SCHEMA)
        except WartaError:
            pass


@SETTINGS
@given(value=JSON_VALUES | st.dictionaries(st.sampled_from(["schema", "task", "metrics", "per_document", "per_label", "confusion"]), JSON_VALUES))
def test_results_validation_never_raises_anything_else(value: object) -> None:
    try:
        load_results(json.dumps(value), "results.json")
    except WartaError:
        pass


@SETTINGS
@given(value=JSON_VALUES, raw=st.text(max_size=60))
def test_meta_parser_never_raises_anything_else(value: object, raw: str) -> None:
    import yaml

    for text in (yaml.safe_dump(value), raw):
        try:
            parse_meta(text, "meta.yaml")
        except WartaError:
            pass
