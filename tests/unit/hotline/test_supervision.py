"""The sweep on a session with a controlled clock around the 2021 National Day holiday:
reminder, supervision and each escalation level once, in working time; red cases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from enclave_shared.catalog.intake import (
    CaseResumed,
    CaseSuspended,
    CaseWithdrawn,
    ConstructionStarted,
)
from enclave_shared.events import new_event
from sqlalchemy import select

from services.hotline import consumers
from services.hotline.handlers import lifecycle
from services.hotline.handlers.supervision import supervise
from services.hotline.models import Base, Ticket
from tests.unit.hotline.support import AGENT, opened, settings, settled, transferred
from tests.unit.support import committed_events, staged

ESCALATED = "enclave.ticket.escalated.v1"
REMINDED = "enclave.ticket.reminded.v1"


SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2021, 9, 30, 16, 0, tzinfo=SH)  # the afternoon before the National Day week


def sh(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A moment of October 2021 in Shangrao."""
    return datetime(2021, 10, day, hour, minute, second, tzinfo=SH)


async def test_reminder_supervision_and_each_level_once_in_working_time(sessions_for):
    # utilities: accept within 2 working hours, resolve within 2 working days; office hours
    # 8:30-12:00 and 14:00-17:30; 1-7 October 2021 off, Saturday 9 October a make-up day.
    # Opened 16:00 on 30 September, by hand:
    #   accept: 1.5 h on 30 Sept, 0.5 h on 8 Oct -> due 8 Oct 09:00; reminder at 80 % (1.6 h)
    #     8 Oct 08:36; level 2 = due + 7 h: 6.5 h on 8 Oct, 0.5 h on Sat 9 Oct -> 09:00;
    #     level 3 = due + 21 h: 6.5 + 7 (9 Oct) + 7 (11 Oct) + 0.5 -> 12 Oct 09:00
    #   resolve: 2 working days after 30 Sept: 8 Oct, 9 Oct -> due 9 Oct 17:30; its span is
    #     1.5 + 7 + 7 = 15.5 h, 80 % = 12.4 h: 1.5 + 7 + 3.5 + 0.4 -> 9 Oct 14:24; level 2
    #     11 Oct 17:30; level 3 13 Oct 17:30
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            tid = (await opened(session, category="utilities", now=T0)).id
            await session.commit()

            async def sweep(at: datetime) -> list[tuple[str, str, int]]:
                result = await supervise(session, settings=settings(), now=at)
                await session.commit()
                return [(b.value, level) for t, b, level in result.escalated if t == tid]

            assert await sweep(datetime(2021, 9, 30, 18, 1, tzinfo=SH)) == []  # after hours
            assert await sweep(sh(7, 23)) == []  # the holiday week counts nothing
            assert staged(session) == []
            assert await sweep(sh(8, 8, 35)) == []
            assert await sweep(sh(8, 8, 36)) == [("accept", 0)]  # 催办
            assert await sweep(sh(8, 9, 0)) == []  # at the deadline: in time
            assert await sweep(sh(8, 9, 0, 1)) == [("accept", 1)]  # 督办
            assert await sweep(sh(8, 17, 0)) == []
            assert await sweep(sh(9, 9, 0, 1)) == [("accept", 2)]  # the make-up day counts
            assert await sweep(sh(9, 14, 24)) == [("resolve", 0)]
            assert await sweep(sh(9, 17, 30, 1)) == [("resolve", 1)]
            assert await sweep(sh(11, 17, 0)) == []  # Sunday 10 October is off
            assert await sweep(sh(12, 9, 0, 1)) == [("accept", 3), ("resolve", 2)]
            assert await sweep(sh(30, 9)) == [("resolve", 3)]
            assert await sweep(sh(31, 9)) == []  # each once
            ticket = await session.scalar(select(Ticket).where(Ticket.id == tid))
            assert ticket is not None and ticket.status == "opened"  # supervision moves nothing
            assert [(e.breach, e.level) for e in ticket.escalations] == [
                ("accept", 0),
                ("accept", 1),
                ("accept", 2),
                ("resolve", 0),
                ("resolve", 1),
                ("accept", 3),
                ("resolve", 2),
                ("resolve", 3),
            ]
            assert [m.action for m in ticket.history] == (
                ["open", "remind", "escalate", "escalate", "remind"] + ["escalate"] * 4
            )
        events = await committed_events(sessions)
    reminded = [e.data for e in events if e.type == REMINDED]
    escalated = [e.data for e in events if e.type == ESCALATED]
    assert [(r["breach"], r["due_at"][:16]) for r in reminded] == [
        ("accept", "2021-10-08T01:00"),  # 09:00 in Shangrao, in UTC
        ("resolve", "2021-10-09T09:30"),
    ]
    assert [(e["breach"], e["level"]) for e in escalated] == [
        ("accept", 1),
        ("accept", 2),
        ("resolve", 1),
        ("accept", 3),
        ("resolve", 2),
        ("resolve", 3),
    ]
    assert "提级督办" in escalated[1]["reason"] and "督办" in escalated[0]["reason"]


