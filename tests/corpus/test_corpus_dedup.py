"""Exact and near duplicates are found and marked, distinct articles are not."""

from __future__ import annotations

import functools
import random
import zlib

import numpy as np
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from warta.article import Article
from warta.corpus import dedup
from warta.corpus.dedup import Deduplicator, exact_key, mark_duplicates, normalise, shingles
from warta.corpus.settings import DedupSettings

VOCAB = (
    "pemerintah presiden menteri rakyat warga harga beras cabai minyak bendungan banjir jalan tol kereta "
    "sekolah guru murid rumah sakit dokter pasien vaksin kota desa kabupaten provinsi pulau laut hutan "
    "petani nelayan pasar bank rupiah dolar saham ekspor impor pajak anggaran polisi hakim jaksa sidang "
    "partai pemilu suara calon kampanye debat hasil survei bulan tahun minggu hari pagi malam baru lama "
    "naik turun besar kecil tinggi rendah cepat lambat mulai selesai buka tutup bangun rusak bantu tolak"
).split()


def article(article_id: str, text: str) -> Article:
    return Article(id=article_id, source_file=f"{article_id}.txt", raw=text, raw_sha256="", text=text)


def random_text(rng: random.Random, words: int = 120) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(words)) + "."


def test_normalisation() -> None:
    assert normalise("ＡＢＣ  Def\n\tGhi\xa0") == "abc def ghi"
    assert exact_key("Harga  Beras NAIK.") == exact_key("harga beras\nnaik.")
    assert exact_key("harga beras naik") != exact_key("harga beras turun")
    assert shingles("a b c", 5) == [b"a b c"]
    assert sorted(shingles("a b c d", 2)) == [b"a b", b"b c", b"c d"]


def test_planted_duplicates_are_marked_and_distinct_ones_not() -> None:
    rng = random.Random(7)
    originals = [random_text(rng) for _ in range(40)]
    articles = [article(f"a{i:03d}", text) for i, text in enumerate(originals)]
    # exact duplicate with different case and spacing
    articles.append(article("b000", originals[3].upper().replace(" ", "  ")))
    # near duplicate: a few words changed at the end
    words = originals[5].split()
    words[-3:] = ["tambahan", "kalimat", "baru."]
    articles.append(article("b001", " ".join(words)))
    # near duplicate of the near duplicate (transitive: points at the group's first id)
    words2 = list(words)
    words2[:2] = ["Jakarta", "KOMPAS"]
    articles.append(article("b002", " ".join(words2)))
    # same vocabulary, unrelated text: not a duplicate
    articles.append(article("b003", random_text(rng)))
    # empty text is never a duplicate
    articles.append(article("b004", ""))
    articles.append(article("b005", ""))
    rng.shuffle(articles)
    count = mark_duplicates(articles)
    marked = {a.id: a.duplicate_of for a in articles if a.duplicate_of}
    assert marked == {"b000": "a003", "b001": "a005", "b002": "a005"}
    assert count == 3


def test_duplicate_of_is_the_smallest_id_whatever_the_input_order() -> None:
    text = "Harga beras di pasar induk naik tajam menjelang akhir tahun kata pedagang setempat."
    ids = ["z9", "m5", "a1", "q7"]
    articles = [article(i, text + (" " * n)) for n, i in enumerate(ids)]
    mark_duplicates(articles)
    assert {a.id: a.duplicate_of for a in articles} == {"z9": "a1", "m5": "a1", "a1": None, "q7": "a1"}


def test_threshold_is_configurable() -> None:
    rng = random.Random(3)
    base = random_text(rng, 100).split()
    changed = list(base)
    for position in range(0, 100, 8):  # about 12% of the words changed
        changed[position] = "berbeda"
    pair = [article("a", " ".join(base)), article("b", " ".join(changed))]
    mark_duplicates(pair, DedupSettings(threshold=0.95))
    assert pair[1].duplicate_of is None
    mark_duplicates(pair, DedupSettings(threshold=0.1, shingle_size=1))
    assert pair[1].duplicate_of == "a"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=2, max_size=12, unique=True))
def test_distinct_random_texts_are_never_marked(seeds: list[int]) -> None:
    dedup = Deduplicator()
    for n, seed in enumerate(seeds):
        dedup.add(f"{n:03d}", random_text(random.Random(seed), 80))
    assert len(dedup) == len(seeds)
    assert dedup.groups() == {}


def test_bands_and_rows_match_datasketch() -> None:
    from datasketch.lsh import _optimal_param

    from warta.corpus.dedup import lsh_params

    for threshold, num_perm in ((0.8, 128), (0.5, 64), (0.9, 256)):
        assert lsh_params(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5)


def test_chain_and_many_copies_form_one_group() -> None:
    rng = random.Random(11)
    words = random_text(rng, 200).split()
    texts = {}
    for step in range(6):  # each version differs from the previous one by two words
        words[step * 30] = "ubah"
        words[step * 30 + 1] = "lagi"
        texts[f"v{step}"] = " ".join(words)
    texts |= {f"c{n:04d}": texts["v0"] for n in range(5000)}  # a run far larger than one bucket's comparisons
    articles = [article(i, t) for i, t in texts.items()]
    mark_duplicates(articles)
    assert {a.duplicate_of for a in articles} == {None, "c0000"}
    assert [a.id for a in articles if a.duplicate_of is None] == ["c0000"]


#: Characters where word boundaries, NFKC and case folding are easy to get wrong.
_ODD_TEXT = list("aZ_9 \t\n\r\xa0\u2009\u3000.,-'’“éÉİßﬁ²٣\u0301\u200b\x1c\x85")


