"""Tables printed to a pipe or a file keep every value whole (rich would cut them at 80 columns)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from rich.table import Table

from warta.cli import main
from warta.cli.output import print_table

REPO = Path(__file__).resolve().parents[2]


def test_a_wide_table_off_a_terminal_is_printed_whole() -> None:
    table = Table(title="leaderboard")
    for name in ("system", "F1 strict", "P strict", "R strict", "F1 exact", "F1 partial", "IOB2 F1 (conlleval)"):
        table.add_column(name)
    table.add_row("Gazetteer tagger with a long name", *["94.5 [93.5, 95.1]"] * 6)
    out = io.StringIO()
    print_table(Console(file=out, width=80), table)
    text = out.getvalue()
    assert "…" not in text
    assert "Gazetteer tagger with a long name" in text and "IOB2 F1 (conlleval)" in text
    assert max(len(line) for line in text.splitlines()) > 80
    narrow = io.StringIO()
    Console(file=narrow, width=80).print(table)  # what rich alone does
    assert "…" in narrow.getvalue() or "Gazetteer tagger with a long name" not in narrow.getvalue()


def test_a_table_that_fits_keeps_its_width() -> None:
    table = Table("a", "b")
    table.add_row("1", "2")
    out = io.StringIO()
    print_table(Console(file=out, width=80), table)
    assert max(len(line) for line in out.getvalue().splitlines()) < 20


def test_inspect_into_a_pipe_prints_whole_lines(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    raw = REPO / "corpus" / "raw" / "004_cb33607aa2409de9.txt"
    assert main(["corpus", "inspect", str(raw)]) == 0
    out = capsys.readouterr().out
    longest = max(raw.read_text(encoding="utf-8").splitlines(), key=len)
    assert longest in out and "…" not in out
