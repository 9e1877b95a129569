"""Adjudication: annotation records -> gold documents by majority vote, plus the conflicts left.

Decisions, per article (``n`` = number of annotators of the article, ``--min-votes`` = ``m``):

* **Ground truth first.** A curator's annotation in the review project (``warta annotate review``;
  records with ``source == "review"``) is the gold for that article, whatever the vote says; without
  one, an annotation marked as ground truth in Label Studio is. Two such annotations of one
  article that differ are a conflict.
* **Entities** are voted as exact spans (start, end and label). A span with ``v`` votes is accepted
  when ``2v > n`` and ``v ≥ m``, rejected when ``2v < n`` (a majority left it out), and undecided
  otherwise (a tie, or a majority smaller than ``m``). Candidate spans are grouped into runs of
  overlapping ranges (any label): a run where no span is accepted means "no entity here" only if
  more than half of the annotators marked nothing in it; otherwise it is undecided (``NATO`` as
  ORG by one, GPE by another and nothing by a third has no majority).
* **Actor stance** (items keyed as in :mod:`warta.annotation.agreement.units`) and **document
  stance** (per target): each annotator votes a label, nothing, or is *inconsistent* (gave mentions
  of one actor different labels; that vote counts for no label). A label with ``v`` votes wins when
  ``2v > n`` and ``v ≥ m``; "no stance" wins when more than half gave none; otherwise undecided. The
  gold actor's ``mentions`` are the regions that carried the winning label and are gold entities
  (none being a gold entity is a conflict), its ``actor`` the surface text of the first of them.
* **Summaries**: every annotator's summary is kept as a reference (ground truth first, then by
  annotator; identical texts once).
* An article with fewer than ``m`` annotations and no ground truth is undecided as a whole.

An article with any undecided item gets no gold: it is listed in the conflicts report (with the
competing options and who chose each) until the curator settles it, in the review project that
``warta annotate review`` makes (or by marking one annotation as ground truth in Label Studio) and
pulling again. For such an article :attr:`Adjudication.majority` keeps what the vote did decide
(the *majority version*: accepted entities and decided stances), which the review project shows
the curator beside every annotator's version. Decisions reached by a majority
that was not unanimous are listed too, with status ``majority``, for review.

Each gold document's ``provenance``: ``method`` (``"majority vote"`` or ``"ground truth"``),
``annotators`` (pseudonyms), ``annotations`` (their number), ``annotation_ids`` (with the review's),
``task_ids``, ``ground_truth`` (``{annotation_id, annotator, source}`` or null, ``source`` being
``"annotation"`` or ``"review"``), ``review_task_ids`` (when a review settled it), ``min_votes``, ``summary_annotators``
(who wrote each summary, in order), ``agreement`` (this article's pairwise span F1 and token κ,
Fleiss' κ, stance α; see :mod:`warta.annotation.agreement`), ``format`` and ``warta_version``.
Two gold files that differ only in ``warta_version`` count as identical.

:func:`adjudicate` is pure. :func:`check_release`, :func:`plan_gold_writes` and
:func:`write_gold` are the I/O around it: everything is checked before anything is written, and
existing gold is never overwritten in place (``replace=True`` keeps the previous file under
``history/<article_id>.<sha12>.json``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warta import __version__
from warta.annotation.agreement.compute import agreement_of_documents
from warta.annotation.agreement.units import (
    DocumentAnnotations,
    StanceVote,
    actor_stances,
    document_stances,
    group_by_article,
)
from warta.annotation.records import AnnotationRecord
from warta.article import annotated_text
from warta.errors import GoldError, OutputExistsError
from warta.fsutil import sha256_text, write_bytes_atomic, write_text_atomic
from warta.gold import (
    ActorStance,
    DocumentStance,
    GoldDocument,
    GoldEntity,
    Mention,
    check_against_text,
    gold_path,
)
from warta.schema import LabelSchema
from warta.spans import EntitySpan

FORMAT = "warta.adjudication.v1"
MAJORITY = "majority vote"
GROUND_TRUTH = "ground truth"
UNRESOLVED = "unresolved"
DECIDED_BY_MAJORITY = "majority"
HISTORY = "history"


@dataclass(frozen=True)
class Option:
    """One competing choice and the annotators who chose it (``choice`` ``None``: nothing)."""

    choice: Any
    annotators: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "choice": self.choice,
            "annotators": list(self.annotators),
            "votes": len(self.annotators),
        }


@dataclass(frozen=True)
class Conflict:
    """An item the vote did not settle (``unresolved``) or settled without unanimity (``majority``).

    ``kind`` is ``annotations`` (too few annotations), ``ground_truth``, ``entity``, ``actor_stance``
    or ``document_stance``; ``item`` says where (span range, target and actor).
    """

    article_id: str
    task_ids: tuple[int, ...]
    kind: str
    status: str
    reason: str
    item: dict[str, Any]
    annotators: tuple[str, ...]
    options: tuple[Option, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "task_ids": list(self.task_ids),
            "kind": self.kind,
            "status": self.status,
            "reason": self.reason,
            "item": self.item,
            "annotators": list(self.annotators),
            "options": [o.to_dict() for o in self.options],
        }


@dataclass(frozen=True)
class MajorityVersion:
    """What the vote decided for an article, undecided items left out (shown to the curator)."""

    entities: tuple[GoldEntity, ...]
    stance: tuple[ActorStance, ...]
    document_stance: tuple[DocumentStance, ...]


@dataclass
class Adjudication:
    """Gold for the settled articles, every conflict, and each article's text (for the checks)."""

    gold: list[GoldDocument]
    conflicts: list[Conflict]
    min_votes: int
    texts: dict[str, str] = field(default_factory=dict)
    #: article id -> the majority version, for the articles voted on (settled or not)
    majority: dict[str, MajorityVersion] = field(default_factory=dict)

    @property
    def unresolved(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.status == UNRESOLVED]

    @property
    def blocked(self) -> list[str]:
        """Articles that got no gold because of an unresolved conflict."""
        return sorted({c.article_id for c in self.unresolved})


