"""The ticket lifecycle on a session: moves, their events, refusals, the business date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from enclave_shared.auth import Principal
from enclave_shared.errors import Conflict, Invalid
from enclave_shared.outbox import OutboxSession

from services.hotline.domain import RevisitResult
from services.hotline.domain.worktime import days
from services.hotline.handlers import extensions, lifecycle, revisits
from services.hotline.models import Base, Ticket
from tests.unit.hotline.support import AGENT, NOW, enterprise, opened, owns, settings, types
from tests.unit.support import committed_events, staged

OPENED = "enclave.ticket.opened.v1"
ROUTED = "enclave.ticket.routed.v1"
RESOLVED = "enclave.ticket.resolved.v1"
SIGNED = "enclave.ticket.signed.v1"
CLOSED = "enclave.ticket.closed.v1"


async def move(
    session: OutboxSession,
    action: str,
    ticket_id: str,
    *,
    user: Principal = AGENT,
    now: datetime = NOW,
    at: datetime | None = None,
) -> Ticket:
    """One lifecycle move by its action's name."""
    common: dict[str, Any] = {
        "ticket_id": ticket_id,
        "user": user,
        "now": now,
        "at": at,
        "settings": settings(),
    }
    if action == "accept":
        return await lifecycle.accept(session, **common)
    if action == "route":
        return await lifecycle.route(session, department="tax bureau", **common)
    if action == "sign":
        return await lifecycle.sign(session, **common)
    if action == "return":
        return await lifecycle.give_back(session, reason="not our function", **common)
    if action == "request_extension":
        return await extensions.request(session, reason="site visit", extra=days(2), **common)
    if action == "decide_extension":
        return await extensions.decide(session, approve=True, note=None, **common)
    if action == "resolve":
        return await lifecycle.resolve(session, summary="done", **common)
    if action == "revisit":
        result = RevisitResult.SATISFIED
        return await revisits.revisit(session, result=result, note=None, **common)
    if action == "close":
        return await lifecycle.close(session, comment="the caller confirmed", **common)
    assert action == "reject"
    return await lifecycle.reject(session, reason="not ours", **common)


# how to bring a ticket to each status
PATHS = {
    "opened": [],
    "accepted": ["accept"],
    "routed": ["route"],
    "signed": ["route", "sign"],
    "resolved": ["route", "resolve"],
    "closed": ["route", "resolve", "close"],
    "rejected": ["reject"],
}


async def walked(session: OutboxSession, status: str) -> str:
    """A ticket opened and brought to `status` by its path, committed; its id."""
    tid = (await opened(session)).id
    for step in PATHS[status]:
        await move(session, step, tid)
    await session.commit()
    return tid


# the lifecycle, written out again here: a move from anywhere else is refused
ALLOWED = {
    "accept": {"opened"},
    "route": {"opened", "accepted", "routed"},  # an opened ticket is accepted first
    "sign": {"routed"},
    "return": {"routed"},
    "request_extension": {"signed"},
    "decide_extension": set(),  # signed, with a request pending: below
    "resolve": {"routed", "signed"},  # a routed ticket is signed first
    "revisit": {"resolved"},
    "close": {"resolved"},
    "reject": {"opened", "accepted", "routed"},
}
VERBS = {"request_extension": "ask more time for", "decide_extension": "decide on more time for"}
REFUSED = [
    (s, a)
    for a, allowed in ALLOWED.items()
    for s in PATHS
    if s not in allowed and (a, s) != ("decide_extension", "signed")
]


