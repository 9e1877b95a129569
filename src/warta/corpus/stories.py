"""Group articles reporting the same event into stories (``story_id``).

Two articles are linked when (1) their event dates are at most ``window_days`` apart (the event
date is the publication date, else the first ``12 Januari 2022``-style date in the title, body or
captions) and (2) their term sets (names and acronyms of body and captions, lower-cased, minus
weekday/month names and titles such as ``Presiden``) share at least ``min_shared_terms`` terms and
have a cosine similarity (shared / sqrt(|a| |b|)) of at least ``similarity``. Duplicates
(``duplicate_of``) are always linked to their original. A story is a connected component;
``story_id`` is ``"story-" + the smallest member id``, so it is stable as long as that article is in
the corpus. Undated articles with no duplicate form their own story.

Scaling: candidates come from an inverted index of terms restricted to the date window (blocking);
very common terms in the window are not used to generate candidates (they still count in the
Jaccard), so there is no all-pairs comparison over the corpus.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from warta.article import Article
from warta.corpus.dates import first_full_date
from warta.corpus.memo import TokenMemo
from warta.corpus.rules import SENTENCE_END, STORY_STOP_TERMS
from warta.corpus.settings import StorySettings

try:  # the compiled scan; optional, see setup.py
    from warta.corpus import _terms
except ImportError:  # pragma: no cover - built wherever a C compiler is found
    _terms = None
try:  # the compiled window loop; optional, see setup.py
    from warta.corpus import _links
except ImportError:  # pragma: no cover - built wherever a C compiler is found
    _links = None

_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")
_LOWER = re.compile(r"(?<![\w'’-])[a-z][\w'’-]*")
_OPENERS = " \t\"'“‘(«"
_SENTENCE_STOPS = ".!?:"
_SENTENCE_END = "".join(sorted(SENTENCE_END))
#: Terms shared by more than this many articles of a date window do not generate candidates.
MAX_POSTINGS = 200


def story_terms(text: str) -> frozenset[str]:
    """Names and acronyms of a text, lower-cased: capitalised words inside a sentence whose
    lower-case form the text never uses, and all-caps acronyms (a capitalised word that only
    opens sentences is not evidence of a name). In heading-like lines (no final punctuation,
    usually Title Case) only acronyms count. Hyphenated names are split (``NATO-Rusia``).

    The two word sets come from one pass of C (``warta.corpus._terms``) where it was built, else
    from :func:`token_candidates`; a test checks both against the definition by two regex scans on
    random text."""
    if _terms is not None:
        return chosen_terms(*_terms.candidates(text, _SENTENCE_END, _OPENERS, _SENTENCE_STOPS))
    return chosen_terms(*token_candidates(text))


def chosen_terms(capitalised: set[str], lowercase: set[str]) -> frozenset[str]:
    """The terms among the capitalised words: acronyms, and names whose lower-case form the text
    never uses, lower-cased, minus :data:`~warta.corpus.rules.STORY_STOP_TERMS`."""
    return frozenset(
        word.lower()
        for word in capitalised
        if (word.isupper() or word.lower() not in lowercase) and word.lower() not in STORY_STOP_TERMS
    )


def token_candidates(text: str) -> tuple[set[str], set[str]]:
    """The capitalised and lower-case word sets of :func:`story_terms`, in Python.

    Read a space-separated token at a time, through a bounded memo of what each token holds
    (:func:`_token_runs`), instead of two regex scans of the whole text: the same terms in about
    half the time (the lower-case set may hold other words, none that a term depends on)."""
    lowercase: set[str] = set()
    capitalised: set[str] = set()
    memo = _TOKEN_RUNS
    get = memo.start().get
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        heading = line[-1] not in SENTENCE_END
        context: str | None = None  # the last character so far that is not an opener
        for token in line.split(" "):
            found = get(token)
            runs, tail, lower_words = memo.add(token) if found is None else found
            if lower_words:
                lowercase.update(lower_words)
            for acronyms, names, lower, opens in runs:
                if acronyms:
                    capitalised.update(acronyms)
                if lower:
                    lowercase.update(lower)
                if names and not heading:
                    if opens is None:  # only openers before it in the token: the line decides
                        opens = context is None or context in _SENTENCE_STOPS
                    if not opens:
                        capitalised.update(names)
            if tail is not None:
                context = tail
    return capitalised, lowercase


_Run = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], "bool | None"]
_TokenRuns = tuple[tuple[_Run, ...], "str | None", tuple[str, ...]]
def _token_runs(token: str) -> _TokenRuns:
    """What :func:`story_terms` needs of one token of a line. A token holds no space, so no run of
    word characters crosses it, and a space is an opener. For each capitalised run
    (:data:`_CAPITALISED`): its parts (acronyms, names, lower case) and whether it opens a sentence
    (None when only openers precede it in the token: the characters before the token decide).
    Then the token's last character that is not an opener, and its lower-case words
    (:data:`_LOWER`, hyphenated ones also in parts)."""
    runs = []
    for match in _CAPITALISED.finditer(token):
        j = match.start() - 1
        while j >= 0 and token[j] in _OPENERS:
            j -= 1
        runs.append((*_capitalised_parts(match.group()), None if j < 0 else token[j] in _SENTENCE_STOPS))
    j = len(token) - 1
    while j >= 0 and token[j] in _OPENERS:
        j -= 1
    lower = _LOWER.findall(token)
    lower += [part for run in lower if "-" in run for part in run.split("-")]
    return tuple(runs), (token[j] if j >= 0 else None), tuple(lower)


def _capitalised_parts(word: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The parts of a capitalised match (split at hyphens, quotes stripped, two letters or more):
    acronyms (all caps: always terms), capitalised parts (terms unless they open a sentence or
    stand in a heading) and lower-case parts (evidence that a word is not a name)."""
    acronyms: list[str] = []
    names: list[str] = []
    lower: list[str] = []
    for part in word.split("-"):
        part = part.strip("'’")
        if len(part) < 2:
            continue
        if part.isupper():
            acronyms.append(part)
        elif part[0].isupper():
            names.append(part)
        else:
            lower.append(part)
    return tuple(acronyms), tuple(names), tuple(lower)


