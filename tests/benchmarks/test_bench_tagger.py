"""The offline gazetteer tagger (the ``ner`` baseline and the pre-annotation source)."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from warta.errors import InputError
from warta.schema import load_schema
from warta.spans import EntitySpan
from warta.tagger import GazetteerTagger, load_gazetteer


@pytest.fixture(scope="module")
def tagger() -> GazetteerTagger:
    return GazetteerTagger()


def tagged(tagger: GazetteerTagger, text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in tagger(text)]


def test_model_version_and_labels_in_schema(tagger: GazetteerTagger) -> None:
    assert tagger.model_version.startswith("warta-gazetteer-")
    labels = set(load_schema().entity_labels)
    assert set(load_gazetteer().entities.values()) <= labels


def test_hyphenated_pair_gives_two_entities(tagger: GazetteerTagger) -> None:
    text = "Jelang Dialog NATO-Rusia, AS dan Amerika Serikat-Rusia berunding."
    assert tagged(tagger, text) == [
        ("NATO", "ORG"), ("Rusia", "GPE"), ("AS", "GPE"), ("Amerika Serikat", "GPE"), ("Rusia", "GPE"),
    ]


def test_longest_gazetteer_entry_wins(tagger: GazetteerTagger) -> None:
    text = "Pertemuan Dewan NATO-Rusia (NRC) digelar. NRC bertemu lagi."
    assert tagged(tagger, text) == [("Dewan NATO-Rusia", "ORG"), ("NRC", "ORG"), ("NRC", "ORG")]


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Juru bicara Gedung Putih Jen Psaki berbicara.", "Jen Psaki"),
        ("kata juru bicara presiden Ukraina, Sergiy Nykyforov.", "Sergiy Nykyforov"),
        ("Wakil Menteri Luar Negeri Rusia Alexander Grushko, kanan, tiba.", "Alexander Grushko"),
        ("Duta Besar AS untuk NATO Julianne Smith mengatakan", "Julianne Smith"),
        ("Menlu Ukraina Dmytro Kuleba mengatakan", "Dmytro Kuleba"),
    ],
)
def test_person_after_title(tagger: GazetteerTagger, text: str, person: str) -> None:
    assert (person, "PER") in tagged(tagger, text)
    assert all(label != "PER" or name == person for name, label in tagged(tagger, text))


def test_title_without_name_tags_no_person(tagger: GazetteerTagger) -> None:
    text = "Utusan dari Washington dan Moskow bertemu. Duta Besar AS untuk NATO mengatakan hal itu."
    assert [label for _, label in tagged(tagger, text)].count("PER") == 0


def test_surname_propagates(tagger: GazetteerTagger) -> None:
    text = "Wakil Menteri Luar AS Wendy Sherman menolak. Penolakan disampaikan Sherman kemarin."
    assert tagged(tagger, text)[-2:] == [("Wendy Sherman", "PER"), ("Sherman", "PER")]


def test_dates(tagger: GazetteerTagger) -> None:
    text = "Hari ini, Rabu, 12 Januari 2022, NATO bertemu. Pada Senin kemarin dan akhir Januari. Minggu ini sibuk."
    dates = [name for name, label in tagged(tagger, text) if label == "DATE"]
    assert dates == ["Rabu, 12 Januari 2022", "Senin", "Januari"]
    assert ("12 Jan 2022 13:16 WIB", "DATE") in tagged(tagger, "Diperbarui 12 Jan 2022 13:16 WIB.")


def test_lowercase_words_are_not_entities(tagger: GazetteerTagger) -> None:
    assert tagger("rusia dan nato, as dan januari, senin") == []


def test_spans_valid_sorted_disjoint_and_deterministic(tagger: GazetteerTagger, raw_dir: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(raw_dir.glob("*.txt"))]
    rng = random.Random(7)
    words = "NATO Rusia AS Presiden Ukraina Jen Psaki , - ( ) Senin 12 Januari 2022 dan Menlu Dewan".split()
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(0, 40))) for _ in range(300)]
    labels = set(load_schema().entity_labels)
    for text in texts:
        spans = tagger(text)
        assert spans == GazetteerTagger()(text)
        assert spans == sorted(spans)
        for a, b in itertools.pairwise(spans):
            assert a.end <= b.start
        for s in spans:
            assert isinstance(s, EntitySpan) and s.label in labels
            assert 0 <= s.start < s.end <= len(text)
            assert text[s.start : s.end] == text[s.start : s.end].strip()


def test_gazetteer_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "g.tsv"
    bad.write_text("# comment\nentity\tRusia\tGPE\nentity\tRusia\tORG\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"g.tsv:3: 'Rusia' is already listed as GPE"):
        load_gazetteer(bad)
    bad.write_text("entity\tX\tTHING\n", encoding="utf-8")
    with pytest.raises(InputError, match=r":1: label 'THING'"):
        load_gazetteer(bad)
    bad.write_text("\nplace\tX\n", encoding="utf-8")
    with pytest.raises(InputError, match=r":2: unknown kind 'place'"):
        load_gazetteer(bad)


def test_custom_gazetteer(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("entity\tBandung\tGPE\ntitle\tWali Kota\n", encoding="utf-8")
    tagger = GazetteerTagger(load_gazetteer(path))
    assert tagged(tagger, "Wali Kota Bandung Yana Mulyana hadir di Jakarta.") == [
        ("Bandung", "GPE"), ("Yana Mulyana", "PER"),
    ]