async def test_the_main_flow_moves_the_ticket_and_commits_its_events(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            await owns(session, "ent-1", "C1")  # intake gave ent-1 its case
            tid = (await opened(session, user=enterprise("ent-1"), case_id="C1")).id
            await session.commit()
            routed = await move(session, "route", tid)
            assert routed.status == "routed" and routed.accepted_at == NOW  # accepted first
            assert routed.department == "tax bureau"
            resolved = await move(session, "resolve", tid)
            assert resolved.status == "resolved" and resolved.within_sla is True
            closed = await lifecycle.close(
                session,
                ticket_id=tid,
                user=enterprise("ent-1"),
                comment=None,
                settings=settings(),
                now=NOW,
            )
            assert closed.status == "closed" and closed.closed_at == NOW
            assert closed.close_reason == "confirmed by the requester"
            actions = [m.action for m in closed.history]
            assert actions == ["open", "accept", "route", "sign", "resolve", "close"]
            await session.commit()
        events = await committed_events(sessions)
    assert types(events) == [OPENED, ROUTED, SIGNED, RESOLVED, CLOSED]
    assert [e.subject for e in events] == [tid] * 5
    opened_data, routed_data, _, resolved_data, _ = (e.data for e in events)
    assert opened_data["case_id"] == "C1" and opened_data["kind"] == "request"
    assert opened_data["channel"] == "web" and opened_data["enterprise_id"] == "ent-1"
    assert routed_data["department"] == "tax bureau"
    assert routed_data.get("previous_department") is None
    assert resolved_data["within_sla"] is True and resolved_data["resolved_on"] == "2026-03-02"


async def test_rerouting_names_the_previous_department(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            tid = (await opened(session)).id
            await move(session, "route", tid)
            again = await lifecycle.route(
                session,
                ticket_id=tid,
                user=AGENT,
                department="land bureau",
                settings=settings(),
                now=NOW,
            )
            assert again.history[-1].detail == "from tax bureau to land bureau"
            await session.commit()
        events = await committed_events(sessions)
    assert types(events) == [OPENED, ROUTED, ROUTED]
    assert events[2].data["previous_department"] == "tax bureau"
    assert events[2].data["department"] == "land bureau"


@pytest.mark.parametrize(("status", "action"), REFUSED)
async def test_a_move_from_the_wrong_status_is_refused_and_records_nothing(
    sessions_for, status, action
):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            tid = await walked(session, status)
            before = await committed_events(sessions)
            refusal = f"is {status}: cannot {VERBS.get(action, action)} it"
            with pytest.raises(Conflict, match=refusal) as refused:
                await move(session, action, tid)
            assert refused.value.field == "status"
            assert staged(session) == []
            await session.rollback()
        assert await committed_events(sessions) == before


async def test_a_ticket_resolved_early_on_new_years_day_counts_for_the_new_year(sessions_for):
    # 01:30 on 1 January 2022 in Shangrao is 17:30 on 31 December 2021 in UTC; the assessment
    # counts TicketResolved.resolved_on, which must be the business date, 2022-01-01
    opened_at = datetime(2021, 12, 31, 10, 0, tzinfo=UTC)
    new_year = datetime(2021, 12, 31, 17, 30, tzinfo=UTC)
    old_year = datetime(2021, 12, 31, 15, 59, tzinfo=UTC)  # 23:59 in Shangrao
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            late = (await opened(session, opened_at=opened_at)).id
            early = (await opened(session, opened_at=opened_at)).id
            for tid, at in ((late, new_year), (early, old_year)):
                await move(session, "route", tid, at=opened_at)
                await move(session, "resolve", tid, at=at)
            await session.commit()
        events = await committed_events(sessions)
    resolved = {e.data["ticket_id"]: e.data for e in events if e.type == RESOLVED}
    assert resolved[late]["resolved_on"] == "2022-01-01"
    assert resolved[late]["resolved_at"].startswith("2021-12-31T17:30")
    assert resolved[early]["resolved_on"] == "2021-12-31"
    assert date.fromisoformat(resolved[late]["resolved_on"]).year == 2022


async def test_refused_business_times_name_the_field_and_record_nothing(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            with pytest.raises(Invalid, match="in the future") as future:
                await opened(session, opened_at=NOW + timedelta(seconds=1))
            assert future.value.field == "opened_at"
            with pytest.raises(Invalid, match="only agents") as by_enterprise:
                await opened(session, user=enterprise(), opened_at=NOW - timedelta(days=1))
            assert by_enterprise.value.field == "opened_at"
            tid = (await opened(session, opened_at=NOW - timedelta(days=1))).id
            await session.commit()
            with pytest.raises(Invalid, match="before the ticket's previous move") as early:
                await move(session, "accept", tid, at=NOW - timedelta(days=2))
            assert early.value.field == "at"
            assert staged(session) == []
            await session.rollback()
            accepted = await move(session, "accept", tid, at=NOW - timedelta(days=1))
            assert accepted.accepted_at == NOW - timedelta(days=1)  # same time as the opening
        assert types(await committed_events(sessions)) == [OPENED]


async def test_a_note_moves_nothing_and_sends_no_event(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            tid = (await opened(session)).id
            await session.commit()
            noted = await lifecycle.add_note(
                session, ticket_id=tid, user=AGENT, text="call back", now=NOW
            )
            assert noted.status == "opened" and [n.text for n in noted.notes] == ["call back"]
            assert staged(session) == []
            await session.commit()
        assert types(await committed_events(sessions)) == [OPENED]


async def test_a_decision_needs_a_pending_request_and_a_request_waits_for_its_decision(
    sessions_for,
):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            tid = await walked(session, "signed")
            with pytest.raises(Conflict, match="no extension request pending"):
                await move(session, "decide_extension", tid)
            await session.rollback()
            await move(session, "request_extension", tid)
            await session.commit()
            with pytest.raises(Conflict, match="already has an extension request pending"):
                await move(session, "request_extension", tid)
            await session.rollback()


async def test_an_agent_closes_a_resolved_ticket_only_with_a_reason(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            tid = await walked(session, "resolved")
            with pytest.raises(Invalid, match="after its revisit, or with a reason") as err:
                await lifecycle.close(
                    session, ticket_id=tid, user=AGENT, comment=None, settings=settings(), now=NOW
                )
            assert err.value.field == "comment"
