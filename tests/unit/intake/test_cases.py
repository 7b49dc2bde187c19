"""Intake cases as plain rules over a session: one per project, signing once, red → yellow →
blue in order, and the events each move commits (or, refused, does not)."""

from __future__ import annotations

from datetime import date

import pytest
from enclave_shared.catalog.incubation import IntakePath, ProjectMatured
from enclave_shared.catalog.intake import (
    CaseAccountAssigned,
    CaseOpened,
    ConstructionStarted,
    EnterpriseSettled,
    OutcomeTransferred,
    ProductionStarted,
)
from enclave_shared.errors import Conflict, Invalid, NotFound
from sqlalchemy import func, select

from services.intake import models
from services.intake.domain import Color, Outcome
from services.intake.handlers import cases
from services.intake.schemas import CasePublic
from tests.unit.intake.factories import OFFICER, enterprise_user, matured, opened
from tests.unit.support import committed_events, staged


async def test_a_matured_project_opens_one_red_case_whatever_the_event_id(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        first, second = matured("p-1", enterprise="Acme"), matured("p-1", enterprise="Acme")
        async with sessions() as session:
            for event in (first, second, first):
                await cases.open_case(
                    session, matured=ProjectMatured.model_validate(event.data), causation=event
                )
            await session.commit()
        async with sessions() as session:
            [case] = (await session.scalars(select(models.IntakeCase))).all()
        events = await committed_events(sessions)
    assert case.color is Color.RED and case.outcome is Outcome.ENTERPRISE_SETTLEMENT
    assert case.enterprise_account == "Acme"  # the named enterprise's account is its name
    [opened_event, account_event] = events
    assert opened_event.type == CaseOpened.event_type
    assert account_event.type == CaseAccountAssigned.event_type
    assert account_event.causationid == first.id
    assert account_event.data == {
        "case_id": case.id,
        "project_id": "p-1",
        "enterprise_account": "Acme",
    }
    assert opened_event.causationid == first.id
    assert opened_event.data == {
        "case_id": case.id,
        "project_id": "p-1",
        "path": "menu",
        "industry_chain": "metal_new_materials",
        "enterprise": "Acme",
        "opened_on": "2021-03-01",
    }


async def test_a_case_cannot_be_signed_twice(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        case = await opened(sessions, "p-1", enterprise="Acme")
        async with sessions() as session:
            row = await cases.get_case(session, case_id=case.id, for_update=True)
            await cases.sign(session, case=row, signed_on=date(2021, 4, 1))
            await session.commit()
        async with sessions() as session:
            row = await cases.get_case(session, case_id=case.id, for_update=True)
            with pytest.raises(Conflict, match="already signed on 2021-04-01") as refused:
                await cases.sign(session, case=row, signed_on=date(2021, 4, 2))
            assert refused.value.field == "signed_on"
            assert staged(session) == []
            await session.commit()
        events = await committed_events(sessions)
    signings = [e for e in events if e.type == EnterpriseSettled.event_type]
    assert [e.data["signed_on"] for e in signings] == ["2021-04-01"]
    assert signings[0].data == {
        "case_id": case.id,
        "project_id": "p-1",
        "path": "menu",
        "enterprise": "Acme",
        "signed_on": "2021-04-01",
    }


async def test_the_order_path_transfers_the_result_to_a_named_enterprise(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        nameless = await opened(sessions, "p-o", IntakePath.ORDER)
        named = await opened(sessions, "p-n", IntakePath.ORDER, enterprise="Local Co")
        async with sessions() as session:
            row = await cases.get_case(session, case_id=nameless.id)
            with pytest.raises(Invalid) as refused:
                await cases.sign(session, case=row, signed_on=date(2021, 4, 1))
            assert refused.value.field == "enterprise"
            other = await cases.get_case(session, case_id=named.id)
            with pytest.raises(Conflict, match="Local Co"):
                await cases.sign(session, case=other, signed_on=date(2021, 4, 1), enterprise="X")
            await session.rollback()
        async with sessions() as session:
            row = await cases.get_case(session, case_id=nameless.id)
            await cases.sign(session, case=row, signed_on=date(2021, 4, 1), enterprise="Local Co")
            assert row.enterprise_account == "Local Co"
            await session.commit()
        events = await committed_events(sessions)
    # the named case opened with its account; the nameless one gets it at its signing
    assert [e.type for e in events[3:]] == [
        CaseAccountAssigned.event_type,
        OutcomeTransferred.event_type,
    ]
    assert events[3].data == {
        "case_id": nameless.id,
        "project_id": "p-o",
        "enterprise_account": "Local Co",
    }
    assert events[4].data["enterprise"] == "Local Co"


async def test_colour_moves_red_yellow_blue_and_refuses_each_move_out_of_order(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        case = await opened(sessions, "p-1", enterprise="Acme")
        async with sessions() as session:
            row = await cases.get_case(session, case_id=case.id)
            with pytest.raises(Conflict) as refused:
                await cases.start_construction(session, case=row, started_on=date(2021, 4, 1))
            assert refused.value.field == "signed_on"
            with pytest.raises(Conflict) as refused:
                await cases.start_production(session, case=row, started_on=date(2021, 4, 1))
            assert refused.value.field == "construction_started_on"
            assert staged(session) == [] and row.color is Color.RED

            await cases.sign(session, case=row, signed_on=date(2021, 4, 1))
            with pytest.raises(Invalid, match="before the signing") as refused:
                await cases.start_construction(session, case=row, started_on=date(2021, 3, 31))
            assert refused.value.field == "started_on"
            await cases.start_construction(session, case=row, started_on=date(2021, 4, 21))
            assert row.color is Color.YELLOW and row.days_to_construction == 20
            with pytest.raises(Conflict, match="already started") as refused:
                await cases.start_construction(session, case=row, started_on=date(2021, 4, 22))
            assert refused.value.field == "started_on"

            with pytest.raises(Invalid, match="before the construction start") as refused:
                await cases.start_production(session, case=row, started_on=date(2021, 4, 20))
            assert refused.value.field == "started_on"
            await cases.start_production(session, case=row, started_on=date(2021, 9, 1))
            assert row.color is Color.BLUE
            with pytest.raises(Conflict, match="already started"):
                await cases.start_production(session, case=row, started_on=date(2021, 9, 2))
            await session.commit()
        events = await committed_events(sessions)
    assert [e.type for e in events] == [
        CaseOpened.event_type,
        CaseAccountAssigned.event_type,
        EnterpriseSettled.event_type,
        ConstructionStarted.event_type,
        ProductionStarted.event_type,
    ]
    assert events[3].data == {
        "case_id": case.id,
        "project_id": "p-1",
        "started_on": "2021-04-21",
        "days_to_construction": 20,
    }
    assert events[4].data == {"case_id": case.id, "project_id": "p-1", "started_on": "2021-09-01"}


async def test_the_case_as_shown_is_read_from_its_row(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        case = await opened(sessions, "p-d", IntakePath.DELIVERY, enterprise="Acme")
        async with sessions() as session:
            row = await cases.get_case(session, case_id=case.id)
            await cases.sign(session, case=row, signed_on=date(2021, 4, 1))
            await cases.start_construction(session, case=row, started_on=date(2021, 4, 11))
            cases.set_responsible(case=row, unit="Zone office", person="Li", contact=None)
            await session.commit()
            shown = CasePublic.model_validate(row).model_dump(mode="json")
    assert shown["outcome"] == "one_stop_landing" and shown["color"] == "yellow"
    assert shown["days_to_construction"] == 10 and shown["path"] == "delivery"
    assert shown["responsible_unit"] == "Zone office" and shown["enterprise_tag"] is None


async def test_an_enterprise_user_sees_only_its_own_cases(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        mine = await opened(sessions, "p-1", enterprise="Acme")
        theirs = await opened(sessions, "p-2", enterprise="Other")
        async with sessions() as session:
            acme = enterprise_user("Acme")
            rows, total = await cases.get_all_cases(session, user=acme)
            assert [r.id for r in rows] == [mine.id] and total == 1
            with pytest.raises(NotFound):
                await cases.get_case(session, case_id=theirs.id, user=acme)
            rows, _ = await cases.get_all_cases(session, user=enterprise_user(None))
            assert rows == []
            _, every = await cases.get_all_cases(session, user=OFFICER)
            assert every == 2
            count = await session.scalar(select(func.count()).select_from(models.IntakeCase))
            assert count == 2
