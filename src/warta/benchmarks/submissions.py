"""Submissions: the JSONL files a system enters, the folder that holds them, and their validation.

One JSON object per line, keyed by the ids of the release's rows::

    ner.jsonl            {"id": "<article id>", "entities": [{"start": 0, "end": 5, "label": "GPE"}, ...]}
    stance.jsonl         {"id": "<stance row id>", "label": "FAVOR"}
    summarization.jsonl  {"id": "<article id>", "summary": "..."}

A system is a folder ``benchmarks/submissions/<system>/`` with ``meta.yaml`` and one file per task
it enters. Validation never stops at the first problem: it collects every one with its line number
(bad JSON, wrong types, unknown keys, unknown / duplicate / missing ids, empty or out-of-range spans,
labels outside the schema, a file over the size limit), so a participant fixes a file in one round.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warta.errors import InputError
from warta.schema import LabelSchema
from warta.spans import EntitySpan

TASKS = ("ner", "stance", "summarization")
META_FILE = "meta.yaml"
#: Default size limit of one submission file; ``--max-bytes`` changes it.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: Folder names of systems: they become paths and URLs of the leaderboard.
SYSTEM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$")
#: Files besides the task files that a system folder may hold.
ALLOWED_EXTRA_FILES = frozenset({META_FILE, "README.md"})
#: How many missing ids an error message lists before it says "and N more".
_SHOW_MISSING = 10


def task_file(task: str) -> str:
    check_task(task)
    return f"{task}.jsonl"


def check_task(task: str) -> str:
    if task not in TASKS:
        raise InputError(f"unknown task {task!r}", hint=f"use one of: {', '.join(TASKS)}")
    return task


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a submission. ``line`` is 1-based; ``None`` for the file as a whole."""

    line: int | None
    message: str
    id: str | None = None

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line is not None else self.message


class InvalidSubmissionError(InputError):
    """A submission with problems; :attr:`problems` lists every one of them, in file order."""

    def __init__(self, source: str, task: str, problems: Sequence[Problem]) -> None:
        count = len(problems)
        first = str(problems[0]) if problems else ""
        more = f" (and {count - 1} more)" if count > 1 else ""
        super().__init__(
            f"{source}: invalid {task} submission, {count} problem{'s' if count != 1 else ''}: {first}{more}",
            hint=f"check it with `warta bench validate {source} --task {task} --gold RELEASE_DIR`",
        )
        self.source = source
        self.task = task
        self.problems = list(problems)


@dataclass(frozen=True)
class GoldIndex:
    """What validation needs to know about the gold rows: their ids, and text lengths for spans."""

    task: str
    ids: tuple[str, ...]
    text_lengths: Mapping[str, int] = field(default_factory=dict)
    description: str = "the gold"

    @classmethod
    def from_rows(cls, task: str, rows: Iterable[Mapping[str, Any]], description: str = "the gold") -> GoldIndex:
        rows = list(rows)
        lengths = {str(r["id"]): len(r["text"]) for r in rows} if task == "ner" else {}
        return cls(task, tuple(str(r["id"]) for r in rows), lengths, description)


