"""Browser tests: Debian's chromium, driven headless by Playwright, against a real stack (Redis, gunicorn and a
worker with the real models) built like the one of tests/integration.

Chromium comes from the system package (`apt-get install chromium`, done by .ci/run), never from
`playwright install`, which would download a browser build of its own.

The stack is package-scoped: it is stopped when the browser tests are done, so that its worker (and its
models in memory) does not stay up beside the integration tests' own for the rest of a `make test` run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import Stack, running_stack

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
OUTPUT = Path(__file__).resolve().parents[2] / "var" / "test-output" / "browser"


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    yield from running_stack(tmp_path_factory.mktemp("browser-stack"), "browser-w1")


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"no {CHROMIUM}: apt-get install -y chromium (or set CHROMIUM to a Chromium binary)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright passes --no-sandbox by default (chromium_sandbox=False), which root needs.
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def output_dir() -> Path:
    """var/test-output/browser: screenshots are kept after the run (var/ is not committed)."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT
