"""Helpers of the Label Studio tests: a real server process, small releases, two annotators' work.

The server lives in its own virtual environment (``label-studio`` 1.23 pins ``pytz<2023``, which
warta's HTML extraction cannot share), found through ``LABEL_STUDIO_BIN``, then the repository's
``.venv-label-studio``, then ``PATH``. Missing, the tests skip on a developer machine and fail under
``CI=true``. It runs on a free 127.0.0.1 port with a temporary data directory (SQLite), a known
admin and legacy API token, analytics and Sentry off; its log goes to a file whose tail is shown
if it does not come up.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from warta.annotation.connection import Connection

ADMIN_EMAIL = "curator@example.org"
ADMIN_PASSWORD = "curator-password-1"
ADMIN_TOKEN = "warta-test-admin-token-0123456789"
#: Seconds a first start (migrations) may take; a loaded machine needs more: WARTA_LS_START_TIMEOUT.
START_TIMEOUT = float(os.environ.get("WARTA_LS_START_TIMEOUT", "180"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def find_label_studio(repo: Path) -> Path | None:
    explicit = os.environ.get("LABEL_STUDIO_BIN")
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    local = repo / ".venv-label-studio" / "bin" / "label-studio"
    if local.is_file():
        return local
    found = shutil.which("label-studio")
    return Path(found) if found else None


@dataclass
class Annotator:
    id: int
    email: str
    token: str = field(repr=False)


@dataclass
class LabelStudioServer:
    """One ``label-studio`` process on a data directory that survives restarts."""

    binary: Path
    data_dir: Path
    log: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    annotators: dict[str, Annotator] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def token(self) -> str:
        return ADMIN_TOKEN

    def environment(self) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "DJANGO_"))
        }
        env.update(
            LABEL_STUDIO_BASE_DATA_DIR=str(self.data_dir),
            LABEL_STUDIO_USERNAME=ADMIN_EMAIL,
            LABEL_STUDIO_PASSWORD=ADMIN_PASSWORD,
            LABEL_STUDIO_USER_TOKEN=ADMIN_TOKEN,
            LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN="true",
            SENTRY_DSN="",
            FRONTEND_SENTRY_DSN="",
            COLLECT_ANALYTICS="false",
            LATEST_VERSION_CHECK="false",
        )
        return env

    def start(self, timeout: float = START_TIMEOUT) -> None:
        import httpx

        if not self.port or not port_is_free(self.port):
            self.port = free_port()
        with self.log.open("ab") as log:
            log.write(f"\n=== starting on port {self.port} ===\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [
                    str(self.binary),
                    "start",
                    "--no-browser",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._fail(f"label-studio exited with code {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).json().get("status") == "UP":
                    return
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.5)
        self.stop()
        self._fail(f"label-studio did not answer /health within {timeout:g} s")

    def _fail(self, problem: str) -> None:
        tail = "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:])
        pytest.fail(f"{problem}; last lines of {self.log}:\n{tail}", pytrace=False)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the whole process group (the CLI and anything it spawned); SIGKILL for a crash."""
        if self.process is None or self.process.poll() is not None:
            self.process = None
            return
        group = os.getpgid(self.process.pid)
        os.killpg(group, sig)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)  # stragglers of the group, if any
        self.process = None

    def restart(self) -> None:
        """Stop and start again on the same data directory (same users, projects and tasks)."""
        self.stop()
        self.start()

    def connection(self, api_key: str | None = None) -> Connection:
        return Connection(url=self.url, api_key=api_key or ADMIN_TOKEN, timeout=120.0)

    def client(self, api_key: str | None = None) -> Any:
        from label_studio_sdk import LabelStudio

        return LabelStudio(base_url=self.url, api_key=api_key or ADMIN_TOKEN, timeout=120.0)

    def create_annotator(self, email: str, password: str = "annotator-password-1") -> Annotator:
        """A second (third...) user with their own API token, as a real annotator would have.

        ``users.create`` ignores passwords in 1.23, so the user signs up through the organisation's
        invite link (what an invited annotator does), then reads their own token from
        ``/api/current-user/token`` within that browser-like session.
        """
        import httpx

        if email in self.annotators:
            return self.annotators[email]
        admin = {"Authorization": f"Token {ADMIN_TOKEN}"}
        invite = (
            httpx.get(f"{self.url}/api/invite", headers=admin, timeout=30).raise_for_status().json()
        )
        with httpx.Client(base_url=self.url, follow_redirects=True, timeout=60) as session:
            session.get("/user/signup/", params={"token": invite["token"]}).raise_for_status()
            response = session.post(
                f"/user/signup/?token={invite['token']}",
                data={
                    "email": email,
                    "password": password,
                    "csrfmiddlewaretoken": session.cookies.get("csrftoken"),
                },
                headers={"Referer": f"{self.url}/user/signup/"},
            )
            response.raise_for_status()
            token_response = session.get("/api/current-user/token")
            if token_response.status_code != 200:
                raise AssertionError(
                    f"signing up {email} failed (token request: HTTP {token_response.status_code})"
                )
            token = token_response.json()["token"]
            me = session.get("/api/current-user/whoami").raise_for_status().json()
        annotator = Annotator(id=int(me["id"]), email=email, token=token)
        self.annotators[email] = annotator
        return annotator


