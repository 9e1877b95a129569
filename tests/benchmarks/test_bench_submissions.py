"""Submission files, system folders and meta.yaml: every problem reported with its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warta.benchmarks.evaluate import load_task_gold
from warta.benchmarks.submissions import (
    GoldIndex,
    InvalidSubmissionError,
    SystemMeta,
    check_submission_file,
    discover_systems,
    dumps_submission,
    load_meta,
    parse_meta,
    read_submission,
    write_system,
)
from warta.errors import InputError, OutputExistsError
from warta.schema import load_schema
from warta.spans import EntitySpan

SCHEMA = load_schema()
NER_GOLD = GoldIndex("ner", ("a", "b", "c"), {"a": 10, "b": 20, "c": 5}, "the test split")
STANCE_GOLD = GoldIndex("stance", ("a:t", "a:t:x", "b:t"), {}, "the test split")
SUM_GOLD = GoldIndex("summarization", ("a", "b"), {}, "the test split")


def write(tmp_path: Path, lines: list[str], name: str = "sub.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def problems(path: Path, gold: GoldIndex, **kwargs: object) -> list[str]:
    submission, found = check_submission_file(path, gold.task, gold, SCHEMA, **kwargs)
    assert (submission is None) == bool(found)
    return [str(p) for p in found]


def test_valid_ner_submission_is_loaded_in_gold_order(tmp_path: Path) -> None:
    path = write(tmp_path, [
        '{"id": "c", "entities": []}',
        '{"id": "a", "entities": [{"start": 5, "end": 10, "label": "GPE"}, {"start": 0, "end": 4, "label": "PER"}]}',
        "",
        '{"id": "b", "entities": [{"start": 0, "end": 20, "label": "DATE", "text": "ignored"}]}',
    ])
    submission = read_submission(path, "ner", NER_GOLD, SCHEMA)
    assert list(submission.predictions) == ["a", "b", "c"]
    assert submission.predictions["a"] == [EntitySpan(0, 4, "PER"), EntitySpan(5, 10, "GPE")]
    assert submission.filled == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"id": "a", "entities": [{"start": 3, "end": 3, "label": "PER"}]}', "line 2: entities[0]: empty span [3, 3)"),
        ('{"id": "a", "entities": [{"start": 4, "end": 11, "label": "PER"}]}', "line 2: entities[0]: span [4, 11) is out of range for a text of 10 characters"),
        ('{"id": "a", "entities": [{"start": -1, "end": 2, "label": "PER"}]}', "line 2: entities[0]: span [-1, 2) is out of range"),
        ('{"id": "a", "entities": [{"start": 0, "end": 2, "label": "PERSON"}]}', "line 2: entities[0]: label 'PERSON' is not in the schema"),
        ('{"id": "a", "entities": [{"start": "0", "end": 2, "label": "PER"}]}', "line 2: entities[0]: 'start' must be an integer, got string"),
        ('{"id": "a", "entities": [{"start": true, "end": 2, "label": "PER"}]}', "line 2: entities[0]: 'start' must be an integer, got boolean"),
        ('{"id": "a", "entities": [{"start": 0, "end": 2}]}', "line 2: entities[0]: missing key(s) 'label'"),
        ('{"id": "a", "entities": [{"start": 0, "end": 2, "label": "PER", "score": 1}]}', "line 2: entities[0]: unknown key(s) 'score'"),
        ('{"id": "a", "entities": {"start": 0}}', "line 2: 'entities' must be an array, got object"),
        ('{"id": "a", "entities": [[0, 2, "PER"]]}', "line 2: entities[0] must be an object, got array"),
        ('{"id": "a", "entities": [{"start": 0, "end": 2, "label": "PER"}, {"start": 0, "end": 2, "label": "PER"}]}', "line 2: entities[1]: duplicate of entities[0]"),
        ('{"id": 7, "entities": []}', "line 2: 'id' must be a string, got integer"),
        ('{"id": "a"}', "line 2: missing key 'entities'"),
        ('{"id": "a", "entities": [], "extra": 1}', "line 2: unknown key(s) 'extra'"),
        ('{"id": "a", "entities": [}', "line 2: bad JSON: Expecting value (column 26)"),
        ('["a", []]', "line 2: expected a JSON object, got array"),
        ('{"id": "zzz", "entities": []}', "line 2: unknown id 'zzz' (not in the test split)"),
    ],
)
def test_each_bad_ner_line_is_reported_with_its_line(tmp_path: Path, line: str, expected: str) -> None:
    path = write(tmp_path, ['{"id": "b", "entities": []}', line, '{"id": "c", "entities": []}'])
    found = problems(path, NER_GOLD, allow_missing=True)
    assert any(p.startswith(expected) for p in found), found


def test_every_problem_is_collected_not_just_the_first(tmp_path: Path) -> None:
    path = write(tmp_path, [
        '{"id": "a", "entities": [{"start": 0, "end": 99, "label": "PER"}, {"start": 0, "end": 1, "label": "X"}]}',
        "not json",
        '{"id": "a", "entities": []}',
        '{"id": "q", "entities": []}',
    ])
    found = problems(path, NER_GOLD)
    assert found == [
        "line 1: entities[0]: span [0, 99) is out of range for a text of 10 characters",
        "line 1: entities[1]: label 'X' is not in the schema (expected one of PER, ORG, GPE, LOC, DATE)",
        "line 2: bad JSON: Expecting value (column 1)",
        "line 3: duplicate id 'a' (first on line 1)",
        "line 4: unknown id 'q' (not in the test split)",
        "missing 2 of 3 ids of the test split: 'b', 'c' (use --allow-missing to score them as empty predictions)",
    ]
    with pytest.raises(InvalidSubmissionError) as caught:
        read_submission(path, "ner", NER_GOLD, SCHEMA)
    assert len(caught.value.problems) == 6
    assert "6 problems" in caught.value.message and "line 1:" in caught.value.message
    assert caught.value.exit_code == 2


def test_missing_ids_are_filled_with_allow_missing(tmp_path: Path) -> None:
    path = write(tmp_path, ['{"id": "b", "entities": [{"start": 0, "end": 3, "label": "ORG"}]}'])
    submission = read_submission(path, "ner", NER_GOLD, SCHEMA, allow_missing=True)
    assert submission.predictions == {"a": [], "b": [EntitySpan(0, 3, "ORG")], "c": []}
    assert submission.filled == ["a", "c"]
    stance = write(tmp_path, ['{"id": "a:t", "label": "FAVOR"}'], "stance.jsonl")
    assert read_submission(stance, "stance", STANCE_GOLD, SCHEMA, allow_missing=True).predictions == {
        "a:t": "FAVOR", "a:t:x": None, "b:t": None,
    }
    summary = write(tmp_path, ['{"id": "b", "summary": "Ringkas."}'], "sum.jsonl")
    assert read_submission(summary, "summarization", SUM_GOLD, SCHEMA, allow_missing=True).predictions == {
        "a": "", "b": "Ringkas.",
    }


def test_many_missing_ids_are_summarised() -> None:
    gold = GoldIndex("stance", tuple(f"id{i:03d}" for i in range(30)), {}, "the test split")
    from warta.benchmarks.submissions import missing_problem

    message = str(missing_problem(list(gold.ids), gold))
    assert message.startswith("missing 30 of 30 ids") and "and 20 more" in message


def test_stance_and_summarization_problems(tmp_path: Path) -> None:
    path = write(tmp_path, [
        '{"id": "a:t", "label": "favor"}',
        '{"id": "a:t:x", "label": 1}',
        '{"id": "b:t", "label": "NONE", "summary": "x"}',
    ], "stance.jsonl")
    assert problems(path, STANCE_GOLD) == [
        "line 1: label 'favor' is not in the schema (expected one of FAVOR, AGAINST, NONE)",
        "line 2: 'label' must be a string, got integer",
        "line 3: unknown key(s) 'summary' (a stance line has id, label)",
    ]
    path = write(tmp_path, ['{"id": "a", "summary": ["x"]}', '{"id": "b", "summary": null}'], "sum.jsonl")
    assert problems(path, SUM_GOLD) == [
        "line 1: 'summary' must be a string, got array",
        "line 2: 'summary' must be a string, got null",
    ]


def test_invalid_utf8_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "sum.jsonl"
    path.write_bytes('\ufeff{"id": "a", "summary": "x"}\n'.encode() + b'{"id": "b", "summary": "\xff"}\n')
    assert problems(path, SUM_GOLD) == [
        "line 2: not valid UTF-8 (byte 25 of the line)",
        "missing 1 of 2 ids of the test split: 'b' (use --allow-missing to score them as empty predictions)",
    ]


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, ['{"id": "a", "summary": "' + "x" * 200 + '"}', '{"id": "b", "summary": "y"}'])
    assert problems(path, SUM_GOLD, max_bytes=100)[0].startswith("file is 255 bytes, over the limit of 100 bytes")
    assert problems(path, SUM_GOLD, max_bytes=1000) == []


def test_dumps_round_trip_against_release(labeled_release: Path, tmp_path: Path) -> None:
    gold = load_task_gold(labeled_release, "ner")
    predictions = {r["id"]: [EntitySpan(e["start"], e["end"], e["label"]) for e in r["entities"]] for r in gold.rows}
    path = tmp_path / "ner.jsonl"
    path.write_text(dumps_submission("ner", predictions), encoding="utf-8")
    assert read_submission(path, "ner", gold.index, SCHEMA).predictions == predictions
    assert gold.index.description == "the test split of release 0.1.0"
    assert gold.index.text_lengths["a01"] == len(gold.rows[0]["text"])


META = """name: My system
authors: [Ani, Budi]
url: https://example.org/sys
description: A system.
date: 2026-01-31
"""


def test_meta_is_parsed_and_validated_strictly(tmp_path: Path) -> None:
    meta = parse_meta(META, "meta.yaml")
    assert meta == SystemMeta("My system", ("Ani", "Budi"), "https://example.org/sys", "A system.", "2026-01-31")
    assert parse_meta(meta.to_yaml(), "again") == meta
    bad = "name: ''\nauthors: Ani\nurl: example.org\ndescription: x\ndate: 2026-02-30\nteam: x\n"
    with pytest.raises(InputError) as caught:
        parse_meta(bad, "sys/meta.yaml")
    message = caught.value.message
    for expected in (
        "line 6: unknown key 'team'",
        "line 1: 'name' must be a non-empty string",
        "line 2: 'authors' must be a non-empty list",
        "line 3: 'url' must be an http(s) URL or null",
        "line 5: 'date'",
    ):
        assert expected in message, message
    with pytest.raises(InputError, match="missing key 'date'"):
        parse_meta("name: a\nauthors: [b]\nurl: null\ndescription: c\n", "m")
    with pytest.raises(InputError, match=r"m, line 2: not valid YAML"):
        parse_meta("name: a\n  - b: [\n", "m")
    with pytest.raises(InputError, match="missing"):
        load_meta(tmp_path / "meta.yaml")


def test_training_data_cutoff_is_optional_and_validated_like_date() -> None:
    with_cutoff = parse_meta(META + "training_data_cutoff: 2021-12-31\n", "m")
    assert with_cutoff.training_data_cutoff == "2021-12-31"
    assert parse_meta(with_cutoff.to_yaml(), "again") == with_cutoff
    assert parse_meta(META, "m").training_data_cutoff is None
    for bad, expected in (
        ("2021-13-01", "'training_data_cutoff' '2021-13-01' is not a calendar date"),
        ("Dec 2021", "'training_data_cutoff' must be a date YYYY-MM-DD, got 'Dec 2021'"),
        ("[2021]", "'training_data_cutoff' must be a date YYYY-MM-DD, got [2021]"),
    ):
        with pytest.raises(InputError) as caught:
            parse_meta(META + f"training_data_cutoff: {bad}\n", "sys/meta.yaml")
        line = META.count("\n") + 1
        assert f"line {line}: {expected}" in caught.value.message, caught.value.message


def test_system_folders(tmp_path: Path) -> None:
    meta = parse_meta(META, "m")
    write_system(tmp_path / "subs" / "sys-a", meta, {"summarization": {"a": "x", "b": "y"}})
    (tmp_path / "subs" / "README.md").write_text("format\n", encoding="utf-8")
    systems = discover_systems(tmp_path / "subs")
    assert [s.id for s in systems] == ["sys-a"] and list(systems[0].files) == ["summarization"]
    with pytest.raises(OutputExistsError):
        write_system(tmp_path / "subs" / "sys-a", meta, {"summarization": {"a": "x"}})
    (tmp_path / "subs" / "sys-a" / "ner.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="unexpected file"):
        discover_systems(tmp_path / "subs")
    (tmp_path / "subs" / "bad name").mkdir()
    with pytest.raises(InputError, match="not a valid system id"):
        discover_systems(tmp_path / "subs")
    empty = tmp_path / "only-meta"
    empty.mkdir()
    (empty / "meta.yaml").write_text(META, encoding="utf-8")
    from warta.benchmarks.submissions import load_system

    with pytest.raises(InputError, match="no submission file"):
        load_system(empty)
    json.dumps({})
