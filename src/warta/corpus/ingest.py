"""Raw folder → cleaned, deduplicated :class:`~warta.article.Article` s with stories and splits.

``iter_articles`` streams one cleaned article at a time (constant memory per article);
``ingest`` collects them, checks ids are unique, then marks duplicates, groups stories and assigns
splits. The same inputs and settings always give identical articles.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from warta.article import Article
from warta.corpus import rules
from warta.corpus.clean import Cleaned, clean
from warta.corpus.dates import parse_datetime
from warta.corpus.dedup import mark_duplicates
from warta.corpus.readers import Problem, RawDocument, list_raw_files, raw_root, read_ahead, read_file
from warta.corpus.settings import CorpusSettings, load_settings
from warta.corpus.splits import assign_splits
from warta.corpus.stories import assign_stories
from warta.errors import InputError

__all__ = ["IngestResult", "Problem", "article_from_raw", "ingest", "iter_articles"]


@dataclass
class IngestResult:
    """Articles sorted by id (with ``story_id``, ``duplicate_of`` and ``split`` set), and the inputs
    skipped with ``skip_bad`` (empty otherwise: without it, the first bad input raises)."""

    articles: list[Article]
    skipped: list[Problem] = field(default_factory=list)


def article_from_raw(doc: RawDocument, settings: CorpusSettings | None = None) -> Article:
    """Clean one raw document into an article (no duplicates, story or split yet)."""
    settings = settings or load_settings(None)
    cleaned = clean(doc.raw, title=doc.title, outlet=doc.outlet, timezone=settings.timezone)
    published = cleaned.published
    if doc.published is not None:
        published = parse_datetime(doc.published, settings.timezone)
        if published is None:
            where = doc.source_file if doc.source_line is None else f"{doc.source_file}, line {doc.source_line}"
            raise InputError(
                f"{where}: published date {doc.published!r} is not a date warta can read",
                hint="use ISO 8601 (2022-01-12T13:16:00+07:00) or '12 Januari 2022 13:16 WIB'",
            )
    if not cleaned.text.strip():
        where = doc.source_file if doc.source_line is None else f"{doc.source_file}, line {doc.source_line}"
        raise InputError(
            f"{where}: no body text: every line was removed or read as metadata (title, byline, ...)",
            hint=f"check the scrape (warta corpus inspect {doc.source_file}); an article needs at least one paragraph",
        )
    outlet, metadata = doc.outlet, dict(cleaned.extra)
    if doc.site_name is not None:
        metadata["site_name"] = doc.site_name
    # An HTML page's "author" is sometimes the outlet (CNN Indonesia, kumparanNEWS), not a person.
    author = doc.author if doc.author and not rules.OUTLET_SUFFIX.fullmatch(doc.author) else None
    if outlet is None:
        outlet, evidence = _inferred_outlet(doc, cleaned)
        if outlet is not None:
            metadata["outlet_inferred"] = True
            metadata["outlet_evidence"] = evidence
    return Article(
        id=doc.id,
        source_file=doc.source_file,
        raw=doc.raw,
        raw_sha256=hashlib.sha256(doc.raw.encode("utf-8")).hexdigest(),
        text=cleaned.text,
        title=doc.title or cleaned.title,
        author=author or cleaned.author,
        published=published,
        dateline=cleaned.dateline,
        section=cleaned.section,
        url=doc.url,
        outlet=outlet,
        captions=cleaned.captions,
        removed=cleaned.removed,
        source_line=doc.source_line,
        metadata=metadata,
    )


def _inferred_outlet(doc: RawDocument, cleaned: Cleaned) -> tuple[str | None, str | None]:
    """The outlet when the scrape did not record it: the page's site name if it is an outlet's
    brand, else the URL's host, else what the text names."""
    if doc.site_name is not None:
        by_name = rules.identify_outlet([doc.site_name])
        if by_name is not None:
            return by_name[0], f"site name {doc.site_name}"
    if doc.url is not None:
        by_host = rules.outlet_for_host(doc.url)
        if by_host is not None:
            return by_host, f"url {doc.url}"
    if cleaned.outlet is not None:
        return cleaned.outlet, cleaned.outlet_evidence
    return None, None


def iter_articles(
    raw_dir: Path,
    settings: CorpusSettings | None = None,
    *,
    skipped: list[Problem] | None = None,
    progress: bool = False,
    files: list[str] | None = None,
) -> Iterator[Article]:
    """Stream cleaned articles in file order. With ``skipped`` given, bad inputs are appended to it
    instead of raising :class:`InputError`. Ids are not checked for uniqueness here. ``files``
    (relative paths, as :func:`list_raw_files` gives them) restricts the stream to those files."""
    settings = settings or load_settings(None)
    raw_dir = Path(raw_dir)

    def on_problem(problem: Problem, error: InputError) -> None:
        skipped.append(problem)  # type: ignore[union-attr]

    handler = on_problem if skipped is not None else None
    files = list_raw_files(raw_dir, on_problem=handler) if files is None else files
    real_root = raw_root(raw_dir)
    iterable: Iterable[str] = read_ahead(raw_dir, files, real_root)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(iterable, total=len(files), desc="ingest", unit="file")
        iterable = bar
    try:
        for path in iterable:
            for doc in read_file(raw_dir / path, path, on_problem=handler, root=raw_dir, real_root=real_root):
                try:
                    yield article_from_raw(doc, settings)
                except InputError as error:
                    if skipped is None:
                        raise
                    skipped.append(Problem(doc.source_file, doc.source_line, error.message.split(": ", 1)[-1]))
    finally:
        if bar is not None:
            bar.close()


def ingest(
    raw_dir: Path,
    settings: CorpusSettings | None = None,
    *,
    skip_bad: bool = False,
    progress: bool = False,
) -> IngestResult:
    """Read, clean, deduplicate, group into stories and split every article of ``raw_dir``.

    Raises :class:`InputError` on the first bad input (naming file and line) unless ``skip_bad``,
    in which case bad inputs, including later articles reusing an id, are listed in ``skipped``.
    """
    settings = settings or load_settings(None)
    skipped: list[Problem] | None = [] if skip_bad else None
    by_id: dict[str, Article] = {}
    for article in iter_articles(raw_dir, settings, skipped=skipped, progress=progress):
        first = by_id.get(article.id)
        if first is not None:
            where = _where(article)
            message = f"duplicate id {article.id} (already used by {_where(first)})"
            if skipped is None:
                raise InputError(
                    f"{where}: {message}",
                    hint="remove the repeated article or rename the file so its id differs",
                )
            skipped.append(Problem(article.source_file, article.source_line, message))
            continue
        by_id[article.id] = article
    articles = [by_id[key] for key in sorted(by_id)]
    mark_duplicates(articles, settings.dedup)
    assign_stories(articles, settings.stories)
    assign_splits(articles, settings.splits)
    return IngestResult(articles=articles, skipped=skipped or [])


def _where(article: Article) -> str:
    if article.source_line is None:
        return article.source_file
    return f"{article.source_file}, line {article.source_line}"