def write_release(folder: Path, rows: list[dict[str, Any]], version: str = "1.0.0") -> Path:
    """A minimal release folder: ``manifest.json`` + ``documents/test-00000-of-00001.parquet``.

    ``rows`` need only ``id``, ``title`` and ``text``; the other ``documents`` columns are filled
    with nulls so the Parquet file has the release's features.
    """
    from datasets import Dataset

    from warta.features import documents_features
    from warta.fsutil import sha256_file

    features = documents_features()
    full = [
        {name: row.get(name, [] if name in ("captions", "removed") else None) for name in features}
        for row in rows
    ]
    shard = folder / "documents" / "test-00000-of-00001.parquet"
    shard.parent.mkdir(parents=True, exist_ok=True)
    Dataset.from_list(full, features=features).to_parquet(str(shard))
    manifest = {
        "version": version,
        "files": [
            {
                "path": "documents/test-00000-of-00001.parquet",
                "config": "documents",
                "split": "test",
                "rows": len(rows),
                "sha256": sha256_file(shard),
                "bytes": shard.stat().st_size,
            }
        ],
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return folder


def synthetic_rows(count: int, prefix: str = "syn") -> list[dict[str, Any]]:
    """Articles with different lengths and entities the gazetteer tagger knows."""
    rows = []
    for i in range(count):
        body = " ".join(
            [
                f"Jakarta: Menteri Luar Negeri Retno Marsudi bertemu utusan NATO pada 12 Januari 2022 (berita {i}).",
                "Rusia menuntut agar Ukraina tidak bergabung dengan NATO." * (1 + i % 3),
            ]
        )
        rows.append(
            {"id": f"{prefix}{i:05d}", "title": f"Berita {i}: NATO dan Rusia", "text": body}
        )
    return rows


# --- A project annotated by two annotators through the API, shared by pull, status and end-to-end tests.

SEED_E = "e868b1205f427ac5"  # "Jelang Dialog NATO-Rusia, AS Berharap ..."
SEED_C = "cb33607aa2409de9"  # "Rusia dan NATO bertemu ..."
ANNOTATOR_A = "annotator.a@example.org"
ANNOTATOR_B = "annotator.b@example.org"

#: email -> article -> what that annotator marks. Entities are (surface, occurrence, label, stance);
#: stance None means no per-region choice. B's annotation of SEED_C is marked as ground truth.
ANNOTATIONS: dict[str, dict[str, dict[str, Any]]] = {
    ANNOTATOR_A: {
        SEED_E: {
            "entities": [
                ("NATO", 0, "ORG", None),
                ("Rusia", 0, "GPE", "AGAINST"),
                ("AS", 0, "GPE", "FAVOR"),
                ("12 Januari 2022", 0, "DATE", None),
            ],
            "document": "NONE",
            "summary": "AS dan sekutunya di Eropa menyelaraskan sikap sebelum dialog NATO-Rusia. AS berharap diplomasi mencegah invasi Rusia ke Ukraina.",
            "lead_time": 120.5,
            "ground_truth": False,
        },
        SEED_C: {
            "entities": [
                ("Rusia", 0, "GPE", "AGAINST"),
                ("NATO", 0, "ORG", None),
                ("Ukraina", 0, "GPE", None),
            ],
            "document": "NONE",
            "summary": "Rusia dan NATO bertemu membahas krisis Ukraina. Rusia menuntut NATO tidak memperluas keanggotaan ke timur.",
            "lead_time": 80.0,
            "ground_truth": False,
        },
    },
    ANNOTATOR_B: {
        SEED_E: {
            "entities": [
                ("NATO", 0, "ORG", None),
                ("Rusia", 0, "GPE", "AGAINST"),
                ("AS", 0, "GPE", "NONE"),
                ("Januari 2022", 0, "DATE", None),
            ],
            "document": "NONE",
            "summary": "Menjelang dialog dengan Rusia, AS dan NATO berkoordinasi. AS berharap diplomasi berhasil.",
            "lead_time": 98.0,
            "ground_truth": False,
        },
        SEED_C: {
            "entities": [
                ("Rusia", 0, "GPE", "AGAINST"),
                ("NATO", 0, "ORG", None),
                ("Ukraina", 0, "LOC", None),
            ],
            "document": "NONE",
            "summary": "NATO dan Rusia berunding di tengah krisis Ukraina. Moskow menuntut jaminan keamanan dari AS dan NATO.",
            "lead_time": 64.25,
            "ground_truth": True,
        },
    },
}


def find(text: str, surface: str, occurrence: int = 0) -> int:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return start


def ls_result(
    text: str, spec: dict[str, Any], *, prefix: str, mangle_value_text: bool = False
) -> list[dict[str, Any]]:
    """Label Studio result items for one annotator's spec, as the labeling interface would send them."""
    from warta.annotation.labelconfig import (
        ENTITIES_NAME,
        SUMMARY_NAME,
        TEXT_NAME,
        document_stance_name,
        region_stance_name,
    )

    result: list[dict[str, Any]] = []
    for index, (surface, occurrence, label, stance) in enumerate(spec["entities"]):
        start = find(text, surface, occurrence)
        end = start + len(surface)
        region = f"{prefix}{index}"
        # Label Studio's value.text is not to be trusted; mangling it proves pull recomputes it.
        shown = surface.upper() + "  " if mangle_value_text else surface
        value = {"start": start, "end": end, "text": shown}
        result.append(
            {
                "id": region,
                "from_name": ENTITIES_NAME,
                "to_name": TEXT_NAME,
                "type": "labels",
                "value": {**value, "labels": [label]},
            }
        )
        if stance is not None:
            result.append(
                {
                    "id": region,
                    "from_name": region_stance_name("nato_enlargement"),
                    "to_name": TEXT_NAME,
                    "type": "choices",
                    "value": {**value, "choices": [stance]},
                }
            )
    result.append(
        {
            "id": f"{prefix}doc",
            "from_name": document_stance_name("nato_enlargement"),
            "to_name": TEXT_NAME,
            "type": "choices",
            "value": {"choices": [spec["document"]]},
        }
    )
    result.append(
        {
            "id": f"{prefix}sum",
            "from_name": SUMMARY_NAME,
            "to_name": TEXT_NAME,
            "type": "textarea",
            "value": {"text": [spec["summary"]]},
        }
    )
    return result


@dataclass
class AnnotatedProject:
    title: str
    release: Path
    task_ids: dict[str, int]
    texts: dict[str, str]
    annotators: dict[str, Annotator]


def annotate_seed_project(
    label_studio: LabelStudioServer,
    seed_release: Path,
    title: str,
    annotations: dict[str, dict[str, dict[str, Any]]] | None = None,
) -> AnnotatedProject:
    """The seed release pushed, then annotated by two users (:data:`ANNOTATIONS`), each with their own token."""
    from warta.annotation.push import push_release

    annotations = ANNOTATIONS if annotations is None else annotations

    push_release(label_studio.connection(), seed_release, title)
    admin = label_studio.client()
    (project,) = [p for p in admin.projects.list(title=title) if p.title == title]
    tasks = {
        t.data["article_id"]: t
        for t in admin.tasks.list(project=project.id, fields="task_only", include="id,data")
    }
    annotators = {email: label_studio.create_annotator(email) for email in annotations}
    for email, articles in annotations.items():
        client = label_studio.client(annotators[email].token)
        for article_id, spec in articles.items():
            task = tasks[article_id]
            client.annotations.create(
                id=task.id,
                result=ls_result(
                    task.data["text"],
                    spec,
                    prefix=f"{email[10]}{article_id[:2]}-",
                    mangle_value_text=email == ANNOTATOR_B,
                ),
                lead_time=spec["lead_time"],
                ground_truth=spec["ground_truth"],
            )
    # The curator opens a task and skips it: a cancelled annotation, which pull must leave out.
    admin.annotations.create(id=tasks[SEED_E].id, result=[], was_cancelled=True)
    return AnnotatedProject(
        title=title,
        release=seed_release,
        task_ids={a: int(t.id) for a, t in tasks.items()},
        texts={a: t.data["text"] for a, t in tasks.items()},
        annotators=annotators,
    )
