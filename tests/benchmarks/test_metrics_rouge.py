"""ROUGE against rouge_score 0.1.2 (bit-exact in its tokenizer mode) and the Indonesian tokenizer."""

from __future__ import annotations

import random

import numpy as np
import pytest

from warta.benchmarks.bootstrap import rouge_score_bootstrap
from warta.benchmarks.metrics.rouge import ROUGE_TYPES, RougeScorer, lcs_indices, lcs_length
from warta.benchmarks.metrics.rouge_tokenize import RougeTokenizer, tokenize

rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
from rouge_score import scoring as rs_scoring
from rouge_score import tokenize as rs_tokenize

VOCAB = ["anak-anak", "Kafé", "Señor", "100.000", "1,5", "Rp1.000", "Jum'at", "Jum’at", "Presiden", "Jokowi", "mengatakan", "NATO-Rusia", "Ukraina", "perang", "pemerintahan", "berlari-lari", "the", "running", "runs", "dogs", "cats", "a", "of", "to", "İstanbul", "Kelvin", "naïve", "coöperate", "über", "ß", "Straße", "2022", "12", "Januari", ",", ".", "!", "?", "(", ")", "-", "—", '"', "'", ":", ";", "/", "%", "&", "_", "#", "@", "x1", "y2z"]
SEPARATORS = [" ", " ", " ", " ", "\n", "\n\n", " \n", "\t", "  "]


def _text(rng: random.Random, max_words: int = 40) -> str:
    parts = []
    for _ in range(rng.randint(0, max_words)):
        word = rng.choice(VOCAB) if rng.random() < 0.8 else "".join(rng.choices("abcdeéñ019-.,", k=rng.randint(1, 6)))
        parts.append(word)
        parts.append(rng.choice(SEPARATORS))
    return "".join(parts)


@pytest.mark.parametrize("stemmer", [False, True])
@pytest.mark.parametrize("seed", range(2))
def test_rouge_score_mode_is_bit_exact(stemmer: bool, seed: int) -> None:
    rng = random.Random(seed)
    reference = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=stemmer)
    ours = RougeScorer(ROUGE_TYPES, tokenizer="rouge_score", stemmer=stemmer)
    for _ in range(400):
        refs = [_text(rng) for _ in range(rng.randint(1, 3))]
        pred = _text(rng)
        expected = reference.score_multi(refs, pred)
        got = ours.score_multi(refs, pred)
        for t in ROUGE_TYPES:
            assert tuple(got[t]) == tuple(expected[t]), (t, refs, pred)
        expected = reference.score(refs[0], pred)
        got = ours.score(refs[0], pred)
        assert all(tuple(got[t]) == tuple(expected[t]) for t in ROUGE_TYPES)


def test_rouge_score_tokenizer_is_identical_on_arbitrary_unicode() -> None:
    rng = random.Random(5)
    alphabet = "aZ09 \n\t-.,'’éÉñßİıK\u212a\u0301ΣσςёЖ中文\u00a0\u2028_\ud800"
    tokenizers = [RougeTokenizer(name, stem) for name in ("rouge_score", "indonesian") for stem in (False, True)]
    ours = tokenizers[0]
    for _ in range(3000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 30)))
        assert ours(text) == rs_tokenize.tokenize(text, None), repr(text)
        for tok in tokenizers:  # the one-pass sentence split equals tokenizing line by line
            assert tok.sentences(text) == [tok(line) for line in text.split("\n") if line], repr(text)


def test_rouge_score_tokenizer_mangles_indonesian_as_documented() -> None:
    assert tokenize("Kafé Señor", "rouge_score") == ["kaf", "se", "or"]
    assert tokenize("anak-anak", "rouge_score") == ["anak", "anak"]
    assert tokenize("Rp1.000", "rouge_score") == ["rp1", "000"]


def test_indonesian_tokenizer_keeps_words_whole() -> None:
    assert tokenize("Kafé Señor") == ["kafé", "señor"]
    assert tokenize("Kafe\u0301 Sen\u0303or") == ["kafé", "señor"]  # NFC first
    assert tokenize("Anak-anak bermain.") == ["anak-anak", "bermain"]
    assert tokenize("Harga naik 100.000 rupiah, atau 1,5 persen; Rp1.000!") == [
        "harga", "naik", "100.000", "rupiah", "atau", "1,5", "persen", "rp1.000",
    ]
    assert tokenize("Jum’at, COVID-19 dan NATO-Rusia.") == ["jum'at", "covid-19", "dan", "nato-rusia"]
    # a sentence-final dot or a list comma is not part of the number
    assert tokenize("Tahun 2022. Lalu 3, 4, 5.") == ["tahun", "2022", "lalu", "3", "4", "5"]


def test_indonesian_stemming_is_sastrawi_on_words_only() -> None:
    pytest.importorskip("Sastrawi")
    tok = RougeTokenizer("indonesian", stemmer=True)
    assert tok("Anak-anak mengatakan pemerintahan") == ["anak", "kata", "perintah"]
    assert tok("Kafé 100.000 Jum'at") == ["kafé", "100.000", "jum'at"]  # left alone
    assert tok.stemmer_name == "sastrawi"
    assert tok("mengatakan") == ["kata"] and "mengatakan" in tok._cache