def _decision(votes: int, n: int, min_votes: int) -> tuple[str, str]:
    if 2 * votes > n and votes >= min_votes:
        return "accept", ""
    if 2 * votes < n:
        return "reject", ""
    if 2 * votes == n:
        return "undecided", f"tie: {votes} of {n} annotators"
    return "undecided", f"only {votes} vote(s); --min-votes is {min_votes}"


def _entity_choice(span: EntitySpan, text: str) -> dict[str, Any]:
    return {
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": text[span.start : span.end],
    }


def _clusters(spans: Iterable[EntitySpan]) -> list[list[EntitySpan]]:
    """Candidate spans grouped into runs of overlapping ranges (labels ignored)."""
    clusters: list[list[EntitySpan]] = []
    end = -1
    for span in sorted(spans):
        if clusters and span.start < end:
            clusters[-1].append(span)
            end = max(end, span.end)
        else:
            clusters.append([span])
            end = span.end
    return clusters


def _vote_entities(doc: DocumentAnnotations, min_votes: int, conflict) -> list[GoldEntity]:
    names = doc.annotators
    n = len(names)
    voters: dict[EntitySpan, list[str]] = {}
    for name in names:
        for span in doc.spans(name):
            voters.setdefault(span, []).append(name)
    accepted: list[GoldEntity] = []
    for cluster in _clusters(voters):
        decisions = {span: _decision(len(voters[span]), n, min_votes) for span in cluster}
        for span, (verdict, _) in decisions.items():
            if verdict == "accept":
                accepted.append(
                    GoldEntity(span.start, span.end, span.label, doc.text[span.start : span.end])
                )
        undecided = [reason for verdict, reason in decisions.values() if verdict == "undecided"]
        chose = {name for s in cluster for name in voters[s]}
        if (
            not undecided
            and not any(verdict == "accept" for verdict, _ in decisions.values())
            and 2 * (n - len(chose)) <= n
        ):
            undecided.append(f"no option has a majority of {n} annotators")
        unanimous = all(len(voters[s]) == n for s in cluster)
        if not undecided and unanimous:
            continue
        options = [Option(_entity_choice(s, doc.text), tuple(voters[s])) for s in cluster]
        nobody = tuple(name for name in names if name not in chose)
        if nobody:
            options.append(Option(None, nobody))
        start, end = cluster[0].start, max(s.end for s in cluster)
        conflict(
            kind="entity",
            status=UNRESOLVED if undecided else DECIDED_BY_MAJORITY,
            reason="; ".join(sorted(set(undecided))) if undecided else "decided by majority",
            item={"start": start, "end": end, "text": doc.text[start:end]},
            options=tuple(options),
        )
    return accepted


