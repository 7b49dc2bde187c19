"""Fixtures for the incubation service's tests: the service running on this test's topics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from services.incubation.config import IncubationSettings
from services.incubation.main import SPEC
from tests.support import RunningService, run_service

# 2021-06-30 10:00 UTC is 18:00 the same day in Shenzhen: "today" is 2021-06-30.
NOW = datetime(2021, 6, 30, 10, 0, tzinfo=UTC)


@pytest.fixture
async def settings(make_settings) -> IncubationSettings:
    """The service's settings for this test (its own topics and database)."""
    made: IncubationSettings = await make_settings("incubation", settings_class=IncubationSettings)
    return made


@pytest.fixture
async def svc(settings: IncubationSettings) -> AsyncIterator[RunningService]:
    """The incubation service, running, with its clock fixed at NOW."""
    async with run_service(SPEC, settings) as running:
        running.runtime.clock = lambda: NOW
        yield running
