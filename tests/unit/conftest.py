"""The unit tier's fixtures: no broker, no server; a SQLite file per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest
from enclave_shared.outbox import OutboxSession
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import async_sessionmaker

from tests.unit.support import unit_sessions

SessionsFor = Callable[[MetaData], AbstractAsyncContextManager[async_sessionmaker[OutboxSession]]]


@pytest.fixture
def sessions_for(tmp_path: Path) -> SessionsFor:
    """`async with sessions_for(models.Base.metadata) as sessions:` a fresh database."""

    def open_for(
        metadata: MetaData,
    ) -> AbstractAsyncContextManager[async_sessionmaker[OutboxSession]]:
        return unit_sessions(tmp_path, metadata)

    return open_for


@pytest.fixture
async def platform_sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[OutboxSession]]:
    """Sessions on a database holding only the platform's tables."""
    async with unit_sessions(tmp_path, MetaData()) as sessions:
        yield sessions
