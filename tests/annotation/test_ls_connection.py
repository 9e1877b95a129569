"""Connection failures are one-line ServiceErrors, and the API key never leaves memory."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from warta.annotation.connection import Connection, connect, resolve
from warta.cli import main
from warta.errors import InputError, ServiceError

sys.path.insert(0, str(Path(__file__).parent))
from ls_helpers import free_port  # noqa: E402


def test_resolve_reads_the_environment(monkeypatch):
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://example.invalid:8080/")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "env-key-123456")
    connection = resolve()
    assert (
        connection.url == "http://example.invalid:8080" and connection.api_key == "env-key-123456"
    )
    assert "env-key" not in repr(connection)
    assert resolve("http://other:1", "flag-key-123").api_key == "flag-key-123"
    monkeypatch.delenv("LABEL_STUDIO_API_KEY")
    with pytest.raises(ServiceError, match="no Label Studio API key"):
        resolve()
    with pytest.raises(InputError, match="not an http"):  # bad input, not an unreachable service
        resolve("localhost:8080", "k" * 10)


def test_unreachable_server_is_one_clear_line():
    secret = "unreachable-secret-987654"
    with pytest.raises(ServiceError) as failure:
        connect(Connection(url=f"http://127.0.0.1:{free_port()}", api_key=secret, timeout=5))
    message = str(failure.value)
    assert "cannot reach Label Studio" in message and "\n" not in message and secret not in message
    assert "start the server" in failure.value.hint


@pytest.mark.label_studio
def test_wrong_token_is_one_clear_line(label_studio):
    secret = "wrong-secret-token-123456"
    with pytest.raises(ServiceError) as failure:
        connect(label_studio.connection(api_key=secret))
    message = str(failure.value)
    assert (
        "rejected the API key (HTTP 401)" in message
        and "\n" not in message
        and secret not in message
    )
    assert "LABEL_STUDIO_API_KEY" in failure.value.hint


@pytest.mark.label_studio
def test_cli_errors_and_the_key_appears_nowhere(
    label_studio, annotated_project, tmp_path, monkeypatch, capfd
):
    """Run every command with the key in the environment: no output and no written file contains it."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("WARTA_PSEUDONYM_KEY_FILE", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)
    title = annotated_project.title
    assert (
        main(["annotate", "push", "--release", str(annotated_project.release), "--project", title])
        == 0
    )
    assert main(["annotate", "pull", "--project", title, "--out", "records.jsonl"]) == 0
    assert main(["annotate", "status", "--project", title, "--json"]) == 0
    assert main(["annotate", "status", "--project", title]) == 0
    assert (
        home / ".config" / "warta" / "pseudonym.key"
    ).is_file()  # created on first use, outside the project
    assert os.stat(home / ".config" / "warta" / "pseudonym.key").st_mode & 0o077 == 0

    wrong = "wrong-secret-token-654321"
    assert (
        main(["annotate", "status", "--project", title, "--api-key", wrong])
        == ServiceError.exit_code
    )
    dead = f"http://127.0.0.1:{free_port()}"
    assert (
        main(["annotate", "pull", "--project", title, "--out", "x.jsonl", "--url", dead])
        == ServiceError.exit_code
    )
    assert not (tmp_path / "x.jsonl").exists()

    captured = capfd.readouterr()
    output = captured.out + captured.err
    errors = [line for line in captured.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and "Traceback" not in output
    assert "rejected the API key" in errors[0] and "cannot reach Label Studio" in errors[1]
    for secret in (label_studio.token, wrong):
        assert secret not in output
        for path in tmp_path.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path
