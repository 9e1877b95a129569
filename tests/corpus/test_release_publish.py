"""`warta corpus publish`: dry run offline, refusals, and the upload path against a fake Hub client.

The fake client is passed in as the ``api`` parameter; nothing here opens a network connection.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import release_helpers as h  # noqa: E402

from warta.cli import main  # noqa: E402
from warta.corpus.publish import publish_release  # noqa: E402
from warta.errors import InputError, ReleaseError  # noqa: E402
from warta.fsutil import sha256_file  # noqa: E402


@dataclass
class FakeHub:
    """Records calls the way the Hub would see them; ``tags`` are the repo's existing tags."""

    tags: list[str] = field(default_factory=list)
    calls: list[tuple] = field(default_factory=list)

    def list_repo_refs(self, repo_id, *, repo_type=None):
        self.calls.append(("list_repo_refs", repo_id, repo_type))
        return SimpleNamespace(tags=[SimpleNamespace(name=t) for t in self.tags], branches=[])

    def create_repo(self, repo_id, *, repo_type=None, private=None, exist_ok=False):
        self.calls.append(("create_repo", repo_id, repo_type, private, exist_ok))

    def upload_folder(self, *, repo_id, repo_type, folder_path, allow_patterns, commit_message):
        uploaded = sorted(p for p in allow_patterns if (Path(folder_path) / p).is_file())
        self.calls.append(("upload_folder", repo_id, repo_type, uploaded))
        return SimpleNamespace(oid="abc123", commit_url=f"https://huggingface.co/datasets/{repo_id}/commit/abc123")

    def create_tag(self, repo_id, *, tag, revision=None, repo_type=None, tag_message=None):
        self.calls.append(("create_tag", repo_id, tag, revision, repo_type))
        self.tags.append(tag)


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    return h.build_seed(tmp_path_factory.mktemp("publish")).out


def test_dry_run_lists_exact_files_offline_without_token(release, monkeypatch, capsys):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    assert main(["corpus", "publish", str(release), "--repo-id", "warta-nlp/warta", "--dry-run"]) == 0
    out = capsys.readouterr().out
    files = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    for name in files:
        path = release / name
        assert f"  {name}  {path.stat().st_size}  sha256:{sha256_file(path)}" in out
    assert f"would upload {len(files)} files" in out
    assert "would tag v1.0.0" in out


def test_missing_token_is_a_clear_error(release, monkeypatch, capsys):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    hub = FakeHub()
    with pytest.raises(InputError, match="HF_TOKEN"):
        publish_release(release, "warta-nlp/warta", api=hub)
    assert hub.calls == []
    assert main(["corpus", "publish", str(release), "--repo-id", "warta-nlp/warta"]) == 2
    err = capsys.readouterr().err
    assert "HF_TOKEN is not set" in err and "Traceback" not in err


def test_refuses_a_version_already_tagged(release):
    hub = FakeHub(tags=["v1.0.0"])
    with pytest.raises(ReleaseError, match="already has tag v1.0.0"):
        publish_release(release, "warta-nlp/warta", api=hub, token="hf_test")
    assert [c[0] for c in hub.calls] == ["list_repo_refs"]


def test_uploads_then_tags(release):
    hub = FakeHub(tags=["v0.9.0"])
    plan = publish_release(release, "warta-nlp/warta", api=hub, token="hf_test")
    assert [c[0] for c in hub.calls] == ["list_repo_refs", "create_repo", "upload_folder", "create_tag"]
    uploaded = hub.calls[2][3]
    assert uploaded == sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    assert hub.calls[3] == ("create_tag", "warta-nlp/warta", "v1.0.0", "abc123", "dataset")
    assert plan.commit == "abc123" and not plan.dry_run


def test_refuses_a_tampered_release(tmp_path):
    release = h.build_seed(tmp_path, gold=False).out
    (release / "README.md").write_text("edited")
    hub = FakeHub()
    with pytest.raises(ReleaseError, match="README.md has 6 bytes, the manifest says"):
        publish_release(release, "warta-nlp/warta", api=hub, token="hf_test")
    assert hub.calls == []
    assert main(["corpus", "publish", str(release), "--repo-id", "warta-nlp/warta", "--dry-run"]) == 3


def test_bad_repo_id(release):
    with pytest.raises(InputError, match="ORG/NAME"):
        publish_release(release, "warta", dry_run=True)
