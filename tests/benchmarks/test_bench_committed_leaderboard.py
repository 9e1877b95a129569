"""The committed leaderboard (benchmarks/leaderboard/) is exactly what the CLI rebuilds, and it
makes no claim its 2 articles cannot support."""

from __future__ import annotations

import csv
import io
import json
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
    assert primary and all(r["ci_informative"] == "false" for r in primary)  # 2 articles
    markdown = (COMMITTED / "LEADERBOARD.md").read_text(encoding="utf-8")
    assert "n = 2 documents cannot separate systems at α = 0.05" in markdown
    assert "identical predictions to tfidf-logreg" in markdown
    html = (COMMITTED / "leaderboard.html").read_text(encoding="utf-8")
    assert "n = 2 documents cannot separate systems at α = 0.05" in html
    assert 'class="forest"' in html and "<details" in html


def test_stance_is_tested_over_its_two_articles_not_its_nine_rows() -> None:
    rows = list(csv.DictReader(io.StringIO((COMMITTED / "leaderboard.csv").read_text(encoding="utf-8"))))
    status = {(r["task"], r["system"]): r["status"] for r in rows}
    assert status[("stance", "majority-class")] == status[("stance", "tfidf-logreg")] == "inseparable"
    for system in ("majority-class", "tfidf-logreg"):
        results = json.loads((COMMITTED / "results" / system / "stance.json").read_text(encoding="utf-8"))
        assert results["n_documents"] == 2 and results["interval"]["unit"] == "articles"
        assert results["per_document"]["ids"] == ["cb33607aa2409de9", "e868b1205f427ac5"]
        assert sum(map(sum, results["confusion"]["matrix"])) == 9
        assert results["metrics"]["f_avg"]["ci_note"].startswith("only 2 documents")
    markdown = (COMMITTED / "LEADERBOARD.md").read_text(encoding="utf-8")
    stance = markdown.split("## Stance", 1)[1].split("\n## ", 1)[0]
    assert "2 articles (9 stance rows)" in stance
    assert "**n = 2 documents cannot separate systems at α = 0.05**" in stance
    assert "**best**" not in stance
    html = (COMMITTED / "leaderboard.html").read_text(encoding="utf-8")
    section = html.split('<section id="stance">', 1)[1].split("</section>", 1)[0]
    assert "2 articles (9 stance rows)" in section and 'class="inseparable"' in section
    assert 'class="badge best" title=' not in section and 'data-status="best"' not in section
