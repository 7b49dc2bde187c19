"""The incubation unit tier's fixture: a fresh SQLite database holding the service's tables."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from enclave_shared.outbox import OutboxSession
from sqlalchemy.ext.asyncio import async_sessionmaker

from services.incubation import models
from tests.unit.conftest import SessionsFor


@pytest.fixture
async def sessions(sessions_for: SessionsFor) -> AsyncIterator[async_sessionmaker[OutboxSession]]:
    """Sessions with the incubation outbox, on this test's own database."""
    async with sessions_for(models.Base.metadata) as made:
        yield made
