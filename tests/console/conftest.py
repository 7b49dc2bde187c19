"""Fixtures of the console's tests: the console in-process on this test's database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from enclave_shared.kafka import free_port

from services.console.config import ConsoleSettings
from tests.conftest import SettingsFactory
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
