"""The CLI's last line of defence: an unexpected exception is one line and exit 70."""

from __future__ import annotations

import pytest

from tests.hostile.harness import run
from warta.cli import app


@pytest.mark.parametrize("debug", ["", "1"])
def test_unexpected_exception_is_exit_70(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, debug: str) -> None:
    monkeypatch.setenv("WARTA_DEBUG", debug)

    @app.command("boom-for-test", hidden=True)
    def _boom() -> None:
        raise KeyError("no such thing")

    try:
        outcome = run(capsys, "boom-for-test")
    finally:
        app.registered_commands.pop()
    assert outcome.code == 70
    assert "error: internal error in boom-for-test: KeyError: 'no such thing'" in outcome.err
    assert "WARTA_DEBUG=1" in outcome.err
    assert ("Traceback" in outcome.err) == bool(debug)


def test_os_error_is_one_line_naming_the_path(capsys: pytest.CaptureFixture[str]) -> None:
    @app.command("oserror-for-test", hidden=True)
    def _fail() -> None:
        raise PermissionError(13, "Permission denied", "/read-only/out.json")

    try:
        outcome = run(capsys, "oserror-for-test")
    finally:
        app.registered_commands.pop()
    assert outcome.code == 1
    assert outcome.err.splitlines()[0] == "error: /read-only/out.json: Permission denied"
    assert "Traceback" not in outcome.err
