"""leaderboard.html in headless Chromium: every system renders, names are text, headers sort."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from warta.benchmarks.leaderboard import build_leaderboard, write_leaderboard
from warta.benchmarks.scoring import ScoreOptions

XSS_NAME = "<script>alert(1)</script>"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

pytestmark = pytest.mark.chromium


@pytest.fixture(scope="module")
def page_path(leaderboard_inputs: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    release, submissions = leaderboard_inputs
    board = build_leaderboard(release, submissions, options=ScoreOptions(resamples=200))
    out = write_leaderboard(board, tmp_path_factory.mktemp("board") / "leaderboard")
    return out / "leaderboard.html"


def test_leaderboard_page_in_chromium(page_path: Path, chromium: Any) -> None:
    dialogs: list[str] = []
    console_errors: list[str] = []
    requests: list[str] = []
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_path.as_uri())
    page.wait_for_load_state("load")

    # every system of every task is a row
    rows = {
        task: page.eval_on_selector_all(
            f"table[data-task={task}] tbody tr", "rows => rows.map(r => r.dataset.system)"
        )
        for task in ("ner", "stance", "summarization")
    }
    assert rows["ner"] == ["gazetteer-tagger"]
    assert sorted(rows["stance"]) == ["majority-class", "tfidf-logreg", "xss"]
    assert sorted(rows["summarization"]) == ["lead-3", "oracle-rouge", "textrank-3", "xss"]

    # the hostile name is shown as text, and nothing it carried ran
    names = page.eval_on_selector_all("table[data-task=stance] .name", "els => els.map(e => e.textContent.trim())")
    assert any(name.startswith(XSS_NAME) for name in names), names
    assert page.evaluate("document.querySelectorAll('script').length") == 1
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert dialogs == []

    # a click on a column header sorts the rows
    table = "table[data-task=summarization]"

    def column(index: int) -> list[float | None]:
        return page.eval_on_selector_all(
            f"{table} tbody tr",
            f"rows => rows.map(r => r.cells[{index}].dataset.value === '' ? null : parseFloat(r.cells[{index}].dataset.value))",
        )

    def order() -> list[str]:
        return page.eval_on_selector_all(f"{table} tbody tr", "rows => rows.map(r => r.dataset.system)")

    before = order()
    assert before[-1] == "oracle-rouge"  # ranked systems first, the oracle last
    headers = page.eval_on_selector_all(f"{table} thead th", "ths => ths.map(t => t.textContent.trim())")
    rouge2 = headers.index("ROUGE-2")
    page.click(f"{table} thead th:nth-child({rouge2 + 1}) button")
    after = order()
    values = column(rouge2)
    assert values == sorted(values, reverse=True)
    assert after[0] == "oracle-rouge" and after != before
    assert page.get_attribute(f"{table} thead th:nth-child({rouge2 + 1})", "aria-sort") == "descending"
    page.click(f"{table} thead th:nth-child({rouge2 + 1}) button")
    assert column(rouge2) == sorted(column(rouge2))
    assert order() == list(reversed(after))
    page.click(f"{table} thead th:nth-child(2) button")  # by system name, A to Z
    names = page.eval_on_selector_all(f"{table} tbody tr", "rows => rows.map(r => r.cells[1].dataset.value.toLowerCase())")
    assert names == sorted(names)
    page.click(f"{table} thead th:nth-child(1) button")  # back to rank order
    assert order()[:3] == before[:3]

    # CI whiskers are drawn for every primary score
    assert page.eval_on_selector_all("svg.whisker", "els => els.length") == sum(len(v) for v in rows.values())

    # one forest plot per task, one row per system, no external asset
    forests = page.eval_on_selector_all(
        "section", "ss => ss.map(s => [s.id, s.querySelectorAll('svg.forest g.forest-row').length])"
    )
    assert dict(forests) == {task: len(v) for task, v in rows.items()}
    # 5 articles: every primary interval is greyed out with its reason, and no test can separate
    weak = page.eval_on_selector_all(
        "#ner td.primary .ci.weak, #summarization td.primary .ci.weak", "els => els.map(e => e.title)"
    )
    assert len(weak) == len(rows["ner"]) + len(rows["summarization"])
    assert all("only 5 documents (fewer than 10)" in t for t in weak)
    summary = page.text_content("#summarization .inseparable")
    assert "n = 5 documents cannot separate systems at α = 0.05" in summary
    assert page.eval_on_selector_all("#summarization .badge.inseparable", "els => els.length") >= 3
    # long descriptions are folded
    assert page.eval_on_selector_all("details.desc", "els => els.filter(e => e.open).length") == 0
    assert page.eval_on_selector_all("details.desc", "els => els.length") == sum(len(v) for v in rows.values())

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "leaderboard.png"), full_page=True)

    # at 700 px the page does not scroll sideways and the primary column stays visible
    page.set_viewport_size({"width": 700, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 700
    widths = page.eval_on_selector_all(
        ".table-wrap", "els => els.filter(e => e.offsetParent !== null).map(e => [e.scrollWidth, e.clientWidth])"
    )
    assert widths and all(scroll <= client + 1 for scroll, client in widths), widths
    assert page.is_visible("table[data-task=summarization] tbody tr td.primary")
    assert not page.is_visible("table[data-task=summarization] tbody tr td.secondary")
    page.screenshot(path=str(ARTIFACTS / "leaderboard-700.png"), full_page=True)
    assert dialogs == []
    assert console_errors == []
    assert all(url.startswith("file://") for url in requests), requests
    assert (ARTIFACTS / "leaderboard.png").stat().st_size > 10_000
    assert (ARTIFACTS / "leaderboard-700.png").stat().st_size > 10_000