def _vote_stance(
    votes: Mapping[str, Mapping[Any, StanceVote]],
    names: list[str],
    min_votes: int,
    describe,
    conflict,
) -> dict[Any, tuple[str, list[tuple[int, int]]]]:
    """Winning label and its mentions per item key; conflicts reported through ``conflict``."""
    n = len(names)
    keys = sorted(
        {key for by_key in votes.values() for key in by_key},
        key=lambda k: tuple("" if x is None else x for x in k),
    )
    decided: dict[Any, tuple[str, list[tuple[int, int]]]] = {}
    for key in keys:
        by_label: dict[str, list[str]] = {}
        inconsistent: list[str] = []
        none: list[str] = []
        for name in names:
            vote = votes.get(name, {}).get(key)
            if vote is None:
                none.append(name)
            elif vote.label is None:
                inconsistent.append(name)
            else:
                by_label.setdefault(vote.label, []).append(name)
        ranked = sorted(by_label.items(), key=lambda item: (-len(item[1]), item[0]))
        verdict, why = _decision(len(ranked[0][1]), n, min_votes) if ranked else ("reject", "")
        if verdict == "accept":
            label, chosen = ranked[0]
            decided[key] = (
                label,
                sorted({m for name in chosen for m in votes[name][key].mentions}),
            )
            status, reason = DECIDED_BY_MAJORITY, "decided by majority"
        elif 2 * len(none) > n:
            status, reason = DECIDED_BY_MAJORITY, "decided by majority (no stance)"
        else:
            status, reason = UNRESOLVED, why or f"no option has a majority of {n} annotators"
        unanimous = (len(ranked) == 1 and len(ranked[0][1]) == n) or len(none) == n
        if status == DECIDED_BY_MAJORITY and unanimous:
            continue
        options = [Option(label, tuple(chosen)) for label, chosen in ranked]
        if inconsistent:
            labels = {name: list(votes[name][key].labels) for name in inconsistent}
            options.append(Option({"inconsistent": labels}, tuple(inconsistent)))
        if none:
            options.append(Option(None, tuple(none)))
        mentions = sorted(
            {m for by_key in votes.values() if key in by_key for m in by_key[key].mentions}
        )
        conflict(status=status, reason=reason, item=describe(key, mentions), options=tuple(options))
    return decided


def _actor_name(text: str, mentions: list[tuple[int, int]]) -> str:
    start, end = mentions[0]
    return text[start:end]


def _gold_stance(
    text: str,
    actor: Mapping[tuple[str, str], tuple[str, list[tuple[int, int]]]],
    document: Mapping[str, str],
) -> tuple[list[ActorStance], list[DocumentStance]]:
    stance = [
        ActorStance(
            target, _actor_name(text, mentions), tuple(Mention(s, e) for s, e in mentions), label
        )
        for (target, _), (label, mentions) in actor.items()
    ]
    stance.sort(key=lambda s: (s.target, s.mentions[0].start, s.actor))
    documents = [DocumentStance(target, label) for target, label in sorted(document.items())]
    return stance, documents


