"""Hostile settings and servers for `annotate push`, `pull` and `status`.

Bad URLs, keys, key files and text options are bad input (exit 2) before any request; a release
destination is exit 4 and a tampered release exit 3, both before any request; a server that answers
nonsense or repeats a page is exit 5 naming the endpoint after a bounded number of requests. The
servers are small fakes on 127.0.0.1 (``fake_service``); the real-server tests are in
tests/annotation. The API key never appears in any output.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.hostile.fake_service import fake_service
from tests.hostile.harness import SEED_RELEASE, Case, copy_release, tamper

SECRET = "hostile-secret-key-0123456789"
COMMANDS = ("push", "pull", "status")


def dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = tmp_path / "keys" / "pseudonym.key"  # made here, so the commands find it and change nothing
    key.parent.mkdir()
    key.write_text("00" * 32 + "\n", encoding="ascii")
    monkeypatch.setenv("WARTA_PSEUDONYM_KEY_FILE", str(key))
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)


def command_args(command: str, tmp: Path, *, url: str, key: str = SECRET, release: Path = SEED_RELEASE) -> list[str]:
    base = ["annotate", command, "--project", "hostile project", "--url", url, "--api-key", key, "--timeout", "2"]
    if command == "push":
        return [*base, "--release", str(release), "--no-predictions"]
    if command == "pull":
        return [*base, "--out", str(tmp / "out" / "records.jsonl")]
    return base


BAD_URLS = {
    "ftp-scheme": ("ftp://127.0.0.1/x", r"'ftp://127\.0\.0\.1/x' is not an http\(s\) URL"),
    "unclosed-ipv6": ("http://[::1", r"'http://\[::1' is malformed"),
    "no-host": ("http://", r"'http://' has no host name"),
    "space-inside": ("http://exa mple.org", r"contains spaces or control characters"),
    "bad-port": ("http://127.0.0.1:99999", r"is malformed \(Port out of range"),
    "file-scheme": ("file:///etc/passwd", r"is not an http\(s\) URL"),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", list(BAD_URLS))
def test_bad_urls_are_exit_2(command: str, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url, culprit = BAD_URLS[name]
    outcome = Case(f"{command}/{name}", command_args(command, tmp_path, url=url), 2, culprit, watch=[tmp_path]).check(capsys)
    assert SECRET not in outcome.err + outcome.out


BAD_KEYS = {
    "non-ascii": "kunci-rahasia-é-0123456789",
    "newline": "abc\ninjected: header",
    "inner-space": "abc def",
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", list(BAD_KEYS))
def test_bad_api_keys_are_exit_2_and_never_shown(command: str, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = BAD_KEYS[name]
    outcome = Case(f"{command}/key-{name}", command_args(command, tmp_path, url=dead_url(), key=key), 2,
                   r"API key contains characters other than printable ASCII", watch=[tmp_path]).check(capsys)
    assert key not in outcome.err + outcome.out


def _key_file(tmp: Path, kind: str) -> Path:
    path = tmp / "given.key"
    if kind == "folder":
        path.mkdir()
    elif kind == "non-ascii":
        path.write_bytes("kunci é\n".encode("utf-8"))
    elif kind == "not-hex":
        path.write_text("not hex digits\n", encoding="ascii")
    elif kind == "too-short":
        path.write_text("00ff\n", encoding="ascii")
    return path


KEY_FILES = {
    "folder": r"given\.key: is a folder, not a pseudonym key file",
    "non-ascii": r"given\.key: not a warta pseudonym key",
    "not-hex": r"given\.key: not a warta pseudonym key",
    "too-short": r"given\.key: pseudonym key too short",
}


@pytest.mark.parametrize("command", ["pull", "status"])
@pytest.mark.parametrize("kind", list(KEY_FILES))
def test_bad_key_files_are_exit_2(command: str, kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key_file = _key_file(tmp_path, kind)
    args = [*command_args(command, tmp_path, url=dead_url()), "--key-file", str(key_file)]
    Case(f"{command}/key-file-{kind}", args, 2, KEY_FILES[kind], watch=[tmp_path]).check(capsys)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("where", ["project", "url"])
def test_lone_surrogates_in_options_are_exit_2(command: str, where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = command_args(command, tmp_path, url=dead_url())
    index = args.index(f"--{where}") + 1
    args[index] = args[index] + "\ud800"
    Case(f"{command}/surrogate-{where}", args, 2, rf"the value of --{where}, .*\\\\ud800.*is not valid text", watch=[tmp_path]).check(capsys)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_release(tmp_path_factory.mktemp("release") / "1.0.0")


@pytest.mark.parametrize("target", ["release-folder", "inside-release", "manifest"])
def test_pull_refuses_release_destinations(target: str, release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = {"release-folder": release, "inside-release": release / "records.jsonl", "manifest": release / "manifest.json"}[target]
    args = command_args("pull", tmp_path, url=dead_url())
    args[args.index("--out") + 1] = str(out)
    args.append("--force")
    Case(f"pull/out-{target}", args, 4, rf"annotate pull: refusing to write to .*release folder {release}", watch=[release, tmp_path]).check(capsys)


def _tampered(tmp: Path, how: str) -> Path:
    folder = copy_release(tmp / f"tampered-{how}")
    tamper(folder / "documents" / "test-00000-of-00001.parquet", how)
    return folder


@pytest.mark.parametrize("how", ["flipped-byte", "missing-file", "appended"])
def test_push_refuses_a_tampered_release(how: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _tampered(tmp_path, how)
    with fake_service({"detail": "must not be asked"}) as service:
        Case(f"push/tampered-{how}", command_args("push", tmp_path, url=service.url, release=folder), 3,
             r"does not match its manifest: documents/test-00000-of-00001\.parquet", watch=[tmp_path]).check(capsys)
    assert [r for r in service.requests] == [], "a tampered release reached the server"


#: Answers of a broken server, given to every request.
ANSWERS = {
    "results-not-a-list": {"results": "x", "count": "many"},
    "repeated-page": {"results": [{"id": 1, "title": "hostile project"}], "count": 10**9, "tasks": [{"id": 7, "data": {}}], "total": 10**9},
    "repeated-page-no-count": {"results": [{"id": 1, "title": "hostile project"}], "tasks": [{"id": 7, "data": {}}]},
    "a-list": [1, 2, 3],
    "items-without-ids": {"results": [{"title": "hostile project"}], "count": 1},
    "not-json": b"<html>proxy error</html>",
}
#: More requests than this means a loop that did not stop.
MAX_REQUESTS = 30


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", list(ANSWERS))
def test_malformed_answers_are_exit_5_after_few_requests(command: str, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with fake_service(ANSWERS[name]) as service:
        outcome = Case(f"{command}/{name}", command_args(command, tmp_path, url=service.url), 5,
                       rf"Label Studio at {service.url} .*(malformed answer|refused the request)", watch=[tmp_path]).check(capsys)
    assert 0 < len(service.requests) <= MAX_REQUESTS, service.requests[:10]
    assert SECRET not in outcome.err + outcome.out
    assert not (tmp_path / "out").exists()


def test_the_reported_loop_ends(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's reproduction: `{"results": "x", "count": "many"}` made pull ask 6,900 times."""
    with fake_service({"results": "x", "count": "many"}) as service:
        outcome = Case("pull/issue", command_args("pull", tmp_path, url=service.url), 5,
                       r"malformed answer \(api/projects/\): page 1 holds str, not a list", watch=[tmp_path]).check(capsys)
    assert len(service.requests) == 2  # whoami, then the first page of projects
    assert outcome.err.count("error:") == 1


def test_pull_out_naming_a_folder_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = command_args("pull", tmp_path, url=dead_url())
    (tmp_path / "out" / "records.jsonl").mkdir(parents=True)
    Case("pull/out-is-folder", [*args, "--force"], 2, r"records\.jsonl: is a folder", watch=[tmp_path]).check(capsys)
