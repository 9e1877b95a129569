"""`--hide-labels test`: public rows without labels, full labels in a private folder; both verify and load."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import release_helpers as h  # noqa: E402

from warta.corpus.card import read_header  # noqa: E402
from warta.corpus.publish import plan_publish  # noqa: E402
from warta.corpus.verify import verify_release  # noqa: E402
from warta.errors import InputError, ReleaseError  # noqa: E402
from warta.release import Release  # noqa: E402
from warta.schema import load_schema  # noqa: E402
from warta.tokenize import token_spans  # noqa: E402

SCHEMA = load_schema()


@pytest.fixture(scope="module")
def hidden(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hide")
    full = h.build_seed(tmp, "full")
    report = h.build_seed(tmp, "public", hide_labels=["test"], private_out=tmp / "private")
    return tmp, full, report


def test_public_rows_stay_labels_go(hidden, tmp_path):
    _, full, report = hidden
    assert verify_release(report.out).ok
    ner = h.load(report.out, "ner", tmp_path / "c")["test"]
    assert ner.num_rows == 2
    for row in ner:
        assert row["entities"] == [] and row["ner_tags"] == []
        # tokens are cut without entity boundaries, so they leak nothing
        assert row["tokens"] == [row["text"][s:e] for s, e in token_spans(row["text"])]
    stance = h.load(report.out, "stance", tmp_path / "c")["test"]
    assert stance.num_rows == 6 and set(stance["label"]) == {None}
    assert any(r["mentions"] for r in stance)  # the input of the task stays
    summ = h.load(report.out, "summarization", tmp_path / "c")["test"]
    assert summ["summary"] == [None, None] and summ["references"] == [[], []]
    docs = h.load(report.out, "documents", tmp_path / "c")["test"]
    assert docs.num_rows == 2
    card = (report.out / "README.md").read_text()
    assert "Labels withheld" in card and "**test**" in card
    assert Release.open(report.out).manifest["hidden_labels"] == ["test"]


def test_private_folder_has_the_full_labels(hidden, tmp_path):
    _, full, report = hidden
    private = report.private_out
    assert verify_release(private).ok
    assert Release.open(private).manifest["private"] is True
    assert sorted(Release.open(private).configs()) == ["ner", "stance", "summarization"]
    for config in ("ner", "stance", "summarization"):
        assert Release.open(private).read(config, "test", schema=SCHEMA) == Release.open(full.out).read(config, "test", schema=SCHEMA)
        assert h.load(private, config, tmp_path / "c")["test"].num_rows == full.counts[config]["test"]
    header = read_header((private / "README.md").read_text())
    assert "private" in header["pretty_name"]
    assert "never publish" in (private / "README.md").read_text()


def test_private_folder_is_never_published(hidden):
    _, _, report = hidden
    with pytest.raises(ReleaseError, match="private"):
        plan_publish(report.private_out, "warta-nlp/warta")
    assert plan_publish(report.out, "warta-nlp/warta").tag == "v1.0.0"


def test_public_release_with_labels_in_hidden_split_fails_verify(hidden, tmp_path):
    import json

    _, full, _ = hidden
    manifest = json.loads((full.out / "manifest.json").read_text())
    manifest["hidden_labels"] = ["test"]
    (full.out / "manifest.json").write_text(json.dumps(manifest))
    found = [str(p) for p in verify_release(full.out).problems]
    assert any("labels present in a split whose labels are withheld" in m for m in found)


def test_hide_labels_needs_private_out_and_gold(tmp_path):
    with pytest.raises(InputError, match="--private-out"):
        h.build_seed(tmp_path, hide_labels=["test"])
    with pytest.raises(InputError, match="--gold"):
        h.build_seed(tmp_path, gold=False, hide_labels=["test"], private_out=tmp_path / "p")
    assert not (tmp_path / "release").exists() and not (tmp_path / "p").exists()


def test_failure_in_the_private_folder_leaves_neither(tmp_path, monkeypatch):
    from warta.corpus import build as build_module

    real = build_module.card_module.render

    def render(facts):
        if facts.private:
            raise RuntimeError("disk full")
        return real(facts)

    monkeypatch.setattr(build_module.card_module, "render", render)
    with pytest.raises(RuntimeError):
        h.build_seed(tmp_path, "public", hide_labels=["test"], private_out=tmp_path / "private")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public-gold"]
