"""Cases that stop and corrections, as rules over a session and in the pure schedule: a
suspension owes no period ending in it, a withdrawal ends the schedule, a milestone cannot
move before the one it follows."""

from __future__ import annotations

from datetime import date

import pytest
from enclave_shared.catalog.intake import MeetingKind
from enclave_shared.errors import Conflict, Invalid

from services.intake import models
from services.intake.domain import SAMPLE_PLAN, Pause, milestone_order_error, owed_slots
from services.intake.handlers import cases, meetings
from services.intake.schemas import CaseCorrection
from tests.unit.intake.factories import opened


def test_a_suspension_owes_no_period_ending_in_it_and_a_withdrawal_ends_them():
    days = [
        s.due_on
        for s in owed_slots(
            MeetingKind.COORDINATION,
            date(2021, 1, 5),
            date(2021, 6, 30),
            None,
            pauses=[Pause(date(2021, 2, 10), date(2021, 4, 2))],
            ended_on=date(2021, 6, 1),
        )
    ]
    assert days == [date(2021, 1, 31), date(2021, 4, 30), date(2021, 5, 31)]
    endless = list(
        owed_slots(
            MeetingKind.INSPECTION,
            date(2021, 1, 5),
            date(2021, 3, 31),
            None,
            pauses=[Pause(date(2021, 1, 10), None)],
        )
    )
    assert endless == []


def test_milestones_are_in_order_or_the_pair_out_of_order_is_named():
    assert (
        milestone_order_error(
            {
                "signed_on": date(2021, 4, 1),
                "construction_started_on": date(2021, 4, 1),
                "production_started_on": None,
            }
        )
        is None
    )
    assert milestone_order_error(
        {
            "signed_on": date(2021, 4, 1),
            "construction_started_on": date(2021, 5, 1),
            "production_started_on": date(2021, 4, 20),
        }
    ) == ("construction_started_on", "production_started_on")


async def test_suspend_resume_withdraw_and_the_schedule_they_leave(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        case = await opened(sessions, "p-s", on=date(2021, 3, 1))
        async with sessions() as session:
            row = await cases.get_case(session, case_id=case.id)
            await cases.suspend(session, case=row, reason="loan", on=date(2021, 3, 2))
            with pytest.raises(Conflict, match="suspended"):
                await cases.suspend(session, case=row, reason="again", on=date(2021, 3, 3))
            await session.commit()
        async with sessions() as session:
            row = await cases.get_case(session, case_id=case.id)
            assert await meetings.get_schedule(session, case=row, until=date(2021, 5, 1)) == []
            with pytest.raises(Invalid):
                await cases.resume(session, case=row, on=date(2021, 3, 1))
            await cases.resume(session, case=row, on=date(2021, 4, 20))
            await session.commit()
        async with sessions() as session:
            row = await cases.get_case(session, case_id=case.id)
            owed = await meetings.get_schedule(session, case=row, until=date(2021, 5, 3))
            assert {s.due_on for s in owed if s.status == "overdue"} == {date(2021, 4, 30)}
            await cases.withdraw(session, case=row, reason="gone", on=date(2021, 5, 3))
            with pytest.raises(Conflict, match="withdrawn"):
                await cases.sign(session, case=row, signed_on=date(2021, 5, 4))
            await session.commit()
        async with sessions() as session:
            row = await cases.get_case(session, case_id=case.id)
            owed = await meetings.get_schedule(session, case=row, until=date(2021, 9, 1))
            assert max(s.due_on for s in owed) < date(2021, 5, 31)  # none after it ended


async def test_a_correction_keeps_the_milestones_in_order(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        case = await opened(sessions, "p-c", enterprise="Acme", on=date(2021, 3, 1))
        async with sessions() as session:
            row = await cases.get_case(session, case_id=case.id)
            await cases.sign(session, case=row, signed_on=date(2021, 4, 1))
            await cases.start_construction(session, case=row, started_on=date(2021, 4, 21))
            await session.commit()
        async with sessions() as session:
            row = await cases.get_case(session, case_id=case.id)
            early = CaseCorrection(reason="x", construction_started_on=date(2021, 3, 1))
            with pytest.raises(Invalid, match=r"signed_on \(2021-04-01\)") as refused:
                await cases.correct_case(session, case=row, body=early, plan=SAMPLE_PLAN)
            assert refused.value.field == "construction_started_on"
            unrecorded = CaseCorrection(reason="x", production_started_on=date(2021, 5, 1))
            with pytest.raises(Conflict):
                await cases.correct_case(session, case=row, body=unrecorded, plan=SAMPLE_PLAN)
