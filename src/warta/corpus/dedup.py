"""Mark exact and near duplicates (``duplicate_of``); nothing is dropped.

Exact: SHA-256 of the normalised text (NFKC, case-folded, whitespace collapsed). Near: MinHash
(datasketch) over word shingles (32-bit shingle hashes, see :func:`shingle_hashes`), computed in
one pass of C (``warta.corpus._minhash``) or, where it was not compiled, with NumPy; candidates
from LSH banding with datasketch's choice of bands and rows, confirmed when the estimated Jaccard similarity of the two signatures reaches the threshold.
Duplicate groups are connected components (if B duplicates A and C duplicates B, C is in A's
group) and ``duplicate_of`` is the smallest id of the group, whatever the input order. Memory per
article is an 8-byte hash and one 32-bit signature; there is no pairwise comparison over the corpus.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from warta.corpus.memo import TokenMemo
from warta.corpus.settings import DedupSettings

if TYPE_CHECKING:
    from warta.article import Article

try:  # the compiled signature loop; optional, see setup.py
    from warta.corpus import _minhash
except ImportError:  # pragma: no cover - built wherever a C compiler is found
    _minhash = None

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """NFKC, then case-folded: the form every key and shingle of this module is made from."""
    return unicodedata.normalize("NFKC", text).casefold()


def normalise(text: str) -> str:
    """:func:`fold`, whitespace runs made one space, none at the ends: ``" ".join(fold(text).split())``,
    computed by the compiled loop when it is built (no list of words: ~5 against ~14 µs an article)."""
    folded = fold(text)
    return _minhash.collapse_spaces(folded) if _minhash is not None else " ".join(folded.split())


def exact_key(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _token_codes(token: str) -> tuple[int, ...]:
    return tuple(zlib.crc32(word.encode("utf-8")) for word in _WORD.findall(token))


#: Whitespace token -> CRC-32s of its words (~25 MB when full).
_TOKEN_CODES: TokenMemo[str, tuple[int, ...]] = TokenMemo(_token_codes, 1 << 17)


def word_codes(text: str) -> list[int]:
    """The CRC-32 of each word of :func:`_words`, in order, computed a whitespace token at a time.

    The same list as hashing :func:`_words` (a test checks it on random text): ``\\w`` never
    matches whitespace, so the words of the text are the words of its tokens, and a token's
    words are found once however often it recurs."""
    memo = _TOKEN_CODES
    get = memo.start().get
    codes: list[int] = []
    for token in fold(text).split():
        found = get(token)
        codes += memo.add(token) if found is None else found
    return codes


def shingle_hashes(text: str, size: int):
    """32-bit hashes of the word ``size``-grams (as in :func:`shingles`), computed vectorised: a
    polynomial over the CRC-32 of each word, folded to 32 bits. Deterministic across processes."""
    import numpy as np

    found = word_codes(text)
    if not found:
        return np.zeros(0, dtype=np.uint64)
    codes = np.array(found, dtype=np.uint64)
    width = min(size, len(codes))
    count = len(codes) - width + 1
    with np.errstate(over="ignore"):
        mixed = np.zeros(count, dtype=np.uint64)
        for offset in range(width):
            mixed = mixed * np.uint64(0x100000001B3) + codes[offset : offset + count] + np.uint64(offset + 1)
        mixed ^= mixed >> np.uint64(29)
        mixed *= np.uint64(0xBF58476D1CE4E5B9)
        mixed ^= mixed >> np.uint64(32)
    return np.unique(mixed & np.uint64(0xFFFFFFFF))


def shingles(text: str, size: int) -> list[bytes]:
    """Word ``size``-grams of the normalised text (the whole text if it is shorter)."""
    words = _words(text)
    if not words:
        return []
    if len(words) <= size:
        return [" ".join(words).encode("utf-8")]
    return list({" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)})


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands ``b`` and rows ``r`` minimising false positives + false negatives around ``threshold``
    (equal weights), the criterion of datasketch's ``MinHashLSH`` (``_optimal_param``)."""
    import numpy as np

    integrate = getattr(np, "trapezoid", None) or np.trapz
    s_low = np.linspace(0.0, threshold, 1001)
    s_high = np.linspace(threshold, 1.0, 1001)
    best, best_error = (1, 1), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = integrate(1 - (1 - s_low**r) ** b, s_low)
            fn = integrate((1 - s_high**r) ** b, s_high)
            if fp + fn < best_error:
                best, best_error = (b, r), fp + fn
    return best


