"""The revisit loop (回访 → 发回重办 → 办结 → 满意 → closed) and the figures of a period, on a
set of tickets whose figures are worked out by hand below."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from enclave_shared.errors import Conflict
from enclave_shared.outbox import OutboxSession

from services.hotline.domain import RevisitResult
from services.hotline.handlers import lifecycle, revisits
from services.hotline.handlers.figures import figures
from services.hotline.models import Base
from tests.unit.hotline.support import AGENT, opened, settings, types
from tests.unit.support import committed_events

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2021, 11, 30, 9, 0, tzinfo=SH)
S = settings()


def oct_(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2021, 10, day, hour, minute, tzinfo=SH)


async def route(session: OutboxSession, tid: str, department: str, at: datetime) -> None:
    await lifecycle.route(
        session, ticket_id=tid, user=AGENT, department=department, settings=S, now=NOW, at=at
    )


async def sign(session: OutboxSession, tid: str, at: datetime) -> None:
    await lifecycle.sign(session, ticket_id=tid, user=AGENT, settings=S, now=NOW, at=at)


async def resolve(session: OutboxSession, tid: str, at: datetime) -> None:
    await lifecycle.resolve(
        session, ticket_id=tid, user=AGENT, summary="done", settings=S, now=NOW, at=at
    )


async def revisit(session: OutboxSession, tid: str, result: RevisitResult, at: datetime):
    return await revisits.revisit(
        session, ticket_id=tid, user=AGENT, result=result, note=None, settings=S, now=NOW, at=at
    )


async def test_dissatisfied_sends_it_back_then_satisfied_closes_it(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            tid = (await opened(session, now=NOW, opened_at=oct_(11, 9))).id
            await route(session, tid, "tax bureau", oct_(11, 9))
            await sign(session, tid, oct_(11, 10))
            await resolve(session, tid, oct_(12, 10))
            back = await revisit(session, tid, RevisitResult.DISSATISFIED, oct_(12, 15))
            # back to the same department, signed, a new resolve clock: 5 working days
            assert back.status == "signed" and back.department == "tax bureau"
            assert back.reopen_count == 1 and back.resolved_at is None
            assert back.resolve_due_at == oct_(19, 17, 30)
            with pytest.raises(Conflict, match="is signed: cannot revisit it"):
                await revisit(session, tid, RevisitResult.SATISFIED, oct_(12, 16))
            await resolve(session, tid, oct_(13, 10))
            done = await revisit(session, tid, RevisitResult.SATISFIED, oct_(13, 15))
            assert done.status == "closed" and done.satisfaction == "satisfied"
            assert done.close_reason == "revisit: satisfied"
            await session.commit()
        events = await committed_events(sessions)
    assert [t.rsplit(".", 2)[-2] for t in types(events)] == [
        "opened", "routed", "signed", "resolved", "revisited", "resolved", "revisited", "closed",
    ]  # fmt: skip
    first, second = (e.data for e in events if e.type.endswith("revisited.v1"))
    assert (first["result"], first["reopened"], first["closed"], first["round"]) == (
        "dissatisfied", True, False, 0,
    )  # fmt: skip
    assert (second["result"], second["closed"], second["round"]) == ("satisfied", True, 1)
    assert second["revisited_on"] == "2021-10-13" and second["department"] == "tax bureau"
    resolved = [e.data["round"] for e in events if e.type.endswith("resolved.v1")]
    assert resolved == [0, 1]


async def test_sending_back_stops_at_the_limit_and_unreachable_closes_after_the_attempts(
    sessions_for,
):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            tid = (await opened(session, now=NOW, opened_at=oct_(11, 9))).id
            await route(session, tid, "tax bureau", oct_(11, 9))
            day = 12
            for _ in range(S.max_reopens):  # 2 by default
                await resolve(session, tid, oct_(day, 9))
                await revisit(session, tid, RevisitResult.DISSATISFIED, oct_(day, 10))
                day += 1
            await resolve(session, tid, oct_(day, 9))
            last = await revisit(session, tid, RevisitResult.DISSATISFIED, oct_(day, 10))
            assert last.status == "closed" and last.reopen_count == 2
            assert "dissatisfied after 2 sendings back" in (last.close_reason or "")

            far = (await opened(session, now=NOW, opened_at=oct_(11, 9))).id
            await route(session, far, "tax bureau", oct_(11, 9))
            await resolve(session, far, oct_(12, 9))
            for attempt in range(1, S.revisit_attempts):
                kept = await revisit(session, far, RevisitResult.UNREACHABLE, oct_(12, 9 + attempt))
                assert kept.status == "resolved" and kept.revisit_attempts == attempt
            gone = await revisit(session, far, RevisitResult.UNREACHABLE, oct_(12, 15))
            assert gone.status == "closed" and gone.satisfaction is None
            assert gone.close_reason == "requester not reached after 3 attempts"


async def test_the_figures_of_a_period_overall_and_per_department(sessions_for):
    # tax: sign within 7 working hours, resolve within 5 working days; registration: 4 h, 3
    # days. All opened Monday 11 October 2021, 09:00, and routed at once.
    #   T1 tax -> A: signed 10:00 (due 12 Oct 09:00: in time), resolved 12 Oct 11:00 (due
    #      18 Oct 17:30: in time), satisfied. Working time to resolve: 6.5 + 2.5 = 9 h
    #   T2 tax -> A: signed 12 Oct 10:00 (late), resolved 19 Oct 09:30 (late), dissatisfied
    #      (19 Oct 14:00, new due 26 Oct), resolved again 20 Oct 10:00 (in time), basically
    #      satisfied. 6.5 + 4 x 7 + 7 + 7 + 1.5 = 50 h
    #   T3 registration -> B: signed 10:00 (due 15:00), resolved 13 Oct 09:00 (due 14 Oct
    #      17:30), unreachable three times. 6.5 + 7 + 0.5 = 14 h
    #   T4 registration -> B: not signed yet
    #   T5 tax: rejected (not handled); T6 opened 1 November: outside the period
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            ids = [(await opened(session, now=NOW, opened_at=oct_(11, 9))).id for _ in range(2)]
            ids += [
                (await opened(session, now=NOW, opened_at=oct_(11, 9), category="registration")).id
                for _ in range(2)
            ]
            t1, t2, t3, t4 = ids
            t5 = (await opened(session, now=NOW, opened_at=oct_(11, 9))).id
            t6 = (await opened(session, now=NOW, opened_at=datetime(2021, 11, 1, 9, tzinfo=SH))).id
            for tid, dept in ((t1, "A"), (t2, "A"), (t3, "B"), (t4, "B")):
                await route(session, tid, dept, oct_(11, 9))
            await sign(session, t1, oct_(11, 10))
            await resolve(session, t1, oct_(12, 11))
            await revisit(session, t1, RevisitResult.SATISFIED, oct_(12, 15))
            await sign(session, t2, oct_(12, 10))
            await resolve(session, t2, oct_(19, 9, 30))
            await revisit(session, t2, RevisitResult.DISSATISFIED, oct_(19, 14))
            await resolve(session, t2, oct_(20, 10))
            await revisit(session, t2, RevisitResult.BASICALLY_SATISFIED, oct_(20, 15))
            await sign(session, t3, oct_(11, 10))
            await resolve(session, t3, oct_(13, 9))
            for hour in (10, 11, 15):
                await revisit(session, t3, RevisitResult.UNREACHABLE, oct_(13, hour))
            await lifecycle.reject(
                session, ticket_id=t5, user=AGENT, reason="spam", settings=S, now=NOW,
                at=oct_(11, 10),
            )  # fmt: skip
            await route(session, t6, "A", datetime(2021, 11, 1, 9, tzinfo=SH))
            await resolve(session, t6, datetime(2021, 11, 1, 10, tzinfo=SH))
            await session.commit()
            report = await figures(
                session, settings=S, opened_from=date(2021, 10, 1), opened_to=date(2021, 10, 31)
            )
    overall = report.overall
    assert (overall.tickets, overall.handled, overall.signed, overall.resolved) == (5, 4, 3, 3)
    assert overall.on_time_sign_rate == 0.6667  # T1, T3 of T1-T3
    assert overall.on_time_resolve_rate == 1.0  # each last resolution in time
    assert overall.resolve_rate == 0.75  # 3 of 4 handled
    assert overall.revisit_rate == 0.6667  # T1, T2 reached; T3 not
    assert overall.satisfaction_rate == 1.0  # satisfied + basically satisfied
    assert overall.reopen_rate == 0.3333  # T2 of 3
    assert overall.median_working_hours_to_resolve == 14.0  # of 9, 50, 14
    a, b = report.departments
    assert (a.department, a.rank, b.department, b.rank) == ("A", 1, "B", 2)
    assert a.figures.on_time_sign_rate == 0.5 and a.figures.reopen_rate == 0.5
    assert a.figures.median_working_hours_to_resolve == 29.5
    assert (a.figures.revisit_rate, a.figures.satisfaction_rate) == (1.0, 1.0)
    assert b.figures.on_time_sign_rate == 1.0 and b.figures.resolve_rate == 0.5
    assert b.figures.revisit_rate == 0.0 and b.figures.satisfaction_rate is None
    assert b.figures.median_working_hours_to_resolve == 14.0