@dataclass
class Submission:
    """A validated submission: one prediction per gold id, in gold order.

    ``predictions`` maps id -> ``list[EntitySpan]`` (ner), a label name (stance) or a summary
    string (summarization). ``filled`` lists the ids that were missing from the file and were
    filled with an empty prediction (no entities, an empty summary) or ``None`` (stance) because
    missing ids were allowed.
    """

    task: str
    source: str
    predictions: dict[str, Any]
    filled: list[str] = field(default_factory=list)


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {int: "integer", float: "number", str: "string", list: "array", dict: "object"}.get(
        type(value), type(value).__name__
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    """Checks one line's object for one task, appending problems; returns the parsed prediction."""

    def __init__(self, task: str, schema: LabelSchema, gold: GoldIndex) -> None:
        self.task = task
        self.gold = gold
        self.entity_labels = schema.entity_labels
        self.stance_labels = schema.stance_label_names
        self.keys = {"ner": {"id", "entities"}, "stance": {"id", "label"}, "summarization": {"id", "summary"}}[task]

    def check(self, obj: dict[str, Any], line: int, problems: list[Problem]) -> Any:
        row_id = obj.get("id") if isinstance(obj.get("id"), str) else None
        before = len(problems)

        def problem(message: str) -> None:
            problems.append(Problem(line, message, row_id))

        unknown = sorted(set(obj) - self.keys)
        if unknown:
            problem(f"unknown key(s) {', '.join(map(repr, unknown))} (a {self.task} line has {', '.join(sorted(self.keys))})")
        for key in sorted(self.keys - set(obj)):
            problem(f"missing key {key!r}")
        if "id" in obj and not isinstance(obj["id"], str):
            problem(f"'id' must be a string, got {_type_name(obj['id'])}")
        if self.task == "ner" and "entities" in obj:
            value = self._entities(obj["entities"], row_id, problem)
        elif self.task == "stance" and "label" in obj:
            value = self._label(obj["label"], problem)
        elif self.task == "summarization" and "summary" in obj:
            value = obj["summary"]
            if not isinstance(value, str):
                problem(f"'summary' must be a string, got {_type_name(value)}")
        else:
            value = None
        return value if len(problems) == before else None

    def _label(self, label: Any, problem: Any) -> str | None:
        if not isinstance(label, str):
            problem(f"'label' must be a string, got {_type_name(label)}")
        elif label not in self.stance_labels:
            problem(f"label {label!r} is not in the schema (expected one of {', '.join(self.stance_labels)})")
        else:
            return label
        return None

    def _entities(self, entities: Any, row_id: str | None, problem: Any) -> list[EntitySpan] | None:
        if not isinstance(entities, list):
            problem(f"'entities' must be an array, got {_type_name(entities)}")
            return None
        length = self.gold.text_lengths.get(row_id) if row_id is not None else None
        spans: list[EntitySpan] = []
        seen: dict[EntitySpan, int] = {}
        for i, entity in enumerate(entities):
            where = f"entities[{i}]"
            if not isinstance(entity, dict):
                problem(f"{where} must be an object, got {_type_name(entity)}")
                continue
            unknown = sorted(set(entity) - {"start", "end", "label", "text"})
            if unknown:
                problem(f"{where}: unknown key(s) {', '.join(map(repr, unknown))} (expected start, end, label)")
            missing = [k for k in ("start", "end", "label") if k not in entity]
            if missing:
                problem(f"{where}: missing key(s) {', '.join(map(repr, missing))}")
                continue
            start, end, label = entity["start"], entity["end"], entity["label"]
            ok = True
            for key, value in (("start", start), ("end", end)):
                if not _is_int(value):
                    problem(f"{where}: {key!r} must be an integer, got {_type_name(value)}")
                    ok = False
            if not isinstance(label, str):
                problem(f"{where}: 'label' must be a string, got {_type_name(label)}")
                ok = False
            elif label not in self.entity_labels:
                problem(f"{where}: label {label!r} is not in the schema (expected one of {', '.join(self.entity_labels)})")
                ok = False
            if not ok:
                continue
            if start >= end:
                problem(f"{where}: empty span [{start}, {end}) (start must be less than end)")
                continue
            if start < 0 or (length is not None and end > length):
                text_size = f"a text of {length} characters" if length is not None else "the text"
                problem(f"{where}: span [{start}, {end}) is out of range for {text_size}")
                continue
            span = EntitySpan(start, end, label)
            if span in seen:
                problem(f"{where}: duplicate of entities[{seen[span]}] ({start}, {end}, {label})")
                continue
            seen[span] = i
            spans.append(span)
        return sorted(spans)


def check_lines(
    lines: Iterable[bytes],
    task: str,
    gold: GoldIndex,
    schema: LabelSchema,
) -> tuple[dict[str, Any], list[Problem]]:
    """Parse JSONL lines; return the valid predictions by id and every problem found."""
    checker = _Checker(check_task(task), schema, gold)
    known = set(gold.ids)
    first_line: dict[str, int] = {}
    predictions: dict[str, Any] = {}
    problems: list[Problem] = []
    for number, raw in enumerate(lines, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(number, f"not valid UTF-8 (byte {exc.start + 1} of the line)"))
            continue
        if number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(Problem(number, f"bad JSON: {exc.msg} (column {exc.colno})"))
            continue
        if not isinstance(obj, dict):
            problems.append(Problem(number, f"expected a JSON object, got {_type_name(obj)}"))
            continue
        value = checker.check(obj, number, problems)
        row_id = obj.get("id")
        if not isinstance(row_id, str):
            continue
        if row_id in first_line:
            problems.append(Problem(number, f"duplicate id {row_id!r} (first on line {first_line[row_id]})", row_id))
            continue
        first_line[row_id] = number
        if row_id not in known:
            problems.append(Problem(number, f"unknown id {row_id!r} (not in {gold.description})", row_id))
            continue
        if value is not None:
            predictions[row_id] = value
    return predictions, problems


def missing_problem(missing: Sequence[str], gold: GoldIndex) -> Problem:
    shown = ", ".join(repr(i) for i in missing[:_SHOW_MISSING])
    more = f" and {len(missing) - _SHOW_MISSING} more" if len(missing) > _SHOW_MISSING else ""
    return Problem(
        None,
        f"missing {len(missing)} of {len(gold.ids)} ids of {gold.description}: {shown}{more} "
        "(use --allow-missing to score them as empty predictions)",
    )


def check_submission_file(
    path: str | Path,
    task: str,
    gold: GoldIndex,
    schema: LabelSchema,
    *,
    allow_missing: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[Submission | None, list[Problem]]:
    """Validate a submission file; return the submission (``None`` if there are problems) and the problems."""
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise InputError(f"{path}: no such submission file")
    size = path.stat().st_size
    if size > max_bytes:
        return None, [Problem(None, f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes (--max-bytes)")]
    with path.open("rb") as handle:
        predictions, problems = check_lines(handle.read().split(b"\n"), task, gold, schema)
    line_of_problem = {p.id for p in problems if p.id is not None}
    missing = [i for i in gold.ids if i not in predictions and i not in line_of_problem]
    if missing and not allow_missing:
        problems.append(missing_problem(missing, gold))
    if problems:
        return None, problems
    return _complete(task, source, predictions, gold), []


def _complete(task: str, source: str, predictions: dict[str, Any], gold: GoldIndex) -> Submission:
    empty: Any = {"ner": list, "stance": lambda: None, "summarization": str}[task]
    ordered: dict[str, Any] = {}
    filled: list[str] = []
    for row_id in gold.ids:
        if row_id in predictions:
            ordered[row_id] = predictions[row_id]
        else:
            ordered[row_id] = empty()
            filled.append(row_id)
    return Submission(task, source, ordered, filled)


def read_submission(
    path: str | Path,
    task: str,
    gold: GoldIndex,
    schema: LabelSchema,
    *,
    allow_missing: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Submission:
    """Validate and load a submission; :class:`InvalidSubmissionError` lists every problem."""
    submission, problems = check_submission_file(
        path, task, gold, schema, allow_missing=allow_missing, max_bytes=max_bytes
    )
    if submission is None:
        raise InvalidSubmissionError(str(path), task, problems)
    return submission


def submission_lines(task: str, predictions: Mapping[str, Any]) -> list[str]:
    """JSONL lines of ``predictions`` (id -> prediction), in the mapping's order."""
    check_task(task)
    lines = []
    for row_id, value in predictions.items():
        if task == "ner":
            obj: dict[str, Any] = {
                "id": row_id,
                "entities": [{"start": s.start, "end": s.end, "label": s.label} for s in sorted(value)],
            }
        elif task == "stance":
            obj = {"id": row_id, "label": value}
        else:
            obj = {"id": row_id, "summary": value}
        lines.append(json.dumps(obj, ensure_ascii=False, sort_keys=False))
    return lines


def dumps_submission(task: str, predictions: Mapping[str, Any]) -> str:
    return "".join(line + "\n" for line in submission_lines(task, predictions))


# --- system folders and meta.yaml -------------------------------------------------------------


@dataclass(frozen=True)
class SystemMeta:
    """``meta.yaml`` of a system. ``oracle`` marks an upper bound that looks at the gold."""

    name: str
    authors: tuple[str, ...]
    url: str | None
    description: str
    date: str
    oracle: bool = False
    #: Latest date of the system's training data (``YYYY-MM-DD``), if the authors state it: the
    #: leaderboard also scores the system on the articles published after it.
    training_data_cutoff: str | None = None

    def to_yaml(self) -> str:
        import yaml

        data: dict[str, Any] = {
            "name": self.name,
            "authors": list(self.authors),
            "url": self.url,
            "description": self.description,
            "date": self.date,
        }
        if self.oracle:
            data["oracle"] = True
        if self.training_data_cutoff is not None:
            data["training_data_cutoff"] = self.training_data_cutoff
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


META_REQUIRED = ("name", "authors", "url", "description", "date")
META_OPTIONAL = ("oracle", "training_data_cutoff")
_URL = re.compile(r"^https?://[^\s]+$")


def _meta_loader() -> type:
    """A safe YAML loader that leaves dates as strings, so a bad date is reported, not raised."""
    import yaml

    class MetaLoader(yaml.SafeLoader):
        pass

    MetaLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return MetaLoader


def parse_meta(text: str, source: str) -> SystemMeta:
    """Validate ``meta.yaml`` strictly; :class:`InputError` lists every problem with its line."""
    import yaml

    from warta.inputs import compose_yaml

    data, node = compose_yaml(text, source, loader=_meta_loader(), error=InputError)
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise InputError(f"{source}: expected a mapping with keys {', '.join(META_REQUIRED)}")
    lines = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    problems: list[str] = []

    def fail(key: str | None, message: str) -> None:
        line = lines.get(key) if key else None
        problems.append(f"line {line}: {message}" if line else message)

    for key in sorted(set(map(str, data)) - set(META_REQUIRED) - set(META_OPTIONAL)):
        fail(key, f"unknown key {key!r} (allowed: {', '.join(META_REQUIRED + META_OPTIONAL)})")
    for key in META_REQUIRED:
        if key not in data:
            fail(None, f"missing key {key!r}")
    name = data.get("name")
    if "name" in data and (not isinstance(name, str) or not name.strip()):
        fail("name", "'name' must be a non-empty string")
    authors = data.get("authors")
    if "authors" in data and (
        not isinstance(authors, list) or not authors or not all(isinstance(a, str) and a.strip() for a in authors)
    ):
        fail("authors", "'authors' must be a non-empty list of names")
    url = data.get("url")
    if "url" in data and url is not None and (not isinstance(url, str) or not _URL.match(url)):
        fail("url", f"'url' must be an http(s) URL or null, got {url!r}")
    description = data.get("description")
    if "description" in data and (not isinstance(description, str) or not description.strip()):
        fail("description", "'description' must be a non-empty string")
    def check_date(key: str) -> None:
        value = data.get(key)
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            fail(key, f"'{key}' must be a date YYYY-MM-DD, got {value!r}")
            return
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            fail(key, f"'{key}' {value!r} is not a calendar date")

    date = data.get("date")
    if "date" in data:
        check_date("date")
    cutoff = data.get("training_data_cutoff")
    if "training_data_cutoff" in data:
        check_date("training_data_cutoff")
    oracle = data.get("oracle", False)
    if not isinstance(oracle, bool):
        fail("oracle", f"'oracle' must be true or false, got {oracle!r}")
    if problems:
        raise InputError(
            f"{source}: invalid meta.yaml: " + "; ".join(problems),
            hint="see benchmarks/submissions/README.md for the format",
        )
    return SystemMeta(
        name=name.strip(),
        authors=tuple(a.strip() for a in authors),
        url=url,
        description=description.strip(),
        date=str(date),
        oracle=oracle,
        training_data_cutoff=None if cutoff is None else str(cutoff),
    )


def load_meta(path: str | Path) -> SystemMeta:
    from warta.inputs import LIMITS, read_text

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: missing", hint="every system folder needs a meta.yaml")
    text = read_text(path, max_bytes=LIMITS.max_config_bytes, what="meta.yaml")
    return parse_meta(text, str(path))


@dataclass(frozen=True)
class SystemFolder:
    """A system's folder: its id (the folder name), its meta and the task files it holds."""

    id: str
    path: Path
    meta: SystemMeta
    files: dict[str, Path]


def load_system(folder: str | Path) -> SystemFolder:
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such system folder")
    if not SYSTEM_NAME.match(folder.name):
        raise InputError(
            f"{folder}: folder name {folder.name!r} is not a valid system id",
            hint="use letters, digits, '.', '_', '+' and '-' (the display name goes in meta.yaml)",
        )
    meta = load_meta(folder / META_FILE)
    task_files = {task_file(t): t for t in TASKS}
    files: dict[str, Path] = {}
    unexpected: list[str] = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.name in task_files and entry.is_file():
            files[task_files[entry.name]] = entry
        elif entry.name not in ALLOWED_EXTRA_FILES:
            unexpected.append(entry.name)
    if unexpected:
        raise InputError(
            f"{folder}: unexpected file(s) {', '.join(unexpected)}",
            hint=f"a system folder holds {META_FILE}, README.md and {', '.join(task_files)}",
        )
    if not files:
        raise InputError(f"{folder}: no submission file (expected one of {', '.join(task_files)})")
    return SystemFolder(folder.name, folder, meta, dict(sorted(files.items(), key=lambda kv: TASKS.index(kv[0]))))


def discover_systems(root: str | Path) -> list[SystemFolder]:
    """Every system folder under ``root`` (sub-folders, sorted by name; files at the top are ignored)."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root}: no such submissions folder")
    return [load_system(p) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".")]


def write_system(
    folder: str | Path, meta: SystemMeta, predictions: Mapping[str, Mapping[str, Any]]
) -> Path:
    """Write a system folder (``meta.yaml`` + one JSONL file per task); refuses to overwrite files."""
    from warta.fsutil import write_text_atomic

    folder = Path(folder)
    if not SYSTEM_NAME.match(folder.name):
        raise InputError(f"{folder.name!r} is not a valid system id")
    write_text_atomic(folder / META_FILE, meta.to_yaml())
    for task, task_predictions in predictions.items():
        write_text_atomic(folder / task_file(task), dumps_submission(task, task_predictions))
    return folder
