"""The SLA sweep on a session with a controlled clock: each breach escalated once; red cases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from enclave_shared.catalog.incubation import IntakePath
from enclave_shared.catalog.intake import ConstructionStarted, OutcomeTransferred
from enclave_shared.events import new_event
from sqlalchemy import select

from services.hotline import consumers
from services.hotline.domain import Breach
from services.hotline.handlers import lifecycle
from services.hotline.handlers.supervision import supervise
from services.hotline.models import Base, Ticket
from tests.unit.hotline.support import AGENT, NOW, opened, settings, types
from tests.unit.support import committed_events, staged

ESCALATED = "enclave.ticket.escalated.v1"


async def test_each_breach_is_escalated_once_past_its_deadline(sessions_for):
    # utilities: accept within 2 h, resolve within 48 h; tax: 4 h and 120 h
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            late = (await opened(session, category="utilities")).id
            accepted = (await opened(session, category="utilities")).id
            await lifecycle.accept(session, ticket_id=accepted, user=AGENT, now=NOW)
            await session.commit()

            async def sweep(at: datetime) -> list[tuple[str, Breach]]:
                result = await supervise(session, settings=settings(), now=at)
                await session.commit()
                return result.escalated

            assert await sweep(NOW + timedelta(hours=2)) == []  # at the deadline: in time
            assert staged(session) == []
            assert await sweep(NOW + timedelta(hours=2, minutes=1)) == [(late, Breach.ACCEPT)]
            assert await sweep(NOW + timedelta(hours=3)) == []  # once per breach
            assert await sweep(NOW + timedelta(hours=48)) == []
            resolve_late = NOW + timedelta(hours=48, seconds=1)
            assert await sweep(resolve_late) == [
                (late, Breach.RESOLVE),
                (accepted, Breach.RESOLVE),
            ]
            assert await sweep(resolve_late + timedelta(days=30)) == []
            ticket = await session.scalar(select(Ticket).where(Ticket.id == late))
            assert ticket is not None and ticket.status == "opened"  # escalation moves nothing
            assert [e.breach for e in ticket.escalations] == ["accept", "resolve"]
            assert [m.action for m in ticket.history] == ["open", "escalate", "escalate"]
        events = await committed_events(sessions)
    escalated = [e.data for e in events if e.type == ESCALATED]
    assert [(e["ticket_id"], e["breach"]) for e in escalated] == [
        (late, "accept"),
        (late, "resolve"),
        (accepted, "resolve"),
    ]
    assert escalated[0]["due_at"].startswith("2026-03-02T11:00")
    assert types(events).count(ESCALATED) == 3


async def test_a_case_red_thirty_business_days_gets_one_supervision_ticket(sessions_for):
    signing = OutcomeTransferred(
        case_id="R1",
        project_id="P1",
        path=IntakePath.ORDER,
        enterprise="Local Steel",
        signed_on=date(2026, 3, 1),
    )
    yellow = OutcomeTransferred(
        case_id="Y1",
        project_id="P2",
        path=IntakePath.ORDER,
        enterprise="Quick Build",
        signed_on=date(2026, 3, 1),
    )
    started = ConstructionStarted(case_id="Y1", project_id="P2", started_on=date(2026, 3, 20))
    # 23:00 on 30 March in Shangrao (29 days) and 01:00 on 31 March there (30 days), while
    # UTC still says 30 March for both
    day_29 = datetime(2026, 3, 30, 15, 0, tzinfo=UTC)
    day_30 = datetime(2026, 3, 30, 17, 0, tzinfo=UTC)
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            await consumers.on_outcome_transferred(session, signing, new_event(signing))
            await consumers.on_outcome_transferred(session, yellow, new_event(yellow))
            await consumers.on_construction_started(session, started, new_event(started))
            await session.commit()
            hotline = settings()
            assert (await supervise(session, settings=hotline, now=day_29)).red_case_tickets == []
            first = await supervise(session, settings=hotline, now=day_30)
            await session.commit()
            assert len(first.red_case_tickets) == 1
            later = day_30 + timedelta(days=5)
            assert (await supervise(session, settings=hotline, now=later)).red_case_tickets == []
            ticket = await session.scalar(select(Ticket))
            assert ticket is not None and ticket.case_id == "R1" and ticket.kind == "supervision"
            assert "30 days after signing on 2026-03-01" in ticket.description
        events = await committed_events(sessions)
    assert [(e.type, e.data["ticket_id"]) for e in events] == [
        ("enclave.ticket.opened.v1", first.red_case_tickets[0])
    ]