def _codes_of_words(text: str) -> list[int]:
    return [zlib.crc32(word.encode("utf-8")) for word in dedup._words(text)]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ODD_TEXT), max_size=60))
def test_word_codes_a_token_at_a_time_equal_hashing_every_word(text: str) -> None:
    assert dedup.word_codes(text) == _codes_of_words(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_word_codes_equal_hashing_every_word_on_any_unicode(text: str) -> None:
    assert dedup.word_codes(text) == _codes_of_words(text)


def test_the_word_code_cache_is_bounded(monkeypatch) -> None:
    text = " ".join(f"kata{i}, Nama{i}." for i in range(300))
    monkeypatch.setattr(dedup._TOKEN_CODES, "limit", 40)
    dedup._TOKEN_CODES.clear()
    for _ in range(3):
        assert dedup.word_codes(text) == _codes_of_words(text)
        assert len(dedup._TOKEN_CODES) <= 40 + 600
    assert dedup.word_codes("kata satu") == _codes_of_words("kata satu")
    assert len(dedup._TOKEN_CODES) == 2


def test_the_compiled_signature_loop_is_built() -> None:
    """``scripts/bootstrap`` compiles it; without it every build falls back to the NumPy path."""
    assert dedup._minhash is not None, "warta.corpus._minhash is missing: reinstall with a C compiler (scripts/bootstrap)"


#: Also astral letters (UCS-4 strings), CJK, an emoji and a lone surrogate.
_SIGNATURE_ALPHABET = _ODD_TEXT + ["\U0001d400", "\U00010400", "日", "😀", "\ud800"]


@functools.lru_cache(maxsize=None)
def _deduplicator(size: int = 5, num_perm: int = 128) -> Deduplicator:
    return Deduplicator(DedupSettings(shingle_size=size, num_perm=num_perm))


def _three_signatures(dedup_: Deduplicator, text: str) -> tuple:
    return dedup_.signature(text), dedup_.numpy_signature(text), dedup_.reference_signature(text)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(_SIGNATURE_ALPHABET), max_size=120),
    st.sampled_from([(1, 16), (2, 64), (5, 128), (9, 7)]),
)
def test_compiled_numpy_and_datasketch_signatures_agree(text: str, shape: tuple[int, int]) -> None:
    """The C loop, the NumPy path and datasketch's ``update_batch``: the same values, on text that
    mixes ASCII, accents, ligatures NFKC splits, digits of other scripts, astral letters (UCS-4
    strings), combining marks, odd whitespace and a lone surrogate (a JSON ``\\ud800`` escape)."""
    size, num_perm = shape
    native, numpy_, reference = _three_signatures(_deduplicator(size, num_perm), text)
    assert native.dtype == numpy_.dtype == np.uint32
    assert np.array_equal(native, numpy_) and np.array_equal(numpy_, reference)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_compiled_signature_agrees_on_any_unicode(text: str) -> None:
    native, numpy_, reference = _three_signatures(_deduplicator(), text)
    assert np.array_equal(native, numpy_) and np.array_equal(numpy_, reference)


def test_compiled_signature_agrees_on_long_random_articles() -> None:
    rng = random.Random(11)
    dedup_ = _deduplicator()
    for n in range(200):
        text = random_text(rng, rng.randint(0, 900))
        if n % 3 == 0:
            text = text.upper().replace("A", "Å")
        native, numpy_, reference = _three_signatures(dedup_, text)
        assert np.array_equal(native, numpy_) and np.array_equal(numpy_, reference), n


def test_compiled_signature_refuses_mismatched_buffers() -> None:
    a = np.ones(8, dtype=np.uint32)
    with pytest.raises(ValueError):
        dedup._minhash.signature("kata", 5, a, np.ones(7, dtype=np.uint32), np.empty(8, dtype=np.uint32))
    with pytest.raises(ValueError):
        dedup._minhash.signature("kata", 0, a, a, np.empty(8, dtype=np.uint32))
    with pytest.raises(TypeError):
        dedup._minhash.signature("kata", 5, a, a, b"read-only")


#: Every character ``str.split()`` splits on, and some that look like space but are not (zero
#: widths, the word joiner), in strings of each width (Latin-1, UCS-2, UCS-4).
_SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]
_COLLAPSE_ALPHABET = _SPACES + ["a", "é", "ñ", "\u200b", "\u2060", "\ufeff", "日", "\U0001d400", "\ud800", "_"]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_COLLAPSE_ALPHABET), max_size=80) | st.text(max_size=120))
def test_compiled_whitespace_collapse_is_split_and_join(text: str) -> None:
    assert dedup._minhash.collapse_spaces(text) == " ".join(text.split())


def test_compiled_whitespace_collapse_on_long_random_articles_and_the_exact_key_without_it(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    texts = [random_text(rng, rng.randint(0, 900)) for _ in range(150)]
    texts += [t.replace(" ", rng.choice(_SPACES) * rng.randint(1, 3)) for t in texts[:50]]
    compiled = [normalise(t) for t in texts]
    assert compiled == [" ".join(dedup.fold(t).split()) for t in texts]
    keys = [exact_key(t) for t in texts]
    monkeypatch.setattr(dedup, "_minhash", None)
    assert [normalise(t) for t in texts] == compiled
    assert [exact_key(t) for t in texts] == keys
    assert exact_key(" Kata\u3000 dua\n") == exact_key("kata dua")


def test_compiled_whitespace_collapse_takes_only_a_str() -> None:
    with pytest.raises(TypeError):
        dedup._minhash.collapse_spaces(b"kata dua")
