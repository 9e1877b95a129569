"""Offline baselines, written as ordinary submissions (``warta bench baselines``).

Each baseline is a system folder with ``meta.yaml`` and one JSONL file, exactly what a participant
would submit, so baselines are validated and scored by the same code as everyone else.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warta.benchmarks.submissions import SystemMeta, write_system
from warta.errors import InputError, OutputExistsError
from warta.release import Release
from warta.schema import LabelSchema, load_schema

#: The date in the baselines' ``meta.yaml``: when these definitions were fixed. A constant, so that
#: rewriting the baselines gives the same files.
BASELINES_DATE = "2026-11-23"
AUTHORS = ("warta maintainers",)
URL = "https://github.com/warta-nlp/warta"
SUMMARY_SENTENCES = 3


@dataclass(frozen=True)
class Baseline:
    """A baseline system ready to be written: folder name, meta and predictions per task."""

    id: str
    meta: SystemMeta
    predictions: dict[str, dict[str, Any]]


def _meta(name: str, description: str, *, oracle: bool = False) -> SystemMeta:
    return SystemMeta(name=name, authors=AUTHORS, url=URL, description=description, date=BASELINES_DATE, oracle=oracle)


def build_baselines(
    release: str | Path | Release,
    split: str = "test",
    *,
    schema: LabelSchema | None = None,
    k: int = SUMMARY_SENTENCES,
    progress: Callable[[str], None] | None = None,
) -> list[Baseline]:
    """Run every baseline whose task the release has; nothing is written."""
    from warta.benchmarks.baselines import ner, stance, summarization
    from warta.tagger import GazetteerTagger

    schema = schema or load_schema()
    release = release if isinstance(release, Release) else Release.open(release)
    configs = set(release.configs())
    step = progress or (lambda _: None)
    out: list[Baseline] = []
    titles: dict[str, str] = {}

    if "ner" in configs:
        rows = release.read("ner", split, schema=schema)
        titles = {str(r["id"]): r["title"] for r in rows if r.get("title")}
        step("ner: gazetteer tagger")
        tagger = GazetteerTagger()
        out.append(
            Baseline(
                "gazetteer-tagger",
                _meta(
                    "Gazetteer tagger",
                    f"warta's offline entity tagger ({tagger.model_version}): a gazetteer of countries, "
                    "cities, organisations and public figures in their Indonesian forms, Indonesian "
                    "date patterns, person names after titles (Presiden, Menlu, Juru bicara ...), "
                    "acronyms in parentheses and surname propagation. Uses no training data, but its rules and "
                    "gazetteer were written with the seed articles in view, so its score on them is "
                    "optimistic: read it as a sanity check of the scorer, not as evidence of generalisation.",
                ),
                {"ner": ner.gazetteer_predictions(rows, tagger)},
            )
        )

    if "stance" in configs:
        rows = release.read("stance", split, schema=schema)
        train = None
        if split != "train" and "train" in release.splits("stance"):
            train = release.read("stance", "train", schema=schema)
        labels = schema.stance_label_names
        step("stance: majority class")
        majority = stance.run_stance_baseline(stance.majority_fit_predict(labels), rows, train, split=split)
        out.append(
            Baseline(
                "majority-class",
                _meta("Majority class", f"Predicts the most frequent stance label; {majority.training}."),
                {"stance": majority.predictions},
            )
        )
        step("stance: TF-IDF + logistic regression")
        lr = stance.run_stance_baseline(stance.tfidf_lr_fit_predict(labels), rows, train, split=split)
        out.append(
            Baseline(
                "tfidf-logreg",
                _meta(
                    "TF-IDF + logistic regression",
                    "scikit-learn logistic regression (lbfgs, C=1) on TF-IDF word unigrams and bigrams "
                    "of the sentences mentioning the actor (the whole article for document-level rows); "
                    f"{lr.training}.",
                ),
                {"stance": lr.predictions},
            )
        )

    if "summarization" in configs:
        rows = release.read("summarization", split, schema=schema)
        for method, system, name, description, oracle in (
            ("lead", f"lead-{k}", f"Lead-{k}", f"The first {k} sentences of the article body.", False),
            (
                "textrank",
                f"textrank-{k}",
                f"TextRank-{k}",
                (
                    f"The {k} highest-ranked body sentences by PageRank over TF-IDF cosine "
                    "similarity (damping 0.85, power iteration), in document order."
                ),
                False,
            ),
            (
                "oracle",
                "oracle-rouge",
                "ROUGE oracle (upper bound)",
                (
                    f"ORACLE, NOT A SYSTEM: reads the gold references. The subset of at most {k} "
                    "body sentences with the highest ROUGE-1 F + ROUGE-2 F against the references "
                    "(every subset tried; greedy selection for very long articles): a ceiling for "
                    "extractive summarizers."
                ),
                True,
            ),
        ):
            step(f"summarization: {system}")
            predictions = summarization.summarization_predictions(rows, method, k, titles)
            out.append(Baseline(system, _meta(name, description, oracle=oracle), {"summarization": predictions}))
    if not out:
        raise InputError(
            f"{release.path}: release {release.version} has no labeled config (ner, stance, summarization)",
            hint="build the release with --gold",
        )
    return out


def write_baselines(
    baselines: list[Baseline], out: str | Path, *, replace: bool = False
) -> list[Path]:
    """Write each baseline as ``out/<id>/``; each folder appears complete or not at all.

    Existing system folders are refused (nothing is written) unless ``replace``, which swaps each
    folder for the new one with renames.
    """
    root = Path(out)
    existing = [b.id for b in baselines if (root / b.id).exists()]
    if existing and not replace:
        raise OutputExistsError(
            f"{root}: system folder(s) {', '.join(existing)} already exist",
            hint="pass --replace to rewrite them, or choose another --out",
        )
    root.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for baseline in baselines:
        target = root / baseline.id
        staging = Path(tempfile.mkdtemp(prefix=f".{baseline.id}.", suffix=".partial", dir=root))
        try:
            write_system(staging / baseline.id, baseline.meta, baseline.predictions)
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{baseline.id}.", suffix=".old", dir=root))
                os.replace(target, old / baseline.id)
                os.replace(staging / baseline.id, target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(staging / baseline.id, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        written.append(target)
    return written
