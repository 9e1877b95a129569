from __future__ import annotations

from pathlib import Path

import pytest

from warta.errors import GoldError, OutputExistsError
from warta.fsutil import sha256_text
from warta.gold import (
    ActorStance, DocumentStance, GoldDocument, GoldEntity, Mention,
    check_against_text, read_gold_dir, write_gold_file,
)
from warta.schema import load_schema

TEXT = "Rusia menolak\n\nRusia meminta NATO tidak memperluas ke timur."


def make() -> GoldDocument:
    return GoldDocument(
        article_id="abc",
        text_sha256=sha256_text(TEXT),
        entities=[GoldEntity(0, 5, "GPE", "Rusia"), GoldEntity(15, 20, "GPE", "Rusia"), GoldEntity(29, 33, "ORG", "NATO")],
        stance=[ActorStance("nato_enlargement", "Rusia", (Mention(15, 20),), "AGAINST")],
        document_stance=[DocumentStance("nato_enlargement", "NONE")],
        summaries=["Rusia meminta NATO tidak memperluas keanggotaan."],
        provenance={"method": "test"},
    )


def test_round_trip_and_no_overwrite(tmp_path: Path) -> None:
    doc = make()
    write_gold_file(tmp_path, doc)
    assert read_gold_dir(tmp_path) == {"abc": doc}
    with pytest.raises(OutputExistsError):
        write_gold_file(tmp_path, doc)


def test_check_against_text_accepts_consistent_gold() -> None:
    check_against_text(make(), TEXT, load_schema())


@pytest.mark.parametrize(
    ("text", "change", "message"),
    [
        (TEXT + " ", {}, "different text"),
        (TEXT, {"entities": [GoldEntity(0, 6, "GPE", "Rusia")]}, "reads 'Rusia '"),
        (TEXT, {"entities": [GoldEntity(0, 5, "NORP", "Rusia")]}, "not in the schema"),
        (TEXT, {"entities": [GoldEntity(0, 500, "GPE", "Rusia")]}, "out of range"),
        (TEXT, {"document_stance": [DocumentStance("nato_enlargement", "PRO")]}, "stance label 'PRO'"),
    ],
)
def test_check_against_text_rejects(text: str, change: dict, message: str) -> None:
    doc = make()
    for key, value in change.items():
        setattr(doc, key, value)
    with pytest.raises(GoldError, match=message):
        check_against_text(doc, text, load_schema(), source="g.json")


def test_file_name_must_match_article_id(tmp_path: Path) -> None:
    (tmp_path / "other.json").write_text(make().to_json(), encoding="utf-8")
    with pytest.raises(GoldError, match="does not match"):
        read_gold_dir(tmp_path)
