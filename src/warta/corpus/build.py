"""Articles (+ optional gold) -> a release folder, the way the Hugging Face Hub expects it today.

Layout (see :mod:`warta.release`)::

    DIR/README.md                          card: YAML header (configs, dataset_info) + datasheet
    DIR/manifest.json                      checksums, row counts, sources, gold, settings
    DIR/CHANGELOG.md
    DIR/LICENSE-DATA                       the data licence the card links to
    DIR/croissant.json                     MLCommons Croissant 1.0 description
    DIR/<config>/<split>-0000i-of-0000n.parquet

Everything is deterministic (row order by split then id, fixed Parquet writer options, sorted JSON,
no timestamps), so building twice from the same inputs gives byte-identical files. The folder is
built aside and renamed into place (:func:`warta.fsutil.atomic_directory`): a failed build leaves
nothing, and an existing non-empty folder is never written into. With ``hide_labels``, the labels
of those splits go to a second, private folder instead (see :mod:`warta.corpus.hide`).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warta import __version__
from warta.article import Article
from warta.corpus import card as card_module
from warta.corpus import changelog, croissant, hide, manifest, parquet
from warta.corpus.labeled import Gold, check_gold, labeled_rows
from warta.corpus.sources import SourceNote
from warta.errors import InputError, ReleaseError
from warta.features import CONFIGS, features_for
from warta.fsutil import atomic_directory, ensure_absent_or_empty, sha256_file
from warta.inputs import read_text
from warta.paths import describe, refuse_release_destination
from warta.release import CARD, CHANGELOG, MANIFEST, SPLITS, Release
from warta.schema import LabelSchema, load_schema

LICENCE_FILE = "LICENSE-DATA"
CROISSANT = "croissant.json"
_SPLIT_NAME = re.compile(r"[a-z]+")


@dataclass
class BuildReport:
    """What a build wrote: the folder(s), row counts per config and split, and the files."""

    out: Path
    version: str
    counts: dict[str, dict[str, int]]
    files: list[dict[str, Any]]
    private_out: Path | None = None
    private_counts: dict[str, dict[str, int]] = field(default_factory=dict)


def document_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "source_file": article.source_file,
        "source_line": article.source_line,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "dateline": article.dateline,
        "section": article.section,
        "text": article.text,
        "captions": list(article.captions),
        "raw": article.raw,
        "raw_sha256": article.raw_sha256,
        "removed": [{"start": s.start, "end": s.end, "reason": s.reason, "text": s.text} for s in article.removed],
        "story_id": article.story_id,
        "duplicate_of": article.duplicate_of,
        "language": article.language,
    }


def split_order(split: str) -> tuple[int, str]:
    return (SPLITS.index(split), split) if split in SPLITS else (len(SPLITS), split)


def check_articles(articles: Sequence[Article]) -> list[Article]:
    """Refuse what would make a broken release; return the articles in release order."""
    seen: dict[str, Article] = {}
    for article in articles:
        where = f"{article.source_file}" + (f":{article.source_line}" if article.source_line else "")
        if article.id in seen:
            other = seen[article.id]
            raise InputError(
                f"{where}: duplicate article id {article.id} (also in {other.source_file})",
                hint="ids must be unique; rename one file or drop the duplicate",
            )
        seen[article.id] = article
        if article.split is None or not _SPLIT_NAME.fullmatch(str(article.split)):
            raise InputError(f"{where}: article {article.id} has no valid split ({article.split!r})", hint="assign splits before building")
        for span in article.removed:
            if not (0 <= span.start <= span.end <= len(article.raw)) or article.raw[span.start : span.end] != span.text:
                raise InputError(f"{where}: article {article.id}: removed span [{span.start}, {span.end}) does not match the raw text")
    return sorted(articles, key=lambda a: (split_order(str(a.split)), a.id))


def _default_licence() -> Path:
    """``LICENSE-DATA`` of the repository this warta runs from (or the working directory)."""
    for folder in (Path.cwd(), *Path(__file__).resolve().parents):
        candidate = folder / LICENCE_FILE
        if candidate.is_file():
            return candidate
    raise InputError(f"no {LICENCE_FILE} found", hint="pass licence_file= (CLI: --licence) with the data licence the card links to")


def _by_split(rows: list[dict[str, Any]], articles: list[Article]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for article, row in zip(articles, rows):
        out.setdefault(str(article.split), []).append(row)
    return out


class _Writer:
    """Writes one release folder: shards, then card, licence, croissant, changelog, manifest."""

    def __init__(self, folder: Path, schema: LabelSchema, max_rows: int, progress: Any) -> None:
        self.folder = folder
        self.schema = schema
        self.max_rows = max_rows
        self.progress = progress
        self.shards: list[dict[str, Any]] = []
        self.counts: dict[str, dict[str, int]] = {}
        self.split_bytes: dict[str, dict[str, int]] = {}
        self.data_files: dict[str, dict[str, list[str]]] = {}

    def add_shard(self, entry: dict[str, Any]) -> None:
        """Record a shard written elsewhere (by a build step): a manifest entry with config, split, rows."""
        config, split = entry["config"], entry["split"]
        self.shards.append(entry)
        self.counts.setdefault(config, {}).setdefault(split, 0)
        self.counts[config][split] += entry["rows"]
        self.split_bytes.setdefault(config, {}).setdefault(split, 0)
        self.split_bytes[config][split] += entry["bytes"]
        self.data_files.setdefault(config, {}).setdefault(split, []).append(entry["path"])

    def write_config(self, config: str, splits: dict[str, list[dict[str, Any]]]) -> None:
        features = features_for(config, self.schema)
        for split in sorted(splits, key=split_order):
            rows = splits[split]
            if not rows:
                continue
            for shard in parquet.write_split(self.folder, config, split, rows, features, max_rows=self.max_rows, progress=self.progress):
                entry = manifest.file_entry(self.folder, shard.path, config=config, split=split, rows=shard.rows)
                self.shards.append(entry)
                self.counts.setdefault(config, {}).setdefault(split, 0)
                self.counts[config][split] += shard.rows
                self.split_bytes.setdefault(config, {}).setdefault(split, 0)
                self.split_bytes[config][split] += entry["bytes"]
                self.data_files.setdefault(config, {}).setdefault(split, []).append(shard.path)

    def finish(
        self, facts: card_module.CardFacts, licence_file: Path, changelog_text: str, base: dict[str, Any], raw_sources: Any = None
    ) -> list[dict[str, Any]]:
        """Card, licence, changelog, Croissant, then the manifest; ``raw_sources`` (an iterable)
        streams the manifest's ``raw_sources`` instead of ``base`` holding them as a list."""
        from warta.fsutil import write_bytes_atomic, write_text_atomic

        facts.counts, facts.split_bytes, facts.data_files = self.counts, self.split_bytes, self.data_files
        card_text = card_module.render(facts)
        write_text_atomic(self.folder / CARD, card_text)
        write_bytes_atomic(self.folder / LICENCE_FILE, licence_file.read_bytes())
        write_text_atomic(self.folder / CHANGELOG, changelog_text)
        configs = [c for c in CONFIGS if c in self.counts]
        doc = croissant.croissant(
            version=facts.version,
            repo_id=facts.repo_id,
            description="Annotated Indonesian news: raw and clean articles with gold entities, stances and summaries.",
            licence_name=facts.licence.name,
            files=self.shards,
            configs=configs,
            schema=self.schema,
            citation=f"warta maintainers. warta: an annotated corpus of Indonesian news, version {facts.version}. https://huggingface.co/datasets/{facts.repo_id}",
        )
        write_text_atomic(self.folder / CROISSANT, manifest.dumps(doc))
        files = sorted(
            [*self.shards, *(manifest.file_entry(self.folder, name) for name in (CARD, CHANGELOG, CROISSANT, LICENCE_FILE))],
            key=lambda f: f["path"],
        )
        data = {**base, "files": files, "counts": self.counts}
        if raw_sources is not None:
            manifest.write_streamed(self.folder / MANIFEST, data, "raw_sources", raw_sources)
        else:
            write_text_atomic(self.folder / MANIFEST, manifest.dumps(data))
        return files