def test_indonesian_mode_scores_reduplication_and_numbers_as_one_token() -> None:
    scorer = RougeScorer(["rouge1"], tokenizer="indonesian")
    got = scorer.score("anak-anak 100.000", "anak 100")["rouge1"]
    assert got.fmeasure == 0.0
    baseline = RougeScorer(["rouge1"], tokenizer="rouge_score").score("anak-anak 100.000", "anak 100")["rouge1"]
    assert baseline.precision == 1.0  # rouge_score counts the fragments as matches


def _dp_lcs(a, b) -> int:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = table[i - 1][j - 1] + 1 if a[i - 1] == b[j - 1] else max(table[i - 1][j], table[i][j - 1])
    return table[-1][-1]


def test_bit_parallel_lcs_equals_dynamic_programming() -> None:
    rng = random.Random(1)
    for _ in range(2000):
        k = rng.randint(1, 6)
        a = [rng.randrange(k) for _ in range(rng.randint(0, 80))]
        b = [rng.randrange(k) for _ in range(rng.randint(0, 80))]
        assert lcs_length(a, b) == _dp_lcs(a, b)
        assert lcs_indices(a, b) == rouge_scorer.lcs_ind(a, b)


def test_single_rouge_type_and_higher_orders() -> None:
    reference = rouge_scorer.RougeScorer(["rouge3", "rougeLsum"])
    ours = RougeScorer(["rouge3", "rougeLsum"], tokenizer="rouge_score")
    text_a, text_b = "a b c d e\nf g h", "a b c x e\nf g h a b"
    assert {k: tuple(v) for k, v in ours.score(text_a, text_b).items()} == {
        k: tuple(v) for k, v in reference.score(text_a, text_b).items()
    }
    with pytest.raises(ValueError):
        RougeScorer(["rougeX"])


def test_corpus_scores_are_per_document_means() -> None:
    rng = random.Random(2)
    refs = [[_text(rng), _text(rng)] for _ in range(30)]
    preds = [_text(rng) for _ in range(30)]
    ours = RougeScorer(tokenizer="rouge_score").score_corpus(refs, preds)
    reference = rouge_scorer.RougeScorer(list(ROUGE_TYPES))
    per_doc = [reference.score_multi(r, p) for r, p in zip(refs, preds)]
    mean = ours.mean()
    for i, t in enumerate(ROUGE_TYPES):
        assert ours.statistics[:, 3 * i + 2].tolist() == [s[t].fmeasure for s in per_doc]
        assert mean[t].fmeasure == pytest.approx(np.mean([s[t].fmeasure for s in per_doc]), abs=1e-15)


def test_bootstrap_equals_rouge_score_aggregator_given_the_same_rng_state() -> None:
    rng = random.Random(3)
    pairs = [(_text(rng), _text(rng)) for _ in range(60)]
    reference = rouge_scorer.RougeScorer(list(ROUGE_TYPES))
    aggregator = rs_scoring.BootstrapAggregator(n_samples=300)
    for target, prediction in pairs:
        aggregator.add_scores(reference.score(target, prediction))
    np.random.seed(42)
    expected = aggregator.aggregate()
    ev = RougeScorer(tokenizer="rouge_score").score_corpus([[t] for t, _ in pairs], [p for _, p in pairs])
    state = np.random.RandomState(42)
    for i, t in enumerate(ROUGE_TYPES):  # rouge_score draws per type, in insertion order
        got = rouge_score_bootstrap(ev.statistics[:, 3 * i : 3 * i + 3], n_samples=300, random_state=state)
        assert np.array_equal(got[0], np.array(expected[t].low))
        assert np.array_equal(got[1], np.array(expected[t].mid))
        assert np.array_equal(got[2], np.array(expected[t].high))


def test_union_lcs_of_rouge_lsum_equals_the_union_of_rouge_score_lcs() -> None:
    from warta.benchmarks.metrics.rouge import _masks, _union_lcs_mask

    rng = random.Random(9)
    for _ in range(1500):
        k = rng.randint(2, 12)
        ref = [rng.randrange(k) for _ in range(rng.randint(1, 40))]
        cands = [[rng.randrange(k + 5) for _ in range(rng.randint(0, 30))] for _ in range(rng.randint(1, 4))]
        expected = set().union(*(rouge_scorer.lcs_ind(ref, c) for c in cands))
        union = _union_lcs_mask(_masks(ref), len(ref), cands)
        assert {i for i in range(len(ref)) if union >> i & 1} == expected


def test_rouge_lsum_is_bit_exact_on_many_short_sentences_with_repeated_words() -> None:
    """A tiny vocabulary and many short sentences stress what the fast ROUGE-Lsum path shortcuts:
    ties between LCS alignments, repeated tokens across sentences, and length-1 LCS."""
    rng = random.Random(2026)
    words = ["nato", "rusia", "as", "ukraina", "dan", "di", "x"]
    reference = rouge_scorer.RougeScorer(["rougeLsum", "rougeL"])
    ours = RougeScorer(["rougeLsum", "rougeL"], tokenizer="rouge_score")

    def text() -> str:
        return "\n".join(
            " ".join(rng.choices(words, k=rng.randint(1, 6))) for _ in range(rng.randint(1, 8))
        )

    for _ in range(3000):
        target, prediction = text(), text()
        expected = reference.score(target, prediction)
        got = ours.score(target, prediction)
        for t in ("rougeLsum", "rougeL"):
            assert tuple(got[t]) == tuple(expected[t]), (t, target, prediction)
