"""Typed settings of the corpus stage (dedup, stories, splits, dates), loaded strictly from YAML.

One frozen dataclass per concern; ``load_settings`` rejects unknown keys, wrong types and
out-of-range values with a :class:`~warta.errors.SchemaError` naming the file and the key, so a
typo can never silently fall back to a default (dolma's dataclass configs, lm-eval's ``validate``).
The defaults here are the documented defaults; ``corpus/config.yaml`` spells them out with comments.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warta.errors import SchemaError

#: Upper bounds: far above any useful value, low enough that a typo cannot exhaust memory.
MAX_SHINGLE = 64
MAX_PERMUTATIONS = 4096
MAX_WINDOW_DAYS = 36_500

#: Offsets of the Indonesian time zones a byline may name.
TIMEZONES = {"WIB": 7, "WITA": 8, "WIT": 9, "UTC": 0, "GMT": 0}
SPLITS = ("train", "validation", "test")


@dataclass(frozen=True)
class DedupSettings:
    """Exact duplicates by normalised-text hash; near duplicates by MinHash LSH over word shingles."""

    shingle_size: int = 5
    num_perm: int = 128
    threshold: float = 0.8
    seed: int = 1


@dataclass(frozen=True)
class StorySettings:
    """Articles whose event dates are at most ``window_days`` apart and whose name/acronym sets have
    cosine similarity >= ``similarity`` with >= ``min_shared_terms`` in common are linked; a story
    is a connected component. Articles with fewer than ``min_terms`` terms are never linked."""

    window_days: int = 2
    similarity: float = 0.25
    min_shared_terms: int = 5
    min_terms: int = 5


@dataclass(frozen=True)
class SplitSettings:
    """Whole stories go to one split, chosen by a salted hash of the story id."""

    train: float = 0.8
    validation: float = 0.1
    test: float = 0.1
    min_stories_for_training: int = 20
    small_corpus_split: str = "test"
    salt: str = "warta-splits-v1"

    @property
    def ratios(self) -> dict[str, float]:
        return {"train": self.train, "validation": self.validation, "test": self.test}


@dataclass(frozen=True)
class CorpusSettings:
    timezone: str = "WIB"
    dedup: DedupSettings = field(default_factory=DedupSettings)
    stories: StorySettings = field(default_factory=StorySettings)
    splits: SplitSettings = field(default_factory=SplitSettings)


def _build(cls: type, data: Any, where: str, source: str) -> Any:
    if not isinstance(data, dict):
        raise SchemaError(f"{source}: {where or 'the top level'} must be a mapping, got {type(data).__name__}")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise SchemaError(
            f"{source}: unknown key{'s' if len(unknown) > 1 else ''} "
            + ", ".join(f"'{where}{k}'" for k in unknown),
            hint=f"allowed keys{' under ' + where.rstrip('.') if where else ''}: {', '.join(fields)}",
        )
    values: dict[str, Any] = {}
    defaults = cls()
    for name, value in data.items():
        default = getattr(defaults, name)
        key = f"{where}{name}"
        if dataclasses.is_dataclass(default):
            values[name] = _build(type(default), value if value is not None else {}, f"{key}.", source)
        elif isinstance(default, (bool, str)):
            if type(value) is not type(default):
                raise SchemaError(f"{source}: '{key}' must be a {type(default).__name__}, got {value!r}")
            values[name] = value
        elif isinstance(default, int):
            if isinstance(value, bool) or not isinstance(value, int):
                raise SchemaError(f"{source}: '{key}' must be an integer, got {value!r}")
            values[name] = value
        elif isinstance(default, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise SchemaError(f"{source}: '{key}' must be a number, got {value!r}")
            values[name] = float(value)
    return cls(**values)


def validate(settings: CorpusSettings, source: str = "settings") -> CorpusSettings:
    """Check ranges and cross-field constraints; return the settings unchanged."""

    def bad(key: str, why: str) -> SchemaError:
        return SchemaError(f"{source}: '{key}' {why}")

    if settings.timezone not in TIMEZONES:
        raise bad("timezone", f"must be one of {', '.join(TIMEZONES)}, got {settings.timezone!r}")
    d = settings.dedup
    if not 1 <= d.shingle_size <= MAX_SHINGLE:
        raise bad("dedup.shingle_size", f"must be in 1..{MAX_SHINGLE}")
    if not 16 <= d.num_perm <= MAX_PERMUTATIONS:
        raise bad("dedup.num_perm", f"must be in 16..{MAX_PERMUTATIONS}")
    if not 0.0 < d.threshold <= 1.0:
        raise bad("dedup.threshold", "must be in (0, 1]")
    s = settings.stories
    if not 0 <= s.window_days <= MAX_WINDOW_DAYS:
        raise bad("stories.window_days", f"must be in 0..{MAX_WINDOW_DAYS}")
    if not 0.0 < s.similarity <= 1.0:
        raise bad("stories.similarity", "must be in (0, 1]")
    if s.min_terms < 1:
        raise bad("stories.min_terms", "must be >= 1")
    if s.min_shared_terms < 1:
        raise bad("stories.min_shared_terms", "must be >= 1")
    p = settings.splits
    for name, ratio in p.ratios.items():
        if not (math.isfinite(ratio) and ratio >= 0):
            raise bad(f"splits.{name}", "must be a finite number >= 0")
    if not math.isclose(sum(p.ratios.values()), 1.0, abs_tol=1e-9):
        raise bad("splits", f"train + validation + test must be 1, got {sum(p.ratios.values())}")
    if p.min_stories_for_training < 0:
        raise bad("splits.min_stories_for_training", "must be >= 0")
    if p.small_corpus_split not in SPLITS:
        raise bad("splits.small_corpus_split", f"must be one of {', '.join(SPLITS)}")
    return settings


def settings_from_dict(data: dict[str, Any] | None, source: str = "settings") -> CorpusSettings:
    return validate(_build(CorpusSettings, data or {}, "", source), source)


def load_settings(path: Path | str | None = None) -> CorpusSettings:
    """Read corpus settings from ``path`` (YAML); ``None`` gives the documented defaults."""
    if path is None:
        return validate(CorpusSettings())
    from warta.inputs import check_text, read_yaml

    path = Path(path)
    if not path.exists():
        raise SchemaError(f"{path}: settings file not found")
    data = read_yaml(path, error=SchemaError)
    settings = settings_from_dict(data if data is not None else {}, str(path))
    check_text(settings.splits.salt, f"{path}: 'splits.salt'", error=SchemaError)
    return settings
