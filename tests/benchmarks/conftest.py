"""Small labeled releases for the benchmark tests, built from ``fixtures/labeled_articles.json``.

They have the layout and features of a real labeled release (``warta.features``; Parquet written by
``datasets``; a ``manifest.json`` with every file's SHA-256), so :class:`warta.release.Release` reads
them like the real thing. Row ids follow the labeled release: ``ner`` and ``summarization`` rows are
keyed by article id, stance rows by ``<article>:<target>`` (document level) and
``<article>:<target>:<actor-slug>`` (actor level).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from warta.article import annotated_text
from warta.features import features_for
from warta.fsutil import sha256_file
from warta.release import shard_name
from warta.schema import load_schema
from warta.spans import EntitySpan
from warta.tokenize import entity_token_spans, iob2_tags

FIXTURES = Path(__file__).with_name("fixtures")
TARGET = "nato_enlargement"


def fixture_articles() -> list[dict[str, Any]]:
    return json.loads((FIXTURES / "labeled_articles.json").read_text(encoding="utf-8"))["articles"]


def _occurrences(text: str, surfaces: list[str]) -> list[tuple[int, int, str]]:
    """Every word-bounded occurrence of each surface, longest surfaces first, never overlapping."""
    taken: list[tuple[int, int, str]] = []
    for surface in sorted(surfaces, key=lambda s: (-len(s), s)):
        for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
            if all(m.end() <= s or m.start() >= e for s, e, _ in taken):
                taken.append((m.start(), m.end(), surface))
    return sorted(taken)


def _slug(actor: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", actor.lower()).strip("-")


def fixture_rows(article: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    text = annotated_text(article["title"], article["body"])
    labels = dict(article["entities"])
    entities = [
        {"start": s, "end": e, "label": labels[surface], "text": surface}
        for s, e, surface in _occurrences(text, list(labels))
    ]
    spans = [EntitySpan(x["start"], x["end"], x["label"]) for x in entities]
    tokens = entity_token_spans(text, spans)
    ner = {
        "id": article["id"], "title": article["title"], "text": text, "entities": entities,
        "tokens": [text[s:e] for s, e in tokens], "ner_tags": iob2_tags(tokens, spans),
    }
    stance = [{
        "id": f"{article['id']}:{TARGET}", "article_id": article["id"], "target": TARGET,
        "level": "document", "actor": None, "mentions": [], "text": text,
        "label": article["document_stance"],
    }]
    for actor in sorted(article["stance"], key=lambda a: _slug(a["actor"])):
        stance.append({
            "id": f"{article['id']}:{TARGET}:{_slug(actor['actor'])}", "article_id": article["id"],
            "target": TARGET, "level": "actor", "actor": actor["actor"],
            "mentions": [{"start": s, "end": e} for s, e, _ in _occurrences(text, actor["mentions"])],
            "text": text, "label": actor["label"],
        })
    summarization = {
        "id": article["id"], "article_id": article["id"], "document": text,
        "summary": article["summaries"][0], "references": list(article["summaries"]),
    }
    return {"documents": [document_row(article, text)], "ner": [ner], "stance": stance, "summarization": [summarization]}


#: Article metadata of the fixtures (for the slices): two outlets, two stories, dates in January
#: 2022 like the seed corpus, and one article without a date.
FIXTURE_META = {
    "a01": ("kompas.com", "story-a01", "2022-01-10T09:00:00+07:00"),
    "a02": ("kompas.com", "story-a01", "2022-01-11T10:30:00+07:00"),
    "a03": ("detik.com", "story-a03", "2022-01-12T13:16:00+07:00"),
    "a04": ("detik.com", "story-a03", "2022-01-13T08:00:00+07:00"),
    "a05": (None, "story-a03", None),
}


def document_row(article: dict[str, Any], text: str) -> dict[str, Any]:
    outlet, story, published = FIXTURE_META.get(article["id"], (None, None, None))
    return {
        "id": article["id"], "source_file": f"{article['id']}.txt", "source_line": None, "url": None,
        "outlet": outlet, "title": article["title"], "author": None, "published": published,
        "dateline": None, "section": None, "text": article["body"], "captions": [], "raw": text,
        "raw_sha256": "0" * 64, "removed": [], "story_id": story, "duplicate_of": None, "language": "id",
    }


def build_labeled_release(
    folder: Path, splits: dict[str, str] | None = None, *, version: str = "0.1.0"
) -> Path:
    """Write a labeled release of the fixture articles; ``splits`` maps article id -> split (default test)."""
    from datasets import Dataset

    schema = load_schema()
    splits = splits or {}
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for article in fixture_articles():
        split = splits.get(article["id"], "test")
        for config, config_rows in fixture_rows(article).items():
            rows.setdefault(config, {}).setdefault(split, []).extend(config_rows)
    folder.mkdir(parents=True)
    files: list[dict[str, Any]] = []
    for config in sorted(rows):
        features = features_for(config, schema)
        for split in sorted(rows[config]):
            encoded = [features.encode_example(row) for row in rows[config][split]]
            relative = f"{config}/{shard_name(split)}"
            (folder / config).mkdir(exist_ok=True)
            Dataset.from_list(encoded, features=features).to_parquet(str(folder / relative))
            files.append({
                "path": relative, "sha256": sha256_file(folder / relative),
                "bytes": (folder / relative).stat().st_size, "config": config, "split": split,
                "rows": len(encoded),
            })
    manifest = {"format": 1, "version": version, "files": files}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def labeled_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All five fixture articles in ``test`` (like the seed corpus: no training split)."""
    return build_labeled_release(tmp_path_factory.mktemp("release") / "release")


@pytest.fixture(scope="session")
def labeled_release_with_train(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Articles a01-a03 in ``train``, a04-a05 in ``test``."""
    splits = {"a01": "train", "a02": "train", "a03": "train", "a04": "test", "a05": "test"}
    return build_labeled_release(tmp_path_factory.mktemp("release") / "release", splits)


@pytest.fixture(scope="session")
def release_builder() -> Callable[..., Path]:
    return build_labeled_release


XSS_NAME = "<script>alert(1)</script>"


@pytest.fixture(scope="session")
def leaderboard_inputs(labeled_release: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(release, submissions): the baselines plus a hostile system whose name is a script tag."""
    from warta.benchmarks.baselines import build_baselines, write_baselines
    from warta.benchmarks.submissions import SystemMeta, write_system

    submissions = tmp_path_factory.mktemp("submissions") / "submissions"
    write_baselines(build_baselines(labeled_release), submissions)
    from warta.release import Release

    release = Release.open(labeled_release)
    stance = {r["id"]: ("AGAINST" if i % 3 else "FAVOR") for i, r in enumerate(release.read("stance", "test", schema=load_schema()))}
    summaries = {r["id"]: r["document"].split("\n\n", 1)[0] for r in release.read("summarization", "test")}
    meta = SystemMeta(
        name=XSS_NAME,
        authors=('"><img src=x onerror=alert(2)>',),
        url="https://example.org/?q=<b>&x='1'",
        description="Tries to inject <b>markup</b> & a | pipe into every view.",
        date="2026-01-01",
    )
    write_system(submissions / "xss", meta, {"stance": stance, "summarization": summaries})
    (submissions / "README.md").write_text("submission format\n", encoding="utf-8")
    return labeled_release, submissions
