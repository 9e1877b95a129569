"""``warta corpus publish DIR --repo-id ORG/NAME``: upload a verified release and tag it.

Order of checks, so that a refusal never leaves a half-published release: the folder must verify
(:mod:`warta.corpus.verify`), must not be a private (withheld-labels) folder, the token must be in
``HF_TOKEN`` (checked before any network call) and the tag ``v<version>`` must not exist yet on the
Hub. Then ``upload_folder`` (only the files the manifest lists, plus the manifest) in one commit,
and ``create_tag`` on that commit. ``dry_run`` stops after the local checks and returns the plan:
exactly the files (size, SHA-256) and the tag, offline and without a token.

The Hub client is a parameter (``api``), so tests pass a fake object instead of patching the network.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warta.corpus.manifest import check_repo_id, check_version
from warta.corpus.verify import verify_release
from warta.errors import InputError, ReleaseError, ServiceError
from warta.fsutil import sha256_file
from warta.release import MANIFEST, Release
from warta.schema import LabelSchema

TOKEN_VARIABLE = "HF_TOKEN"
#: ``upload_folder`` takes fnmatch patterns: a listed path must match itself and nothing else.
_GLOB = re.compile(r"[*?\[\]]")


@dataclass
class PublishPlan:
    repo_id: str
    version: str
    tag: str
    files: list[dict[str, Any]]  # path, bytes, sha256
    private: bool = False
    dry_run: bool = True
    commit: str | None = None
    url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def total_bytes(self) -> int:
        return sum(f["bytes"] for f in self.files)


def plan_publish(folder: str | Path, repo_id: str, *, private: bool = False, schema: LabelSchema | None = None) -> PublishPlan:
    """Every local check, and the exact list of files and the tag a publish would push."""
    check_repo_id(repo_id)
    release = Release.open(folder)
    if release.manifest.get("private"):
        raise ReleaseError(
            f"{release.path}: this is a private folder of withheld labels; it is never published",
            hint="publish the public release folder built alongside it",
        )
    release.check_files()
    for entry in release.manifest["files"]:
        if _GLOB.search(entry["path"]):
            raise ReleaseError(
                f"{release.path}: manifest path {entry['path']!r} holds a wildcard character; it could upload other files",
                hint="rebuild the release with `warta corpus build`",
            )
    report = verify_release(release.path, schema=schema)
    if not report.ok:
        shown = "; ".join(str(p) for p in report.problems[:5])
        more = f" (and {len(report.problems) - 5} more)" if len(report.problems) > 5 else ""
        raise ReleaseError(
            f"{release.path}: release does not verify, refusing to publish: {shown}{more}",
            hint="run `warta corpus verify` for the full list; rebuild the release rather than editing it",
        )
    version = check_version(release.version, error=ReleaseError, source=release.path / MANIFEST)
    files = [{"path": f["path"], "bytes": f["bytes"], "sha256": f["sha256"]} for f in release.manifest["files"]]
    manifest_path = release.path / MANIFEST
    files.append({"path": MANIFEST, "bytes": manifest_path.stat().st_size, "sha256": sha256_file(manifest_path)})
    files.sort(key=lambda f: f["path"])
    return PublishPlan(repo_id=repo_id, version=version, tag=f"v{version}", files=files, private=private)


def _tags(api: Any, repo_id: str) -> set[str]:
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        refs = api.list_repo_refs(repo_id, repo_type="dataset")
    except RepositoryNotFoundError:
        return set()
    return {getattr(t, "name", t) for t in getattr(refs, "tags", [])}


def publish_release(
    folder: str | Path,
    repo_id: str,
    *,
    dry_run: bool = False,
    private: bool = False,
    api: Any = None,
    token: str | None = None,
    schema: LabelSchema | None = None,
) -> PublishPlan:
    plan = plan_publish(folder, repo_id, private=private, schema=schema)
    if dry_run:
        return plan
    token = token or os.environ.get(TOKEN_VARIABLE)
    if not token:
        raise InputError(
            f"no Hugging Face token: {TOKEN_VARIABLE} is not set",
            hint=f"export {TOKEN_VARIABLE}=hf_... (a token with write access to {repo_id}), or try --dry-run",
        )
    if api is None:
        from huggingface_hub import HfApi

        api = HfApi(token=token)
    try:
        if plan.tag in _tags(api, repo_id):
            raise ReleaseError(
                f"{repo_id} already has tag {plan.tag}; a published version is never replaced",
                hint="build a new version (semver) and publish that",
            )
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        commit = api.upload_folder(
            repo_id=repo_id,
            repo_type="dataset",
            folder_path=str(Path(folder)),
            allow_patterns=[f["path"] for f in plan.files],
            commit_message=f"warta release {plan.version}",
        )
        oid = getattr(commit, "oid", None)
        api.create_tag(repo_id, tag=plan.tag, revision=oid, repo_type="dataset", tag_message=f"warta release {plan.version}")
    except ReleaseError:
        raise
    except OSError as exc:
        raise ServiceError(f"Hugging Face Hub: {exc}", hint="check the network and the token's permissions") from None
    except Exception as exc:  # huggingface_hub raises requests/httpx errors subclassed from several bases
        if type(exc).__module__.startswith(("huggingface_hub", "requests", "httpx")):
            raise ServiceError(f"Hugging Face Hub refused the request: {exc}", hint="check the token's write access to the repo") from None
        raise
    plan.dry_run = False
    plan.commit = oid
    plan.url = getattr(commit, "commit_url", None)
    return plan
