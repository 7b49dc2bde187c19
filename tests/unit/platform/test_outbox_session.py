"""The outbox at the call site: what a session records commits with it, or not at all."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from enclave_shared.catalog.incubation import IntakePath, ProjectMatured
from enclave_shared.context import Actor, actor
from enclave_shared.dates import business_date
from enclave_shared.db import AuditEntry, create_engine
from enclave_shared.outbox import NoOutbox, OutboxSession, session_factory
from sqlalchemy import select

from tests.unit.support import UNIT_PREFIX, committed_events, staged


def matured(project_id: str) -> ProjectMatured:
    return ProjectMatured(
        project_id=project_id,
        title="t",
        path=IntakePath.DELIVERY,
        industry_chain="black_talc",
        matured_on=date(2021, 3, 1),
    )


async def test_recorded_events_commit_with_the_transaction_and_roll_back_with_it(
    platform_sessions,
):
    async with platform_sessions() as session:
        kept = session.record(matured("p1"))
        assert staged(session) == [
            {"type": kept.type, "key": "p1", "topic": f"{UNIT_PREFIX}.incubation"}
        ]
        await session.commit()
        assert staged(session) == []
        session.record(matured("p2"))
        await session.rollback()
        assert staged(session) == []
    events = await committed_events(platform_sessions)
    assert [(e.id, e.subject) for e in events] == [(kept.id, "p1")]


async def test_a_session_without_an_outbox_refuses_to_record(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    try:
        async with session_factory(engine)() as session:
            assert isinstance(session, OutboxSession)
            with pytest.raises(NoOutbox, match="without an outbox"):
                session.record(matured("p1"))
    finally:
        await engine.dispose()


def test_the_business_date_is_the_day_in_the_platforms_time_zone():
    # 07:30 on New Year's Day in Shangrao is still 31 December in UTC.
    moment = datetime(2021, 12, 31, 23, 30, tzinfo=UTC)
    assert business_date(moment, "Asia/Shanghai") == date(2022, 1, 1)
    assert business_date(moment, "UTC") == date(2021, 12, 31)
    with pytest.raises(ValueError, match="aware"):
        business_date(datetime(2022, 1, 1), "Asia/Shanghai")


async def test_the_audit_trail_names_the_actor_or_the_service_itself(platform_sessions):
    async with platform_sessions() as session:
        session.record(matured("p1"))  # as a consumer or a job does: no caller
        await session.commit()
    token = actor.set(Actor("zone_officer", "li.na"))
    try:
        async with platform_sessions() as session:
            session.record(matured("p2"))
            await session.commit()
    finally:
        actor.reset(token)
    async with platform_sessions() as session:
        rows = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    assert [(r.entity, r.entity_id, r.role, r.actor) for r in rows] == [
        ("project", "p1", "system", None),
        ("project", "p2", "zone_officer", "li.na"),
    ]
