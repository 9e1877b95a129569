"""The dataset card (``README.md``): a YAML header the Hub and ``datasets`` read, and a datasheet.

The header holds ``configs`` (with ``data_files``; ``documents`` is the default), ``dataset_info``
(features written by ``datasets``' own YAML helpers, so ClassLabel names survive a reload, and
split sizes) and the metadata researchers filter on. The prose lives in
``templates/card.md.j2``; every fact in it (counts, removal reasons, sources, gold provenance,
label definitions, licence name) comes from the data passed in, never from the template.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from warta.article import Article
from warta.features import features_for
from warta.gold import GoldDocument
from warta.schema import LabelSchema
from warta.corpus.sources import SourceNote

TEMPLATE = "card.md.j2"
DEFAULT_REPO_ID = "warta-nlp/warta"
MAX_PROVENANCE_VALUES = 5
TASKS = {
    "ner": ("token-classification", "named-entity-recognition"),
    "stance": ("text-classification", "multi-class-classification"),
    "summarization": ("summarization", "news-articles-summarization"),
}


@dataclass
class LicenceInfo:
    """What the card says about the licence, read from ``LICENSE-DATA``."""

    name: str
    link: str
    text: str
    annotations: str | None = None

    @classmethod
    def from_file(cls, path: Path, link: str = "LICENSE-DATA") -> LicenceInfo:
        from warta.inputs import LIMITS, read_text

        text = read_text(path, max_bytes=LIMITS.max_config_bytes, what="licence file")
        name = re.search(r"license_name:\s*`?([\w.\-]+)", text)
        annotations = re.search(r"Annotations:\s*(.+)", text)
        return cls(
            name=name.group(1) if name else path.stem.lower(),
            link=link,
            text=text,
            annotations=annotations.group(1).strip() if annotations else None,
        )


@dataclass
class CardFacts:
    """Everything the card reports, gathered by the builder."""

    version: str
    repo_id: str
    local_path: str
    schema: LabelSchema
    licence: LicenceInfo
    counts: dict[str, dict[str, int]]  # config -> split -> rows
    split_bytes: dict[str, dict[str, int]]
    data_files: dict[str, dict[str, list[str]]]  # config -> split -> paths
    corpus: CorpusSummary
    gold: dict[str, GoldDocument] = field(default_factory=dict)
    sources: dict[str, SourceNote] = field(default_factory=dict)
    settings: Any = None
    hidden: list[str] = field(default_factory=list)
    private: bool = False
    warta_version: str = ""


#: Above this many articles (or duplicates) the card summarises instead of listing one by one:
#: ``manifest.json`` and the ``documents`` config hold every source, and a card the Hub renders
#: stays readable at a million articles.
LIST_LIMIT = 1_000


@dataclass(frozen=True)
class SourceEntry:
    """What the card's Sources section shows of one article."""

    id: str
    source_file: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    outlet_inferred: bool = False  # the outlet was inferred from the text or URL, not recorded
    outlet_evidence: str | None = None

    @property
    def metadata(self) -> dict[str, Any]:
        """The article metadata keys the card reads (``outlet_inferred``, ``outlet_evidence``)."""
        return {"outlet_inferred": True, "outlet_evidence": self.outlet_evidence} if self.outlet_inferred else {}


@dataclass
class CorpusSummary:
    """The card's facts about the articles, gathered without holding the articles.

    ``sources`` (sorted by id) and ``duplicates`` (``(id, duplicate_of)``, sorted) are ``None``
    when there are more than :data:`LIST_LIMIT` of them; the counts are always there.
    """

    n_articles: int = 0
    removal: Counter = field(default_factory=Counter)  # reason -> spans
    removed_chars: Counter = field(default_factory=Counter)  # reason -> characters
    stories: dict[str, int] = field(default_factory=dict)  # split -> stories
    n_stories: int = 0
    duplicates: list[tuple[str, str]] | None = field(default_factory=list)
    n_duplicates: int = 0
    outlets_recorded: int = 0
    sources: list[SourceEntry] | None = field(default_factory=list)
    translated: list[str] = field(default_factory=list)


