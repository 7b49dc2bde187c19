"""Fixtures of the intake tests: the service running on this test's topics and database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest

from services.intake.config import IntakeSettings
from services.intake.main import SPEC
from tests.support import RunningService, run_service

StartIntake = Callable[..., AbstractAsyncContextManager[RunningService]]


@pytest.fixture
def start_intake(make_settings: Callable[..., Awaitable[IntakeSettings]]) -> StartIntake:
    """Start the intake service with settings overrides: `async with start_intake(**kw) as svc`."""
    import contextlib

    @contextlib.asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[RunningService]:
        settings = await make_settings("intake", settings_class=IntakeSettings, **overrides)
        async with run_service(SPEC, settings) as svc:
            yield svc

    return start


@pytest.fixture
async def intake(start_intake: StartIntake) -> AsyncIterator[RunningService]:
    """The intake service with its default settings."""
    async with start_intake() as svc:
        yield svc
