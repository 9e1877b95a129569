"""Every command has --help, and errors are one line with a trustworthy exit code."""

from __future__ import annotations

import subprocess
import sys

import typer

from warta.cli import app, main
from warta.errors import InputError


def all_command_paths() -> list[list[str]]:
    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(command, path: list[str]) -> None:  # noqa: ANN001
        paths.append(path)
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])

    walk(root, [])
    return paths


def test_every_command_has_help(capsys) -> None:  # noqa: ANN001
    paths = all_command_paths()
    assert ["corpus"] in paths and ["bench"] in paths and ["annotate"] in paths and ["demo"] in paths
    for path in paths:
        assert main([*path, "--help"]) == 0, path
        out = capsys.readouterr().out
        assert "Usage" in out, path


def test_usage_error_exit_code(capsys) -> None:  # noqa: ANN001
    assert main(["corpus", "--no-such-flag"]) == 2
    assert "No such option" in capsys.readouterr().err


def test_warta_error_is_one_line_without_traceback(monkeypatch, capsys) -> None:  # noqa: ANN001
    @app.command("raise-for-test", hidden=True)
    def _boom() -> None:
        raise InputError("data.jsonl:3: line is not JSON", hint="fix the line")

    try:
        assert main(["raise-for-test"]) == InputError.exit_code
    finally:
        app.registered_commands.pop()
    err = capsys.readouterr().err
    assert err.splitlines() == ["error: data.jsonl:3: line is not JSON", "hint: fix the line"]
    assert "Traceback" not in err


def test_console_script_version() -> None:
    result = subprocess.run([sys.executable, "-m", "warta", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("warta ")
