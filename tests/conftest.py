"""Shared test plumbing.

Tests that need a real service (Label Studio, Chromium) call ``require_or_skip``: on a developer's
machine a missing service skips, but under ``CI=true`` (or ``WARTA_REQUIRE_SERVICES=1``) it fails, so
CI can never go green by skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
#: Debian's Chromium, which CI installs (``apt-get install -y chromium``); Playwright drives it.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def services_required() -> bool:
    flags = (os.environ.get("CI", ""), os.environ.get("WARTA_REQUIRE_SERVICES", ""))
    return any(flag.lower() in {"1", "true", "yes"} for flag in flags)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # noqa: ANN001, ANN201
    """Under CI=true a skipped test is a failed test: CI never goes green by skipping."""
    outcome = yield
    report = outcome.get_result()
    if services_required() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which requires every test to run: {report.longrepr}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):  # noqa: ANN001, ANN201
    """The same for a whole module skipped at import (``pytest.importorskip``)."""
    outcome = yield
    report = outcome.get_result()
    if services_required() and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"module skipped under CI=true, which requires every test to run: {report.longrepr}"


@pytest.fixture(scope="session")
def require_or_skip() -> Callable[[bool, str], None]:
    def check(available: bool, what: str) -> None:
        if available:
            return
        if services_required():
            pytest.fail(f"{what} is not available, and CI=true requires this test to run")
        pytest.skip(f"{what} is not available")

    return check


@pytest.fixture
def chromium(require_or_skip: Callable[[bool, str], None]) -> Iterator[Any]:
    """A headless Chromium browser (Playwright's ``Browser``) for a page test, closed after it."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require_or_skip(sync_playwright is not None and os.access(CHROMIUM, os.X_OK), f"playwright and chromium ({CHROMIUM})")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return REPO / "corpus" / "raw"
