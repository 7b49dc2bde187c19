"""The fast tier: handlers called on a SQLite session, their events read from the outbox.

No broker, no relay, no consumer: a use case is a plain function over a session, so its
rules are tested as one. The broker suites (tests/<service>/) prove the same paths end to end.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from enclave_shared.db import OutboxEvent, PlatformBase, create_engine
from enclave_shared.events import CloudEvent, Payload, parse_envelope
from enclave_shared.outbox import Outbox, OutboxSession, session_factory
from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import async_sessionmaker

UNIT_PREFIX = "unit"


@contextlib.asynccontextmanager
async def unit_sessions(
    folder: Path, metadata: MetaData
) -> AsyncIterator[async_sessionmaker[OutboxSession]]:
    """Sessions on a fresh SQLite file holding the service's tables and the platform's."""
    engine = create_engine(f"sqlite+aiosqlite:///{folder / 'unit.db'}")
    async with engine.begin() as conn:
        await conn.run_sync(PlatformBase.metadata.create_all)
        await conn.run_sync(metadata.create_all)
    try:
        yield session_factory(engine, Outbox(UNIT_PREFIX))
    finally:
        await engine.dispose()


async def committed_events(sessions: async_sessionmaker[OutboxSession]) -> list[CloudEvent]:
    """Every event committed to the outbox so far, in order."""
    async with sessions() as session:
        bodies = (await session.scalars(select(OutboxEvent.body).order_by(OutboxEvent.id))).all()
    return [parse_envelope(body.encode()) for body in bodies]


def types_of(*models: type[Payload]) -> list[str]:
    """The event types of catalog payloads, in the order given: what the types of the
    committed events are compared with."""
    return [model.event_type for model in models]


def staged(session: OutboxSession) -> list[dict[str, Any]]:
    """The events recorded in the session's open transaction, not yet committed: type and data."""
    return [
        {"type": row["event_type"], "key": row["key"], "topic": row["topic"]}
        for _, row in session.sync_session.staged
    ]