def summarise(articles: list[Article], notes: dict[str, SourceNote] | None = None) -> CorpusSummary:
    """The summary of articles held in memory (``split``, ``story_id`` and ``duplicate_of`` set)."""
    notes = notes or {}
    removal: Counter = Counter()
    removed_chars: Counter = Counter()
    stories: dict[str, set[str]] = {}
    for a in articles:
        for span in a.removed:
            removal[span.reason] += 1
            removed_chars[span.reason] += span.end - span.start
        stories.setdefault(str(a.split), set()).add(a.story_id or a.id)
    duplicates = sorted((a.id, a.duplicate_of) for a in articles if a.duplicate_of)
    ordered = sorted(articles, key=lambda a: a.id)
    return CorpusSummary(
        n_articles=len(articles),
        removal=removal,
        removed_chars=removed_chars,
        stories={split: len(ids) for split, ids in stories.items()},
        n_stories=len({a.story_id or a.id for a in articles}),
        duplicates=duplicates if len(duplicates) <= LIST_LIMIT else None,
        n_duplicates=len(duplicates),
        outlets_recorded=sum(1 for a in articles if a.outlet and not a.metadata.get("outlet_inferred")),
        sources=[
            SourceEntry(
                a.id, a.source_file, a.title, a.author, a.published, a.outlet, a.url,
                bool(a.metadata.get("outlet_inferred")), a.metadata.get("outlet_evidence"),
            )
            for a in ordered
        ] if len(ordered) <= LIST_LIMIT else None,
        translated=sorted(a.id for a in articles if notes.get(a.id) and notes[a.id].translated_from),
    )


def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < limit:
            return name
    return "1M<n<10M"


def header(facts: CardFacts) -> dict[str, Any]:
    """The YAML header as a mapping (key order as the Hub shows it)."""
    from datasets import DatasetInfo, SplitDict, SplitInfo

    configs = [c for c in ("documents", "ner", "stance", "summarization") if c in facts.counts]
    dataset_info = []
    config_entries = []
    for config in configs:
        splits = SplitDict()
        for split, rows in facts.counts[config].items():
            splits.add(SplitInfo(name=split, num_bytes=facts.split_bytes[config][split], num_examples=rows))
        size = sum(facts.split_bytes[config].values())
        info = DatasetInfo(features=features_for(config, facts.schema), splits=splits, download_size=size, dataset_size=size)
        dataset_info.append({"config_name": config, **info._to_yaml_dict()})
        entry: dict[str, Any] = {"config_name": config}
        if config == "documents":
            entry["default"] = True
        entry["data_files"] = [
            {"split": split, "path": paths[0] if len(paths) == 1 else f"{config}/{split}-*.parquet"}
            for split, paths in facts.data_files[config].items()
        ]
        config_entries.append(entry)
    labeled = [c for c in configs if c != "documents"]
    tasks = [TASKS[c] for c in configs if c in TASKS] or [("text-classification", None)]
    articles = facts.counts.get("documents", {})
    data: dict[str, Any] = {
        "pretty_name": "warta: annotated Indonesian news" + (" (private labels)" if facts.private else ""),
        "language": ["id"],
        "license": "other",
        "license_name": facts.licence.name,
        "license_link": facts.licence.link,
        "annotations_creators": ["expert-generated"] if labeled else ["no-annotation"],
        "language_creators": ["found", "machine-generated"] if any(
            n.translated_from for n in facts.sources.values()
        ) else ["found"],
        "multilinguality": ["monolingual"],
        "size_categories": [_size_category(sum(articles.values()) if articles else max(sum(s.values()) for s in facts.counts.values()))],
        "source_datasets": ["original"],
        "task_categories": sorted({t for t, _ in tasks}),
        "task_ids": sorted({i for _, i in tasks if i}),
        "tags": ["news", "indonesian", "stance-detection", "ner"],
        "configs": config_entries,
        "dataset_info": dataset_info,
    }
    return data


def _provenance(gold: dict[str, GoldDocument]) -> dict[str, list[tuple[str, int]]]:
    """Each provenance key with its distinct values (JSON-rendered) and how many documents have it."""
    found: dict[str, Counter[str]] = {}
    for doc in gold.values():
        for key, value in doc.provenance.items():
            shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
            found.setdefault(key, Counter())[shown] += 1
    out: dict[str, list[tuple[str, int]]] = {}
    for key, counter in sorted(found.items()):
        values = sorted(counter.items())
        if len(values) > MAX_PROVENANCE_VALUES:  # per-document values (ids, hashes): summarise
            values = [(f"{len(values)} distinct values, e.g. {values[0][0]}", sum(counter.values()))]
        out[key] = values
    return out


