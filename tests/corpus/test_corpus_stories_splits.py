"""Stories group reports of one event (and only those); splits never cut a story."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warta.article import Article
from warta.corpus import stories
from warta.corpus.ingest import ingest
from warta.corpus.rules import SENTENCE_END, STORY_STOP_TERMS
from warta.corpus.settings import SplitSettings, StorySettings
from warta.corpus.splits import assign_splits, split_of
from warta.corpus.stories import assign_stories, event_date, story_terms
from warta.corpus.synthetic import generate

DAM_A = (
    "Presiden Joko Widodo meresmikan Bendungan Randugunting di Kabupaten Blora, Jawa Tengah, pada Rabu. "
    "Bendungan yang dibangun Kementerian PUPR itu menelan biaya Rp 1 triliun. Menteri PUPR Basuki Hadimuljono "
    "mengatakan bendungan akan mengairi sawah di Blora dan Rembang. Gubernur Jawa Tengah Ganjar Pranowo ikut hadir."
)
DAM_B = (
    "Bendungan Randugunting di Blora akhirnya diresmikan Presiden Jokowi pada hari Rabu, 12 Januari 2022. "
    "Menurut Basuki Hadimuljono, waduk itu dibangun oleh Kementerian PUPR sejak 2018. Ganjar Pranowo berharap "
    "petani di Blora dan Rembang, Jawa Tengah, bisa panen tiga kali setahun berkat air dari Randugunting."
)
FLOOD = (
    "Banjir merendam ratusan rumah di Kecamatan Bekasi Timur, Kota Bekasi, Jawa Barat, pada Rabu. "
    "Kepala BPBD Kota Bekasi Karsono mengatakan warga Perumahan Pondok Hijau sudah dievakuasi. Wali Kota "
    "Bekasi Tri Adhianto meninjau lokasi bersama petugas Basarnas dan PMI. Kali Bekasi meluap sejak subuh."
)
POLITICS = (
    "Komisi II DPR menggelar rapat dengan KPU dan Bawaslu di Senayan, Jakarta, pada Rabu. Ketua KPU Ilham "
    "Saputra memaparkan jadwal Pemilu 2024. Anggota DPR dari Fraksi PDI Perjuangan Arif Wibowo meminta KPU "
    "menyiapkan anggaran. Bawaslu yang dipimpin Abhan juga mengusulkan tambahan pengawas di Papua dan Maluku."
)


def make(article_id: str, text: str, published: str | None = "2022-01-12T10:00:00+07:00", **extra) -> Article:
    return Article(id=article_id, source_file=f"{article_id}.txt", raw=text, raw_sha256="", text=text, published=published, **extra)


def test_seed_terms_and_dates(raw_dir: Path) -> None:
    articles = ingest(raw_dir).articles
    assert [event_date(a).isoformat() for a in articles] == ["2022-01-12", "2022-01-12"]
    shared = story_terms(articles[0].text + "\n" + "\n".join(articles[0].captions)) & story_terms(articles[1].text)
    assert {"nato", "rusia", "ukraina", "jenewa"} <= shared


def test_same_event_grouped_unrelated_not(raw_dir: Path) -> None:
    seeds = ingest(raw_dir).articles
    articles = [
        *seeds,
        make("d1", DAM_A),
        make("d2", DAM_B, published=None),  # dated by "12 Januari 2022" in its text
        make("f1", FLOOD),
        make("p1", POLITICS),
        make("d3", DAM_A.replace("Rabu", "Senin"), published="2022-02-20T10:00:00+07:00"),  # outside the window
        make("u1", "Tanpa tanggal. " + DAM_A, published=None),  # no date: its own story
    ]
    for a in articles:
        a.story_id = None
    count = assign_stories(articles)
    story = {a.id: a.story_id for a in articles}
    assert story["cb33607aa2409de9"] == story["e868b1205f427ac5"] == "story-cb33607aa2409de9"
    assert story["d1"] == story["d2"] == "story-d1"
    assert story["f1"] == "story-f1" and story["p1"] == "story-p1"
    assert story["d3"] == "story-d3" and story["u1"] == "story-u1"
    assert count == 6


def test_duplicates_share_their_original_story() -> None:
    articles = [make("b", FLOOD, published=None), make("a", POLITICS, published=None, duplicate_of=None)]
    articles[0].duplicate_of = "a"
    assert assign_stories(articles) == 1
    assert {a.story_id for a in articles} == {"story-a"}


def test_stricter_similarity_separates_the_seeds(raw_dir: Path) -> None:
    articles = ingest(raw_dir).articles
    assign_stories(articles, StorySettings(similarity=0.9))
    assert len({a.story_id for a in articles}) == 2


def test_small_corpus_goes_to_test_and_large_corpus_is_split() -> None:
    small = [make(f"a{i}", "x", story_id=f"story-a{i}") for i in range(19)]
    assert assign_splits(small) == {"train": 0, "validation": 0, "test": 19}
    large = [make(f"a{i:04d}", "x", story_id=f"story-a{i:04d}") for i in range(2000)]
    counts = assign_splits(large)
    assert sum(counts.values()) == 2000
    assert 1500 < counts["train"] < 1700 and 120 < counts["validation"] < 280 and 120 < counts["test"] < 280
    assert assign_splits(small, SplitSettings(min_stories_for_training=0))["test"] < 19


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 10**6)), min_size=1, max_size=80),
    st.sampled_from([0, 5, 20]),
    st.sampled_from([(0.8, 0.1, 0.1), (0.5, 0.25, 0.25), (1.0, 0.0, 0.0), (0.0, 0.0, 1.0)]),
)
def test_no_story_straddles_splits(pairs: list[tuple[int, int]], minimum: int, ratios: tuple[float, float, float]) -> None:
    config = SplitSettings(train=ratios[0], validation=ratios[1], test=ratios[2], min_stories_for_training=minimum)
    articles = [make(f"{n:04d}-{x}", "x", story_id=f"story-{story}") for n, (story, x) in enumerate(pairs)]
    assign_splits(articles, config)
    splits_of_story: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        splits_of_story[a.story_id].add(a.split)
    assert all(len(s) == 1 for s in splits_of_story.values())
    if len(splits_of_story) >= minimum:
        for story, found in splits_of_story.items():
            assert found == {split_of(story, config)}
            assert config.ratios[next(iter(found))] > 0
    else:
        assert {a.split for a in articles} == {"test"}
    # Deterministic: the same story gets the same split in any order.
    again = list(reversed(articles))
    assign_splits(again, config)
    assert all(a.split == b.split for a, b in zip(reversed(again), articles))


_CAPITALISED_SCAN = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")
_LOWER_SCAN = re.compile(r"(?<![\w'’-])[a-z][\w'’-]*")


def _candidates_by_scans(text: str) -> tuple[set[str], set[str]]:
    """The definition of the two word sets :func:`story_terms` filters, as two regex scans of the
    text (how it was first written): the compiled scan must give the same sets, the token-at-a-time
    Python path the same terms."""
    lowercase = set(_LOWER_SCAN.findall(text))
    for token in [t for t in lowercase if "-" in t]:
        lowercase.update(token.split("-"))
    capitalised: set[str] = set()
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        heading = line[-1] not in SENTENCE_END
        for match in _CAPITALISED_SCAN.finditer(line):
            j = match.start() - 1
            while j >= 0 and line[j] in " \t\"'“‘(«":
                j -= 1
            opens_sentence = j < 0 or line[j] in ".!?:"
            for part in match.group().split("-"):
                part = part.strip("'’")
                if len(part) < 2:
                    continue
                if part.isupper():
                    capitalised.add(part)
                elif part[0].isupper():
                    if not heading and not opens_sentence:
                        capitalised.add(part)
                else:
                    lowercase.add(part)
    return capitalised, lowercase


def _terms_of(capitalised: set[str], lowercase: set[str]) -> frozenset[str]:
    """The definition's own filter (not :func:`stories.chosen_terms`: the reference stands apart)."""
    return frozenset(
        word.lower()
        for word in capitalised
        if (word.isupper() or word.lower() not in lowercase) and word.lower() not in STORY_STOP_TERMS
    )


