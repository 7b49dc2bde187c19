"""Tickets from intake events on a session: one ticket per business fact, whatever arrives."""

from __future__ import annotations

from datetime import UTC, date, datetime

from enclave_shared.catalog.intake import (
    CaseAccountAssigned,
    ConstructionStarted,
    MeetingKind,
    MeetingMissed,
)
from enclave_shared.events import new_event
from sqlalchemy import select

from services.hotline import consumers
from services.hotline.models import Base, CaseOwner, Ticket, WatchedCase
from tests.unit.hotline.support import settled, types
from tests.unit.support import committed_events

OPENED = "enclave.ticket.opened.v1"


async def test_one_settlement_opens_one_followup_under_any_number_of_events(sessions_for):
    first = new_event(settled())
    second = new_event(settled())  # the same fact under a second event id
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            for event in (first, first, second):
                await consumers.on_enterprise_settled(session, settled(), event)
                await session.flush()
            await session.commit()
            found = (await session.scalars(select(Ticket))).all()
            case = await session.get(WatchedCase, "C1")
        events = await committed_events(sessions)
    assert len(found) == 1
    ticket = found[0]
    assert (ticket.kind, ticket.channel, ticket.category) == ("landing_followup", "event", "other")
    assert ticket.reporter_sub is None and ticket.enterprise_id == "Gazelle Tech"
    assert ticket.history[0].actor_role == "system"
    assert case is not None and case.signed_on == date(2026, 3, 1)
    assert types(events) == [OPENED]
    assert events[0].causationid == first.id and events[0].data["kind"] == "landing_followup"


async def test_a_past_signing_opens_its_followup_on_the_signing_day(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            payload = settled("C7", date(2021, 4, 12))
            await consumers.on_enterprise_settled(session, payload, new_event(payload))
            await session.commit()
            ticket = await session.scalar(select(Ticket))
    assert ticket is not None
    assert ticket.opened_at == datetime(2021, 4, 12, tzinfo=UTC)


async def test_a_missed_meeting_opens_one_supervision_ticket_per_meeting(sessions_for):
    def missed(due_on: date) -> MeetingMissed:
        return MeetingMissed(
            case_id="C2", project_id="P2", kind=MeetingKind.COORDINATION, due_on=due_on
        )

    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            for due_on in (date(2026, 4, 30), date(2026, 4, 30), date(2026, 5, 31)):
                await consumers.on_meeting_missed(
                    session, missed(due_on), new_event(missed(due_on))
                )
                await session.flush()
            await session.commit()
            found = (await session.scalars(select(Ticket).order_by(Ticket.seq))).all()
        events = await committed_events(sessions)
    assert [t.kind for t in found] == ["supervision", "supervision"]
    assert "2026-04-30" in found[0].description and "2026-05-31" in found[1].description
    assert types(events) == [OPENED, OPENED]


async def test_construction_started_is_recorded_once(sessions_for):
    first = ConstructionStarted(case_id="C3", project_id="P3", started_on=date(2026, 3, 20))
    again = ConstructionStarted(case_id="C3", project_id="P3", started_on=date(2026, 4, 1))
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            for payload in (first, again):
                await consumers.on_construction_started(session, payload, new_event(payload))
                await session.flush()
            await session.commit()
            case = await session.get(WatchedCase, "C3")
    assert case is not None and case.construction_started_on == date(2026, 3, 20)


async def test_a_case_account_is_kept_once_as_intake_last_sent_it(sessions_for):
    def assigned(account: str | None) -> CaseAccountAssigned:
        return CaseAccountAssigned(case_id="C1", project_id="P1", enterprise_account=account)

    to_a = new_event(assigned("ent-a"))
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            for payload, event in [
                (assigned("ent-a"), to_a),
                (assigned("ent-a"), to_a),  # delivered twice
                (assigned("ent-a"), new_event(assigned("ent-a"))),  # sent again
            ]:
                await consumers.on_case_account_assigned(session, payload, event)
                await session.flush()
            await session.commit()
            [owner] = (await session.scalars(select(CaseOwner))).all()
            assert (owner.case_id, owner.project_id, owner.account) == ("C1", "P1", "ent-a")
            for account in ("ent-b", None):
                event = new_event(assigned(account))
                await consumers.on_case_account_assigned(session, assigned(account), event)
                await session.commit()
                [owner] = (await session.scalars(select(CaseOwner))).all()
                assert owner.account == account
        assert await committed_events(sessions) == []  # the hotline sends nothing for it