#: Space-separated token -> what :func:`story_terms` needs of it (~40 MB when full).
_TOKEN_RUNS: TokenMemo[str, _TokenRuns] = TokenMemo(_token_runs, 1 << 17)


def event_date(article: Article) -> date | None:
    if article.published:
        try:
            return date.fromisoformat(article.published[:10])
        except ValueError:
            pass
    for text in (article.title or "", article.text, *article.captions):
        found = first_full_date(text)
        if found is not None:
            return found
    return None


class _Components:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def term_similarity(a: frozenset[str], b: frozenset[str]) -> tuple[float, int]:
    """Cosine similarity of the two binary term vectors (Ochiai: shared / sqrt(|a| |b|)), and the
    number of shared terms. Unlike Jaccard it does not punish a long article against a short one."""
    shared = len(a & b)
    return (shared / math.sqrt(len(a) * len(b)) if shared else 0.0), shared


def assign_stories(articles: Sequence[Article], settings: StorySettings | None = None) -> int:
    """Set ``story_id`` on every article; return the number of stories."""
    settings = settings or StorySettings()
    order = sorted(range(len(articles)), key=lambda i: articles[i].id)
    components = _Components(len(articles))
    index_of = {articles[i].id: i for i in order}
    for i in order:
        original = articles[i].duplicate_of
        if original is not None and original in index_of:
            components.union(i, index_of[original])

    dated: dict[int, list[int]] = defaultdict(list)
    terms: dict[int, frozenset[str]] = {}
    for i in order:
        day = event_date(articles[i])
        if day is None:
            continue
        article = articles[i]
        found = story_terms("\n".join([article.text, *article.captions]))
        if len(found) < settings.min_terms:
            continue
        terms[i] = found
        dated[day.toordinal()].append(i)

    window = settings.window_days
    for day in sorted(dated):
        # Postings of every term over the days [day - window, day].
        postings: dict[str, list[int]] = defaultdict(list)
        for other_day in range(day - window, day):
            for j in dated.get(other_day, ()):
                for term in terms[j]:
                    postings[term].append(j)
        for i in dated[day]:
            candidates: set[int] = set()
            for term in terms[i]:
                bucket = postings.get(term)
                if bucket and len(bucket) <= MAX_POSTINGS:
                    candidates.update(bucket)
            for j in sorted(candidates):
                if components.find(i) == components.find(j):
                    continue
                score, shared = term_similarity(terms[i], terms[j])
                if score >= settings.similarity and shared >= settings.min_shared_terms:
                    components.union(i, j)
            for term in terms[i]:
                postings[term].append(i)

    members: dict[int, list[str]] = defaultdict(list)
    for i in order:
        members[components.find(i)].append(articles[i].id)
    for i in order:
        articles[i].story_id = "story-" + min(members[components.find(i)])
    return len(members)


