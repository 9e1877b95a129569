"""`warta corpus diff` and CHANGELOG entries from `--changelog-from`."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import release_helpers as h  # noqa: E402

from warta.cli import main  # noqa: E402
from warta.corpus.diff import diff_releases  # noqa: E402
from warta.errors import InputError  # noqa: E402
from warta.gold import read_gold_file, write_gold_file  # noqa: E402


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("diff")
    old = h.build_seed(tmp, "v1", version="1.0.0")
    articles = h.seed_articles()
    changed = next(a for a in articles if a.id == "e868b1205f427ac5")
    changed.text = changed.text.replace("Jenewa", "Genewa", 1)
    added = replace(articles[1], id="0123456789abcdef", source_file="009_0123456789abcdef.txt", removed=list(articles[1].removed))
    articles = [a for a in articles if a.id != "cb33607aa2409de9"] + [added]
    gold_dir = tmp / "v2-gold"
    h.seed_gold(articles, gold_dir)
    doc = read_gold_file(gold_dir / "e868b1205f427ac5.json")
    doc.stance = [replace(doc.stance[0], label="NONE"), *doc.stance[1:]]
    write_gold_file(gold_dir, doc, overwrite=True)
    new = h.build_seed(tmp, "v2", version="1.1.0", articles=articles, changelog_from=old.out)
    return old, new


def test_diff_lists_added_removed_changed(two):
    old, new = two
    d = diff_releases(old.out, new.out)
    assert d["added"] == ["0123456789abcdef"] and d["removed"] == ["cb33607aa2409de9"]
    [change] = d["changed"]
    assert change["id"] == "e868b1205f427ac5" and change["fields"] == ["text"]
    assert "-" in change["text_diff"] and "+" in change["text_diff"] and "Genewa" in change["text_diff"]
    stance = {c["id"]: c["fields"] for c in d["labels"]["stance"]["changed"]}
    assert stance["e868b1205f427ac5:nato_enlargement:rusia"] == ["label", "text"]
    assert stance["e868b1205f427ac5:nato_enlargement"] == ["text"]
    assert "0123456789abcdef" in d["labels"]["ner"]["added"]
    assert d["schema_changed"] is False


def test_diff_cli_rich_and_json(two, capsys):
    old, new = two
    assert main(["corpus", "diff", str(old.out), str(new.out)]) == 0
    out = capsys.readouterr().out
    assert "1.0.0 -> 1.1.0" in out and "+ 0123456789abcdef" in out and "~ e868b1205f427ac5: text" in out
    assert main(["corpus", "diff", str(old.out), str(new.out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["removed"] == ["cb33607aa2409de9"]


def test_changelog_from_previous(two):
    old, new = two
    log = (new.out / "CHANGELOG.md").read_text()
    assert log.index("## 1.1.0") < log.index("## 1.0.0")
    assert "articles added: 1 (0123456789abcdef)" in log and "e868b1205f427ac5: text" in log
    assert "First release." in log
    assert "(a minor release: new articles or labels)" in log


def test_changelog_from_needs_newer_version(two, tmp_path):
    old, _ = two
    with pytest.raises(InputError, match="not newer"):
        h.build_seed(tmp_path, version="1.0.0", changelog_from=old.out)


def test_version_bump_must_match_the_changes(two, tmp_path):
    old, _ = two
    articles = h.seed_articles()
    added = replace(articles[0], id="0123456789abcdef", source_file="009_0123456789abcdef.txt")
    with pytest.raises(InputError, match="needs a minor bump|need a minor bump"):
        h.build_seed(tmp_path, "patch", version="1.0.1", gold=False, articles=[*articles, added], changelog_from=old.out)
    assert not (tmp_path / "patch").exists()
    # a correction only (a changed text) is a patch
    articles[0].text = articles[0].text + " "
    report = h.build_seed(tmp_path, "fix", version="1.0.1", articles=articles, changelog_from=old.out)
    assert "(a patch release: corrections)" in (report.out / "CHANGELOG.md").read_text()