def _summaries(
    doc: DocumentAnnotations, first: AnnotationRecord | None
) -> tuple[list[str], list[list[str]]]:
    """Every summary once, the ground truth's first (a curator's review record may be the first)."""
    order = ([first] if first is not None else []) + [
        doc.records[name] for name in doc.annotators if first is None or doc.records[name] is not first
    ]
    texts: list[str] = []
    authors: list[list[str]] = []
    for record in order:
        name = record.annotator
        summary = (record.summary or "").strip()
        if not summary:
            continue
        if summary in texts:
            authors[texts.index(summary)].append(name)
        else:
            texts.append(summary)
            authors.append([name])
    return texts, authors


def _document_agreement(doc: DocumentAnnotations) -> dict[str, Any]:
    """This article's agreement figures (no bootstrap: one document), for the provenance."""
    report = agreement_of_documents({doc.article_id: doc}, resamples=0)
    return {
        "format": report.format,
        "entities": [
            {
                "annotators": list(p.annotators),
                "strict_f1": p.strict.f1.value,
                "overlap_f1": p.overlap.f1.value,
                "token_kappa": p.token_kappa.value,
            }
            for p in report.entity_pairs
        ],
        "fleiss_kappa": None if report.fleiss is None else report.fleiss.kappa.value,
        "actor_stance_alpha": report.actor_stance.alpha.value if report.actor_stance else None,
        "document_stance_alpha": report.document_stance.alpha.value
        if report.document_stance
        else None,
    }


def _ground_truth_content(record: AnnotationRecord) -> tuple:
    return (
        tuple(sorted({(e.start, e.end, e.label) for e in record.entities})),
        tuple(sorted((k, v.labels) for k, v in actor_stances(record).items())),
        tuple(sorted((k, v.labels) for k, v in document_stances(record).items())),
    )


