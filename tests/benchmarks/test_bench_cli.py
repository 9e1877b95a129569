"""`warta bench ...`: exit codes, messages, files written, --help everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warta.benchmarks import results as results_io
from warta.cli import main

RELEASE_SPLITS = ("ner", "stance", "summarization")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["bench", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def submissions(labeled_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "submissions"
    assert main(["bench", "baselines", "--release", str(labeled_release), "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("command", ["", "score", "compare", "validate", "baselines", "leaderboard"])
def test_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = run(capsys, *([command] if command else []), "--help")
    assert code == 0 and "Usage:" in out


def test_baselines_command(submissions: Path, labeled_release: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert sorted(p.name for p in submissions.iterdir()) == [
        "gazetteer-tagger", "lead-3", "majority-class", "oracle-rouge", "textrank-3", "tfidf-logreg",
    ]
    code, _, err = run(capsys, "baselines", "--release", labeled_release, "--out", submissions)
    assert code == 4 and "already exist" in err and "--replace" in err
    code, out, _ = run(capsys, "baselines", "--release", labeled_release, "--out", submissions, "--replace")
    assert code == 0 and "oracle-rouge" in out and "upper bound" in out


def test_score_writes_results_and_prints_a_table(
    submissions: Path, labeled_release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ner.json"
    code, stdout, _ = run(
        capsys, "score", "--task", "ner", "--gold", labeled_release,
        "--predictions", submissions / "gazetteer-tagger" / "ner.jsonl", "--out", out, "--resamples", "100",
    )
    assert code == 0
    assert "strict.micro.f1 (primary)" in stdout and "task:ner|metric:strict.micro.f1" in stdout
    results = results_io.load(out)
    assert results["task"] == "ner" and results["n_documents"] == 5
    assert results["signature_fields"]["boot"] == "100@seed12345"
    value = results["metrics"]["strict.micro.f1"]["value"]
    assert f"{value:.4f}" in stdout
    code, _, err = run(capsys, "score", "--task", "ner", "--gold", labeled_release,
                       "--predictions", submissions / "gazetteer-tagger" / "ner.jsonl", "--out", out)
    assert code == 4 and "already exists" in err
    code, stdout, _ = run(capsys, "score", "--task", "ner", "--gold", labeled_release,
                          "--predictions", submissions / "gazetteer-tagger" / "ner.jsonl", "--resamples", "100", "--json")
    assert code == 0 and json.loads(stdout) == results


def test_score_summarization_with_rouge_score_tokenizer(
    submissions: Path, labeled_release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, _ = run(capsys, "score", "--task", "summarization", "--gold", labeled_release,
                          "--predictions", submissions / "lead-3" / "summarization.jsonl",
                          "--tokenizer", "rouge_score", "--resamples", "50", "--json")
    assert code == 0 and json.loads(stdout)["signature_fields"]["tok"] == "rouge_score"
    code, _, err = run(capsys, "score", "--task", "summarization", "--gold", labeled_release,
                       "--predictions", submissions / "lead-3" / "summarization.jsonl", "--tokenizer", "nltk")
    assert code == 2 and "tokenizer" in err


def test_invalid_submission_lists_every_problem_and_exits_2(
    labeled_release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "stance.jsonl"
    bad.write_text(
        '{"id": "a01:nato_enlargement", "label": "FAVOR"}\n'
        '{"id": "a01:nato_enlargement", "label": "FAVOR"}\n'
        '{"id": "a02:nato_enlargement", "label": "MAYBE"}\n'
        "{oops\n",
        encoding="utf-8",
    )
    for command in ("score", "validate"):
        args = ["--task", "stance", "--gold", labeled_release]
        args = [*args, "--predictions", bad] if command == "score" else [bad, *args]
        code, stdout, err = run(capsys, command, *args)
        assert code == 2, command
        assert "line 2: duplicate id 'a01:nato_enlargement' (first on line 1)" in err
        assert "line 3: label 'MAYBE' is not in the schema" in err
        assert "line 4: bad JSON" in err
        assert "missing 18 of 20 ids" in err
        errors = [line for line in err.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "invalid stance submission, 4 problems" in errors[0]
        assert "Traceback" not in err and stdout == ""


def test_allow_missing(labeled_release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    partial = tmp_path / "stance.jsonl"
    partial.write_text('{"id": "a01:nato_enlargement", "label": "NONE"}\n', encoding="utf-8")
    code, out, _ = run(capsys, "validate", partial, "--task", "stance", "--gold", labeled_release, "--allow-missing")
    assert code == 0 and "19 missing ids scored as empty" in out
    code, out, _ = run(capsys, "score", "--task", "stance", "--gold", labeled_release, "--predictions", partial,
                       "--allow-missing", "--resamples", "20")
    assert code == 0 and "19 missing ids were scored as empty predictions" in out
    assert "5 articles, 20 stance rows" in " ".join(out.split())
    code, _, err = run(capsys, "validate", partial, "--task", "stance", "--gold", labeled_release, "--max-bytes", "10")
    assert code == 2 and "over the limit of 10 bytes" in err


def test_bad_arguments_exit_non_zero(labeled_release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "score", "--task", "pos", "--gold", labeled_release, "--predictions", tmp_path / "x")
    assert code == 2 and "unknown task 'pos'" in err
    code, _, err = run(capsys, "score", "--task", "ner", "--gold", tmp_path / "none", "--predictions", tmp_path / "x")
    assert code == 3 and "no such release folder" in err
    code, _, err = run(capsys, "score", "--task", "ner", "--gold", labeled_release, "--predictions", tmp_path / "x")
    assert code == 2 and "no such submission file" in err
    code, _, err = run(capsys, "score", "--task", "ner", "--gold", labeled_release, "--predictions", tmp_path / "x", "--split", "train")
    assert code == 3 and "no split 'train'" in err
    code, _, _ = run(capsys, "score", "--gold", labeled_release)
    assert code == 2


def test_compare(submissions: Path, labeled_release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = {}
    for system in ("lead-3", "oracle-rouge"):
        paths[system] = tmp_path / f"{system}.json"
        assert main(["bench", "score", "--task", "summarization", "--gold", str(labeled_release), "--predictions",
                     str(submissions / system / "summarization.jsonl"), "--out", str(paths[system]),
                     "--system", system, "--resamples", "100"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "compare", paths["oracle-rouge"], paths["lead-3"], "--json", "--trials", "500", "--resamples", "200")
    assert code == 0
    comparison = json.loads(out)
    assert comparison["a"] == "oracle-rouge" and comparison["b"] == "lead-3"
    rouge_l = comparison["metrics"]["rougeL.f"]
    assert rouge_l["delta"] > 0 and 0 < rouge_l["p_bootstrap"] <= 1
    # 5 articles: the exact permutation test enumerates 2^5 swaps; its floor is 2/32
    assert rouge_l["exact"] is True and rouge_l["p_permutation"] == pytest.approx(2 / 32)
    assert comparison["n_documents"] == 5 and comparison["identical_statistics"] is False
    code, table, _ = run(capsys, "compare", paths["oracle-rouge"], paths["lead-3"], "--trials", "500", "--resamples", "200")
    assert code == 0 and "rougeL.f" in table and "p_bootstrap" in table and "p_permutation" in table
    assert "n = 5 documents cannot separate systems at α = 0.05" in table
    # results without a system name are named by their file names; identical inputs are said to be
    anonymous = tmp_path / "anonymous-run.json"
    data = json.loads(paths["lead-3"].read_text(encoding="utf-8"))
    data["system"] = None
    anonymous.write_text(json.dumps(data), encoding="utf-8")
    code, same_out, _ = run(capsys, "compare", anonymous, paths["lead-3"], "--json", "--trials", "100", "--resamples", "50")
    same = json.loads(same_out)
    assert code == 0 and (same["a"], same["b"]) == ("anonymous-run.json", "lead-3")
    assert same["identical_statistics"] is True and all(m["p_permutation"] == 1.0 for m in same["metrics"].values())
    code, same_table, _ = run(capsys, "compare", anonymous, paths["lead-3"], "--trials", "100", "--resamples", "50")
    assert "anonymous-run.json" in same_table and "None" not in same_table
    assert "identical per-document statistics" in same_table
    code, again, _ = run(capsys, "compare", paths["oracle-rouge"], paths["lead-3"], "--json", "--trials", "500", "--resamples", "200")
    assert again == out  # same seed, same digits
    ner = tmp_path / "ner.json"
    assert main(["bench", "score", "--task", "ner", "--gold", str(labeled_release), "--predictions",
                 str(submissions / "gazetteer-tagger" / "ner.jsonl"), "--out", str(ner), "--resamples", "10"]) == 0
    capsys.readouterr()
    code, _, err = run(capsys, "compare", ner, paths["lead-3"])
    assert code == 2 and "different tasks" in err
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    code, _, err = run(capsys, "compare", broken, ner)
    assert code == 2 and "not valid JSON" in err


def test_leaderboard_command(submissions: Path, labeled_release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "board"
    args = ["leaderboard", "--release", labeled_release, "--submissions", submissions, "--out", out, "--resamples", "100"]
    code, stdout, _ = run(capsys, *args)
    assert code == 0
    assert "Summarization" in stdout and "oracle" in stdout and f"leaderboard -> {out}" in stdout
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert files[:3] == ["LEADERBOARD.md", "leaderboard.csv", "leaderboard.html"]
    assert "results/lead-3/summarization.json" in files and "results/gazetteer-tagger/ner.json" in files
    before = {f: (out / f).read_bytes() for f in files}
    code, _, err = run(capsys, *args)
    assert code == 4 and "not empty" in err
    code, _, _ = run(capsys, *args, "--replace")
    assert code == 0
    assert {f: (out / f).read_bytes() for f in files} == before
