"""What agreement and adjudication compare: documents, token labels and stance items.

Records are grouped by article. Two records of one article must carry the same text (same
``text_sha256``), and one annotator counts once per article: a second annotation by the same
annotator of the same article is an :class:`~warta.errors.InputError` rather than a silent choice of
one of them. A curator's records from the review project (``source == "review"``) are kept apart
(:attr:`DocumentAnnotations.reviews`): they are adjudication, not one more independent annotation,
so they never count as a vote or towards agreement, and a curator who also annotated the article
is not a duplicate.

Stance items are keyed so that different annotators' regions can be compared:

* actor stance: ``(article_id, target, actor_key(text[start:end]))`` of the region carrying the
  stance, where :func:`actor_key` is the surface text NFKC-normalised, case-folded and with runs of
  whitespace collapsed to one space (``"Gedung  Putih"`` and ``"gedung putih"`` are one actor);
* document stance: ``(article_id, target)``.

If an annotator gives several mentions of one actor different labels for the same target, that
annotator's value for the item is *inconsistent*: it is missing for agreement, listed in the
report, and never counts towards a label in adjudication.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from warta.annotation.records import REVIEW, AnnotationRecord
from warta.errors import InputError
from warta.fsutil import sha256_text
from warta.spans import EntitySpan
from warta.tokenize import iob2_tags, token_spans

#: Token label of a token no entity covers.
OUTSIDE = "O"


def actor_key(surface: str) -> str:
    """The comparison key of an actor's surface text: NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", surface).casefold().split())


@dataclass(frozen=True)
class StanceVote:
    """One annotator's value for one stance item.

    ``label`` is ``None`` when the annotator gave the item more than one label (``labels`` has them
    all); ``mentions`` are the ``(start, end)`` offsets of the regions that carried the stance.
    """

    labels: tuple[str, ...]
    mentions: tuple[tuple[int, int], ...] = ()

    @property
    def label(self) -> str | None:
        return self.labels[0] if len(self.labels) == 1 else None


@dataclass
class DocumentAnnotations:
    """Every annotation of one article, one record per annotator (sorted by annotator)."""

    article_id: str
    text: str
    text_sha256: str
    records: dict[str, AnnotationRecord] = field(default_factory=dict)
    #: curator -> their annotation in the review project (``source == "review"``)
    reviews: dict[str, AnnotationRecord] = field(default_factory=dict)

    @property
    def annotators(self) -> list[str]:
        return sorted(self.records)

    @property
    def task_ids(self) -> list[int]:
        return sorted({r.task_id for r in self.records.values()})

    @property
    def review_task_ids(self) -> list[int]:
        return sorted({r.task_id for r in self.reviews.values()})

    def spans(self, annotator: str) -> list[EntitySpan]:
        """The annotator's entity spans, duplicates removed, sorted."""
        record = self.records[annotator]
        return [
            EntitySpan(*key) for key in sorted({(e.start, e.end, e.label) for e in record.entities})
        ]


def _where(record: AnnotationRecord) -> str:
    return f"task {record.task_id}, annotation {record.annotation_id} ({record.annotator})"


def _check_record(record: AnnotationRecord) -> None:
    if sha256_text(record.text) != record.text_sha256:
        raise InputError(
            f"{_where(record)}: text_sha256 does not match the record's text",
            hint="the annotation file was edited by hand; pull it again with `warta annotate pull`",
        )
    regions: set[str] = set()
    for e in record.entities:
        if not (0 <= e.start < e.end <= len(record.text)) or record.text[e.start : e.end] != e.text:
            raise InputError(
                f"{_where(record)}: entity region {e.region_id} [{e.start}, {e.end}) does not match the text",
                hint="pull the annotations again with `warta annotate pull`",
            )
        regions.add(e.region_id)
    for s in record.stance:
        if s.region_id not in regions:
            raise InputError(
                f"{_where(record)}: stance {s.label} on region {s.region_id}, which is not an entity region",
                hint="pull the annotations again with `warta annotate pull`",
            )


def group_by_article(records: Iterable[AnnotationRecord]) -> dict[str, DocumentAnnotations]:
    """Check the records and group them by article id (sorted); see the module docstring."""
    documents: dict[str, DocumentAnnotations] = {}
    for record in records:
        _check_record(record)
        doc = documents.get(record.article_id)
        if doc is None:
            doc = documents[record.article_id] = DocumentAnnotations(
                record.article_id, record.text, record.text_sha256
            )
        elif doc.text_sha256 != record.text_sha256:
            other = next(iter([*doc.records.values(), *doc.reviews.values()]))
            raise InputError(
                f"article {record.article_id} was annotated on two different texts "
                f"({_where(other)}: {other.text_sha256[:12]}…, {_where(record)}: {record.text_sha256[:12]}…)",
                hint="agreement and gold need one text per article; re-annotate the changed article",
            )
        kept = doc.reviews if record.source == REVIEW else doc.records
        previous = kept.get(record.annotator)
        if previous is not None:
            where = "review annotations" if record.source == REVIEW else "annotations"
            raise InputError(
                f"annotator {record.annotator} has two {where} of article {record.article_id} "
                f"(ids {previous.annotation_id} and {record.annotation_id}, task {record.task_id})",
                hint="delete the one that should not count in Label Studio, then pull again",
            )
        kept[record.annotator] = record
    return {key: documents[key] for key in sorted(documents)}


def token_labels(text: str, span_sets: Sequence[Sequence[EntitySpan]]) -> list[list[str]]:
    """Per span set, the label of every token of ``text``: the covering entity's type, else ``O``.

    Tokens come from :func:`warta.tokenize.token_spans`, cut at every boundary of every span set, so
    no token straddles any annotator's entity edge. A token covered by two spans of one annotator
    takes the first by start (the outer one), as :func:`warta.tokenize.iob2_tags` does.
    """
    cuts = [offset for spans in span_sets for e in spans for offset in (e.start, e.end)]
    tokens = token_spans(text, cut_at=cuts)
    return [
        [tag if tag == OUTSIDE else tag[2:] for tag in iob2_tags(tokens, spans)]
        for spans in span_sets
    ]


def actor_stances(record: AnnotationRecord) -> dict[tuple[str, str], StanceVote]:
    """The record's actor stances keyed by ``(target, actor_key)``."""
    regions = {e.region_id: e for e in record.entities}
    labels: dict[tuple[str, str], list[str]] = {}
    mentions: dict[tuple[str, str], set[tuple[int, int]]] = {}
    for s in record.stance:
        region = regions[s.region_id]
        key = (s.target, actor_key(region.text))
        labels.setdefault(key, [])
        if s.label not in labels[key]:
            labels[key].append(s.label)
        mentions.setdefault(key, set()).add((region.start, region.end))
    return {
        key: StanceVote(tuple(sorted(labels[key])), tuple(sorted(mentions[key])))
        for key in sorted(labels)
    }


def document_stances(record: AnnotationRecord) -> dict[str, StanceVote]:
    """The record's document-level stances keyed by target."""
    labels: dict[str, set[str]] = {}
    for s in record.document_stance:
        labels.setdefault(s.target, set()).add(s.label)
    return {target: StanceVote(tuple(sorted(labels[target]))) for target in sorted(labels)}
