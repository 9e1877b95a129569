"""The leaderboard: rescoring, ranking and marking, four deterministic views, escaping, atomic writes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from warta.benchmarks import results as results_io
from warta.benchmarks.evaluate import load_task_gold, score_file
from warta.benchmarks.leaderboard import (
    Entry,
    build_leaderboard,
    markdown_text,
    rank_task,
    render_files,
    write_leaderboard,
    write_tree,
)
from warta.benchmarks.scoring import ScoreOptions
from warta.errors import InputError, OutputExistsError

XSS_NAME = "<script>alert(1)</script>"
OPTIONS = ScoreOptions(resamples=200)


@pytest.fixture(scope="module")
def board(leaderboard_inputs: tuple[Path, Path]):
    release, submissions = leaderboard_inputs
    return build_leaderboard(release, submissions, options=OPTIONS)


@pytest.fixture(scope="module")
def files(board) -> dict[str, str]:
    return render_files(board)


def test_every_submission_is_rescored_and_ranked(board, leaderboard_inputs: tuple[Path, Path]) -> None:
    tasks = {t.task: t for t in board.tasks}
    assert list(tasks) == ["ner", "stance", "summarization"]
    assert [e.system_id for e in tasks["ner"].entries] == ["gazetteer-tagger"]
    assert sorted(e.system_id for e in tasks["stance"].entries) == ["majority-class", "tfidf-logreg", "xss"]
    summarization = tasks["summarization"]
    assert summarization.entries[-1].system_id == "oracle-rouge"
    assert summarization.entries[-1].status == "oracle" and summarization.entries[-1].rank is None
    ranked = [e for e in summarization.entries if not e.oracle]
    values = [e.results["metrics"]["rougeL.f"]["value"] for e in ranked]
    assert values == sorted(values, reverse=True)
    assert [e.rank for e in ranked] == [1, 2, 3]
    # 5 articles: the smallest possible p is 2 / 2^5 > 0.05, so no system is best or worse
    assert {e.status for e in ranked} == {"inseparable"}
    assert summarization.inseparable == "n = 5 documents cannot separate systems at α = 0.05"
    # stance is tested over its 5 articles too (20 rows, but rows of one article are not independent)
    stance = tasks["stance"]
    assert stance.inseparable == "n = 5 documents cannot separate systems at α = 0.05"
    assert {e.status for e in stance.entries} == {"inseparable"}
    assert stance.size == "5 articles (20 stance rows)" and summarization.size == "5 articles"
    assert all(e.results["n_documents"] == 5 for e in stance.entries)
    # every entry equals what `warta bench score` gives for the same file
    release, submissions = leaderboard_inputs
    gold = load_task_gold(release, "summarization")
    for entry in summarization.entries:
        alone, _ = score_file(gold, submissions / entry.system_id / "summarization.jsonl", options=OPTIONS, system=entry.system_id)
        assert alone == entry.results


def test_not_significantly_different_from_the_best(board) -> None:
    """Statuses come from the paired permutation test, Holm-adjusted over the comparisons with the best."""
    from statsmodels.stats.multitest import multipletests

    from warta.benchmarks.scoring import compare_results

    checked = verified = 0
    for task in board.tasks:
        ranked = [e for e in task.entries if not e.oracle]
        best = ranked[0]
        tested, raw = [], []
        for entry in ranked[1:]:
            if entry.results["metrics"][task.primary_metric]["value"] == best.results["metrics"][task.primary_metric]["value"]:
                assert entry.status in ("best", "inseparable") and entry.rank == best.rank
                continue
            cmp = compare_results(best.results, entry.results, seed=OPTIONS.seed, metrics=[task.primary_metric])
            detail = cmp["metrics"][task.primary_metric]
            assert entry.p_raw == detail["p_permutation"] and entry.exact is detail["exact"] is True
            tested.append(entry)
            raw.append(detail["p_permutation"])
        if not tested:
            continue
        reject, adjusted, _, _ = multipletests(raw, alpha=0.05, method="holm")
        for entry, p, r in zip(tested, adjusted, reject):
            assert entry.p_value == pytest.approx(p, rel=1e-12)
            verified += 1
            if task.inseparable:
                assert entry.status == "inseparable"
            else:
                assert entry.status == ("worse" if r else "tied")
                checked += 1
    # 5 articles cannot separate systems, so worse / tied are checked on synthetic entries below
    assert verified >= 2 and checked == 0
    statuses = {e.status for t in board.tasks for e in t.entries}
    assert {"best", "oracle", "inseparable"} <= statuses


def test_inseparable_depends_on_documents_and_comparisons() -> None:
    def compare(a, b):
        return {"metrics": {"m": {"p_permutation": 1 / 2 ** (a["n_documents"] - 1), "exact": True}}}

    def entries(n: int, k: int) -> list[Entry]:
        out = [_entry(f"s{i}", 0.9 - i / 10) for i in range(k)]
        for e in out:
            e.results["n_documents"] = n
        return out

    assert {e.status for e in rank_task("x", entries(5, 2), compare=compare)} == {"inseparable"}
    assert [e.status for e in rank_task("x", entries(6, 2), compare=compare)] == ["best", "worse"]
    # two comparisons at n = 6: Holm's smallest adjusted p is 2 * 2/64 > 0.05
    assert {e.status for e in rank_task("x", entries(6, 3), compare=compare)} == {"inseparable"}
    assert [e.status for e in rank_task("x", entries(7, 3), compare=compare)] == ["best", "worse", "worse"]
    # one system alone is simply the best
    assert [e.status for e in rank_task("x", entries(2, 1), compare=compare)] == ["best"]
    # two systems tied at the top are not tested, but 2 documents could not tell them apart either
    tied = entries(2, 2)
    tied[1].results["metrics"]["m"] = dict(tied[0].results["metrics"]["m"])
    assert [e.status for e in rank_task("x", tied, compare=compare)] == ["inseparable", "inseparable"]
    tied = entries(6, 2)
    tied[1].results["metrics"]["m"] = dict(tied[0].results["metrics"]["m"])
    assert [e.status for e in rank_task("x", tied, compare=compare)] == ["best", "best"]


def _entry(system_id: str, value: float | None, oracle: bool = False) -> Entry:
    metric = {"value": value, "ci_low": value, "ci_high": value}
    return Entry(system_id, system_id, "a", None, "2026-01-01", "d", oracle,
                 {"primary_metric": "m", "metrics": {"m": metric}})


def test_rank_task_orders_ties_and_undefined_scores() -> None:
    calls = []

    def compare(a, b):
        calls.append((a["metrics"]["m"]["value"], b["metrics"]["m"]["value"]))
        return {"metrics": {"m": {"p_permutation": 0.2 if b["metrics"]["m"]["value"] == 0.5 else 0.01, "exact": False}}}

    entries = [_entry("c", 0.5), _entry("b", 0.7), _entry("a", 0.7), _entry("z", None), _entry("o", 0.9, True), _entry("d", 0.1)]
    ranked = rank_task("x", entries, compare=compare)
    assert [(e.system_id, e.rank, e.status) for e in ranked] == [
        ("a", 1, "best"), ("b", 1, "best"), ("c", 3, "tied"), ("d", 4, "worse"), ("z", 5, "worse"), ("o", None, "oracle"),
    ]
    # Holm over the three comparisons: 0.01, 0.01, 0.2 -> 0.03, 0.03, 0.2
    assert [e.p_value for e in ranked[2:5]] == pytest.approx([0.2, 0.03, 0.03])
    assert (0.9, 0.5) not in calls and all(a == 0.7 for a, _ in calls)


def test_views_are_complete_and_consistent(board, files: dict[str, str]) -> None:
    assert sorted(files) == sorted(
        ["LEADERBOARD.md", "leaderboard.csv", "leaderboard.html"]
        + [f"results/{e.system_id}/{t.task}.json" for t in board.tasks for e in t.entries]
    )
    for path, text in files.items():
        if path.endswith(".json"):
            data = results_io.loads(text, path)
            assert data["system"] == path.split("/")[1]
    rows = list(csv.DictReader(io.StringIO(files["leaderboard.csv"])))
    n_metrics = sum(len(e.results["metrics"]) for t in board.tasks for e in t.entries)
    assert len(rows) == n_metrics
    primary = [r for r in rows if r["primary"] == "true"]
    assert len(primary) == sum(len(t.entries) for t in board.tasks)
    for row in primary:
        data = json.loads(files[f"results/{row['system']}/{row['task']}.json"])
        assert float(row["value"]) == data["metrics"][row["metric"]]["value"]
        assert row["signature"] == data["signature"]
    html = files["leaderboard.html"]
    for task in board.tasks:
        assert task.signature in html and f"`{task.signature}`" in files["LEADERBOARD.md"]
    assert "leave-one-article-out" in html and "leave-one-article-out" in files["LEADERBOARD.md"]
    assert "<svg class=\"whisker\"" in html
    assert "http://" not in html and 'src="http' not in html and "<link" not in html  # no external assets


def test_hostile_names_are_escaped_everywhere(files: dict[str, str]) -> None:
    html = files["leaderboard.html"]
    assert XSS_NAME not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<b>markup</b>" not in html
    assert html.count("<script>") == 1  # only the page's own sorting script
    assert 'href="https://example.org/?q=&lt;b&gt;&amp;x=&#39;1&#39;"' in html
    md = files["LEADERBOARD.md"]
    assert XSS_NAME not in md and "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "a \\| pipe" in md
    assert markdown_text("a|b\n<c> _d_") == "a\\|b &lt;c&gt; \\_d\\_"
    rows = list(csv.DictReader(io.StringIO(files["leaderboard.csv"])))
    assert XSS_NAME in {r["name"] for r in rows}  # CSV is data: the name as given, quoted by csv


def test_rebuilding_gives_identical_files(leaderboard_inputs: tuple[Path, Path], files: dict[str, str], tmp_path: Path) -> None:
    release, submissions = leaderboard_inputs
    first = write_leaderboard(build_leaderboard(release, submissions, options=OPTIONS), tmp_path / "one")
    second = write_leaderboard(build_leaderboard(release, submissions, options=OPTIONS), tmp_path / "two")

    def tree(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    assert tree(first) == tree(second)
    assert {k: v.decode() for k, v in tree(first).items()} == files
    for text in files.values():
        assert "2026-11-23T" not in text and "UTC" not in text


def test_output_folder_is_refused_or_swapped_atomically(tmp_path: Path) -> None:
    out = tmp_path / "board"
    write_tree({"a.txt": "one\n", "sub/b.txt": "two\n"}, out)
    with pytest.raises(OutputExistsError, match="--replace"):
        write_tree({"a.txt": "new\n"}, out)
    assert (out / "a.txt").read_text() == "one\n"
    write_tree({"a.txt": "new\n"}, out, replace=True)
    assert sorted(p.name for p in out.rglob("*")) == ["a.txt"] and (out / "a.txt").read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["board"]  # no staging or old folder left
    (tmp_path / "empty").mkdir()
    write_tree({"x": "1"}, tmp_path / "empty")
    assert (tmp_path / "empty" / "x").read_text() == "1"

    class Boom(dict):
        def items(self):
            yield "ok.txt", "1"
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_tree(Boom(), tmp_path / "failed")
    with pytest.raises(RuntimeError):
        write_tree(Boom(), out, replace=True)
    assert (out / "a.txt").read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["board", "empty"]


def test_invalid_submission_stops_the_leaderboard(leaderboard_inputs: tuple[Path, Path], tmp_path: Path) -> None:
    import shutil

    release, submissions = leaderboard_inputs
    copy = tmp_path / "subs"
    shutil.copytree(submissions, copy)
    with (copy / "lead-3" / "summarization.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"id": "nope", "summary": "x"}\n')
    with pytest.raises(InputError, match=r"lead-3/summarization.jsonl: invalid summarization submission.*line 6: unknown id 'nope'"):
        build_leaderboard(release, copy, options=OPTIONS)
    with pytest.raises(InputError, match="no system folders"):
        build_leaderboard(release, _empty(tmp_path), options=OPTIONS)


def _empty(tmp_path: Path) -> Path:
    folder = tmp_path / "no-systems"
    folder.mkdir()
    (folder / "README.md").write_text("x\n", encoding="utf-8")
    return folder


def test_a_release_that_does_not_match_its_manifest_is_refused(
    leaderboard_inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    import shutil

    from warta.cli import main
    from warta.errors import ReleaseError

    release, submissions = leaderboard_inputs
    copy = tmp_path / "release"
    shutil.copytree(release, copy)
    shard = next((copy / "summarization").glob("*.parquet"))
    shard.write_bytes(shard.read_bytes() + b"\0")
    with pytest.raises(ReleaseError, match="does not match its manifest"):
        build_leaderboard(copy, submissions, options=OPTIONS)
    with pytest.raises(ReleaseError):
        load_task_gold(copy, "summarization")
    assert main(["bench", "leaderboard", "--release", str(copy), "--submissions", str(submissions),
                 "--out", str(tmp_path / "out")]) == 3
    assert not (tmp_path / "out").exists()
