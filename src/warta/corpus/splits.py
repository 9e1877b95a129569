"""Assign train/validation/test by story, so no story (and no duplicate) straddles two splits.

A story's split is fixed by ``u = SHA-256(salt + story_id)`` read as a number in [0, 1), compared
with the cumulative ratios (train, then validation, then test). It depends only on the story id,
the salt and the ratios: adding articles never moves an existing story unless its id changes.

Small corpora: with fewer than ``min_stories_for_training`` stories (default 20) every story goes to
``small_corpus_split`` (default ``test``): a corpus that small can only serve as an evaluation set,
and a hash split of a handful of stories would give arbitrary, mostly empty splits. When the corpus
grows past the threshold, the hash split takes over (this moves stories out of ``test``; the
release's CHANGELOG should say so).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from warta.article import Article
from warta.corpus.settings import SPLITS, SplitSettings


def story_unit(story_id: str, salt: str) -> float:
    digest = hashlib.sha256(f"{salt}\x00{story_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split_of(story_id: str, settings: SplitSettings | None = None) -> str:
    settings = settings or SplitSettings()
    u = story_unit(story_id, settings.salt)
    cumulative = 0.0
    for name in SPLITS:
        cumulative += settings.ratios[name]
        if u < cumulative:
            return name
    return next(name for name in reversed(SPLITS) if settings.ratios[name] > 0)


def assign_splits(articles: Sequence[Article], settings: SplitSettings | None = None) -> dict[str, int]:
    """Set ``split`` on every article (``story_id`` must be set); return article counts per split."""
    settings = settings or SplitSettings()
    stories = {article.story_id or article.id for article in articles}
    small = len(stories) < settings.min_stories_for_training
    counts = dict.fromkeys(SPLITS, 0)
    for article in articles:
        story = article.story_id or article.id
        article.split = settings.small_corpus_split if small else split_of(story, settings)
        counts[article.split] += 1
    return counts
