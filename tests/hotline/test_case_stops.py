"""The hotline's reaction to intake stopping a case, through the events: a suspended case gets
no red-case supervision until it resumes; a withdrawn or voided one none again, and the
tickets the hotline opened for it that are still open are closed by a system `stop` move
(with `ticket.closed`); tickets people opened stay theirs."""

from __future__ import annotations

from datetime import date

from enclave_shared.catalog.intake import (
    CaseResumed,
    CaseSuspended,
    CaseVoided,
    CaseWithdrawn,
    MeetingKind,
    MeetingMissed,
)

from services.hotline.jobs import sweep_once
from services.hotline.models import WatchedCase
from tests.hotline.support import Clock, agent, hotline, hotline_events, open_ticket
from tests.hotline.test_from_events import send, tickets
from tests.support import eventually
from tests.unit.hotline.support import settled


async def _closed(svc, case_id: str, n: int) -> bool:
    found = await tickets(svc, case_id=case_id, status="closed")
    return len(found) >= n


async def _resumed(svc, case_id: str) -> bool:
    async with svc.runtime.sessions() as session:
        case = await session.get(WatchedCase, case_id)
        return case is not None and case.suspended_on is None and case.signed_on is not None


async def test_suspend_resume_withdraw_and_void_through_the_events(make_settings):
    async with hotline(make_settings, red_case_days=30) as (svc, settings, clock):
        clock.now = Clock().now.replace(month=3, day=10)
        await send(
            settings,
            settled("S1", date(2026, 3, 1)),
            CaseSuspended(
                case_id="S1",
                project_id="P1",
                reason="financing paused",
                suspended_on=date(2026, 3, 10),
            ),
            settled("W1", date(2026, 3, 1)),
            MeetingMissed(
                case_id="W1",
                project_id="P1",
                kind=MeetingKind.INSPECTION,
                due_on=date(2026, 3, 15),
            ),
            settled("V1", date(2026, 3, 1)),
        )
        await eventually(lambda: _count(svc, "V1", 1))
        await eventually(lambda: _count(svc, "W1", 2))
        theirs = await open_ticket(svc, agent(svc), case_id="W1", description="permit delayed")
        await send(
            settings,
            CaseWithdrawn(
                case_id="W1",
                project_id="P1",
                reason="the enterprise did not land",
                withdrawn_on=date(2026, 3, 20),
            ),
            CaseVoided(case_id="V1", reason="entered by mistake"),
        )
        await eventually(lambda: _closed(svc, "V1", 1))
        await eventually(lambda: _closed(svc, "W1", 2))
        w1 = {t["kind"]: t for t in await tickets(svc, case_id="W1")}
        for kind in ("landing_followup", "supervision"):
            ticket = w1[kind]
            assert ticket["status"] == "closed", kind
            assert "case W1 withdrawn: the enterprise did not land" in ticket["close_reason"]
            last = ticket["history"][-1]
            assert (last["action"], last["actor_role"]) == ("stop", "system")
            assert last["actor"] == "enclave.case.withdrawn.v1"
        assert w1["request"]["id"] == theirs["id"] and w1["request"]["status"] == "opened"
        (voided,) = await tickets(svc, case_id="V1")
        assert "case V1 voided: entered by mistake" in voided["close_reason"]

        clock.now = clock.now.replace(month=4, day=15)  # 45 days after signing, still red
        assert (await sweep_once(svc.runtime)).red_case_tickets == []  # S1 suspended; W1, V1 over
        await send(
            settings, CaseResumed(case_id="S1", project_id="P1", resumed_on=date(2026, 4, 15))
        )
        await eventually(lambda: _resumed(svc, "S1"))
        swept = await sweep_once(svc.runtime)
        assert len(swept.red_case_tickets) == 1
        (red,) = await tickets(svc, case_id="S1", kind="supervision")
        assert red["id"] == swept.red_case_tickets[0]
        assert (await sweep_once(svc.runtime)).red_case_tickets == []  # once

        # opened: 4 from the events, 1 by the agent, 1 red-case; closed: 3 by the stops
        events = await hotline_events(svc, 9)
        closed = [e["data"] for e in events if e["type"] == "enclave.ticket.closed.v1"]
        by_stop = {t["id"] for t in w1.values() if t["status"] == "closed"} | {voided["id"]}
        assert sorted(c["ticket_id"] for c in closed) == sorted(by_stop)
        assert sorted(c["case_id"] for c in closed) == ["V1", "W1", "W1"]


async def _count(svc, case_id: str, n: int) -> bool:
    return len(await tickets(svc, case_id=case_id)) >= n