def _adjudicate_document(
    doc: DocumentAnnotations,
    min_votes: int,
    conflicts: list[Conflict],
    version: str,
    majority: dict[str, MajorityVersion],
) -> GoldDocument | None:
    names = doc.annotators
    before = len(conflicts)

    def conflict(
        *,
        kind: str,
        status: str,
        reason: str,
        item: dict[str, Any],
        options: tuple[Option, ...] = (),
    ) -> None:
        conflicts.append(
            Conflict(
                doc.article_id,
                tuple(doc.task_ids),
                kind,
                status,
                reason,
                item,
                tuple(names),
                options,
            )
        )

    reviewed = bool(doc.reviews)
    if reviewed:
        truth = [doc.reviews[name] for name in sorted(doc.reviews)]
    else:
        truth = [doc.records[name] for name in names if doc.records[name].ground_truth]
    if len({_ground_truth_content(r) for r in truth}) > 1:
        where = "review annotations" if reviewed else "ground-truth annotations"
        keep = "keep one in the review project" if reviewed else "keep one marked as ground truth"
        conflict(
            kind="ground_truth",
            status=UNRESOLVED,
            reason=f"{len(truth)} {where} that differ; {keep}",
            item={},
            options=tuple(
                Option({"annotation_id": r.annotation_id}, (r.annotator,)) for r in truth
            ),
        )
        return None
    if truth:
        record = truth[0]
        actor = actor_stances(record)
        documents = document_stances(record)
        bad = [key for key, vote in actor.items() if vote.label is None] + [
            (t,) for t, v in documents.items() if v.label is None
        ]
        if bad:
            conflict(
                kind="ground_truth",
                status=UNRESOLVED,
                reason=f"the ground-truth annotation {record.annotation_id} gives one stance item several labels",
                item={"stance_items": [list(k) for k in bad]},
                options=(Option({"annotation_id": record.annotation_id}, (record.annotator,)),),
            )
            return None
        entities = sorted(
            {GoldEntity(e.start, e.end, e.label, e.text) for e in record.entities},
            key=lambda e: (e.start, e.end, e.label),
        )
        stance, document_stance = _gold_stance(
            doc.text,
            {key: (vote.labels[0], list(vote.mentions)) for key, vote in actor.items()},
            {target: vote.labels[0] for target, vote in documents.items()},
        )
        method, first = GROUND_TRUTH, record
        truth_info: dict[str, Any] | None = {
            "annotation_id": record.annotation_id,
            "annotator": record.annotator,
            "source": record.source,
        }
    else:
        if len(names) < min_votes:
            conflict(
                kind="annotations",
                status=UNRESOLVED,
                reason=f"{len(names)} annotation(s); --min-votes is {min_votes} and no annotation is marked as ground truth",
                item={},
                options=(),
            )
            return None
        entities = _vote_entities(doc, min_votes, lambda **kw: conflict(**kw))
        actor_votes = {name: actor_stances(doc.records[name]) for name in names}
        document_votes = {name: document_stances(doc.records[name]) for name in names}
        actor = _vote_stance(
            actor_votes,
            names,
            min_votes,
            lambda key, mentions: {
                "target": key[0],
                "actor": doc.text[mentions[0][0] : mentions[0][1]],
                "actor_key": key[1],
                "mentions": [list(m) for m in mentions],
            },
            lambda **kw: conflict(kind="actor_stance", **kw),
        )
        document = _vote_stance(
            {name: {(t,): v for t, v in votes.items()} for name, votes in document_votes.items()},
            names,
            min_votes,
            lambda key, mentions: {"target": key[0]},
            lambda **kw: conflict(kind="document_stance", **kw),
        )
        # an actor's mentions must be gold entities: keep the regions the entity vote accepted
        spans = {(e.start, e.end) for e in entities}
        for key, (label, mentions) in list(actor.items()):
            kept = [m for m in mentions if m in spans]
            if kept:
                actor[key] = (label, kept)
                continue
            del actor[key]
            conflict(
                kind="actor_stance",
                status=UNRESOLVED,
                reason=f"stance {label} was decided, but none of the actor's mentions is a gold entity",
                item={
                    "target": key[0],
                    "actor": doc.text[mentions[0][0] : mentions[0][1]],
                    "actor_key": key[1],
                    "mentions": [list(m) for m in mentions],
                },
                options=(),
            )
        stance, document_stance = _gold_stance(
            doc.text, actor, {key[0]: label for key, (label, _) in document.items()}
        )
        entities.sort(key=lambda e: (e.start, e.end, e.label))
        majority[doc.article_id] = MajorityVersion(
            tuple(entities), tuple(stance), tuple(document_stance)
        )
        method, first, truth_info = MAJORITY, None, None
        if any(c.status == UNRESOLVED for c in conflicts[before:]):
            return None
    summaries, summary_annotators = _summaries(doc, first)
    provenance = {
        "format": FORMAT,
        "method": method,
        "annotators": names,
        "annotations": len(names),
        "annotation_ids": sorted(
            r.annotation_id for r in [*doc.records.values(), *doc.reviews.values()]
        ),
        "task_ids": doc.task_ids,
        "ground_truth": truth_info,
        "min_votes": min_votes,
        "summary_annotators": summary_annotators,
        "agreement": _document_agreement(doc),
        "warta_version": version,
    }
    if reviewed:
        provenance["review_task_ids"] = doc.review_task_ids
    return GoldDocument(
        article_id=doc.article_id,
        text_sha256=doc.text_sha256,
        entities=entities,
        stance=stance,
        document_stance=document_stance,
        summaries=summaries,
        provenance=provenance,
    )


def adjudicate(
    records: Iterable[AnnotationRecord], *, min_votes: int = 2, warta_version: str = __version__
) -> Adjudication:
    """Gold documents and conflicts from annotation records (see the module docstring). Pure."""
    if min_votes < 1:
        raise ValueError(f"min_votes must be at least 1, not {min_votes}")
    documents = group_by_article(records)
    gold: list[GoldDocument] = []
    conflicts: list[Conflict] = []
    majority: dict[str, MajorityVersion] = {}
    for doc in documents.values():
        result = _adjudicate_document(doc, min_votes, conflicts, warta_version, majority)
        if result is not None:
            gold.append(result)
    texts = {key: doc.text for key, doc in documents.items()}
    return Adjudication(
        gold=gold, conflicts=conflicts, min_votes=min_votes, texts=texts, majority=majority
    )


