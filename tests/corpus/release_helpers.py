"""Shared by the release tests: seed articles, a small gold fixture for them, builds in tmp folders.

The gold here is a test fixture (a few entity strings found with ``str.find`` in the annotated
text, one stance per actor, one summary), not the project's gold.
"""

from __future__ import annotations

from pathlib import Path

from warta.article import Article
from warta.gold import ActorStance, DocumentStance, GoldDocument, GoldEntity, Mention, write_gold_file
from warta.fsutil import sha256_text

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "corpus" / "raw"
SEED_IDS = ("cb33607aa2409de9", "e868b1205f427ac5")


def seed_articles() -> list[Article]:
    """The two seed articles as the corpus stage ingests them (fresh objects on every call)."""
    from warta.corpus.ingest import ingest

    return list(ingest(RAW).articles)


def build_seed(tmp: Path, name: str = "release", *, gold: bool = True, articles: list[Article] | None = None, **options):
    """Build a release of the seed articles (with the fixture gold unless ``gold=False``) under ``tmp``."""
    from warta.corpus.build import build_release
    from warta.corpus.settings import load_settings
    from warta.corpus.sources import load_source_notes

    articles = articles if articles is not None else seed_articles()
    gold_dir = None
    if gold:
        gold_dir = tmp / f"{name}-gold"
        if not gold_dir.exists():
            seed_gold(articles, gold_dir)
    options.setdefault("sources", load_source_notes(REPO / "corpus" / "sources.yaml"))
    options.setdefault("settings", load_settings(None))
    return build_release(articles, tmp / name, version=options.pop("version", "1.0.0"), gold=gold_dir, **options)


def load(path: Path, config: str | None = None, cache: Path | None = None):
    """``datasets.load_dataset`` on a local release folder, with a private cache."""
    from datasets import load_dataset

    kwargs = {"cache_dir": str(cache)} if cache else {}
    return load_dataset(str(path), config, **kwargs) if config else load_dataset(str(path), **kwargs)


def find(text: str, needle: str, label: str, after: int = 0) -> GoldEntity:
    start = text.find(needle, after)
    assert start >= 0, needle
    return GoldEntity(start, start + len(needle), label, needle)


def seed_gold(articles: list[Article], folder: Path, provenance: dict | None = None) -> Path:
    provenance = provenance or {"method": "test fixture", "annotators": ["fixture-annotator"]}
    for article in articles:
        text = article.annotated_text
        entities = [find(text, "NATO", "ORG"), find(text, "Rusia", "GPE"), find(text, "Ukraina", "GPE")]
        if "12 Januari 2022" in text:
            entities.append(find(text, "12 Januari 2022", "DATE"))
        russia = [Mention(e.start, e.end) for e in entities if e.text == "Rusia"]
        nato = [Mention(e.start, e.end) for e in entities if e.text == "NATO"]
        doc = GoldDocument(
            article_id=article.id,
            text_sha256=sha256_text(text),
            entities=entities,
            stance=[
                ActorStance("nato_enlargement", "Rusia", tuple(russia), "AGAINST"),
                ActorStance("nato_enlargement", "NATO", tuple(nato), "FAVOR"),
            ],
            document_stance=[DocumentStance("nato_enlargement", "NONE")],
            summaries=[f"Ringkasan {article.id}. NATO dan Rusia bertemu.", "Referensi kedua."],
            provenance=provenance,
        )
        write_gold_file(folder, doc)
    return folder
