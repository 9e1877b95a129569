"""Every command the README shows is run here as written (or, for the Label Studio loop, one to
one in tests/annotation/test_ls_readme_loop.py), so the README cannot drift from the code."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from readme_commands import README, REPO, blocks, commands, run  # noqa: E402


def quick_start() -> list[str]:
    return commands(README.split("## ", 1)[0].split("```sh", 1)[1].split("```", 1)[0])


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    main_job, tests = quick_start()
    assert main_job.startswith("scripts/bootstrap && ") and "warta demo" in main_job
    assert tests == "scripts/bootstrap --test && .venv/bin/python -m pytest"
    ci = [line for line in (REPO / ".ci" / "run").read_text().splitlines() if line and not line.startswith(("#", "set ", "cd "))]
    assert ci == [tests]


def test_main_job_runs_as_written(tmp_path: Path) -> None:
    main_job = quick_start()[0]
    demo = main_job.split(" && ", 1)[1].replace("--out warta-demo", f"--out {tmp_path / 'warta-demo'}")
    result = run(demo, REPO)
    out = tmp_path / "warta-demo"
    assert (out / "leaderboard" / "leaderboard.html").is_file()
    assert (out / "release" / "1.0.0" / "manifest.json").is_file()
    for system in ("gazetteer-tagger", "majority-class", "tfidf-logreg", "lead-3", "textrank-3", "oracle-rouge"):
        assert system in (out / "leaderboard" / "LEADERBOARD.md").read_text(encoding="utf-8")
    assert "leaderboard" in result.stdout
    # The demo's release is the committed release 1.0.0, byte for byte.
    built = out / "release" / "1.0.0"
    committed = REPO / "corpus" / "releases" / "1.0.0"
    assert sorted(p.relative_to(built) for p in built.rglob("*")) == sorted(p.relative_to(committed) for p in committed.rglob("*"))
    for path in built.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (committed / path.relative_to(built)).read_bytes(), path


def test_demo_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = subprocess.run([sys.executable, "-m", "warta", "demo", "--out", str(tmp_path)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 4
    assert "not empty" in result.stderr and "Traceback" not in result.stderr
    assert "--out" in result.stderr and "version" not in result.stderr  # demo has no --version
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_readme_scratch_outputs_are_ignored_by_git() -> None:
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/work/" in ignored
    for section in ("For annotation leads", "For leaderboard maintainers"):
        for line in commands(blocks(section, "sh")[0]):
            argv = shlex.split(line)
            for flag in ("--out",):
                if flag in argv:
                    target = argv[argv.index(flag) + 1]
                    assert target.startswith(("work/", "annotation/gold", "corpus/releases/", "benchmarks/leaderboard")), line
            if argv[1:3] in (["bench", "compare"], ["annotate", "agreement"], ["annotate", "adjudicate"]):
                assert argv[3].startswith("work/"), line


def test_researcher_python_session_runs_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    (code,) = blocks("For researchers", "python")
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        namespace: dict[str, object] = {}
        exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102
    finally:
        os.chdir(cwd)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "Jelang Dialog NATO-Rusia, AS Berharap Diplomasi Mampu Cegah Invasi Rusia Marcheilla Ariesta 2022-01-12T13:16:00+07:00"
    assert printed[1] == "['PER', 'ORG', 'GPE', 'LOC', 'DATE']"
    assert printed[2] == "['FAVOR', 'AGAINST', 'NONE']"
    assert len(namespace["docs"]) == 2 and len(namespace["summaries"]) == 2  # type: ignore[arg-type]


def test_researcher_shell_session_runs_as_written() -> None:
    (block,) = blocks("For researchers", "sh")
    lines = commands(block)
    assert lines[0].startswith(".venv/bin/warta corpus verify")
    outputs = [run(line, REPO).stdout for line in lines]
    assert "removed" in outputs[1] and "comment-prompt" in outputs[1]


def test_maintainer_session_runs_as_written_and_the_committed_leaderboard_is_current(tmp_path: Path) -> None:
    (block,) = blocks("For leaderboard maintainers", "sh")
    for folder in ("corpus/releases/1.0.0", "annotation/gold", "benchmarks/submissions", "benchmarks/leaderboard"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    lines = commands(block)
    for line in lines:
        run(line, tmp_path)
    for name in ("lead-3.json", "textrank-3.json"):
        assert '"schema": "warta.results.v1"' in (tmp_path / "work" / name).read_text(encoding="utf-8")
    # What the README writes lands in folders git ignores (or that the repository already holds).
    written = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*") if p.is_file()}
    assert written == {"annotation", "corpus", "benchmarks", "work"}
    # Rebuilding the leaderboard from the committed submissions reproduces the committed files.
    fresh, committed = tmp_path / "benchmarks" / "leaderboard", REPO / "benchmarks" / "leaderboard"
    names = sorted(str(p.relative_to(committed)) for p in committed.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(fresh)) for p in fresh.rglob("*") if p.is_file())
    for name in names:
        assert (fresh / name).read_bytes() == (committed / name).read_bytes(), name