# --- I/O around adjudicate(): checks, then writes --------------------------------------------------


def check_gold(result: Adjudication, schema: LabelSchema) -> None:
    """Every gold document fits its text and the label schema (:func:`warta.gold.check_against_text`)."""
    for doc in result.gold:
        check_against_text(
            doc, result.texts[doc.article_id], schema, source=f"gold for article {doc.article_id}"
        )


def check_release(result: Adjudication, release_dir: str | Path) -> None:
    """Every annotated text must be the release's ``annotated_text(title, text)`` of that article.

    A different hash (the cleaning changed since the tasks were pushed) or an article the release
    does not have is a :class:`GoldError`.
    """
    from warta.release import Release

    release = Release.open(release_dir)
    hashes = {
        row["id"]: sha256_text(annotated_text(row.get("title"), row["text"]))
        for row in release.read("documents")
    }
    for article_id, text in sorted(result.texts.items()):
        if article_id not in hashes:
            raise GoldError(
                f"article {article_id} is annotated but not in release {release.version} ({release.path})",
                hint="adjudicate against the release the tasks were pushed from",
            )
        actual = sha256_text(text)
        if hashes[article_id] != actual:
            raise GoldError(
                f"article {article_id}: the annotated text (sha256 {actual[:12]}…) is not the text of release "
                f"{release.version} (sha256 {hashes[article_id][:12]}…)",
                hint="the cleaning changed since the tasks were pushed; re-push and re-annotate, or use the matching release",
            )


@dataclass(frozen=True)
class GoldWrite:
    """What writing one gold document will do: ``create``, ``unchanged`` (a no-op) or ``replace``."""

    article_id: str
    path: Path
    action: str
    content: str
    history: Path | None = None


def _comparable(data: Any) -> Any:
    """Gold content for the 'identical?' test: the warta version that wrote it does not count."""
    if isinstance(data, dict) and isinstance(data.get("provenance"), dict):
        data = {
            **data,
            "provenance": {k: v for k, v in data["provenance"].items() if k != "warta_version"},
        }
    return data


def plan_gold_writes(
    gold: Iterable[GoldDocument], out_dir: str | Path, *, replace: bool = False
) -> list[GoldWrite]:
    """Decide every write before doing any; refuse (``OutputExistsError``) to change gold without ``replace``."""
    folder = Path(out_dir)
    plan: list[GoldWrite] = []
    refused: list[str] = []
    for doc in gold:
        path = gold_path(folder, doc.article_id)
        content = doc.to_json()
        if not path.exists():
            plan.append(GoldWrite(doc.article_id, path, "create", content))
            continue
        existing = path.read_bytes()
        try:
            same = _comparable(json.loads(existing)) == _comparable(json.loads(content))
        except (json.JSONDecodeError, UnicodeDecodeError):
            same = False
        if same:
            plan.append(GoldWrite(doc.article_id, path, "unchanged", content))
        elif replace:
            history = (
                folder
                / HISTORY
                / f"{doc.article_id}.{hashlib.sha256(existing).hexdigest()[:12]}.json"
            )
            plan.append(GoldWrite(doc.article_id, path, "replace", content, history))
        else:
            refused.append(doc.article_id)
    if refused:
        shown = ", ".join(refused[:5]) + (
            f" and {len(refused) - 5} more" if len(refused) > 5 else ""
        )
        raise OutputExistsError(
            f"{folder}: gold already exists and differs for {len(refused)} article(s): {shown}; nothing was written",
            hint="pass --replace to replace it (the previous versions are kept under history/)",
        )
    return plan


def write_gold(plan: Iterable[GoldWrite]) -> None:
    """Carry out a plan from :func:`plan_gold_writes`: history first, then atomic writes."""
    for item in plan:
        if item.action == "create":
            write_text_atomic(item.path, item.content)
        elif item.action == "replace":
            assert item.history is not None
            previous = item.path.read_bytes()
            if not item.history.exists():
                write_bytes_atomic(item.history, previous)
            write_text_atomic(item.path, item.content, overwrite=True)