def window_links(
    days: Any, ranks: Any, starts: Any, lengths: Any, values: Any,
    *, first_day: int, window: int, similarity: float, min_shared_terms: int,
) -> Any:
    """The story links among articles given in processing order (event day, then rank), as an
    ``(n, 2)`` int64 array of (rank of the later article, rank of the earlier one).

    The blocking of :func:`assign_stories`: each article whose day is at least ``first_day`` is
    compared with the articles before it that are at most ``window`` days older and share a term
    whose postings among them number at most :data:`MAX_POSTINGS`. Article ``k``'s terms are
    ``values[starts[k]:starts[k] + lengths[k]]`` (term hashes; repeats count once), and ``values``
    is sorted in place, one article's slice at a time, so pass an array the caller owns. One pass
    of C (``warta.corpus._links``) where it was built, else :func:`_window_links_python`; a test
    checks the two give the same links on random inputs."""
    import numpy as np

    days = np.ascontiguousarray(days, dtype=np.int32)
    ranks, starts, lengths = (np.ascontiguousarray(a, dtype=np.int64) for a in (ranks, starts, lengths))
    if _links is None or values.dtype != np.uint64 or not values.flags.c_contiguous or not values.flags.writeable:
        return _window_links_python(days, ranks, starts, lengths, values, first_day, window, similarity, min_shared_terms)
    found = _links.window_links(
        days, ranks, starts, lengths, values, first_day, window, similarity, min_shared_terms, MAX_POSTINGS
    )
    return np.frombuffer(found, dtype=np.int64).reshape(-1, 2)


def _window_links_python(
    days: Any, ranks: Any, starts: Any, lengths: Any, values: Any,
    first_day: int, window: int, similarity: float, min_shared_terms: int,
) -> Any:
    """:func:`window_links` in Python: the postings of the window rebuilt for each day."""
    import numpy as np

    first_of_day: dict[int, tuple[int, int]] = {}
    bounds = np.flatnonzero(np.concatenate(([True], days[1:] != days[:-1], [True]))) if len(days) else np.zeros(1, dtype=np.int64)
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        first_of_day[int(days[a])] = (a, b)

    window_terms: dict[int, list[tuple[int, frozenset[int]]]] = {}

    def members(day: int) -> list[tuple[int, frozenset[int]]]:
        held = window_terms.get(day)
        if held is None:
            a, b = first_of_day.get(day, (0, 0))
            held = window_terms[day] = [
                (int(ranks[k]), frozenset(values[starts[k] : starts[k] + lengths[k]].tolist())) for k in range(a, b)
            ]
        return held

    edges: list[tuple[int, int]] = []
    for day in sorted(d for d in first_of_day if d >= first_day):
        for old in [d for d in window_terms if d < day - window]:
            del window_terms[old]
        postings: dict[int, list[int]] = defaultdict(list)
        terms_of: dict[int, frozenset[int]] = {}
        for other_day in range(day - window, day):
            if other_day not in first_of_day:
                continue
            for j, found in members(other_day):
                terms_of[j] = found
                for term in found:
                    postings[term].append(j)
        for i, mine in members(day):
            candidates: set[int] = set()
            for term in mine:
                bucket = postings.get(term)
                if bucket and len(bucket) <= MAX_POSTINGS:
                    candidates.update(bucket)
            for j in candidates:
                other = terms_of[j]
                shared = len(mine & other)
                if shared >= min_shared_terms and shared / math.sqrt(len(mine) * len(other)) >= similarity:
                    edges.append((i, j))
            terms_of[i] = mine
            for term in mine:
                postings[term].append(i)
    return np.array(edges, dtype=np.int64).reshape(-1, 2)