async def test_the_sign_clock_runs_from_routing_and_restarts_on_a_new_routing(sessions_for):
    # utilities: the department signs within 4 working hours of routing. Routed 09:00 on
    # Friday 8 October: 3 h to noon, 1 h from 14:00 -> due 15:00; reminder at 3.2 h: 14:12
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            tid = (await opened(session, category="utilities", now=sh(8, 8, 30))).id
            hotline = settings()
            await lifecycle.route(
                session, ticket_id=tid, user=AGENT, department="power", settings=hotline,
                now=sh(8, 9),
            )  # fmt: skip
            await session.commit()

            async def sweep(at: datetime) -> list[tuple[str, int]]:
                result = await supervise(session, settings=hotline, now=at)
                await session.commit()
                return [(b.value, level) for _, b, level in result.escalated if b.value == "sign"]

            assert await sweep(sh(8, 14, 11)) == []
            assert await sweep(sh(8, 14, 12)) == [("sign", 0)]
            assert await sweep(sh(8, 15, 1)) == [("sign", 1)]
            assert await sweep(sh(8, 15, 30)) == []
            await lifecycle.give_back(
                session, ticket_id=tid, user=AGENT, reason="not ours", settings=hotline,
                now=sh(8, 16),
            )  # fmt: skip
            await lifecycle.route(
                session, ticket_id=tid, user=AGENT, department="grid", settings=hotline,
                now=sh(8, 16),
            )  # fmt: skip
            await session.commit()
            # a new routing, a new sign clock: 1.5 h on 8 Oct, 2.5 h on Saturday 9 Oct -> 11:00
            assert await sweep(sh(9, 11, 0, 1)) == [("sign", 0), ("sign", 1)]
            await lifecycle.sign(
                session, ticket_id=tid, user=AGENT, settings=hotline, now=sh(9, 12)
            )
            await session.commit()
            assert await sweep(sh(20, 12)) == []  # signed: its clock stopped
            ticket = await session.scalar(select(Ticket).where(Ticket.id == tid))
            assert ticket is not None and ticket.signed_in_time is False


async def test_a_case_red_thirty_business_days_gets_one_supervision_ticket(sessions_for):
    signing = transferred("R1")
    yellow = transferred("Y1", "P2", "Quick Build")
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
    assert [(e.type, e.data["ticket_id"]) for e in events if e.type.endswith("opened.v1")] == [
        ("enclave.ticket.opened.v1", first.red_case_tickets[0])
    ]


async def test_a_suspended_case_gets_no_red_case_ticket_until_it_resumes(sessions_for):
    signing = transferred("S1")
    paused = CaseSuspended(
        case_id="S1", project_id="P1", reason="financing paused", suspended_on=date(2026, 3, 10)
    )
    resumed = CaseResumed(case_id="S1", project_id="P1", resumed_on=date(2026, 4, 20))
    red_long = datetime(2026, 4, 15, 2, 0, tzinfo=UTC)  # 45 days after signing
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            await consumers.on_outcome_transferred(session, signing, new_event(signing))
            await consumers.on_case_suspended(session, paused, new_event(paused))
            await session.commit()
            hotline = settings()
            assert (await supervise(session, settings=hotline, now=red_long)).red_case_tickets == []
            await consumers.on_case_resumed(session, resumed, new_event(resumed))
            after = await supervise(session, settings=hotline, now=red_long + timedelta(days=6))
            await session.commit()
    assert len(after.red_case_tickets) == 1


async def test_a_withdrawn_case_closes_the_hotlines_own_tickets_and_is_supervised_no_more(
    sessions_for,
):
    settled_case = settled("W1", date(2026, 3, 1))
    withdrawn = CaseWithdrawn(
        case_id="W1", project_id="P1", reason="the enterprise did not land",
        withdrawn_on=date(2026, 3, 5),
    )  # fmt: skip
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            await consumers.on_enterprise_settled(session, settled_case, new_event(settled_case))
            own = await opened(session, case_id="W1", description="permit delayed")
            await session.commit()
            event = new_event(withdrawn)
            await consumers.on_case_stopped(session, withdrawn, event)
            await consumers.on_case_stopped(session, withdrawn, event)  # again: nothing more
            await session.commit()
            found = {t.kind: t for t in (await session.scalars(select(Ticket))).all()}
            later = datetime(2026, 5, 1, tzinfo=UTC)
            sweep = await supervise(session, settings=settings(), now=later)
        events = await committed_events(sessions)
    followup = found["landing_followup"]
    assert followup.status == "closed" and "withdrawn: the enterprise did not land" in (
        followup.close_reason or ""
    )
    assert [m.action for m in followup.history][-1] == "stop"
    assert found[own.kind].status == "opened", "a ticket someone opened stays theirs"
    assert sweep.red_case_tickets == []
    closed = [e for e in events if e.type == "enclave.ticket.closed.v1"]
    assert [e.data["ticket_id"] for e in closed] == [followup.id]
    assert closed[0].data["case_id"] == "W1"


async def test_in_the_last_days_of_the_calendar_the_levels_it_can_place_still_go_out(
    sessions_for,
):
    # A utilities ticket (accept 2 working hours, resolve 2 working days) opened two working
    # days before the calendar's last working day: its resolve deadline is that day's close
    # of office, and its later levels fall in a year the calendar does not know yet.
    config = settings()
    cal = config.calendar
    last = config.calendar_coverage().until
    while not cal.is_workday(last):
        last -= timedelta(days=1)
    start = last
    for _ in range(2):  # back two working days
        start -= timedelta(days=1)
        while not cal.is_workday(start):
            start -= timedelta(days=1)
    opened_at = datetime.combine(start, datetime.min.time(), SH).replace(hour=9)
    after_close = datetime.combine(last, datetime.min.time(), SH).replace(hour=17, minute=31)
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            tid = (await opened(session, category="utilities", now=opened_at)).id
            await session.commit()
            result = await supervise(session, settings=config, now=after_close)
            await session.commit()
    sent = {(b.value, level) for t, b, level in result.escalated if t == tid}
    assert {("accept", 0), ("accept", 1), ("resolve", 0), ("resolve", 1)} <= sent
    assert ("resolve", 2) not in sent  # 7 working hours past the last covered day