def _annotators(gold: dict[str, GoldDocument]) -> list[str]:
    names: set[str] = set()
    for doc in gold.values():
        value = doc.provenance.get("annotators")
        if isinstance(value, list):
            names.update(str(v) for v in value)
        elif isinstance(value, str):
            names.add(value)
    return sorted(names)


def context(facts: CardFacts) -> dict[str, Any]:
    corpus = facts.corpus
    provenance = _provenance(facts.gold)
    agreement = {
        k: [(value, n) for value, n in v if value != "null"]
        for k, v in provenance.items()
        if "agreement" in k or k in {"alpha", "kappa"}
    }
    agreement = {k: v for k, v in agreement.items() if v}
    sources = None
    if corpus.sources is not None:
        sources = [{"article": a, "note": facts.sources.get(a.id)} for a in corpus.sources]
    configs = list(facts.counts)
    return {
        "f": facts,
        "configs": configs,
        "labeled": [c for c in configs if c != "documents"],
        "n_articles": corpus.n_articles,
        "removal": sorted(corpus.removal.items(), key=lambda kv: (-kv[1], kv[0])),
        "removed_chars": corpus.removed_chars,
        "n_removed": sum(corpus.removal.values()),
        "stories": dict(corpus.stories),
        "n_stories": corpus.n_stories,
        "duplicates": corpus.duplicates,
        "n_duplicates": corpus.n_duplicates,
        "provenance": provenance,
        "agreement": agreement,
        "annotators": _annotators(facts.gold),
        "n_gold": len(facts.gold),
        "sources": sources,
        "settings_json": json.dumps(facts.settings, ensure_ascii=False, indent=2, sort_keys=True) if facts.settings else None,
        "bibkey": "warta_" + re.sub(r"[^0-9a-zA-Z]+", "_", facts.version),
        "outlets_recorded": corpus.outlets_recorded,
        "translated": corpus.translated,
        "split_policy": (facts.settings or {}).get("splits") if isinstance(facts.settings, dict) else None,
    }


_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~])")
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def markdown_text(value: Any) -> str:
    """``value`` as inline Markdown text: one line, every character that starts markup escaped.

    For what comes from raw files (titles, bylines, dates, outlets, URLs) and from notes: a newline
    in a title or file name would otherwise start a heading or a list in the card."""
    text = _LINE_BREAKS.sub(" ", str(value))
    return _MARKDOWN.sub(r"\\\1", text)


def markdown_line(value: Any) -> str:
    """``value`` kept on one line, with HTML and code delimiters escaped (recorded provenance values)."""
    text = _LINE_BREAKS.sub(" ", str(value))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("`", "\\`")


def markdown_code(value: Any) -> str:
    """``value`` as an inline code span whose fence is longer than any backtick run inside it."""
    text = _LINE_BREAKS.sub(" ", str(value))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest or text.startswith(" ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render(facts: CardFacts) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("warta.corpus", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(md=markdown_text, md_line=markdown_line, code=markdown_code)
    body = env.get_template(TEMPLATE).render(**context(facts))
    yaml_text = yaml.safe_dump(header(facts), sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{yaml_text}---\n\n{body.strip()}\n"


def read_header(card: str, source: str | Path = "README.md") -> dict[str, Any]:
    """The YAML header of a card (what the Hub and ``datasets`` read); anything but a mapping is
    a :class:`~warta.errors.ReleaseError` naming ``source``."""
    from warta.errors import ReleaseError
    from warta.inputs import parse_yaml

    if not card.startswith("---\n"):
        return {}
    end = card.find("\n---\n", 4)
    if end < 0:
        raise ReleaseError(f"{source}: the YAML header has no closing '---' line")
    data = parse_yaml(card[4:end], source, error=ReleaseError) or {}
    if not isinstance(data, dict):
        raise ReleaseError(f"{source}: the YAML header must be a mapping, got {type(data).__name__}")
    return data
