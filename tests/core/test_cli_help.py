"""Every command's ``--help`` reads well in an 80-column terminal: nothing cut, flags without a
value, positionals in capitals, paragraphs wrapped at the width and not where the source broke."""

from __future__ import annotations

import re

import click
import pytest
import typer
from typer.testing import CliRunner

from warta.cli import app
from warta.cli.help import reflow

WIDTH = 80


def commands() -> list[tuple[list[str], click.Command]]:
    found: list[tuple[list[str], click.Command]] = []

    def walk(path: list[str], command: click.Command) -> None:
        found.append((path, command))
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk([*path, name], sub)

    walk([], typer.main.get_command(app))
    return found


ALL = commands()


def render(path: list[str]) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": str(WIDTH), "TERMINAL_WIDTH": str(WIDTH)})
    assert result.exit_code == 0, result.output
    return result.output


def words(text: str) -> str:
    """The text without box drawing and with whitespace collapsed (a wrap is a space)."""
    return " ".join(re.sub(r"[╭╮╰╯─│]", " ", text).split())


@pytest.mark.parametrize("path,command", ALL, ids=[" ".join(p) or "warta" for p, _ in ALL])
def test_help_is_readable_at_80_columns(path: list[str], command: click.Command) -> None:
    out = render(path)
    lines = out.splitlines()
    assert all(len(line) <= WIDTH for line in lines), max(lines, key=len)
    assert "…" not in out  # nothing cut
    assert "<bool>" not in out and "{" not in out.split("Usage:", 1)[1].splitlines()[0]
    flat = words(out)
    for param in command.params:
        if isinstance(param, click.Option):
            for name in [*param.opts, *param.secondary_opts]:
                assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", flat), name  # whole, not cut
        for variable in re.findall(r"\$[A-Z_]+", getattr(param, "help", None) or ""):
            assert variable in flat, variable
        if isinstance(param, click.Argument):
            assert param.name.upper() in out.split("Usage:", 1)[1].splitlines()[0]
    if command.help:
        for paragraph in reflow(command.help).split("\n\n"):
            assert " ".join(paragraph.replace("\\[", "[").split()) in flat
    # The description wraps greedily: a line ends only where the next word would not fit.
    description = out.split("Usage:", 1)[1].split("╭", 1)[0].splitlines()[2:]
    text = [line.strip() for line in description]
    for line, following in zip(text, text[1:]):
        if line and following:
            assert len(line) + 1 + len(following.split()[0]) > WIDTH - 2, (line, following)


def test_groups_describe_themselves() -> None:
    for path, command in ALL:
        if isinstance(command, click.Group):
            assert command.help and not command.help.endswith(" commands."), path
            assert len(command.help.split()) >= 6, path


def test_a_positional_reads_in_capitals_in_errors() -> None:
    result = CliRunner().invoke(app, ["corpus", "verify"])
    assert result.exit_code == 2
    assert "PATH" in result.output and "{path}" not in result.output
