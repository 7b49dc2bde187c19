"""Fixtures of the console's tests: the console in-process on this test's database, and for
the pages against the real services (`stack`) and the browser tests (`browser`, `page`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from enclave_shared.kafka import free_port
from playwright.async_api import Browser, Page, async_playwright

from services.console.config import ConsoleSettings
from tests.conftest import SettingsFactory
from tests.console.browser import Stack, launch, run_stack
from tests.console.support import RunningConsole, run_console

SERVICE_NAMES = ("incubation", "intake", "hotline", "assessment")


@pytest.fixture
async def console(make_settings: SettingsFactory) -> AsyncIterator[RunningConsole]:
    """The console with a fresh database; the four services are not running."""
    # Ports nobody listens on: a page that needs a service shows it as unavailable.
    closed = {f"{name}_url": f"http://127.0.0.1:{free_port()}" for name in SERVICE_NAMES}
    settings = await make_settings("console", settings_class=ConsoleSettings, **closed)
    async with run_console(settings) as running:
        yield running


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """One browser for the whole run; each test has its own context (cookies, storage)."""
    async with async_playwright() as playwright:
        chromium = await launch(playwright)
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture(scope="module")
async def stack(
    kafka_bootstrap: str,
    postgres_url: str | None,
    token_keys: tuple[Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Stack]:
    """The console and the four services on sockets, once for each module that asks."""
    folder = tmp_path_factory.mktemp("console-stack")
    async with run_stack(
        kafka_bootstrap=kafka_bootstrap,
        postgres_url=postgres_url,
        token_keys=token_keys,
        folder=folder,
    ) as running:
        yield running


@pytest.fixture
async def page(browser: Browser, stack: Stack) -> AsyncIterator[Page]:
    """A fresh browser context on the console."""
    context = await browser.new_context(base_url=stack.url, locale="zh-CN")
    context.set_default_timeout(10_000)
    try:
        yield await context.new_page()
    finally:
        await context.close()