def _story_terms_by_scans(text: str) -> frozenset[str]:
    return _terms_of(*_candidates_by_scans(text))


#: Pieces that meet every branch: openers, sentence ends, hyphens, quotes, non-ASCII case (title
#: case, astral capitals), other whitespace (what str.strip() strips but a space split keeps).
_PIECES = [
    "NATO", "Rusia", "rusia", "PBB-Rusia", "nato-rusia", "Jakarta", "Senin", "Presiden", "O'Neil", "d’Arc", "İstanbul",
    "ÉLYSÉE", "ß", "a", "B", "_", "1", "-", "'", "’", "“", "‘", "(", "«", '"', " ", "  ", "\t", "\n", "\xa0",
    "\u2009", ".", ",", ":", "!", "?", ";", "…", "»", "ǅ", "\U0001d400", "\U00010400", "\x1c", "\u3000", "\r",
]


#: Words of random pieces, each maybe ending a sentence or a line, joined by spaces.
_RANDOM_TEXT = st.lists(
    st.tuples(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join), st.sampled_from(["", "", ".", ":", "?", "\n"])),
    max_size=24,
).map(lambda words: " ".join(word + end for word, end in words))


def _compiled_candidates(text: str) -> tuple[set[str], set[str]]:
    return stories._terms.candidates(text, stories._SENTENCE_END, stories._OPENERS, stories._SENTENCE_STOPS)


def test_the_compiled_story_term_scan_is_built() -> None:
    # CI builds it (scripts/bootstrap); without it the tests below would check the Python path only.
    assert stories._terms is not None, "warta.corpus._terms is missing: reinstall with a C compiler (scripts/bootstrap)"


@settings(max_examples=800, deadline=None)
@given(_RANDOM_TEXT)
def test_story_terms_equal_the_two_scans_on_random_text(text: str) -> None:
    assert _compiled_candidates(text) == _candidates_by_scans(text)
    assert story_terms(text) == _story_terms_by_scans(text)


@settings(max_examples=800, deadline=None)
@given(_RANDOM_TEXT)
def test_the_python_story_term_path_equals_the_two_scans_on_random_text(text: str) -> None:
    # Where no compiler was found; its sets may differ from the scans' in words no term depends on.
    assert stories.chosen_terms(*stories.token_candidates(text)) == _story_terms_by_scans(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + ["A", "Z", "a", "z", "\u01c5", "\ud800"]), max_size=40).map("".join))
def test_the_compiled_scan_equals_the_two_scans_on_any_string(text: str) -> None:
    # Not only words joined by spaces: any sequence of the pieces, lone surrogates included.
    assert _compiled_candidates(text) == _candidates_by_scans(text)


def test_story_terms_equal_the_two_scans_on_synthetic_scrapes(tmp_path: Path, monkeypatch) -> None:
    generate(tmp_path, 300, seed=5)
    texts = ["\n".join([a.text, *a.captions]) for a in ingest(tmp_path).articles]
    assert len(texts) >= 300
    assert sum(1 for text in texts if story_terms(text)) > 250
    expected = [_story_terms_by_scans(text) for text in texts]
    assert [story_terms(text) for text in texts] == expected
    assert [_compiled_candidates(text) for text in texts] == [_candidates_by_scans(text) for text in texts]
    monkeypatch.setattr(stories, "_terms", None)  # the Python path, as where no compiler was found
    assert [story_terms(text) for text in texts] == expected


def test_the_compiled_scan_refuses_what_is_not_text() -> None:
    with pytest.raises(TypeError):
        stories._terms.candidates(b"NATO", stories._SENTENCE_END, stories._OPENERS, stories._SENTENCE_STOPS)
    with pytest.raises(TypeError):
        stories._terms.candidates("NATO", stories._SENTENCE_END, stories._OPENERS)


def test_the_token_cache_is_bounded_and_a_cleared_cache_changes_nothing(monkeypatch) -> None:
    text = "\n".join(f"Kata Nama{i} berkata kepada NATO{i} di Kota{i}." for i in range(200))
    expected = _story_terms_by_scans(text)
    monkeypatch.setattr(stories, "_terms", None)  # the cache is the Python path's
    monkeypatch.setattr(stories._TOKEN_RUNS, "limit", 50)
    stories._TOKEN_RUNS.clear()
    for _ in range(3):
        assert story_terms(text) == expected
        # Cleared before each text once full: at most the limit plus one text's tokens.
        assert len(stories._TOKEN_RUNS) <= 50 + len(text.split())
    assert story_terms("Kata Nama di sini.") == _story_terms_by_scans("Kata Nama di sini.")
    assert len(stories._TOKEN_RUNS) <= 5
