"""The word tokenizer behind every token-level view: the ``ner`` config's ``tokens``/``ner_tags``,
token-level agreement and IOB2 scoring.

A token is a run of word characters that may contain inner hyphens, dots, commas, apostrophes or
slashes (``anak-anak``, ``100.000``, ``1,5``, ``Jum'at`` stay whole), or a single other non-space
character. Given entity spans, a token is additionally cut at every entity boundary that falls
inside it, so a token never straddles an entity edge: ``NATO-Rusia`` with entities ``NATO`` and
``Rusia`` becomes ``NATO``, ``-``, ``Rusia``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from warta.spans import EntitySpan

_TOKEN = re.compile(r"\w+(?:[-.,'’/]\w+)*|[^\w\s]")


def token_spans(text: str, cut_at: Iterable[int] = ()) -> list[tuple[int, int]]:
    """``(start, end)`` of each token, cut additionally at the offsets in ``cut_at``."""
    cuts = sorted(set(cut_at))
    spans: list[tuple[int, int]] = []
    import bisect

    for match in _TOKEN.finditer(text):
        start, end = match.span()
        lo = bisect.bisect_right(cuts, start)
        hi = bisect.bisect_left(cuts, end)
        for cut in cuts[lo:hi]:
            if text[start:cut].strip():
                spans.append((start, cut))
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            spans.append((start, end))
    return spans


def entity_token_spans(text: str, entities: Sequence[EntitySpan]) -> list[tuple[int, int]]:
    """Token spans of ``text`` cut at the boundaries of ``entities`` (the ``ner`` config's tokens)."""
    return token_spans(text, cut_at=[o for e in entities for o in (e.start, e.end)])


def iob2_tags(tokens: Sequence[tuple[int, int]], entities: Sequence[EntitySpan]) -> list[str]:
    """IOB2 tag per token: a token belongs to the first entity (by start) it overlaps.

    The first overlapping token of an entity gets ``B-``, the following ones ``I-``. With tokens from
    :func:`entity_token_spans` over the same entities, this is exact and lossless for
    non-overlapping entities.
    """
    tags = ["O"] * len(tokens)
    ordered = sorted(entities, key=lambda e: (e.start, -e.end))
    j = 0
    for i, (start, end) in enumerate(tokens):
        while j < len(ordered) and ordered[j].end <= start:
            j += 1
        if j < len(ordered) and ordered[j].start < end:
            entity = ordered[j]
            previous = tokens[i - 1] if i else None
            inside = previous is not None and previous[1] > entity.start and tags[i - 1] != "O"
            tags[i] = f"{'I' if inside else 'B'}-{entity.label}"
    return tags
