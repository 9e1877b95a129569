"""Corpus settings load strictly; `warta corpus inspect` shows every line's fate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from warta.cli import main
from warta.corpus.settings import CorpusSettings, load_settings
from warta.errors import SchemaError

MEDCOM = "000_e868b1205f427ac5.txt"


def test_repository_config_equals_documented_defaults(repo: Path) -> None:
    assert load_settings(repo / "corpus" / "config.yaml") == CorpusSettings() == load_settings(None)


def test_partial_config_overrides_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("dedup:\n  threshold: 0.9\nsplits:\n  min_stories_for_training: 0\ntimezone: WITA\n")
    s = load_settings(path)
    assert (s.dedup.threshold, s.dedup.shingle_size, s.splits.min_stories_for_training, s.timezone) == (0.9, 5, 0, "WITA")


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("dedupe:\n  threshold: 0.9\n", "unknown key 'dedupe'"),
        ("dedup:\n  treshold: 0.9\n", "unknown key 'dedup.treshold'"),
        ("dedup:\n  threshold: high\n", "'dedup.threshold' must be a number"),
        ("dedup:\n  shingle_size: 2.5\n", "'dedup.shingle_size' must be an integer"),
        ("dedup:\n  threshold: 1.5\n", "'dedup.threshold' must be in (0, 1]"),
        ("splits:\n  train: 0.9\n", "train + validation + test must be 1"),
        ("splits:\n  small_corpus_split: dev\n", "'splits.small_corpus_split' must be one of"),
        ("timezone: CET\n", "'timezone' must be one of"),
        ("- a\n- b\n", "must be a mapping"),
        ("dedup: [1, 2]\n", "dedup. must be a mapping"),
        ("dedup: {threshold: 0.8\n", "not valid YAML"),
    ],
)
def test_bad_settings_name_file_and_key(tmp_path: Path, text: str, what: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(SchemaError) as info:
        load_settings(path)
    assert str(path) in str(info.value) and what in str(info.value)


def test_missing_settings_file(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="not found"):
        load_settings(tmp_path / "none.yaml")


def test_inspect_json_accounts_for_every_line(raw_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "inspect", str(raw_dir / MEDCOM), "--json"]) == 0
    (report,) = json.loads(capsys.readouterr().out)
    raw = (raw_dir / MEDCOM).read_text(encoding="utf-8")
    assert len(report["lines"]) == raw.count("\n") + 1
    assert report["title"].startswith("Jelang Dialog NATO-Rusia")
    by_line = {row["line"]: row for row in report["lines"]}
    assert (by_line[1]["status"], by_line[1]["label"]) == ("metadata", "caption")
    assert (by_line[13]["status"], by_line[13]["label"]) == ("removed", "comment-prompt")
    assert by_line[7]["dateline_prefix"] == "Washington: "
    assert (by_line[6]["status"], by_line[6]["label"], by_line[6]["value"]) == ("metadata", "byline", "Marcheilla Ariesta")
    for row in report["lines"]:
        assert raw[row["start"] : row["end"]] == row["text"]


def test_inspect_table_and_errors(raw_dir: Path, tmp_path: Path) -> None:
    run = [sys.executable, "-m", "warta", "corpus", "inspect"]
    env_cols = {"COLUMNS": "160", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([*run, str(raw_dir / "004_cb33607aa2409de9.txt")], capture_output=True, text=True, env=env_cols, check=False)
    assert done.returncode == 0, done.stderr
    assert "related-headline" in done.stdout and "duplicate-title" in done.stdout and "section" in done.stdout
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff\xfe broken\n")
    done = subprocess.run([*run, str(bad)], capture_output=True, text=True, env=env_cols, check=False)
    assert done.returncode == 2
    assert "bad.txt" in done.stderr and "Traceback" not in done.stderr


def test_inspect_says_what_was_not_found_and_explains_its_glyphs(raw_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "inspect", str(raw_dir / MEDCOM)]) == 0
    out = capsys.readouterr().out
    assert "None" not in out
    assert "not found: section, outlet" in out
    assert "∅" in out and "⍽" in out  # the seed has empty and no-break-space lines
    assert "∅ an empty line" in out and "⍽ a no-break space (U+00A0)" in out
