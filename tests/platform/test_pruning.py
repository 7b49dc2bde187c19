"""Old outbox and inbox rows are pruned on the real profile; never what is unpublished."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from enclave_shared.db import InboxEvent, OutboxEvent
from enclave_shared.pruning import prune
from enclave_shared.settings import Profile, ServiceSettings
from sqlalchemy import select

from tests.platform.sample import producer_spec
from tests.support import run_service

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _outbox(event_id: str, *, published_days_ago: float | None) -> OutboxEvent:
    published = None if published_days_ago is None else NOW - timedelta(days=published_days_ago)
    return OutboxEvent(
        event_id=event_id,
        event_type="enclave.project.matured.v1",
        topic="t",
        key="k",
        body="{}",
        created_at=NOW - timedelta(days=60),
        published_at=published,
    )


def _inbox(event_id: str, days_ago: float) -> InboxEvent:
    return InboxEvent(
        consumer="intake",
        source="/enclave/incubation",
        event_id=event_id,
        event_type="enclave.project.matured.v1",
        processed_at=NOW - timedelta(days=days_ago),
    )


async def test_published_outbox_rows_and_inbox_rows_past_the_retention_are_pruned(
    make_settings,
):
    settings = await make_settings("incubation")
    async with run_service(producer_spec, settings) as svc:
        await svc.runtime.relay.stop()
        async with svc.runtime.sessions() as session:
            session.add_all(
                [
                    _outbox("old-published", published_days_ago=31),
                    _outbox("old-unpublished", published_days_ago=None),
                    _outbox("recent", published_days_ago=29),
                    _inbox("old", 31),
                    _inbox("recent", 29),
                ]
            )
            await session.commit()
        assert await prune(svc.runtime.engine, now=NOW, keep_days=30) == (1, 1)
        async with svc.runtime.sessions() as session:
            outbox = set((await session.scalars(select(OutboxEvent.event_id))).all())
            inbox = set((await session.scalars(select(InboxEvent.event_id))).all())
        assert outbox == {"old-unpublished", "recent"} and inbox == {"recent"}


def test_the_embedded_profile_never_prunes_and_the_real_one_keeps_30_days():
    assert ServiceSettings(profile=Profile.EMBEDDED).prune_after_days == 0
    real = ServiceSettings(
        profile=Profile.REAL,
        database_url="postgresql+asyncpg://x/y",
        jwt_public_key_file="k.pub",
    )
    assert real.prune_after_days == 30