def _check_bump(diff: dict[str, Any], version: str) -> None:
    from warta.corpus.diff import BUMPS, bump_of, required_bump

    need = required_bump(diff)
    done = bump_of(manifest.version_key(diff["old_version"]), manifest.version_key(version))
    if done is None or BUMPS.index(done) < BUMPS.index(need):
        raise InputError(
            f"version {version} is a {done or 'no'} bump from {diff['old_version']}, but the changes need a {need} bump",
            hint="semver for releases: major = schema change, minor = new articles or labels, patch = corrections",
        )
    diff["bump"] = need


_UNSAFE_LOCAL_PATH = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\"'`\\]")


def _check_local_path(value: str) -> str:
    """The card quotes ``--local-path`` in Python and Markdown: no quotes, backslashes or control characters."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"--local-path {describe(value)} is not valid Unicode") from None
    if not value or _UNSAFE_LOCAL_PATH.search(value):
        raise InputError(f"--local-path {describe(value)} holds a quote, backslash or control character", hint="give a plain path, e.g. corpus/releases/1.0.0")
    return value


def _refuse_release_destinations(out: Path, private_out: str | Path | None) -> None:
    """A new release is never built inside another one (releases are read-only once built)."""
    refuse_release_destination(out, command="corpus build")
    if private_out is not None:
        refuse_release_destination(private_out, command="corpus build")


@dataclass
class BuildOptions:
    """The checked options of one build: everything that can be refused is refused making this."""

    out: Path
    version: str
    schema: LabelSchema
    gold: Gold | None
    hidden: list[str]
    private_out: Path | None
    changelog_from: Path | None
    previous_changelog: str | None
    repo_id: str
    local_path: str
    licence_path: Path
    licence: card_module.LicenceInfo
    max_rows: int


def check_options(
    out: str | Path,
    *,
    version: str,
    gold: Gold | str | Path | None = None,
    schema: LabelSchema | None = None,
    hide_labels: Sequence[str] = (),
    private_out: str | Path | None = None,
    changelog_from: str | Path | None = None,
    repo_id: str = card_module.DEFAULT_REPO_ID,
    local_path: str | None = None,
    licence_file: str | Path | None = None,
    max_rows: int = parquet.SHARD_ROWS,
) -> BuildOptions:
    """Check every option of a build (before any work) and load what they name."""
    manifest.check_version(version)
    local_path = _check_local_path(local_path or f"corpus/releases/{version}")
    manifest.check_repo_id(repo_id)
    if max_rows < 1:
        raise InputError(f"--shard-rows {max_rows}: need at least 1")
    out = Path(out)
    _refuse_release_destinations(out, private_out)
    schema = schema or load_schema()
    if isinstance(gold, (str, Path)):
        gold = Gold.load(gold)
    hidden = sorted(set(hide_labels), key=split_order)
    for split in hidden:
        if not _SPLIT_NAME.fullmatch(split):
            raise InputError(f"--hide-labels: {split!r} is not a split name")
    if hidden and private_out is None:
        raise InputError("--hide-labels needs --private-out: the withheld labels must go somewhere", hint="pass --private-out DIR (a folder that is never published)")
    if hidden and gold is None:
        raise InputError("--hide-labels needs --gold: there are no labels to withhold without gold")
    if private_out is not None and not hidden:
        raise InputError("--private-out is only used with --hide-labels")
    ensure_absent_or_empty(out)
    if private_out is not None:
        private_out = Path(private_out)
        if private_out.resolve() == out.resolve():
            raise InputError("--private-out must differ from --out")
        ensure_absent_or_empty(private_out)
    licence_path = Path(licence_file) if licence_file else _default_licence()
    if not licence_path.is_file():
        raise InputError(f"{licence_path}: no such licence file")
    licence = card_module.LicenceInfo.from_file(licence_path)
    previous = None
    if changelog_from is not None:
        old = Release.open(changelog_from)
        if manifest.version_key(old.version) >= manifest.version_key(version):
            raise InputError(f"version {version} is not newer than {old.version} in {changelog_from}", hint="bump the version (semver)")
        previous_path = old.path / CHANGELOG
        previous = read_text(previous_path, error=ReleaseError, what="changelog") if previous_path.is_file() else None
    return BuildOptions(
        out=out, version=version, schema=schema, gold=gold, hidden=hidden, private_out=private_out,
        changelog_from=Path(changelog_from) if changelog_from is not None else None, previous_changelog=previous,
        repo_id=repo_id, local_path=local_path, licence_path=licence_path, licence=licence, max_rows=max_rows,
    )


def split_labeled(labeled: dict[str, dict[str, list[dict[str, Any]]]], hidden: list[str]) -> tuple[dict, dict]:
    """The public labeled rows (labels of hidden splits removed) and the private ones."""
    public_labeled = {
        config: {split: ([hide.hide_row(config, r) for r in rows] if split in hidden else rows) for split, rows in splits.items()}
        for config, splits in labeled.items()
    }
    private_labeled = {
        config: {split: rows for split, rows in splits.items() if split in hidden} for config, splits in labeled.items()
    }
    private_labeled = {c: s for c, s in private_labeled.items() if s}
    if hidden and not private_labeled:
        raise InputError(f"--hide-labels {', '.join(hidden)}: no labeled rows in that split", hint="check the split names")
    return public_labeled, private_labeled


def manifest_base(opts: BuildOptions, settings: Any) -> dict[str, Any]:
    gold = opts.gold
    return {
        "format": manifest.MANIFEST_FORMAT,
        "name": "warta",
        "version": opts.version,
        "warta_version": __version__,
        "schema": manifest.schema_hashes(opts.schema),
        "gold": {"files": [{"path": name, "sha256": sha} for name, sha in sorted(gold.files.items())]} if gold is not None else None,
        "settings": manifest.settings_dict(settings),
        "hidden_labels": opts.hidden,
        "private": False,
    }


def write_release(
    opts: BuildOptions,
    staging: Path,
    *,
    write_documents: Any,
    labeled: dict[str, dict[str, list[dict[str, Any]]]],
    public_summary: card_module.CorpusSummary,
    private_summary: Any,
    base: dict[str, Any],
    sources: dict[str, SourceNote],
    raw_sources: Any = None,
    private_staging: Path | None = None,
    bar: Any = None,
) -> tuple[_Writer, list[dict[str, Any]], _Writer | None]:
    """Everything of a release but the documents shards, which ``write_documents(writer)`` writes
    (or records): labeled configs, changelog (with the diff against ``changelog_from``), card,
    licence, Croissant, manifest; then the private folder when labels are hidden."""
    public_labeled, private_labeled = split_labeled(labeled, opts.hidden)
    gold_docs = opts.gold.documents if opts.gold is not None else {}
    settings_data = base["settings"]

    def facts(private: bool, corpus: card_module.CorpusSummary) -> card_module.CardFacts:
        return card_module.CardFacts(
            version=opts.version, repo_id=opts.repo_id, local_path=opts.local_path, schema=opts.schema, licence=opts.licence,
            counts={}, split_bytes={}, data_files={}, corpus=corpus, gold=gold_docs, sources=sources,
            settings=settings_data, hidden=opts.hidden, private=private, warta_version=__version__,
        )

    writer = _Writer(staging, opts.schema, opts.max_rows, bar)
    write_documents(writer)
    for config in ("ner", "stance", "summarization"):
        if config in public_labeled:
            writer.write_config(config, public_labeled[config])
    diff_data = None
    if opts.changelog_from is not None:
        # The diff needs the new release on disk: compare against the shards just written.
        from warta.corpus.diff import diff_releases
        from warta.fsutil import write_text_atomic

        tmp_manifest = {**base, "raw_sources": [], "files": writer.shards, "counts": writer.counts}
        write_text_atomic(staging / MANIFEST, manifest.dumps(tmp_manifest))
        diff_data = diff_releases(opts.changelog_from, staging)
        (staging / MANIFEST).unlink()
        _check_bump(diff_data, opts.version)
    log = changelog.render(opts.version, writer.counts, diff_data, opts.hidden, opts.previous_changelog)
    files = writer.finish(facts(False, public_summary), opts.licence_path, log, base, raw_sources() if raw_sources else None)
    private_writer = None
    if private_staging is not None:
        pw = _Writer(private_staging, opts.schema, opts.max_rows, bar)
        for config in ("ner", "stance", "summarization"):
            if config in private_labeled:
                pw.write_config(config, private_labeled[config])
        private_log = changelog.render(opts.version, pw.counts, None, opts.hidden, None)
        private_base = {**base, "private": True, "public_manifest_sha256": sha256_file(staging / MANIFEST)}
        pw.finish(facts(True, private_summary), opts.licence_path, private_log, private_base, raw_sources() if raw_sources else None)
        private_writer = pw
    return writer, files, private_writer


def build_release(
    articles: Sequence[Article],
    out: str | Path,
    *,
    version: str,
    settings: Any = None,
    sources: dict[str, SourceNote] | None = None,
    progress: bool = False,
    **options: Any,
) -> BuildReport:
    """Write the release of ``articles`` (held in memory) to ``out`` (which must be absent or empty).

    ``options`` are those of :func:`check_options` (gold, schema, hide_labels, private_out, ...).
    The streaming build (:mod:`warta.corpus.pipeline`) writes the same bytes without holding the
    articles; this form is for callers that already have them.
    """
    opts = check_options(out, version=version, **options)
    ordered = check_articles(articles)
    if opts.gold is not None:
        check_gold(opts.gold, ordered, opts.schema)
    labeled = labeled_rows(ordered, opts.gold, opts.schema) if opts.gold is not None else {}
    split_labeled(labeled, opts.hidden)  # refuse before writing
    sources = sources or {}
    base = manifest_base(opts, settings)
    base["raw_sources"] = [
        {"path": a.source_file, "sha256": a.raw_sha256, "article_id": a.id}
        for a in sorted(ordered, key=lambda a: (a.source_file, a.source_line or 0, a.id))
    ]
    total = len(ordered) + sum(len(r) for s in labeled.values() for r in s.values())
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="row", desc=f"release {version}", leave=False)
    hidden = opts.hidden
    private_articles = [a for a in ordered if str(a.split) in hidden]

    def write_documents(writer: _Writer) -> None:
        writer.write_config("documents", _by_split([document_row(a) for a in ordered], ordered))

    private_done: Path | None = None
    out = opts.out
    try:
        with atomic_directory(out) as staging:
            if opts.private_out is not None:
                with atomic_directory(opts.private_out) as private_staging:
                    writer, files, pw = write_release(
                        opts, staging, write_documents=write_documents, labeled=labeled,
                        public_summary=card_module.summarise(ordered, sources),
                        private_summary=card_module.summarise(private_articles, sources),
                        base=base, sources=sources, private_staging=private_staging, bar=bar,
                    )
                private_done = opts.private_out
            else:
                writer, files, pw = write_release(
                    opts, staging, write_documents=write_documents, labeled=labeled,
                    public_summary=card_module.summarise(ordered, sources), private_summary=None,
                    base=base, sources=sources, bar=bar,
                )
    except BaseException:
        if private_done is not None and not out.exists():
            shutil.rmtree(private_done, ignore_errors=True)
        raise
    finally:
        if bar is not None:
            bar.close()
    return BuildReport(out, version, writer.counts, files, private_done, pw.counts if pw is not None else {})


def build_from_raw(raw_dir: str | Path, out: str | Path, **options: Any) -> tuple[BuildReport, list[Any]]:
    """Ingest ``raw_dir`` and build the release, streaming: :func:`warta.corpus.pipeline.build`
    (whose options these are); returns the report and the skipped inputs.

    Everything that can be refused is checked before the first byte is written (version, output
    folders, gold against the texts), so a refusal leaves nothing behind.
    """
    from warta.corpus.pipeline import build

    return build(raw_dir, out, **options)