def band_key(rows, band: int):  # noqa: ANN001, ANN201 - numpy arrays
    """The LSH bucket key of ``band`` for each signature: its rows folded FNV-style, seeded by the band."""
    import numpy as np

    key = np.full(len(rows), band + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in range(rows.shape[1]):
            key = key * np.uint64(0x100000001B3) ^ rows[:, column].astype(np.uint64)
    return key


def equal_runs(keys):  # noqa: ANN001, ANN201 - numpy arrays
    """Index arrays of the runs of equal keys (two or more), each in increasing index order."""
    import numpy as np

    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    same = np.flatnonzero(ordered[1:] == ordered[:-1])
    if not len(same):
        return
    # Split the positions of repeated keys into runs of consecutive positions.
    starts = same[np.concatenate(([True], np.diff(same) != 1))]
    n = len(keys)
    for start in starts:
        stop = start + 1
        while stop < n and ordered[stop] == ordered[start]:
            stop += 1
        yield order[start:stop]


#: Articles in one LSH bucket compared with at most this many earlier members of the bucket.
MAX_BUCKET_COMPARISONS = 16
_CHUNK = 4096


class Deduplicator:
    """Collect one MinHash signature per article (``add``), then group duplicates (``groups``).

    Memory per article is its id, an 8-byte exact-text hash and a ``num_perm`` x 32-bit signature,
    kept in numpy blocks. Candidates come from LSH banding done by sorting band hashes (datatrove's
    approach) instead of an in-memory bucket table; a candidate pair is a near duplicate when the
    estimated Jaccard (share of equal signature values) reaches the threshold. Groups are connected
    components; each is represented by its smallest id.
    """

    def __init__(self, settings: DedupSettings | None = None) -> None:
        import numpy as np
        from datasketch import MinHash

        self.settings = settings or DedupSettings()
        self._np = np
        self._MinHash = MinHash
        self._template = MinHash(num_perm=self.settings.num_perm, seed=self.settings.seed, hashfunc=int)
        self.bands, self.rows = lsh_params(self.settings.threshold, self.settings.num_perm)
        self._ids: list[str] = []
        self._exact = np.zeros(_CHUNK, dtype=np.uint64)
        self._blocks: list = []
        self._fast = None
        try:
            from datasketch.minhash import _fmix

            if self._template.scheme == "affine32":
                a, b = self._template.permutations
                self._fast = (_fmix, a.astype(np.uint32), b.astype(np.uint32), self._template.hashvalues.copy())
        except (ImportError, AttributeError):
            self._fast = None

    def signature(self, text: str):
        """The datasketch MinHash values of ``text``'s word shingles.

        For datasketch's default ``affine32`` scheme the values are computed here directly (the
        MurmurHash3 pre-mix, then ``a * h + b`` in uint32, minimum per permutation), skipping the
        per-article MinHash object: by the C loop of ``warta.corpus._minhash`` when it is built
        (~10x faster), else by :meth:`numpy_signature`. :meth:`reference_signature` is datasketch
        itself; tests check all three agree."""
        fast = self._fast
        if fast is None:
            return self.reference_signature(text)
        if _minhash is None:
            return self.numpy_signature(text)
        _, a, b, empty = fast
        values = self._np.empty(len(a), dtype=self._np.uint32)
        return values if _minhash.signature(fold(text), self.settings.shingle_size, a, b, values) else empty.copy()

    def numpy_signature(self, text: str):
        """:meth:`signature` with NumPy (the ``affine32`` scheme only)."""
        np = self._np
        fmix, a, b, empty = self._fast
        hv = shingle_hashes(text, self.settings.shingle_size)
        if not len(hv):
            return empty.copy()
        with np.errstate(over="ignore"):
            mixed = fmix(hv.astype(np.uint32).reshape(-1, 1), 32)
            return (mixed * a + b).min(axis=0)

    def reference_signature(self, text: str):
        """The signature computed by datasketch's ``MinHash.update_batch``."""
        minhash = self._MinHash(
            num_perm=self.settings.num_perm,
            seed=self.settings.seed,
            permutations=self._template.permutations,
            scheme=self._template.scheme,
            hashfunc=int,
        )
        minhash.update_batch(shingle_hashes(text, self.settings.shingle_size).tolist())
        return minhash.hashvalues

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, article_id: str, text: str) -> None:
        """Remember one article. Empty texts are never duplicates and are not stored."""
        np = self._np
        if not text.strip():
            return
        n = len(self._ids)
        if n % _CHUNK == 0:
            self._blocks.append(np.empty((_CHUNK, self.settings.num_perm), dtype=np.uint32))
            if n >= len(self._exact):
                self._exact = np.concatenate([self._exact, np.zeros(len(self._exact), dtype=np.uint64)])
        self._blocks[-1][n % _CHUNK] = self.signature(text)
        digest = hashlib.sha256(normalise(text).encode("utf-8")).digest()
        self._exact[n] = int.from_bytes(digest[:8], "big")
        self._ids.append(article_id)

    def groups(self) -> dict[str, str]:
        """``{id: smallest id of its group}`` for every article that duplicates another."""
        np = self._np
        n = len(self._ids)
        if n < 2:
            return {}
        ids = self._ids
        blocks = self._blocks

        def signatures_of(indices):
            return np.stack([blocks[i // _CHUNK][i % _CHUNK] for i in indices])
        parent = list(range(n))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        def union(a: int, b: int) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                if ids[rb] < ids[ra]:
                    ra, rb = rb, ra
                parent[rb] = ra


        for members in equal_runs(self._exact[:n]):
            for other in members[1:]:
                union(int(members[0]), int(other))

        threshold = self.settings.threshold
        for band in range(self.bands):
            keys = np.empty(n, dtype=np.uint64)
            for number, block in enumerate(blocks):
                rows = block[: min(_CHUNK, n - number * _CHUNK), band * self.rows : (band + 1) * self.rows]
                keys[number * _CHUNK : number * _CHUNK + len(rows)] = band_key(rows, band)
            for members in equal_runs(keys):
                for j in range(1, len(members)):
                    current = int(members[j])
                    earlier = members[max(0, j - MAX_BUCKET_COMPARISONS) : j]
                    mine = blocks[current // _CHUNK][current % _CHUNK]
                    similar = (signatures_of(earlier) == mine).mean(axis=1) >= threshold
                    for other in earlier[similar]:
                        union(current, int(other))
        return {ids[i]: ids[find(i)] for i in range(n) if find(i) != i}


def mark_duplicates(articles: Iterable[Article], settings: DedupSettings | None = None) -> int:
    """Set ``duplicate_of`` on every article (None for originals); return how many are duplicates."""
    articles = list(articles)
    dedup = Deduplicator(settings)
    for article in articles:
        dedup.add(article.id, article.text)
    groups = dedup.groups()
    for article in articles:
        article.duplicate_of = groups.get(article.id)
    return len(groups)
