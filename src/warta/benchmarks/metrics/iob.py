"""Token-level chunk scoring of IOB2 tag sequences, equal to seqeval 1.2.2.

Two modes, both explicit (seqeval silently falls back to the lenient one when ``mode="strict"`` is
given without a scheme; here there is no fallback):

* ``default`` — conlleval / ``seqeval.metrics.f1_score(y_true, y_pred)``: a chunk starts at ``B-X``,
  and also at ``I-X`` after ``O``, after another type, or at the start of a sentence; it continues over
  ``I-X`` of the same type;
* ``strict`` — ``f1_score(..., mode="strict", scheme=IOB2)``: only runs that begin with ``B-X`` and
  continue over ``I-X`` are chunks; an ``I-X`` that does not continue a chunk belongs to none.

``[I-PER, I-PER]`` against gold ``[B-PER, I-PER]`` scores 1.0 in default mode and 0.0 in strict mode.
A predicted chunk is a true positive when a gold chunk has the same type, start and end. Micro scores
sum counts over types; macro scores average per-type P, R and F1 over the types that occur in gold
or predictions (seqeval's ``average="macro"``, undefined values counting as 0), summed in sorted
type order as seqeval does, so that the floating-point result is identical.

Accepted tags are ``O``, ``B-<type>`` and ``I-<type>``; anything else is a ``ValueError``. Chunking is
vectorised with numpy over all sentences at once. Per-document sufficient statistics are, per type,
``tp``, ``pred`` and ``gold`` chunk counts.

:func:`spans_to_iob2` turns character spans into IOB2 tags over :mod:`warta.tokenize` tokens, the
same conversion that builds the ``ner`` config's ``ner_tags``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from warta.prf import PRF, macro_prf
from warta.spans import EntitySpan
from warta.tokenize import entity_token_spans, iob2_tags

MODES = ("default", "strict")
FIELDS = ("tp", "pred", "gold")


class _TagCodes(dict):
    """tag -> code (0 for O, 2t+1 for B-type t, 2t+2 for I-type t), learning types on first sight."""

    def __init__(self, labels: Sequence[str] | None) -> None:
        super().__init__()
        self["O"] = 0
        self.fixed = labels is not None
        self.types: list[str] = list(labels or [])
        self.type_index = {t: i for i, t in enumerate(self.types)}

    def __missing__(self, tag: str) -> int:
        if not isinstance(tag, str) or len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI":
            raise ValueError(f"not an IOB2 tag: {tag!r} (expected O, B-<type> or I-<type>)")
        kind = tag[2:]
        if kind not in self.type_index:
            if self.fixed:
                raise ValueError(f"tag {tag!r}: type {kind!r} is not one of {self.types}")
            self.type_index[kind] = len(self.types)
            self.types.append(kind)
        code = 2 * self.type_index[kind] + (1 if tag[0] == "B" else 2)
        self[tag] = code
        return code


def statistic_columns(labels: Sequence[str]) -> list[str]:
    return [f"{field}.{label}" for label in labels for field in FIELDS]


@dataclass(frozen=True)
class IobEvaluation:
    """Per-document chunk counts of one mode; corpus views are sums of them."""

    mode: str
    labels: tuple[str, ...]
    statistics: np.ndarray  # (n_documents, 3 * len(labels)): tp, pred, gold per type

    @property
    def columns(self) -> list[str]:
        return statistic_columns(self.labels)

    def per_type(self) -> dict[str, PRF]:
        sums = self.statistics.sum(0)
        out = {}
        for i, label in enumerate(self.labels):
            tp, pred, gold = (int(v) for v in sums[3 * i : 3 * i + 3])
            out[label] = PRF(tp, pred - tp, gold - tp)
        return out

    def micro(self) -> PRF:
        return PRF.total(self.per_type().values())

    def present_labels(self) -> list[str]:
        return [label for label, c in self.per_type().items() if c.n_gold or c.n_predicted]

    def macro(self) -> tuple[float | None, float | None, float | None]:
        per = self.per_type()
        return macro_prf([per[label] for label in sorted(self.present_labels())])


class _Coded:
    """The non-O tags of all sequences: flat positions (sorted) and codes; plus sequence lengths."""

    __slots__ = ("codes", "lengths", "positions", "total")

    def __init__(self, positions: np.ndarray, codes: np.ndarray, lengths: np.ndarray) -> None:
        self.positions = positions
        self.codes = codes
        self.lengths = lengths
        self.total = int(lengths.sum())


def _lengths(sequences: Sequence[Sequence[str]]) -> np.ndarray:
    return np.fromiter(map(len, sequences), dtype=np.int64, count=len(sequences))


def _code_by_lookup(sequences: Sequence[Sequence[str]], codes: _TagCodes, lengths: np.ndarray) -> _Coded:
    total = int(lengths.sum())
    flat = np.fromiter(map(codes.__getitem__, chain.from_iterable(sequences)), dtype=np.int64, count=total)
    positions = np.flatnonzero(flat)
    return _Coded(positions, flat[positions], lengths)


_B, _I, _O, _DASH, _NEWLINE = (ord(c) for c in "BIO-\n")
_TYPE_BYTES = 8
_ALL_ONES = np.uint64(0xFFFFFFFFFFFFFFFF)


def _pack(name: str) -> int | None:
    data = name.encode("utf-8")
    return int.from_bytes(data.ljust(_TYPE_BYTES, b"\0"), "big") if len(data) <= _TYPE_BYTES else None


def _code(sequences: Sequence[Sequence[str]], codes: _TagCodes) -> _Coded:
    """Codes of the non-O tags of all sequences.

    Fast path: the tags are joined into one byte string and decoded with numpy (prefix byte, ``-``,
    type bytes packed into one 64-bit integer), which avoids a Python-level step per tag. Anything it
    does not cover (non-string tags, types longer than 8 bytes, malformed tags, NUL or newline bytes)
    goes through the plain dictionary lookup, which also raises the errors.
    """
    lengths = _lengths(sequences)
    total = int(lengths.sum())
    if total == 0:
        return _Coded(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), lengths)
    try:
        data = "\n".join(map("\n".join, filter(None, sequences))).encode("utf-8")
    except (TypeError, UnicodeEncodeError):
        return _code_by_lookup(sequences, codes, lengths)
    if b"\0" in data:
        return _code_by_lookup(sequences, codes, lengths)
    size = len(data)
    arr = np.frombuffer(data + b"\n" + b"\0" * (_TYPE_BYTES + 2), dtype=np.uint8)
    ends = np.flatnonzero(arr[: size + 1] == _NEWLINE)
    if len(ends) != total:
        return _code_by_lookup(sequences, codes, lengths)
    starts = np.empty(total, dtype=np.int64)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    tag_len = ends - starts
    positions = np.flatnonzero((arr[starts] != _O) | (tag_len != 1))
    s, length = starts[positions], tag_len[positions]
    prefix = arr[s]
    valid = ((prefix == _B) | (prefix == _I)) & (arr[s + 1] == _DASH) & (length >= 3) & (length <= _TYPE_BYTES + 2)
    if not bool(valid.all()):
        return _code_by_lookup(sequences, codes, lengths)
    type_len = length - 2
    windows = np.lib.stride_tricks.as_strided(arr, shape=(len(arr) - _TYPE_BYTES + 1, _TYPE_BYTES), strides=(1, 1))
    packed = windows[s + 2].view(">u8").ravel().astype(np.uint64)
    packed &= _ALL_ONES << (8 * (_TYPE_BYTES - type_len)).astype(np.uint64)
    # type ids: a binary search among the packed known types; unknown ones are learned one by one
    while True:
        known = [(value, i) for i, name in enumerate(codes.types) if (value := _pack(name)) is not None]
        values = np.array(sorted(known), dtype=np.uint64).reshape(-1, 2)
        if len(values):
            slot = np.minimum(np.searchsorted(values[:, 0], packed), len(values) - 1)
            matched = values[slot, 0] == packed
            type_id = values[slot, 1].astype(np.int64)
        else:
            matched = np.zeros(len(packed), dtype=bool)
            type_id = np.zeros(len(packed), dtype=np.int64)
        unknown = np.flatnonzero(~matched)
        if not len(unknown):
            break
        j = int(unknown[0])
        start = int(s[j]) + 2
        codes["B-" + data[start : start + int(type_len[j])].decode("utf-8")]  # learns it, or raises
    return _Coded(positions, 2 * type_id + np.where(prefix == _B, 1, 2), lengths)


def _chunk_keys(coded: _Coded, mode: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, end exclusive, type) of every chunk, in order, over the flattened sentences."""
    pos, code = coded.positions, coded.codes
    if not len(pos):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    kind = (code - 1) // 2
    is_i = code % 2 == 0
    sentence_start = np.zeros(coded.total + 1, dtype=bool)
    offsets = np.cumsum(coded.lengths) - coded.lengths
    sentence_start[offsets[coded.lengths > 0]] = True
    # token k continues token k-1's chunk: I- of the same type right after it, in the same sentence
    cont = np.zeros(len(pos), dtype=bool)
    cont[1:] = is_i[1:] & (pos[1:] == pos[:-1] + 1) & (kind[1:] == kind[:-1])
    cont &= ~sentence_start[pos]
    first = np.flatnonzero(~cont)
    last = np.empty(len(first), dtype=np.int64)
    last[:-1] = first[1:] - 1
    last[-1] = len(pos) - 1
    run_start, run_end, run_kind = pos[first], pos[last] + 1, kind[first]
    if mode == "strict":
        keep = ~is_i[first]
        run_start, run_end, run_kind = run_start[keep], run_end[keep], run_kind[keep]
    return run_start, run_end, run_kind


