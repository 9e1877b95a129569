"""Reading the README's code blocks and running its commands as written (shared by the README tests)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def blocks(section: str, language: str) -> list[str]:
    """Fenced code blocks of ``language`` under the ``## section`` heading."""
    parts = re.split(r"^## ", README, flags=re.M)
    body = next((p for p in parts if p.startswith(section)), None)
    assert body is not None, f"README has no section {section!r}"
    return re.findall(rf"^```{language}\n(.*?)^```", body, flags=re.S | re.M)


def commands(block: str) -> list[str]:
    """Shell commands of a block: comments and blank lines dropped, trailing comments cut."""
    out = []
    for line in block.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        out.append(re.sub(r"\s+#\s.*$", "", line))
    return out


def run(command: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    argv = shlex.split(command)
    if argv[0] == ".venv/bin/warta":
        # The same console script, from whichever environment runs the tests.
        argv = [sys.executable, "-m", "warta", *argv[1:]]
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"`{command}` failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result
