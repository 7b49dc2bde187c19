"""Facts from the other services' events: counted once, dated by the payload, refused if absurd."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from enclave_shared.catalog.hotline import TicketResolved, TicketRevisited
from enclave_shared.catalog.incubation import (
    AgreementSigned,
    IntakePath,
    ProjectTransferred,
    TalentLevel,
    TalentRecruited,
)
from enclave_shared.errors import EventRefused, Invalid

from services.assessment import handlers
from services.assessment.models import Base
from tests.unit.assessment.builders import DAY, YEAR, consume
from tests.unit.support import committed_events


def talent(talent_id: str, day: date = DAY) -> TalentRecruited:
    return TalentRecruited(
        talent_id=talent_id, level=TalentLevel.HIGH_LEVEL, field="materials", recruited_on=day
    )


async def _facts(sessions, year: int = YEAR, indicator: str | None = None):  # type: ignore[no-untyped-def]
    async with sessions() as session:
        rows, total = await handlers.list_facts(session, year=year, indicator=indicator, page=None)
    return [(r.indicator, r.subject, r.quantity, r.event_id) for r in rows], total


async def test_the_same_business_fact_under_a_second_event_id_counts_once(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            first = await consume(session, talent("t-1"))
            await consume(session, talent("t-1"))  # the same talent, another event id
            await consume(session, talent("t-2"))
            await session.commit()
        rows, total = await _facts(sessions, indicator="talents_high_level")
        assert total == 2
        assert rows[0] == ("talents_high_level", "t-1", 1, first.id)  # the first one wins
        _, everything = await _facts(sessions)
        assert everything == 4  # high-level and all-levels, for two talents
        # counting sends nothing
        assert await committed_events(sessions) == []


async def test_a_subject_reported_on_two_paths_counts_once_per_indicator(sessions_for):
    # ProjectTransferred for the case opened and again for the enterprise settled
    opened = ProjectTransferred(
        project_id="p-1", path=IntakePath.MENU, case_id="c-1", transferred_on=DAY
    )
    again = opened.model_copy(update={"case_id": "c-2"})
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            await consume(session, opened)
            await consume(session, again)
            await session.commit()
        rows, total = await _facts(sessions)
        assert total == 2
        assert sorted(r[0] for r in rows) == ["projects_transferred", "projects_transferred_menu"]


async def test_facts_are_dated_by_the_payloads_business_date(sessions_for):
    at = datetime(2021, 12, 31, 16, 30, tzinfo=UTC)  # 00:30 on 1 January in Shangrao
    ticket = TicketResolved(
        ticket_id="k-1",
        category="permits",
        within_sla=True,
        resolved_at=at,
        resolved_on=date(2022, 1, 1),
    )
    late = TicketResolved(
        ticket_id="k-2", category="permits", within_sla=False, resolved_at=at, resolved_on=DAY
    )
    abroad = AgreementSigned(
        agreement_id="a-1", partner="p", kind="enterprise", in_gba=False, signed_on=DAY
    )
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            for payload in (ticket, late, abroad):
                await consume(session, payload)
            await session.commit()
        assert (await _facts(sessions, year=2022))[0][0][:2] == (
            "tickets_resolved_within_sla",
            "k-1",
        )
        rows, _ = await _facts(sessions, year=YEAR)
        assert [r[0] for r in rows] == ["agreements_total"]  # late ticket, non-GBA: not counted


async def test_an_absurd_subject_is_refused_and_nothing_is_counted(sessions_for):
    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            with pytest.raises(EventRefused, match="subject of 501 characters"):
                await consume(session, talent("t" * 501))
            await session.commit()
        assert (await _facts(sessions))[1] == 0


async def test_facts_list_only_event_derived_indicators(sessions_for):
    async with sessions_for(Base.metadata) as sessions, sessions() as session:
        for key in ("team", "unicorns"):
            with pytest.raises(Invalid, match="not an event-derived indicator"):
                await handlers.list_facts(session, year=YEAR, indicator=key, page=None)


async def test_a_satisfied_revisit_counts_once_a_ticket_and_others_not_at_all(sessions_for):
    def revisit(ticket_id: str, result: str, attempt: int = 1) -> TicketRevisited:
        return TicketRevisited(
            ticket_id=ticket_id,
            result=result,
            attempt=attempt,
            round=0,
            revisited_at=datetime(2021, 5, 6, 2, 0, tzinfo=UTC),
            revisited_on=DAY,
            category="permits",
        )

    async with sessions_for(Base.metadata) as sessions:
        async with sessions() as session:
            for payload in (
                revisit("k-1", "satisfied"),
                revisit("k-1", "satisfied"),  # the same fact again
                revisit("k-2", "basically_satisfied"),
                revisit("k-3", "dissatisfied"),
                revisit("k-4", "unreachable"),
            ):
                await consume(session, payload)
            await session.commit()
        rows, total = await _facts(sessions, year=YEAR)
    assert total == 2
    assert sorted((r[0], r[1]) for r in rows) == [
        ("tickets_satisfied", "k-1"),
        ("tickets_satisfied", "k-2"),
    ]