def score_iob(
    gold: Sequence[Sequence[str]],
    predicted: Sequence[Sequence[str]],
    *,
    mode: str = "default",
    labels: Sequence[str] | None = None,
) -> IobEvaluation:
    """Chunk-level counts of ``predicted`` tag sequences against ``gold``, one document per sequence.

    ``labels`` fixes the types and their order (default: sorted types seen); sequences must have
    equal lengths pairwise.
    """
    if mode not in MODES:
        raise ValueError(f"unknown IOB2 mode {mode!r}; expected one of {', '.join(MODES)}")
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sequences but {len(predicted)} predicted")
    codes = _TagCodes(labels)
    g_coded = _code(gold, codes)
    p_coded = _code(predicted, codes)
    g_len, p_len = g_coded.lengths, p_coded.lengths
    if not np.array_equal(g_len, p_len):
        i = int(np.argmax(g_len != p_len))
        raise ValueError(f"sequence {i}: {g_len[i]} gold tags but {p_len[i]} predicted")
    types = codes.types
    order = sorted(range(len(types)), key=types.__getitem__) if labels is None else list(range(len(types)))
    remap = np.empty(max(len(types), 1), dtype=np.int64)
    remap[order] = np.arange(len(order))
    final_labels = tuple(types[i] for i in order)
    n_labels, n_docs = len(final_labels), len(gold)
    stats = np.zeros((n_docs, n_labels, 3), dtype=np.int64)
    if n_labels == 0 or n_docs == 0:
        return IobEvaluation(mode, final_labels, stats.reshape(n_docs, 3 * n_labels))
    offsets = np.cumsum(g_len) - g_len
    width = g_coded.total + 1
    cells = n_docs * n_labels

    def keyed(coded: _Coded) -> tuple[np.ndarray, np.ndarray]:
        start, end, kind = _chunk_keys(coded, mode)
        kind = remap[kind]
        key = (start * width + end) * n_labels + kind
        # empty sentences share an offset with the next one; searchsorted picks the last, non-empty
        doc = np.searchsorted(offsets, start, side="right") - 1
        return key, doc * n_labels + kind

    g_key, g_cell = keyed(g_coded)
    p_key, p_cell = keyed(p_coded)
    # keys come out sorted (chunk starts increase), so the intersection is a binary search
    if len(p_key):
        pos = np.searchsorted(p_key, g_key)
        pos[pos == len(p_key)] = 0
        g_idx = np.flatnonzero(p_key[pos] == g_key)
    else:
        g_idx = np.zeros(0, dtype=np.int64)
    stats[:, :, 0] = np.bincount(g_cell[g_idx], minlength=cells).reshape(n_docs, n_labels)
    stats[:, :, 1] = np.bincount(p_cell, minlength=cells).reshape(n_docs, n_labels)
    stats[:, :, 2] = np.bincount(g_cell, minlength=cells).reshape(n_docs, n_labels)
    return IobEvaluation(mode, final_labels, stats.reshape(n_docs, 3 * n_labels))


def chunks(tags: Sequence[str], mode: str = "default") -> list[tuple[str, int, int]]:
    """``(type, start, end)`` chunks of one sequence (token indices, ``end`` exclusive)."""
    evaluation_codes = _TagCodes(None)
    start, end, kind = _chunk_keys(_code([tags], evaluation_codes), mode)
    return [(evaluation_codes.types[k], s, e) for s, e, k in zip(start.tolist(), end.tolist(), kind.tolist())]


def spans_to_iob2(
    text: str, entities: Sequence[EntitySpan], tokens: Sequence[tuple[int, int]] | None = None
) -> tuple[list[tuple[int, int]], list[str]]:
    """Tokens and IOB2 tags of ``text`` for character-span ``entities``.

    Without ``tokens``, the text is tokenized with :func:`warta.tokenize.entity_token_spans` cut at the
    entities' own boundaries (the ``ner`` config's tokens for gold). Pass the gold tokens to project
    predicted spans onto them: a token is tagged with the first entity it overlaps
    (:func:`warta.tokenize.iob2_tags`).
    """
    spans = list(tokens) if tokens is not None else entity_token_spans(text, entities)
    return spans, iob2_tags(spans, entities)
