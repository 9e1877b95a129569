from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from warta.spans import EntitySpan
from warta.tokenize import entity_token_spans, iob2_tags, token_spans


def words(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[a:b] for a, b in spans]


def test_indonesian_tokens_stay_whole() -> None:
    text = "anak-anak membawa 100.000 tentara, 1,5 juta; Jum'at 12.30 WIB."
    assert words(text, token_spans(text)) == [
        "anak-anak", "membawa", "100.000", "tentara", ",", "1,5", "juta", ";", "Jum'at", "12.30", "WIB", ".",
    ]


def test_entity_boundaries_cut_tokens() -> None:
    text = "Dialog NATO-Rusia dimulai"
    entities = [EntitySpan(7, 11, "ORG"), EntitySpan(12, 17, "GPE")]
    spans = entity_token_spans(text, entities)
    assert words(text, spans) == ["Dialog", "NATO", "-", "Rusia", "dimulai"]
    assert iob2_tags(spans, entities) == ["O", "B-ORG", "O", "B-GPE", "O"]


def test_adjacent_entities_of_same_type_get_separate_b_tags() -> None:
    text = "Prancis Jerman"
    entities = [EntitySpan(0, 7, "GPE"), EntitySpan(8, 14, "GPE")]
    assert iob2_tags(entity_token_spans(text, entities), entities) == ["B-GPE", "B-GPE"]


alphabet = st.sampled_from(list("ab -.,'AZ\n") + ["é", "\u00a0"])


@st.composite
def text_and_entities(draw):  # noqa: ANN201
    text = draw(st.text(alphabet, min_size=1, max_size=60))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=8)))
    entities = []
    for start, end in zip(cuts[::2], cuts[1::2]):
        if text[start:end].strip() and not text[start].isspace() and not text[end - 1].isspace():
            entities.append(EntitySpan(start, end, draw(st.sampled_from(["PER", "ORG"]))))
    return text, entities


@settings(max_examples=400, deadline=None)
@given(text_and_entities())
def test_tokens_never_straddle_an_entity_and_tags_round_trip(case) -> None:  # noqa: ANN001
    text, entities = case
    spans = entity_token_spans(text, entities)
    for start, end in spans:
        assert text[start:end].strip() == text[start:end] != ""
        for e in entities:
            assert end <= e.start or start >= e.end or (e.start <= start and end <= e.end)
    tags = iob2_tags(spans, entities)
    # Decoding the tags gives back exactly the entities whose text holds at least one token.
    decoded, current = [], None
    for (start, end), tag in zip(spans, tags):
        if tag.startswith("B-"):
            current = [start, end, tag[2:]]
            decoded.append(current)
        elif tag.startswith("I-"):
            assert current is not None and current[2] == tag[2:]
            current[1] = end
        else:
            current = None
    expected = [(e.start, e.end, e.label) for e in sorted(entities) if any(e.start <= a and b <= e.end for a, b in spans)]
    assert [tuple(d) for d in decoded] == expected
