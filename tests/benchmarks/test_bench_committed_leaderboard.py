"""The committed leaderboard (benchmarks/leaderboard/) is exactly what the CLI rebuilds, and it
makes no claim its 2 articles cannot support."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from warta.cli import main

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "benchmarks" / "leaderboard"


def test_committed_leaderboard_is_what_the_cli_rebuilds(tmp_path: Path) -> None:
    out = tmp_path / "leaderboard"
    code = main([
        "bench", "leaderboard", "--release", str(REPO / "corpus" / "releases" / "1.0.0"),
        "--submissions", str(REPO / "benchmarks" / "submissions"), "--out", str(out),
        "--gold-dir", str(REPO / "annotation" / "gold"),
    ])
    assert code == 0
    rebuilt = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(COMMITTED).as_posix() for p in COMMITTED.rglob("*") if p.is_file())
    assert rebuilt == committed
    for relative in rebuilt:
        assert (out / relative).read_bytes() == (COMMITTED / relative).read_bytes(), (
            f"{relative} differs: rebuild benchmarks/leaderboard with `warta bench leaderboard ... --gold-dir annotation/gold --replace`"
        )


def test_lead3_and_textrank3_are_inseparable_on_two_articles() -> None:
    rows = list(csv.DictReader(io.StringIO((COMMITTED / "leaderboard.csv").read_text(encoding="utf-8"))))
    status = {(r["task"], r["system"]): r["status"] for r in rows}
    assert status[("summarization", "lead-3")] == status[("summarization", "textrank-3")] == "inseparable"
    assert status[("summarization", "oracle-rouge")] == "oracle"
    # the two stance baselines make the same predictions, and the board says so
    identical = {(r["task"], r["system"]): r["identical_to"] for r in rows}
    assert identical[("stance", "majority-class")] == "tfidf-logreg"
    assert identical[("stance", "tfidf-logreg")] == "majority-class"
    primary = [r for r in rows if r["primary"] == "true"]
    assert primary and all(r["ci_informative"] == "false" for r in primary)  # 2 articles, 9 rows
    markdown = (COMMITTED / "LEADERBOARD.md").read_text(encoding="utf-8")
    assert "n = 2 documents cannot separate systems at α = 0.05" in markdown
    assert "identical predictions to tfidf-logreg" in markdown
    html = (COMMITTED / "leaderboard.html").read_text(encoding="utf-8")
    assert "n = 2 documents cannot separate systems at α = 0.05" in html
    assert 'class="forest"' in html and "<details" in html
