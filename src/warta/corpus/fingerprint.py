"""The compact fingerprint of one article: all the global steps (duplicates, stories, splits) see.

A fingerprint is a few hundred bytes however long the article: the exact-duplicate key (the first 8
bytes of the SHA-256 of the normalised text, as :mod:`warta.corpus.dedup` uses), the datasketch
MinHash signature (kept apart, in a flat ``.npy`` file, because only LSH candidates ever read it
back), the event day (:func:`warta.corpus.stories.event_date` as a proleptic ordinal, -1 when there
is none) and the story terms (:func:`warta.corpus.stories.story_terms`) as 64-bit BLAKE2b hashes.
Term hashes stand in for the strings in the similarity ``shared / sqrt(|a| |b|)``: two different
terms of one pair of articles would have to collide in 64 bits to change a decision.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from warta.article import Article
from warta.corpus.dedup import Deduplicator, normalise
from warta.corpus.settings import CorpusSettings
from warta.corpus.stories import event_date, story_terms


def term_hash(term: str) -> int:
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "big")


def exact_key64(text: str) -> int:
    digest = hashlib.sha256(normalise(text).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass
class Fingerprint:
    """What the global steps know of one article."""

    id: str
    has_text: bool
    exact: int
    day: int
    terms: list[int]  # empty when the article has fewer than ``min_terms`` terms or no date


class Fingerprinter:
    """Makes fingerprints and signatures with one set of MinHash permutations (made once)."""

    def __init__(self, settings: CorpusSettings) -> None:
        self.settings = settings
        self.dedup = Deduplicator(settings.dedup)

    def signature(self, text: str):  # noqa: ANN201 - a numpy uint32 row
        return self.dedup.signature(text)

    def fingerprint(self, article: Article) -> Fingerprint:
        has_text = bool(article.text.strip())
        day = event_date(article)
        terms: list[int] = []
        if day is not None:
            found = story_terms("\n".join([article.text, *article.captions]))
            if len(found) >= self.settings.stories.min_terms:
                terms = sorted(term_hash(t) for t in found)
        return Fingerprint(
            id=article.id,
            has_text=has_text,
            exact=exact_key64(article.text) if has_text else 0,
            day=day.toordinal() if day is not None else -1,
            terms=terms,
        )
